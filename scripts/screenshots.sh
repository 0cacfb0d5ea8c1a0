#!/usr/bin/env bash
# make screenshots: the demo on a fresh database in a temporary folder, a development
# server on a free port, then scripts/screenshots.py into docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite:///$work/demo.sqlite3" DJANGO_MEDIA_ROOT="$work/media"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py seed_demo --address "127.0.0.1:$port" > /dev/null
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/account/login/" && break; sleep 0.2; done
.venv/bin/python scripts/screenshots.py --url "http://127.0.0.1:$port" --out docs/screenshots
