# Redis standalone (16379) and a three-node Redis Cluster (17001-17003) for cluster tests,
# in Meridian's state folder, without persistence.

redis_start_node() {
  local name=$1 port=$2; shift 2
  local dir=$STATE/redis/$name
  mkdir -p "$dir" "$LOGS"
  port_open "$port" && return 0
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$LOGS/redis-$name.log" --save "" --appendonly no "$@" \
    || die "redis $name did not start; see $LOGS/redis-$name.log"
  wait_for "redis $name" 20 redis-cli -p "$port" ping || die "redis $name is not answering on $port"
}

redis_stop_node() {
  local name=$1 port=$2
  local dir=$STATE/redis/$name
  if port_open "$port"; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  fi
  stop_pid "redis $name" "$dir/redis.pid"
}

redis_up() { redis_start_node standalone "$PORT_REDIS"; }

redis_down() { redis_stop_node standalone "$PORT_REDIS"; }

redis_cluster_ok() { redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }

redis_cluster_up() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    redis_start_node "cluster-$port" "$port" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 5000
  done
  redis_cluster_ok && return 0
  # A node that knows no slots yet: form the cluster. (Nodes restarted with their nodes.conf
  # rejoin on their own.)
  if [[ $(redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" cluster info | tr -d '\r' | awk -F: '/cluster_slots_assigned/{print $2}') == 0 ]]; then
    local hosts=()
    for port in "${REDIS_CLUSTER_PORTS[@]}"; do hosts+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${hosts[@]}" --cluster-replicas 0 --cluster-yes >"$LOGS/redis-cluster-create.log" 2>&1 \
      || die "creating the Redis Cluster failed; see $LOGS/redis-cluster-create.log"
  fi
  wait_for "redis cluster" 30 redis_cluster_ok || die "Redis Cluster did not reach cluster_state:ok"
}

redis_cluster_down() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do redis_stop_node "cluster-$port" "$port"; done
}
