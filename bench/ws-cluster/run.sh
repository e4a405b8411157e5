#!/usr/bin/env bash
# ws-cluster-svc beside socket.io 4 with @socket.io/redis-streams-adapter, two nodes each on the
# same local Redis, in one run, alternating per rate: <subscribers> connections split across the
# two nodes, one publisher on the first node sending 64-byte messages at each rate. Prints
# deliveries/s, p50/p99 end-to-end latency, server CPU-seconds per million deliveries and lost
# messages, then the ratios.
#
#   bench/ws-cluster/run.sh [seconds=15] [subscribers=1000] [rates=25,50,100,200]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/ws-cluster
SECONDS_PER_RATE=${1:-15}
SUBSCRIBERS=${2:-1000}
RATES=${3:-25,50,100,200}
STATE=/var/tmp/meridian-bench-ws
REDIS=redis://127.0.0.1:16379
IO_PORTS=(9201 9202)
WS_PORTS=(9104 9114)

"$ROOT/meridian" up >/dev/null
mkdir -p "$STATE/logs"
if [[ ! -d $STATE/node_modules/@socket.io/redis-streams-adapter ]]; then
  npm install --prefix "$STATE" --no-audit --no-fund --silent socket.io@4 socket.io-client@4 @socket.io/redis-streams-adapter redis@4 ws@8 >/dev/null
fi
export NODE_PATH=$STATE/node_modules
ulimit -n 65536 2>/dev/null || true

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }

IO_PIDS=()
for port in "${IO_PORTS[@]}"; do
  node "$HERE/socketio-node.js" "$port" "$REDIS" >"$STATE/logs/socketio-$port.log" 2>&1 &
  PIDS+=($!); IO_PIDS+=($!)
done
WS_PIDS=()
for port in "${WS_PORTS[@]}"; do
  WS_NODE_ID=bench-$port WS_REDIS_URL=$REDIS REDIS_URL=$REDIS WS_ALLOW_ANONYMOUS=true QUARKUS_HTTP_PORT=$port \
    java -Xmx512m -Xlog:gc:file=$STATE/logs/gc-$port.log -Dquarkus.vertx.event-loops-pool-size=${WS_EVENT_LOOPS:-1} -Dmeridian.ws.namespaces.bench.publish=true -Dmeridian.ws.namespaces.bench.history-size=100 \
    -Dmeridian.ws.limits.commands-per-second=1000 -Dmeridian.ws.cluster.rebalance-factor=0 \
    -jar "$ROOT/ws-cluster-svc/target/quarkus-app/quarkus-run.jar" >"$STATE/logs/meridian-$port.log" 2>&1 &
  PIDS+=($!); WS_PIDS+=($!)
done
for port in "${IO_PORTS[@]}" "${WS_PORTS[@]}"; do wait_port "$port"; done
sleep 2

RESULTS=$STATE/results.jsonl
: >"$RESULTS"
run() { # system rate
  if [[ $1 == meridian ]]; then
    node "$HERE/driver.js" meridian "${WS_PORTS[0]}" "${WS_PORTS[1]}" "$SUBSCRIBERS" "$SECONDS_PER_RATE" "$2" "$(IFS=,; echo "${WS_PIDS[*]}")"
  else
    node "$HERE/driver.js" socketio "${IO_PORTS[0]}" "${IO_PORTS[1]}" "$SUBSCRIBERS" "$SECONDS_PER_RATE" "$2" "$(IFS=,; echo "${IO_PIDS[*]}")"
  fi | tee -a "$RESULTS"
}
# Warm-up (JIT) for both, not recorded.
node "$HERE/driver.js" meridian "${WS_PORTS[0]}" "${WS_PORTS[1]}" 200 5 100 "" >/dev/null
node "$HERE/driver.js" socketio "${IO_PORTS[0]}" "${IO_PORTS[1]}" 200 5 100 "" >/dev/null
i=0
for rate in ${RATES//,/ }; do
  if ((i % 2 == 0)); then run meridian "$rate"; run socketio "$rate"; else run socketio "$rate"; run meridian "$rate"; fi
  i=$((i + 1))
done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const by = (s, r) => lines.find(l => l.system === s && l.rate === r);
console.log("\nrate  system    deliveries/s     p50 ms    p99 ms  cpu-s/M deliveries  lost");
for (const r of [...new Set(lines.map(l => l.rate))]) {
  for (const s of ["meridian", "socketio"]) {
    const l = by(s, r);
    console.log(`${String(r).padStart(4)}  ${s.padEnd(8)}  ${String(l.deliveriesPerSecond).padStart(12)}  ${String(l.p50).padStart(9)}  ${String(l.p99).padStart(8)}  ${String(l.cpuSecondsPerMillion).padStart(18)}  ${l.lost}`);
  }
  const m = by("meridian", r), o = by("socketio", r);
  console.log(`      ratio: p99 socket.io/meridian ${(o.p99 / m.p99).toFixed(2)}x, cpu socket.io/meridian ${(o.cpuSecondsPerMillion / m.cpuSecondsPerMillion).toFixed(2)}x`);
}' "$RESULTS"
