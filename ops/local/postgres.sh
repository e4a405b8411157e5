# PostgreSQL 15: a primary and two streaming replicas (pg_basebackup + physical replication slots)
# in Meridian's own state folder, never the system's default cluster.

PG_REPLICAS=(replica1 replica2)
declare -A PG_PORTS=([primary]=$PORT_PG_PRIMARY [replica1]=$PORT_PG_REPLICA1 [replica2]=$PORT_PG_REPLICA2)

# PostgreSQL refuses to run as root: as root we run it as the postgres user, which must be able to
# reach its data directories. If the state folder is under a directory it cannot enter, the
# clusters live under /var/tmp instead (one folder per checkout).
pg_init_identity() {
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (it comes with the postgresql-15 package)"
    PG_AS=(runuser -u postgres --)
    PGDIR=$STATE/pg
    mkdir -p "$STATE"
    if ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
      PGDIR=/var/tmp/meridian-pg-$(printf %s "$MERIDIAN_ROOT" | md5sum | cut -c1-10)
    fi
  else
    PG_AS=()
    PGDIR=$STATE/pg
  fi
  PGSOCK=$PGDIR/sock
}

pg_as() { "${PG_AS[@]}" "$@"; }

pg_mkdir() {
  mkdir -p "$1"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$1"
  chmod 700 "$1"
}

# pg_sql PORT SQL: runs SQL as the superuser over the Unix socket; prints unaligned tuples.
pg_sql() {
  pg_as "$PG_BIN/psql" -h "$PGSOCK" -p "$1" -U postgres -d postgres -X -Atq -v ON_ERROR_STOP=1 -c "$2"
}

pg_running() { pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/$1" status >/dev/null 2>&1; }

pg_start_node() {
  local node=$1
  pg_running "$node" && return 0
  pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/$node" -l "$PGDIR/log/$node.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL $node did not start; see $PGDIR/log/$node.log"
}

pg_init_primary() {
  local data=$PGDIR/primary
  [[ -f $data/PG_VERSION ]] && return 0
  say "creating PostgreSQL $PG_VERSION primary in $data"
  pg_mkdir "$data"
  local pwfile
  pwfile=$(mktemp)
  echo postgres >"$pwfile"
  [[ $(id -u) -eq 0 ]] && chown postgres "$pwfile"
  pg_as "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$PGDIR/log/initdb.log" 2>&1 || { rm -f "$pwfile"; die "initdb failed; see $PGDIR/log/initdb.log"; }
  rm -f "$pwfile"
  pg_as tee -a "$data/postgresql.conf" >/dev/null <<CONF

# --- Meridian local environment ---
listen_addresses = '127.0.0.1'
port = $PORT_PG_PRIMARY
unix_socket_directories = '$PGSOCK'
password_encryption = 'scram-sha-256'
max_connections = 200
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
track_commit_timestamp = on
CONF
  pg_as tee "$data/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE     USER        ADDRESS        METHOD
local   all          all                        trust
host    replication  replicator  127.0.0.1/32   scram-sha-256
host    all          all         127.0.0.1/32   scram-sha-256
host    all          all         ::1/128        scram-sha-256
HBA
  pg_start_node primary
  pg_sql "$PORT_PG_PRIMARY" "CREATE ROLE meridian LOGIN PASSWORD 'meridian'"
  pg_sql "$PORT_PG_PRIMARY" "GRANT pg_monitor TO meridian"
  pg_sql "$PORT_PG_PRIMARY" "CREATE DATABASE meridian OWNER meridian"
  pg_sql "$PORT_PG_PRIMARY" "CREATE ROLE replicator REPLICATION LOGIN PASSWORD 'replicator'"
}

pg_init_replica() {
  local node=$1 port=${PG_PORTS[$1]} data=$PGDIR/$1
  [[ -f $data/PG_VERSION ]] && return 0
  say "creating streaming replica $node (port $port) with pg_basebackup"
  if [[ -z $(pg_sql "$PORT_PG_PRIMARY" "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$node'") ]]; then
    pg_sql "$PORT_PG_PRIMARY" "SELECT pg_create_physical_replication_slot('$node')" >/dev/null
  fi
  pg_mkdir "$data"
  pg_as env PGPASSWORD=replicator "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PORT_PG_PRIMARY" -U replicator \
    -D "$data" -X stream -c fast -S "$node" -R >"$PGDIR/log/$node-basebackup.log" 2>&1 \
    || die "pg_basebackup for $node failed; see $PGDIR/log/$node-basebackup.log"
  # postgresql.auto.conf is read last, so these lines win over the primary's copied settings.
  pg_as tee -a "$data/postgresql.auto.conf" >/dev/null <<CONF
port = $port
primary_conninfo = 'host=127.0.0.1 port=$PORT_PG_PRIMARY user=replicator password=replicator application_name=$node'
primary_slot_name = '$node'
CONF
}

pg_streaming_count() {
  pg_sql "$PORT_PG_PRIMARY" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
}

pg_all_streaming() { [[ $(pg_streaming_count 2>/dev/null) == "${#PG_REPLICAS[@]}" ]]; }

pg_up() {
  pg_init_identity
  pg_mkdir "$PGDIR"
  pg_mkdir "$PGSOCK"
  pg_mkdir "$PGDIR/log"
  pg_init_primary
  pg_start_node primary
  local node
  for node in "${PG_REPLICAS[@]}"; do
    pg_init_replica "$node"
    pg_start_node "$node"
  done
  wait_for "replicas streaming" 60 pg_all_streaming \
    || die "replicas are not streaming from the primary; see $PGDIR/log/"
}

pg_down() {
  pg_init_identity
  local node
  # Replicas first, so the primary is not left waiting on their walsenders.
  for node in "${PG_REPLICAS[@]}" primary; do
    if [[ -f $PGDIR/$node/postmaster.pid ]]; then
      pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/$node" -m fast -w -t 60 stop >/dev/null 2>&1 \
        || warn "PostgreSQL $node did not stop cleanly"
    fi
  done
}

pg_pid() { [[ -f $PGDIR/$1/postmaster.pid ]] && head -n1 "$PGDIR/$1/postmaster.pid" || true; }

# pg_lag_report: one line per replica as the primary sees it.
pg_lag_report() {
  pg_sql "$PORT_PG_PRIMARY" "SELECT application_name || ' ' || state || ' lag_bytes=' ||
      COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint::text, '?') ||
      ' replay_lag=' || COALESCE(replay_lag::text, '0')
    FROM pg_stat_replication ORDER BY application_name" 2>/dev/null
}
