#!/usr/bin/env bash
# Run pytest against a real PostgreSQL server that lives only for this run.
#
#   scripts/test-postgres.sh [pytest arguments]
#
# The throwaway cluster is scripts/with-postgres.sh's (a temporary directory, 127.0.0.1
# at a free port, tuned for speed, stopped and removed on exit, also when the tests fail
# or the run is interrupted). Nothing else is created: pytest-django creates (and drops)
# the test database.
set -euo pipefail
cd "$(dirname "$0")/.."

export PYTHON="${PYTHON:-.venv/bin/python}"

exec scripts/with-postgres.sh --label "pytest (pytest-django creates test_portal)" \
    -- "$PYTHON" -m pytest "$@"
