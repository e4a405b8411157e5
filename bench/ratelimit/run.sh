#!/usr/bin/env bash
# ratelimit-svc beside its floor, in one run, alternating: redis-benchmark's rate for EVALSHA of
# the very script ratelimit-svc runs (same key shape, same concurrency) and for INCR, then
# ratelimit-svc's decisions/s through Envoy's RLS v3 stub (Java gRPC load generator) and through
# h2load replaying one ShouldRateLimit frame (a C client, so the generator takes less of the two
# cores). Then latency at fixed rates. Prints medians and the ratio decisions/s ÷ EVALSHA/s.
# Needs: ./meridian up's Redis; installs nghttp2-client (h2load) if missing.
#
#   bench/ratelimit/run.sh [rounds=3] [concurrency=64] [seconds=10]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${1:-3}
CONCURRENCY=${2:-64}
SECONDS_PER_RUN=${3:-10}
PORT=18102
REDIS_PORT=16379
STATE=$ROOT/.meridian/bench
mkdir -p "$STATE"

"$ROOT/meridian" up >/dev/null
command -v h2load >/dev/null || { if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq nghttp2-client >/dev/null; else sudo apt-get install -y -qq nghttp2-client >/dev/null; fi; }
(cd "$ROOT" && mvn -B -q -DskipTests package -pl bench -am >/dev/null)

# A ratelimit-svc of its own, on the benchmark's config.
QUARKUS_HTTP_PORT=$PORT RATELIMIT_CONFIG_DIR=$ROOT/bench/ratelimit/config \
  RATELIMIT_REDIS_URL=redis://127.0.0.1:$REDIS_PORT REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
  java -Xmx512m -jar "$ROOT/ratelimit-svc/target/quarkus-app/quarkus-run.jar" >"$STATE/ratelimit-svc.log" 2>&1 &
SVC=$!
trap 'kill $SVC 2>/dev/null || true; wait $SVC 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" && break
  sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" || { echo "ratelimit-svc did not start; see $STATE/ratelimit-svc.log" >&2; exit 1; }

SCRIPT=$ROOT/ratelimit-svc/src/main/resources/dev/meridian/ratelimit/store/ratelimit.lua
SHA=$(redis-cli -p $REDIS_PORT SCRIPT LOAD "$(cat "$SCRIPT")")
REQUESTS=$((CONCURRENCY * 4000))
# Every Java generator run is a new JVM: it warms up 10 s before measuring, or its own JIT compiler
# (a third of its CPU in the first seconds) competes with the service for the two cores.
WARMUP=10
# The Java generator spreads its calls over 8 HTTP/2 connections, as h2load does (8 x 8 streams at
# 64): over 2 connections the calls move in lock-step waves (all of a connection's answers leave
# together, then its next calls) and the three processes on two cores wait on each other. The
# 2-connection figure is printed as well.
CHANNELS=8
LOAD=(java -cp "$ROOT/bench/target/meridian-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" dev.meridian.bench.ratelimit.RlsLoad)

rps() { awk -F'","' 'NR==2 {print $2}' | tr -d '"'; }
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; } # name line: a figure from RlsLoad's output
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

BODY=$STATE/should-rate-limit.bin
"${LOAD[@]}" --write-body "$BODY" --domain bench --user u1
H2LOAD=(h2load -c 8 -m $((CONCURRENCY / 8)) -d "$BODY" -H 'content-type: application/grpc' -H 'te: trailers')
h2rps() { awk '/^finished in/ {gsub(",", "", $4); print $4}'; }

# JIT warm-up of the service (2 cores: the first minute of a JVM is mostly its compiler).
"${LOAD[@]}" --target 127.0.0.1:$PORT --mode closed --concurrency "$CONCURRENCY" --seconds 20 --warmup 0 --domain bench >/dev/null

# Decisions made while the Redis breaker is open come from the local fallback and would flatter the
# figures: wait for it to be closed before each measurement and report any opening during one.
breaker_closed() { curl -fs "http://127.0.0.1:$PORT/health/circuit-breakers" | grep -q '"name":"ratelimit-redis","state":"CLOSED"'; }
openings() { grep -c 'breaker=ratelimit-redis state=OPEN' "$STATE/ratelimit-svc.log" || true; }
opened_before=0
wait_breaker_closed() { # then counts openings from here
  local closed=0
  for _ in $(seq 1 90); do breaker_closed && { closed=1; break; }; sleep 0.5; done
  (( closed )) || echo "the ratelimit-redis breaker stayed open; see $STATE/ratelimit-svc.log" >&2
  opened_before=$(openings)
}
note_openings() { # phase
  local now
  now=$(openings)
  (( now > opened_before )) && echo "  !! the Redis breaker opened during $1: some of its decisions were local (fallback)"
  opened_before=$now
}
wait_breaker_closed

