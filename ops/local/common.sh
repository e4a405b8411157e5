# Shared helpers for ./meridian: paths, ports, logging, waiting. Sourced, never run.

MERIDIAN_ROOT=${MERIDIAN_ROOT:?}
STATE=${MERIDIAN_STATE:-$MERIDIAN_ROOT/.meridian}
LOGS=$STATE/logs
PIDS=$STATE/pids

# Fixed local ports (DESIGN.md, "Local environment").
PORT_ORIGIN=8100
PORT_PG_PRIMARY=15432
PORT_PG_REPLICA1=15433
PORT_PG_REPLICA2=15434
PORT_REDIS=16379
REDIS_CLUSTER_PORTS=(17001 17002 17003)
PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[33mwarn:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or time runs out.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
}

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

read_pid() { [[ -f $1 ]] && head -n1 "$1" 2>/dev/null || true; }

# stop_pid NAME PIDFILE: TERM, wait up to 10 s, then KILL; removes the pid file.
stop_pid() {
  local name=$1 pidfile=$2 pid
  pid=$(read_pid "$pidfile")
  if pid_alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if pid_alive "$pid"; then
      warn "$name did not stop in 10 s, killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
