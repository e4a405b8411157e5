#!/usr/bin/env bash
# psql and pgbench through the router on port $1 (the test profile's router), as the local
# `meridian` role. Run by RouterThroughClientsTest; fails on the first client error.
set -euo pipefail
port=${1:?router port}
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=meridian PGPASSWORD=meridian PGDATABASE=meridian PGCONNECT_TIMEOUT=10

# psql: a read on a replica, a write on the primary, a multi-statement transaction, a server error.
# Where a statement ran, by the port of the server that answered (the router answers
# pg_is_in_recovery() from the writer wherever the client is: it presents itself as the primary).
read_port=$(psql -XAtqc 'select inet_server_port()')
[[ $read_port == 15433 || $read_port == 15434 ]] || { echo "psql read did not run on a replica ($read_port)"; exit 1; }
[[ $(psql -XAtqc 'create temp table t(x int); insert into t values (1); select inet_server_port() from t') == 15432 ]] \
  || { echo "psql write did not run on the primary"; exit 1; }
psql -Xq -v ON_ERROR_STOP=1 <<'SQL'
begin;
create table if not exists router_shell (id int primary key);
insert into router_shell values (1) on conflict do nothing;
commit;
SQL
if psql -XAtqc 'select * from no_such_table' 2>/tmp/router-shell-err.$$; then
  echo "an error was expected"; exit 1
fi
grep -q 'does not exist' /tmp/router-shell-err.$$ || { cat /tmp/router-shell-err.$$; exit 1; }
rm -f /tmp/router-shell-err.$$
echo "psql: ok"

# pgbench: its own tables through the router (COPY included), then each protocol mode.
pgbench -i -s 1 -q >/dev/null 2>&1 || { echo "pgbench -i failed"; pgbench -i -s 1 -q; exit 1; }
for mode in simple extended prepared; do
  out=$(pgbench -n -c 4 -j 2 -T 4 -M "$mode" 2>&1) || { echo "$out"; exit 1; }
  failed=$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" || echo 0)
  [[ $failed == 0 ]] || { echo "$out"; exit 1; }
  grep -q '^tps' <<<"$out" || { echo "$out"; exit 1; }
  echo "pgbench -M $mode: $failed failed"
  out=$(pgbench -n -S -c 4 -j 2 -T 2 -M "$mode" 2>&1) || { echo "$out"; exit 1; }
done

# node-postgres, when Node is on this machine (it is on every machine the project supports).
if command -v node >/dev/null && command -v npm >/dev/null; then
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  modules=${MERIDIAN_NODE_DIR:-$here/../../../target/node-clients}
  [[ -d $modules/node_modules/pg ]] || npm install --prefix "$modules" --no-audit --no-fund --silent pg@8 >/dev/null
  NODE_PATH=$modules/node_modules node "$here/node-postgres.js" "$port"
fi
