#!/usr/bin/env bash
# Run a command against a PostgreSQL server that lives only for that command.
#
#   scripts/with-postgres.sh [options] [--] command [arguments]
#
#   --database NAME   the database DATABASE_URL names (default: portal)
#   --createdb        create that database before the command runs
#   --durable         keep PostgreSQL's durability (fsync, synchronous commits, full
#                     page writes): for benchmarks; without it the server is tuned for
#                     quick throwaway test runs
#   --conf 'k = v'    a line for postgresql.conf (repeatable), e.g. --conf 'shared_buffers = 1GB'
#   --label TEXT      what the command is, for the line printed at the start
#
# A throwaway cluster: initdb (as the postgres user when we are root) into a temporary
# directory with --auth=trust, pg_ctl start listening on 127.0.0.1 at a free port with
# its unix socket in that directory. The command sees DATABASE_URL
# (postgres://postgres@127.0.0.1:PORT/NAME), PGHOST, PGPORT, PGUSER (for psql, createdb
# and the like), POSTGRES_BIN (the server's programs) and POSTGRES_VERSION. The server
# is stopped and the directory removed on exit, also when the command fails or the run
# is interrupted. Exits with the command's status. The command runs in the repository's
# top folder.
set -euo pipefail
# runuser, ldconfig and apt-get may live in sbin, which a plain PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"

database="portal"
createdb=0
durable=0
label=""
extra_conf=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --database) database="$2"; shift 2 ;;
        --createdb) createdb=1; shift ;;
        --durable) durable=1; shift ;;
        --conf) extra_conf+=("$2"); shift 2 ;;
        --label) label="$2"; shift 2 ;;
        --) shift; break ;;
        -*) echo "with-postgres.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ "$#" -eq 0 ]; then
    echo "usage: scripts/with-postgres.sh [options] [--] command [arguments]" >&2
    exit 2
fi

pg_bin=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    # (resolved: /usr/local/bin may hold symlinks to initdb and pg_ctl only)
    pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
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
    echo "initdb/pg_ctl not found: apt-get install postgresql (scripts/system-deps.sh postgresql)." >&2
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
    # Stop the command first (it runs in the background so that the signal is seen at once).
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

cat >>"$datadir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$workdir'
max_connections = 40
CONF
if [ "$durable" -eq 0 ]; then
    # A disposable server for tests: no durability needed, small and quick.
    cat >>"$datadir/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
CONF
fi
for line in ${extra_conf[@]+"${extra_conf[@]}"}; do
    printf '%s\n' "$line" >>"$datadir/postgresql.conf"
done

started=1
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" start -D "$datadir" -l "$logfile" -w -t 60 >/dev/null; then
    cat "$logfile" >&2
    exit 1
fi

export POSTGRES_BIN="$pg_bin"
POSTGRES_VERSION="$("$pg_bin/postgres" --version)"
export POSTGRES_VERSION
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$database"
if [ "$createdb" -eq 1 ]; then
    "$pg_bin/createdb" "$database"
fi
echo "== ${label:-$1} on PostgreSQL: $POSTGRES_VERSION, throwaway cluster in $workdir, 127.0.0.1:$port"
echo "   DATABASE_URL=$DATABASE_URL"

# In the background with stdin kept (<&0), so that INT/TERM reach on_signal at once.
"$@" <&0 &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
