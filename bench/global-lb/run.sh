#!/usr/bin/env bash
# global-lb-svc beside PowerDNS 4.7 (Debian pdns-server, bind backend, LUA records with
# ifportup, enable-lua-records=shared, ECS processing on), in one run, alternating, with dnsperf:
# queries/s for a static record and for a health-checked record queried with EDNS Client
# Subnet; then failover time (endpoint death to the first answer without it) for both.
#
#   bench/global-lb/run.sh [rounds=3] [seconds=10]
#
# PowerDNS cannot do geoproximity from the DB-IP file (it wants GeoIP2's layout), so its
# health-checked record picks among the up addresses at random ('ifportup' with selector
# random): the per-query Lua evaluation and ECS handling are what is measured against
# Meridian's precomputed geoproximity answer.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${1:-3}
DURATION=${2:-10}
STATE=$ROOT/.meridian/bench/global-lb
PDNS_PORT=18053
GLB_DNS=18054
GLB_HTTP=18105
ENDPOINT_PORT=18379
mkdir -p "$STATE"
rm -rf "${STATE:?}"/*

"$ROOT/meridian" up >/dev/null
for tool in dnsperf pdns_server; do
  command -v $tool >/dev/null || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dnsperf pdns-server pdns-backend-bind >/dev/null
    rm -f /usr/sbin/policy-rc.d; }
done

cleanup() {
  [[ -n ${PDNS:-} ]] && kill "$PDNS" 2>/dev/null || true
  [[ -n ${GLB:-} ]] && kill "$GLB" 2>/dev/null || true
  redis-cli -p $ENDPOINT_PORT shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The health-checked endpoint both servers watch: a throw-away redis-server, killed for the failover test.
start_endpoint() { redis-server --port $ENDPOINT_PORT --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null; }
start_endpoint

# --- PowerDNS ---
cat >"$STATE/glb.bench.zone" <<ZONE
\$ORIGIN glb.bench.
@       30 IN SOA ns1 hostmaster 1 3600 600 604800 30
@       30 IN NS  ns1
ns1     30 IN A   127.0.0.1
static  30 IN A   10.0.0.1
geo     30 IN LUA A "ifportup($ENDPOINT_PORT, {'10.0.0.1', '10.0.0.2'}, {selector='random', backupSelector='random'})"
ZONE
cat >"$STATE/named.conf" <<NAMED
zone "glb.bench" { type master; file "$STATE/glb.bench.zone"; };
NAMED
cat >"$STATE/pdns.conf" <<CONF
launch=bind
bind-config=$STATE/named.conf
local-address=127.0.0.1
local-port=$PDNS_PORT
socket-dir=$STATE
enable-lua-records=shared
edns-subnet-processing=yes
receiver-threads=2
reuseport=yes
distributor-threads=2
lua-health-checks-interval=1
daemon=no
guardian=no
write-pid=no
loglevel=3
CONF
pdns_server --config-dir="$STATE" >"$STATE/pdns.log" 2>&1 &
PDNS=$!

# --- global-lb-svc ---
cat >"$STATE/regions.yaml" <<YAML
zone: glb.bench.
ttl: 30
primary_region: a
health: {interval: 1s, timeout: 500ms, rise: 2, fall: 2}
regions:
  - {name: a, ipv4: [10.0.0.1], latitude: 35.68, longitude: 139.69, priority: 1, checks: [{tcp: "127.0.0.1:$ENDPOINT_PORT"}]}
  - {name: b, ipv4: [10.0.0.2], latitude: 51.51, longitude: -0.13, priority: 2}
names:
  - {name: static.glb.bench., policy: failover}
  - {name: geo.glb.bench., policy: geoproximity}
YAML
QUARKUS_HTTP_PORT=$GLB_HTTP GLB_CONFIG=$STATE/regions.yaml GLB_DNS_PORT=$GLB_DNS GLB_INSTANCE=bench \
  REDIS_URL=redis://127.0.0.1:16379 java -Xmx512m -jar "$ROOT/global-lb-svc/target/quarkus-app/quarkus-run.jar" \
  >"$STATE/global-lb-svc.log" 2>&1 &
GLB=$!

for _ in $(seq 1 100); do
  dig @127.0.0.1 -p $GLB_DNS static.glb.bench +short +time=1 +tries=1 2>/dev/null | grep -q 10.0.0.1 \
    && dig @127.0.0.1 -p $PDNS_PORT static.glb.bench +short +time=1 +tries=1 2>/dev/null | grep -q 10.0.0.1 && break
  sleep 0.3
done

echo "static.glb.bench A" >"$STATE/static.txt"
echo "geo.glb.bench A" >"$STATE/geo.txt"
# ECS for 203.0.113.0/24 (Tokyo in the embedded table): family 1, source 24, scope 0, 3 address bytes.
ECS="8:00011800cb0071"
qps() { awk '/Queries per second/ {print $4}'; }
lat() { awk '/Average Latency/ {print $4 * 1000}'; }
run() { # port file [ecs]
  dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l "$DURATION" -c 8 -T 2 -q 200 ${3:+-E "$3"} 2>/dev/null
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# warm-up (the JVM's JIT, PowerDNS's caches)
run $GLB_DNS "$STATE/geo.txt" $ECS >/dev/null
run $PDNS_PORT "$STATE/geo.txt" $ECS >/dev/null

declare -a m_static m_geo p_static p_geo m_lat p_lat
for round in $(seq 1 "$ROUNDS"); do
  out=$(run $GLB_DNS "$STATE/static.txt"); m_static+=("$(qps <<<"$out")")
  out=$(run $PDNS_PORT "$STATE/static.txt"); p_static+=("$(qps <<<"$out")")
  out=$(run $GLB_DNS "$STATE/geo.txt" $ECS); m_geo+=("$(qps <<<"$out")"); m_lat+=("$(lat <<<"$out")")
  out=$(run $PDNS_PORT "$STATE/geo.txt" $ECS); p_geo+=("$(qps <<<"$out")"); p_lat+=("$(lat <<<"$out")")
  echo "round $round: meridian static ${m_static[-1]} geo+ECS ${m_geo[-1]} q/s | powerdns static ${p_static[-1]} geo+ECS ${p_geo[-1]} q/s"
done

# Failover: kill the endpoint, then ask every 20 ms until the answer no longer holds its address.
failover_ms() { # port
  local start now
  start=$(date +%s%N)
  while dig @127.0.0.1 -p "$1" geo.glb.bench +short +time=1 +tries=1 +subnet=203.0.113.0/24 2>/dev/null | grep -qx 10.0.0.1; do
    now=$(date +%s%N)
    (( (now - start) / 1000000 > 60000 )) && { echo "timeout"; return; }
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
redis-cli -p $ENDPOINT_PORT shutdown nosave >/dev/null 2>&1 || true
f_meridian=$(failover_ms $GLB_DNS)
# PowerDNS's random selector answers either address while both are up; once 10.0.0.1 is down it
# must answer only 10.0.0.2. Measured from the same kill, after Meridian's number.
f_pdns_start=$(date +%s%N)
pdns_seen=0
while (( ($(date +%s%N) - f_pdns_start) / 1000000 < 60000 )); do
  answers=$(for _ in 1 2 3 4 5 6; do dig @127.0.0.1 -p $PDNS_PORT geo.glb.bench +short +time=1 +tries=1 2>/dev/null; done | sort -u)
  [[ $answers == 10.0.0.2 ]] && { pdns_seen=1; break; }
  sleep 0.02
done
f_pdns=$(( $(date +%s%N) / 1000000 - f_pdns_start / 1000000 + f_meridian ))

echo
echo "medians over $ROUNDS rounds, dnsperf 8 clients × 2 threads, $DURATION s each:"
echo "  global-lb-svc static:      $(printf '%s\n' "${m_static[@]}" | median) q/s"
echo "  PowerDNS static:           $(printf '%s\n' "${p_static[@]}" | median) q/s"
echo "  global-lb-svc geo + ECS:   $(printf '%s\n' "${m_geo[@]}" | median) q/s  (avg latency $(printf '%s\n' "${m_lat[@]}" | median) ms)"
echo "  PowerDNS Lua ifportup+ECS: $(printf '%s\n' "${p_geo[@]}" | median) q/s  (avg latency $(printf '%s\n' "${p_lat[@]}" | median) ms)"
echo "  failover (interval 1 s × fall 2): global-lb-svc ${f_meridian} ms; PowerDNS ifportup (health interval 1 s) ≈ ${f_pdns} ms$([[ $pdns_seen == 1 ]] || echo ' (not observed within 60 s)')"
