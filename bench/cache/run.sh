#!/usr/bin/env bash
# cache-svc beside nginx (proxy_cache) and Varnish (Debian packages), all three in front of the
# same demo origin, in one run, alternating: wrk on a 1 KiB cacheable response (all hits), then a
# mix where 20 % of requests are misses (unique URLs). Prints requests/s, p99 and the ratios.
#
#   bench/cache/run.sh [seconds=20] [rounds=3] [connections=64]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${1:-20}
ROUNDS=${2:-3}
CONNECTIONS=${3:-64}
NGINX_PORT=18088
VARNISH_PORT=18089
MERIDIAN_PORT=8080
ORIGIN=127.0.0.1:8100
STATE=/var/tmp/meridian-bench-cache
HOT="/api/v1/static/bench.css?size=1024"

"$ROOT/meridian" up >/dev/null
for tool in wrk varnishd; do
  command -v $tool >/dev/null || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk varnish >/dev/null
    rm -f /usr/sbin/policy-rc.d; }
done
rm -rf "$STATE" && mkdir -p "$STATE/nginx/cache" "$STATE/nginx/logs" "$STATE/varnish"

cat >"$STATE/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $STATE/nginx/nginx.pid;
error_log $STATE/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  proxy_cache_path $STATE/nginx/cache levels=1:2 keys_zone=edge:64m max_size=1g inactive=10m use_temp_path=off;
  upstream origin { server $ORIGIN; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache edge;
      proxy_cache_key \$scheme\$host\$request_uri;
      proxy_cache_lock on;
      add_header X-Cache \$upstream_cache_status;
    }
  }
}
CONF
cat >"$STATE/varnish/default.vcl" <<VCL
vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "8100"; }
VCL

cleanup() {
  [[ -f $STATE/nginx/nginx.pid ]] && kill "$(cat "$STATE/nginx/nginx.pid")" 2>/dev/null || true
  pkill -f "varnishd.*$STATE/varnish" 2>/dev/null || true
  sleep 1
}
trap cleanup EXIT
nginx -c "$STATE/nginx/nginx.conf"
varnishd -a 127.0.0.1:$VARNISH_PORT -f "$STATE/varnish/default.vcl" -s malloc,256m -n "$STATE/varnish/work" \
  -p thread_pools=2 >/dev/null
for port in $NGINX_PORT $VARNISH_PORT $MERIDIAN_PORT; do
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port$HOT" && break; sleep 0.5; done
  curl -fs -o /dev/null "http://127.0.0.1:$port$HOT" || { echo "nothing answers on $port" >&2; exit 1; }
done

# 20 % misses: every fifth request asks for a URL nobody asked for before.
cat >"$STATE/mix.lua" <<'LUA'
local counter = 0
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) prefix = "/api/v1/static/miss-" .. id .. "-" .. math.random(1, 1e9) .. "-" end
function request()
  counter = counter + 1
  if counter % 5 == 0 then
    return wrk.format("GET", prefix .. counter .. ".css?size=1024")
  end
  return wrk.format("GET", "/api/v1/static/bench.css?size=1024")
end
LUA

declare -A RPS P99
targets=(meridian:$MERIDIAN_PORT nginx:$NGINX_PORT varnish:$VARNISH_PORT)
run() {
  local target=$1 port=$2 workload=$3 out rps p99
  if [[ $workload == hits ]]; then
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$HOT" 2>&1)
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$STATE/mix.lua" "http://127.0.0.1:$port" 2>&1)
  fi
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q 'Non-2xx' <<<"$out"; then echo "  ($target: $(grep 'Non-2xx' <<<"$out"))"; fi
  RPS[$target/$workload]="${RPS[$target/$workload]:-} $rps"
  P99[$target/$workload]="${P99[$target/$workload]:-} $p99"
  printf '  %-8s %-5s %10s req/s  p99 %s\n' "$target" "$workload" "$rps" "$p99"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print 0; else print a[int((NR+1)/2)]}'; }

echo "warming each target (5 s of hits, not counted)…"
for entry in "${targets[@]}"; do
  IFS=: read -r target port <<<"$entry"
  wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$port$HOT" >/dev/null 2>&1
done
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS (${DURATION}s each, $CONNECTIONS connections, 2 wrk threads)"
  for workload in hits mix; do
    for entry in "${targets[@]}"; do
      IFS=: read -r target port <<<"$entry"
      run "$target" "$port" "$workload"
    done
  done
done
echo
echo "medians: req/s (p99 of the median round's…), ratio meridian ÷ other"
for workload in hits mix; do
  m=$(median <<<"${RPS[meridian/$workload]}")
  for entry in "${targets[@]}"; do
    IFS=: read -r target _ <<<"$entry"
    r=$(median <<<"${RPS[$target/$workload]}")
    printf '%-5s %-8s %10s req/s  p99s:%s  meridian÷this=%s\n' "$workload" "$target" "$r" "${P99[$target/$workload]}" \
      "$(awk -v a="$m" -v b="$r" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
  done
done
