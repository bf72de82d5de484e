#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the registry tests and prints the URL of an app role and
# database on it (postgres://oncosurv_app:...@127.0.0.1:PORT/oncosurv_test).
#   scripts/test-postgres.sh start DIR   -> initdb into DIR (as the postgres OS user when run as root), start on a free port, print the URL
#   scripts/test-postgres.sh stop DIR    -> stop that cluster
# Needs PostgreSQL >= 15 binaries (Debian's postgresql package: /usr/lib/postgresql/NN/bin).
set -euo pipefail
action="${1:?usage: test-postgres.sh start|stop DIR}"
dir="${2:?usage: test-postgres.sh start|stop DIR}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$bindir" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_pg "$bindir/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
    password="$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")"
    as_pg psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE oncosurv_app LOGIN PASSWORD '$password' NOSUPERUSER NOCREATEDB NOCREATEROLE" \
      -c "CREATE DATABASE oncosurv_test OWNER oncosurv_app" >/dev/null
    echo "postgres://oncosurv_app:$password@127.0.0.1:$port/oncosurv_test"
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
