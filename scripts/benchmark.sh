#!/usr/bin/env bash
# The scale benchmark, from a fresh clone to a Markdown report (make benchmark).
#
#   scripts/benchmark.sh [report.md]        (default: docs/benchmarks-latest.md)
#
#   BENCHMARK_EMPLOYEES     employees of the main run (default 100000)
#   BENCHMARK_REPORT_SIZES  employees of the compliance-report runs (default "5000 20000";
#                           empty: none)
#   BENCHMARK_ARGS          more arguments for run_benchmarks (e.g. "--repeat 30")
#   BENCHMARK_CODE_CHECK_SIZES  employees (one ledger entry each) of the code check's
#                           own runs (default "2000 20000"; empty: none)
#
# Installs what is missing (the dev requirements via make install-dev; Debian's
# postgresql and wrk), starts a throwaway PostgreSQL 15 cluster with its durability on
# (scripts/with-postgres.sh --durable), and in it:
#   1. a database: migrate, generate_scale_data --employees N (timed: a result too),
#      run_benchmarks: pages, campaign launch, verify_ledger, the code check, signing
#      through gunicorn and wrk, the compliance report as CSV and xlsx; report.md and
#      report.json;
#   1b. per code check size, a fresh database: migrate, generate_scale_data, then
#      run_benchmarks --only code_check, its section appended to report.md;
#   2. per report size, a fresh database: migrate, generate_scale_data, then
#      run_benchmarks --only reports (benchmark_reports on that database, every format),
#      its section appended to report.md.
# The cluster is stopped and removed at the end, also on failure or interruption.
# Exits non-zero when a step fails or a target is missed (the report is written anyway).
set -euo pipefail
# runuser, ldconfig and apt-get may live in sbin, which a plain PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
cd "$(dirname "$0")/.."

export PYTHON="${PYTHON:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE=config.settings.benchmark
export PYTHONUNBUFFERED=1
EMPLOYEES="${BENCHMARK_EMPLOYEES:-100000}"
REPORT_SIZES="${BENCHMARK_REPORT_SIZES-5000 20000}"
CODE_CHECK_SIZES="${BENCHMARK_CODE_CHECK_SIZES-2000 20000}"
REPORT_FORMATS="csv,xlsx,pdf-single,pdf-parts"
read -r -a EXTRA_ARGS <<<"${BENCHMARK_ARGS:-}"

# Commands run in the background and are waited for, so that TERM and INT reach this
# script at once and are passed on (run_benchmarks then stops its gunicorn and drops its
# copy of the database; with-postgres.sh stops the cluster).
child=""
run() {
    "$@" <&0 &
    child=$!
    local status=0
    wait "$child" || status=$?
    child=""
    return "$status"
}
pass_on() {
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$1"
}
trap 'pass_on 130' INT
trap 'pass_on 143' TERM

# ----------------------------------------------------------------- inside the cluster

thousands() {
    "$PYTHON" -c 'import sys; print(" and ".join(f"{int(n):,}" for n in sys.argv[1:]))' "$@"
}

seconds_since() {
    "$PYTHON" -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"
}

fill() {
    local database="$1" employees="$2"
    "$POSTGRES_BIN/createdb" "$database"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$database"
    echo "== $database: migrate, createcachetable"
    run "$PYTHON" manage.py migrate --no-input -v 0
    run "$PYTHON" manage.py createcachetable
    echo "== $database: generate_scale_data --employees $employees"
    local started
    started="$(date +%s.%N)"
    run "$PYTHON" manage.py generate_scale_data --employees "$employees"
    GENERATE_SECONDS="$(seconds_since "$started")"
    echo "   filled in $GENERATE_SECONDS s"
}

# The code check at other ledger sizes: a fresh database each, its section appended.
code_check_sizes() {
    local output="$1" size part status=0
    for size in $CODE_CHECK_SIZES; do
        fill "code_check_$size" "$size"
        part="$(mktemp "${TMPDIR:-/tmp}/portal-benchmark-code-check.XXXXXX")"
        echo "== run_benchmarks --only code_check at $size employees"
        run "$PYTHON" manage.py run_benchmarks --only code_check --output "$part" \
            --json "${output%.md}-code-check-$size.json" >/dev/null || status=$?
        {
            echo
            awk '/^## / { found = /^## Code check at/ } found' "$part"
        } >>"$output"
        rm -f "$part"
    done
    return "$status"
}

in_cluster() {
    local output="$1" status=0
    fill portal "$EMPLOYEES"
    echo "== run_benchmarks (report: $output)"
    run "$PYTHON" manage.py run_benchmarks --output "$output" --json "${output%.md}.json" \
        --generate-seconds "$GENERATE_SECONDS" ${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"} \
        >/dev/null || status=$?
    code_check_sizes "$output" || status=$?
    if [ -z "$REPORT_SIZES" ]; then
        exit "$status"
    fi
    if ! "$PYTHON" manage.py benchmark_reports --help | grep -q -- '--campaign'; then
        echo "== No report runs at $REPORT_SIZES employees: benchmark_reports has no" \
            "--campaign option (it cannot measure a database filled by generate_scale_data)."
        printf '\n## Compliance reports at %s employees\n\nNot measured: %s\n' \
            "$(thousands $REPORT_SIZES)" \
            "benchmark_reports has no --campaign option (it cannot measure this data)." \
            >>"$output"
        exit "$status"
    fi
    local size part
    for size in $REPORT_SIZES; do
        fill "reports_$size" "$size"
        part="$(mktemp "${TMPDIR:-/tmp}/portal-benchmark-reports.XXXXXX")"
        echo "== run_benchmarks --only reports at $size employees"
        run "$PYTHON" manage.py run_benchmarks --only reports --report-formats "$REPORT_FORMATS" \
            --output "$part" --json "${output%.md}-reports-$size.json" >/dev/null || status=$?
        # The part's compliance-report section (its last), under a heading with the size.
        {
            echo
            echo "## Compliance reports at $(thousands "$size") employees"
            awk '/^## Compliance reports/ { found = 1; next } found' "$part"
            grep '^- ' "$part" | grep -i 'reports' || true
        } >>"$output"
        rm -f "$part"
    done
    exit "$status"
}

if [ "${1:-}" = "--in-cluster" ]; then
    in_cluster "$2"
fi

# ----------------------------------------------------------------- outside: installs, cluster

output="${1:-docs/benchmarks-latest.md}"
mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"

echo "== Installs (make install-dev; Debian's postgresql and wrk when missing)"
make --no-print-directory install-dev
scripts/system-deps.sh postgresql wrk pango

started="$(date +%s)"
status=0
# Durable like a real server; memory for a database of about a gigabyte.
run scripts/with-postgres.sh --durable --label "benchmark ($EMPLOYEES employees)" \
    --conf "shared_buffers = 1GB" \
    --conf "effective_cache_size = 4GB" \
    --conf "maintenance_work_mem = 256MB" \
    --conf "max_wal_size = 4GB" \
    -- "$(pwd)/scripts/benchmark.sh" --in-cluster "$output" || status=$?
echo
echo "== Benchmark done in $(($(date +%s) - started)) s: $output (status $status)"
exit "$status"
