#!/usr/bin/env bash
# replica-router-svc beside PgBouncer (transaction pooling, Debian package) and pgpool-II
# (Debian package, streaming-replication mode, statement-level load balancing on), and the
# primary directly, in one run, alternating: pgbench select-only and tpcb-like, 8 clients, in
# the simple and the prepared protocol; TPS, p50 and p99 latency, the ratio to PgBouncer, the
# pooler's own CPU time per transaction (all processes of its session, user + system), and the
# primary's share of reads through the router.
#
#   bench/replica-router/run.sh [seconds=30] [rounds=1] [clients=8]
#
# Every pooler gets the same limits: 20 server connections per backend. pgpool-II's replica
# weights are 1 and its primary's 0, as the router's (primary read weight 0).
#
# One more target for select-only in the simple protocol, "pgb-replicas": PgBouncer with one pool
# per replica and the clients split evenly between the two (two pgbench processes), as an
# application that spreads its reads itself would use it. It reads from the same two servers as
# the router, which the PgBouncer target (on the primary alone) does not: on a machine where the
# databases share the cores with everything else, two servers cost more per query than one.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${1:-30}
ROUNDS=${2:-1}
CLIENTS=${3:-8}
PGBOUNCER_PORT=16432
PGPOOL_PORT=16436
ROUTER_PORT=6433
# Files the postgres user must read: outside a checkout it may not be able to enter.
STATE=/var/tmp/meridian-bench-router
export PGPASSWORD=meridian PGUSER=meridian PGDATABASE=meridian PGHOST=127.0.0.1

"$ROOT/meridian" up >/dev/null
for tool in pgbouncer pgpool; do
  command -v $tool >/dev/null || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer pgpool2 >/dev/null
    rm -f /usr/sbin/policy-rc.d; }
done
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

rm -rf "$STATE" && mkdir -p "$STATE/pgpool" "$STATE/logs"
cat >"$STATE/userlist.txt" <<'USERS'
"meridian" "meridian"
USERS
cat >"$STATE/pgbouncer.ini" <<INI
[databases]
meridian = host=127.0.0.1 port=15432 dbname=meridian
replica1 = host=127.0.0.1 port=15433 dbname=meridian
replica2 = host=127.0.0.1 port=15434 dbname=meridian
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $STATE/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
logfile = $STATE/logs/pgbouncer.log
pidfile = $STATE/pgbouncer.pid
INI
cat >"$STATE/pgpool/pgpool.conf" <<CONF
backend_clustering_mode = 'streaming_replication'
listen_addresses = '127.0.0.1'
port = $PGPOOL_PORT
socket_dir = '$STATE/pgpool'
pcp_listen_addresses = ''
pcp_port = 16437
pcp_socket_dir = '$STATE/pgpool'
wd_ipc_socket_dir = '$STATE/pgpool'
pid_file_name = '$STATE/pgpool/pgpool.pid'
logdir = '$STATE/pgpool'
log_destination = 'stderr'
backend_hostname0 = '127.0.0.1'
backend_port0 = 15432
backend_weight0 = 0
backend_flag0 = 'ALWAYS_PRIMARY|DISALLOW_TO_FAILOVER'
backend_hostname1 = '127.0.0.1'
backend_port1 = 15433
backend_weight1 = 1
backend_flag1 = 'DISALLOW_TO_FAILOVER'
backend_hostname2 = '127.0.0.1'
backend_port2 = 15434
backend_weight2 = 1
backend_flag2 = 'DISALLOW_TO_FAILOVER'
num_init_children = 32
max_pool = 1
load_balance_mode = on
statement_level_load_balance = on
sr_check_period = 1
sr_check_user = 'meridian'
sr_check_password = 'meridian'
health_check_period = 0
failover_on_backend_error = off
enable_pool_hba = off
pool_passwd = 'pool_passwd'
allow_clear_text_frontend_auth = off
CONF
echo "meridian:TEXTmeridian" >"$STATE/pgpool/pool_passwd"
chown -R postgres "$STATE" 2>/dev/null || true
chmod -R go-rwx "$STATE"

cleanup() {
  [[ -f $STATE/pgbouncer.pid ]] && kill "$(cat "$STATE/pgbouncer.pid")" 2>/dev/null || true
  [[ -f $STATE/pgpool/pgpool.pid ]] && kill "$(tr -d '\0' <"$STATE/pgpool/pgpool.pid")" 2>/dev/null || true
  sleep 1
}
trap cleanup EXIT
as_postgres pgbouncer -d "$STATE/pgbouncer.ini"
# pgpool-II in a session of its own, as PgBouncer (-d) and the router (./meridian up) are.
as_postgres setsid bash -c "pgpool -n -f '$STATE/pgpool/pgpool.conf' -F /dev/null -a /dev/null >'$STATE/logs/pgpool.log' 2>&1 &"
for port in $PGBOUNCER_PORT $PGPOOL_PORT $ROUTER_PORT; do
  for _ in $(seq 60); do psql -XAtqc 'select 1' -p "$port" >/dev/null 2>&1 && break; sleep 1; done
  psql -XAtqc 'select 1' -p "$port" >/dev/null || { echo "nothing answers on port $port; logs in $STATE/logs" >&2; exit 1; }
