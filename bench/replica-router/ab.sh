#!/usr/bin/env bash
# Two or more builds or JVM settings of replica-router-svc against each other on the same machine
# state: each variant in turn is started as `./meridian up` starts the router, warmed, then
# measured with pgbench (8 clients): closed-loop TPS, and the router's own CPU per transaction
# (all its threads, user + system, from /proc) closed-loop and at a fixed rate. The machine drifts
# by more than most changes are worth, so variants alternate and every round runs them all.
#
#   bench/replica-router/ab.sh ROUNDS 'LABEL|JVM OPTIONS[|JAR]' ...
#
#   bench/replica-router/ab.sh 2 'g1|-Xmx256m' 'serial|-Xmx256m -XX:+UseSerialGC'
#   bench/replica-router/ab.sh 2 'old|-Xmx256m|/tmp/oldtree/replica-router-svc/target/quarkus-app/quarkus-run.jar' 'new|-Xmx256m'
#
# JAR defaults to this checkout's build. Needs `./meridian up` (started if not) and pgbench tables
# (scale 10) on the primary; the router of `./meridian up` is stopped for the run and started again after.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${1:?rounds}
shift
(( $# >= 1 )) || { echo "usage: $0 ROUNDS 'LABEL|JVM OPTIONS[|JAR]' ..." >&2; exit 2; }
WARM_TPCB=${WARM_TPCB:-40}
WARM_SELECT=${WARM_SELECT:-20}
export MERIDIAN_ROOT=$ROOT PGPASSWORD=meridian PGHOST=127.0.0.1 PGUSER=meridian PGDATABASE=meridian
"$ROOT/meridian" up >/dev/null
# shellcheck source=../../ops/local/common.sh
source "$ROOT/ops/local/common.sh" >/dev/null 2>&1
# shellcheck source=../../ops/local/services.sh
source "$ROOT/ops/local/services.sh"
DEFAULT_JAR=$ROOT/replica-router-svc/target/quarkus-app/quarkus-run.jar
HZ=$(getconf CLK_TCK)
ROUTER_PATTERN='^java .*replica-router-svc/target/quarkus-app/quarkus-run.jar'

stop_routers() {
  pkill -f "$ROUTER_PATTERN" 2>/dev/null || true
  for _ in $(seq 30); do pgrep -f "$ROUTER_PATTERN" >/dev/null || return 0; sleep 1; done
  pkill -9 -f "$ROUTER_PATTERN" 2>/dev/null || true
}
# Whatever happens, the router of ./meridian up is back afterwards (and no variant is left on 6433).
trap 'stop_routers; "$ROOT/meridian" up >/dev/null' EXIT

ticks() { awk '{u += $14; s += $15} END {print u, s}' /proc/"$1"/task/*/stat; }

# measure PID NAME PGBENCH-ARGS…: one pgbench run through the router and its CPU over it.
measure() {
  local pid=$1 name=$2 u0 s0 u1 s1 out tx tps
  shift 2
  read -r u0 s0 < <(ticks "$pid")
  out=$(pgbench -n -p 6433 -c 8 -j 2 "$@" 2>&1) || true
  read -r u1 s1 < <(ticks "$pid")
  tx=$(grep -oP 'actually processed: \K[0-9]+' <<<"$out" || echo 0)
  tps=$(grep -oP '^tps = \K[0-9.]+' <<<"$out" || echo 0)
  awk -v n="$name" -v tps="$tps" -v tx="$tx" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$HZ" 'BEGIN {
    if (tx == 0) { printf "  %-14s no transactions\n", n; exit }
    printf "  %-14s tps=%7.0f  router us/txn: user=%6.1f sys=%6.1f total=%6.1f\n", n, tps, u*1e6/hz/tx, s*1e6/hz/tx, (u+s)*1e6/hz/tx }'
}

for round in $(seq "$ROUNDS"); do
  for variant in "$@"; do
    IFS='|' read -r label options jar <<<"$variant"
    jar=${jar:-$DEFAULT_JAR}
    stop_routers
    # shellcheck disable=SC2046,SC2086
    setsid nohup env $(service_env replica-router-svc) java $options -jar "$jar" >"$LOGS/replica-router-ab.log" 2>&1 &
    pid=$!
    for _ in $(seq 90); do psql -p 6433 -XAtqc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
    pgbench -n -p 6433 -c 8 -j 2 -T "$WARM_TPCB" >/dev/null 2>&1 || true
    pgbench -n -S -p 6433 -c 8 -j 2 -T "$WARM_SELECT" >/dev/null 2>&1 || true
    echo "round $round: $label ($options${jar:+, $jar})"
    measure "$pid" tpcb-like -T 20
    measure "$pid" tpcb-at-1200 -T 20 -R 1200
    measure "$pid" select-only -S -T 15
    measure "$pid" select-at-10k -S -T 15 -R 10000
  done
done
