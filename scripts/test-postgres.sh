#!/usr/bin/env bash
# Run pytest against a real PostgreSQL server that lives only for this run.
#
#   scripts/test-postgres.sh [pytest arguments]
#
# A throwaway cluster: initdb (as the postgres user when we are root) into a temporary
# directory with --auth=trust, pg_ctl start listening on 127.0.0.1 at a free port with
# its unix socket in that directory. Nothing else is created: pytest-django creates
# (and drops) the test database. The server is stopped and the directory removed on
# exit, also when the tests fail or the run is interrupted.
set -euo pipefail
# runuser, ldconfig and apt-get may live in sbin, which a plain PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"

pg_bin=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin="$(dirname "$(command -v initdb)")"
else
    # Debian keeps the server's programs out of PATH; take the newest version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            pg_bin="$dir"
            break
        fi
    done
fi
if [ -z "$pg_bin" ]; then
    echo "initdb/pg_ctl not found: apt-get install postgresql (make test does)." >&2
    exit 1
fi

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    as_pg=(runuser -u postgres --)
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/portal-pg.XXXXXX")"
datadir="$workdir/data"
logfile="$workdir/server.log"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$workdir"
fi
chmod 700 "$workdir"

started=0
child=""
cleanup() {
    local status=$?
    if [ "$started" -eq 1 ]; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" stop -D "$datadir" -m fast -w -t 30 >/dev/null 2>&1 \
            || "${as_pg[@]}" "$pg_bin/pg_ctl" stop -D "$datadir" -m immediate -w >/dev/null 2>&1 \
            || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
on_signal() {
    # Stop pytest first (it runs in the background so that the signal is seen at once).
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"${as_pg[@]}" "$pg_bin/initdb" -D "$datadir" --auth=trust --username=postgres \
    --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 1; }

# Settings for a disposable server: no durability needed, small and quick.
cat >>"$datadir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$workdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 128MB
CONF

started=1
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" start -D "$datadir" -l "$logfile" -w -t 60 >/dev/null; then
    cat "$logfile" >&2
    exit 1
fi

version="$("$pg_bin/postgres" --version)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/portal"
echo "== pytest on PostgreSQL: $version, throwaway cluster in $workdir, 127.0.0.1:$port"
echo "   DATABASE_URL=$DATABASE_URL (pytest-django creates test_portal)"

# In the background with stdin kept (<&0), so that INT/TERM reach on_signal at once.
"$PYTHON" -m pytest "$@" <&0 &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