done

echo "pgbench tables (scale 10) on the primary…"
pgbench -i -q -s 10 -p 15432 >/dev/null 2>&1
sleep 2

# The pooler's CPU per transaction says what each costs, whatever share of the two cores the
# scheduler gave it: every process in its session (pgpool-II forks one per client; the router's
# JVM counts its compiler and GC threads), user + system ticks from /proc.
session_of() { ps -o sid= -p "$1" | tr -d ' '; }  # ps pads the column: "-s ' 8562'" is refused
declare -A SESSION_OF=(
  [pgbouncer]=$(session_of "$(cat "$STATE/pgbouncer.pid")")
  [pgpool]=$(session_of "$(tr -d '\0' <"$STATE/pgpool/pgpool.pid")")
  [router]=$(session_of "$(cat "$ROOT/.meridian/pids/replica-router-svc.pid")")
)
session_ticks() {
  local sid=$1 total=0 pid
  [[ -z $sid ]] && { echo 0; return; }
  for pid in $(ps -o pid= -s "$sid"); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
TICKS_PER_SECOND=$(getconf CLK_TCK)

declare -A TPS P50 P99 FAILED CPU
targets=(primary:15432 pgbouncer:$PGBOUNCER_PORT pgpool:$PGPOOL_PORT router:$ROUTER_PORT pgb-replicas:$PGBOUNCER_PORT)
SESSION_OF[pgb-replicas]=${SESSION_OF[pgbouncer]}
workloads=("select-only:-S:simple" "select-only:-S:prepared" "tpcb-like::simple" "tpcb-like::prepared")

# run TARGET PORT NAME FLAGS MODE: one pgbench run; fills TPS/P50/P99/FAILED[TARGET/NAME/MODE] (appends per round).
run() {
  local target=$1 port=$2 name=$3 flags=$4 mode=$5 key="$1/$3/$5" dir
  dir=$(mktemp -d "$STATE/logs/run.XXXX")
  local out sid=${SESSION_OF[$target]:-} ticks_before
  ticks_before=$(session_ticks "$sid")
  local tps failed processed cpu=-
  if [[ $target == pgb-replicas ]]; then
    # Half the clients on each replica's pool, at the same time. Their reports go to files the
    # latency logs' names (pgbench_log.*) cannot match.
    # shellcheck disable=SC2086
    out=$(cd "$dir" && { pgbench -n -p "$port" -c $(( CLIENTS / 2 )) -j 1 -T "$DURATION" -M "$mode" $flags \
        --log --sampling-rate=0.2 replica1 >report.1 2>&1 &
      pgbench -n -p "$port" -c $(( CLIENTS - CLIENTS / 2 )) -j 1 -T "$DURATION" -M "$mode" $flags \
        --log --sampling-rate=0.2 replica2 >report.2 2>&1; wait; cat report.1 report.2; }) || true
  else
    # shellcheck disable=SC2086
    out=$(cd "$dir" && pgbench -n -p "$port" -c "$CLIENTS" -j 2 -T "$DURATION" -M "$mode" $flags \
      --log --sampling-rate=0.2 2>&1) || true
  fi
  # One report or two: TPS and transaction counts add up.
  tps=$(grep -oP '^tps = \K[0-9.]+' <<<"$out" | awk '{s += $1} END {printf "%.6f", s}' || true)
  processed=$(grep -oP 'number of transactions actually processed: \K[0-9]+' <<<"$out" | awk '{s += $1} END {print s + 0}' || true)
  if [[ -n $sid && $processed -gt 0 ]]; then
    cpu=$(awk -v t=$(( $(session_ticks "$sid") - ticks_before )) -v n="$processed" -v hz="$TICKS_PER_SECOND" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  fi
  failed=$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" | awk '{s += $1} END {print NR ? s : "?"}' || true)
  if grep -qE 'aborted|error|ERROR' <<<"$out"; then failed="aborted"; fi
  read -r p50 p99 < <(cat "$dir"/pgbench_log.* 2>/dev/null | tr -d '\0' | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "- -"} else {printf "%.2f %.2f\n", a[int(NR*0.5)+1]/1000, a[int(NR*0.99)+1]/1000}}')
  TPS[$key]="${TPS[$key]:-} $tps"; P50[$key]="${P50[$key]:-} $p50"; P99[$key]="${P99[$key]:-} $p99"; FAILED[$key]=$failed
  CPU[$key]="${CPU[$key]:-} $cpu"
  printf '  %-12s %-11s %-8s tps=%-10s p50=%sms p99=%sms pooler-cpu=%sus/txn failed=%s\n' "$target" "$name" "$mode" "$tps" "$p50" "$p99" "$cpu" "$failed"
  rm -rf "$dir"
}

# The split-reads reference exists for reads only, PgBouncer 1.18 cannot run the prepared protocol,
# and splitting needs a client for each replica.
applies() { [[ $1 != pgb-replicas ]] || { [[ $2/$3 == select-only/simple ]] && (( CLIENTS >= 2 )); }; }

# The median of the numbers on stdin (blank-separated; "-" for none is skipped); 0 when there are none.
median() { tr ' ' '\n' | awk '$1 ~ /^[0-9.]+$/' | sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else print a[int((NR+1)/2)]}'; }

# A JIT-compiled proxy reaches its steady speed only after tens of seconds of load on two shared
# cores (the compiler threads compete with everything else); a service runs for days, so every
# target gets the same warm-up in both protocols and both workloads, uncounted.
WARMUP=${WARMUP:-15}
echo "warming up every target (${WARMUP} s per workload and protocol, not counted)…"
for entry in "${targets[@]}"; do
  IFS=: read -r target port <<<"$entry"
  if [[ $target == pgb-replicas ]]; then
    for db in replica1 replica2; do pgbench -n -S -p "$port" -c "$CLIENTS" -j 2 -T "$WARMUP" "$db" >/dev/null 2>&1 || true; done
    continue
  fi
  for flags in -S ""; do
    for mode in prepared simple; do
      # shellcheck disable=SC2086
      pgbench -n $flags -p "$port" -c "$CLIENTS" -j 2 -T "$WARMUP" -M $mode >/dev/null 2>&1 || true
    done
  done
done

reads_before=$(curl -fs http://127.0.0.1:8101/metrics/replica-routing)
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS (${DURATION}s each, $CLIENTS clients)"
  for workload in "${workloads[@]}"; do
    IFS=: read -r name flags mode <<<"$workload"
    # Each round starts with another target, so none always runs right after the same neighbour
    # (checkpoints, autovacuum and a growing pgbench_history land on every target in turn).
    for i in "${!targets[@]}"; do
      IFS=: read -r target port <<<"${targets[$(( (i + round - 1) % ${#targets[@]} ))]}"
      if applies "$target" "$name" "$mode"; then run "$target" "$port" "$name" "$flags" "$mode"; fi
    done
  done
done
reads_after=$(curl -fs http://127.0.0.1:8101/metrics/replica-routing)

echo
echo "medians over $ROUNDS round(s): TPS, p50/p99 ms, ratio to PgBouncer, pooler CPU µs per transaction"
printf '%-22s %-12s %10s %9s %9s %8s %9s %s\n' workload target tps p50 p99 ratio cpu/txn failed
for workload in "${workloads[@]}"; do
  IFS=: read -r name flags mode <<<"$workload"
  base=$(median <<<"${TPS[pgbouncer/$name/$mode]}")
  # A ratio to a run that aborted (PgBouncer 1.18 in the prepared protocol) would mean nothing.
  [[ ${FAILED[pgbouncer/$name/$mode]} == aborted ]] && base=0
  for entry in "${targets[@]}"; do
    IFS=: read -r target port <<<"$entry"
    applies "$target" "$name" "$mode" || continue
    key="$target/$name/$mode"
    tps=$(median <<<"${TPS[$key]}")
    ratio=$(awk -v a="$tps" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    cpu=-
    [[ $target != primary ]] && cpu=$(median <<<"${CPU[$key]}")
    printf '%-22s %-12s %10s %9s %9s %8s %9s %s\n' "$name/$mode" "$target" "$tps" "$(median <<<"${P50[$key]}")" \
      "$(median <<<"${P99[$key]}")" "$ratio" "$cpu" "${FAILED[$key]}"
  done
done
same=$(median <<<"${TPS[pgb-replicas/select-only/simple]:-}")
awk -v a="$(median <<<"${TPS[router/select-only/simple]:-}")" -v b="$same" 'BEGIN { if (b > 0)
  printf "select-only/simple on the same two replicas: router %.0f tps, PgBouncer with split clients %.0f tps, ratio %.2f\n", a, b, a / b }'
python3 - "$reads_before" "$reads_after" <<'PY'
import json, sys
before, after = (json.loads(x) for x in sys.argv[1:3])
def reads(d): return {b["name"]: b["readsRouted"] for b in d["backends"]}
b, a = reads(before), reads(after)
delta = {k: a[k] - b.get(k, 0) for k in a}
total = sum(delta.values())
print("router reads during the run: " + ", ".join(f"{k}={v}" for k, v in delta.items())
      + (f"; primary share {delta.get('primary', 0) / total:.1%}" if total else ""))
PY
