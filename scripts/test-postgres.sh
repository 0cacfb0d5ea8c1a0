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

# No autovacuum: a vacuum that runs while a test's rows are gone (a flush, a test that
# deletes) leaves the planner believing a table is empty whatever its pages hold, and the
# next test's queries over 1,000 rows turned into nested loops of minutes, depending on
# timing. Tests check results and query counts; speed is `make benchmark`'s.
exec scripts/with-postgres.sh --label "pytest (pytest-django creates test_portal)" \
    --conf 'autovacuum = off' \
    -- "$PYTHON" -m pytest "$@"