evalsha=() incr=() decisions=() p50=() p99=() h2=() two=()
for round in $(seq 1 "$ROUNDS"); do
  evalsha+=("$(redis-benchmark -p $REDIS_PORT -c "$CONCURRENCY" -n "$REQUESTS" -r 10000 --csv \
    EVALSHA "$SHA" 1 "ratelimit:{bench|user=u__rand_int__}:f60000:0" f 1000000000 60000 1 0 | rps)")
  incr+=("$(redis-benchmark -p $REDIS_PORT -c "$CONCURRENCY" -n "$REQUESTS" -r 10000 --csv \
    INCR "bench:incr:__rand_int__" | rps)")
  wait_breaker_closed
  line=$("${LOAD[@]}" --target 127.0.0.1:$PORT --mode closed --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN" \
    --warmup $WARMUP --channels $CHANNELS --domain bench)
  line2=$("${LOAD[@]}" --target 127.0.0.1:$PORT --mode closed --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN" \
    --warmup $WARMUP --channels 2 --domain bench)
  two+=("$(field decisions_per_s "$line2")")
  h2+=("$("${H2LOAD[@]}" -n $((CONCURRENCY * 2000)) \
    "http://127.0.0.1:$PORT/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit" | h2rps)")
  echo "round $round: EVALSHA ${evalsha[-1]}/s, INCR ${incr[-1]}/s, h2load ${h2[-1]}/s, java ($CHANNELS connections) $line, java (2 connections) ${two[-1]}/s"
  note_openings "round $round"
  decisions+=("$(field decisions_per_s "$line")")
  p50+=("$(field p50_ms "$line")")
  p99+=("$(field p99_ms "$line")")
done
# Latency at fixed rates, $ROUNDS runs each (alternating), each latency counted from its intended
# send time; the median run's p99 is reported. Over 2 connections, as an Envoy with two workers
# calls: at 10,000/s, 8 connections carry too few calls each to share writes, which costs the
# service more CPU per decision and lengthened the tail (p99 4.1-6.8 ms against 3.2-3.4 ms).
f5_p99=() f10_p99=()
for round in $(seq 1 "$ROUNDS"); do
  for rate in 5000 10000; do
    wait_breaker_closed
    fixed=$("${LOAD[@]}" --target 127.0.0.1:$PORT --mode rate --rate $rate --seconds "$SECONDS_PER_RUN" --warmup $WARMUP \
      --channels 2 --domain bench)
    note_openings "the fixed $rate/s run of round $round"
    echo "fixed rate, round $round: $fixed"
    if [[ $rate == 5000 ]]; then f5_p99+=("$(field p99_ms "$fixed")"); else f10_p99+=("$(field p99_ms "$fixed")"); fi
  done
done
fixed_summary() { # p99 values...
  printf 'p99 median %s ms (runs: %s)' "$(printf '%s\n' "$@" | median)" "$(printf '%s ' "$@" | sed 's/ $//')"
}

m_eval=$(printf '%s\n' "${evalsha[@]}" | median)
m_incr=$(printf '%s\n' "${incr[@]}" | median)
m_dec=$(printf '%s\n' "${decisions[@]}" | median)
m_p50=$(printf '%s\n' "${p50[@]}" | median)
m_p99=$(printf '%s\n' "${p99[@]}" | median)
m_h2=$(printf '%s\n' "${h2[@]}" | median)
m_two=$(printf '%s\n' "${two[@]}" | median)
ratio=$(awk -v d="$m_dec" -v e="$m_eval" 'BEGIN {printf "%.2f", d / e}')
ratio_two=$(awk -v d="$m_two" -v e="$m_eval" 'BEGIN {printf "%.2f", d / e}')
ratio_h2=$(awk -v d="$m_h2" -v e="$m_eval" 'BEGIN {printf "%.2f", d / e}')
echo
echo "medians over $ROUNDS rounds at concurrency $CONCURRENCY:"
echo "  redis-benchmark EVALSHA (same script): $m_eval/s"
echo "  redis-benchmark INCR:                  $m_incr/s"
echo "  ratelimit-svc decisions (RLS v3 gRPC): $m_dec/s  p50 ${m_p50} ms  p99 ${m_p99} ms  ($CHANNELS connections)"
echo "                                         $m_two/s  (2 connections)"
echo "  ratelimit-svc decisions (h2load):      $m_h2/s"
echo "  ratio decisions ÷ EVALSHA:             $ratio (Java generator), $ratio_two (Java, 2 connections), $ratio_h2 (h2load)  (target ≥ 0.50)"
echo "  at a fixed 5,000 decisions/s:          $(fixed_summary "${f5_p99[@]}")"
echo "  at a fixed 10,000 decisions/s:         $(fixed_summary "${f10_p99[@]}")  (target p99 < 5 ms)"
