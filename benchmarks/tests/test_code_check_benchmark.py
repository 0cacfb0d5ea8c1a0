"""The code check's benchmark (benchmarks.measure.code_check) on a small scale ledger:
what it looks up, counts and reports. No test here checks a time."""

import io
import json
import math

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from benchmarks.measure import code_check as code_check_module
from benchmarks.measure.code_check import measure_code_check, spread
from benchmarks.measure.report import render_markdown

pytestmark = pytest.mark.django_db

EMPLOYEES = 60


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """A small scale organisation for the module, rolled back at its end."""
    from benchmarks.scale import generate

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        outer = transaction.atomic()
        outer.__enter__()
        try:
            summary = generate(employees=EMPLOYEES)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_codes_are_spread_over_the_chain_first_and_last_included():
    codes = [f"C{n}" for n in range(100)]

    chosen = spread(codes, 5)

    assert chosen[0] == "C0" and chosen[-1] == "C99"
    assert len(chosen) == len(set(chosen)) == 5
    assert spread(codes[:3], 10) == codes[:3]


def test_the_measurement_looks_up_codes_in_order_at_three_queries_each(scale):
    from acknowledgements.models import LedgerEntry

    result = measure_code_check(lookups=25, log=lambda _: None)

    assert result.entries == LedgerEntry.objects.count() == scale.ledger_entries > 0
    assert result.lookups == min(25, result.entries)
    assert result.queries == 3
    assert 0 < result.median_ms <= result.p95_ms <= result.max_ms


def test_the_command_measures_the_code_check_and_reports_it(scale, tmp_path, monkeypatch):
    # Timing is not what this test checks: any time passes.
    monkeypatch.setattr(code_check_module, "TARGET_MS", math.inf)
    output, figures = tmp_path / "report.md", tmp_path / "report.json"

    call_command(
        "run_benchmarks",
        only="code_check",
        code_check_lookups=10,
        output=str(output),
        json=str(figures),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    data = json.loads(figures.read_text())["code_check"]
    assert (data["lookups"], data["queries"], data["passed"]) == (10, 3, True)
    report = output.read_text()
    assert f"## Code check at {data['entries']:,} entries" in report
    assert f"| Code check, {data['entries']:,} entries |" in report


def test_the_report_says_pass_and_fail_against_50_ms():
    from benchmarks.tests.test_run_benchmarks import _results

    def result(median: float) -> dict:
        return {
            "entries": 100_000,
            "lookups": 200,
            "queries": 3,
            "median_ms": median,
            "p95_ms": median,
            "max_ms": median,
            "passed": median < 50,
            "target_ms": 50.0,
        }

    good = render_markdown(_results(code_check=result(2.5)))
    bad = render_markdown(_results(code_check=result(80.0)))

    assert (
        "| Code check, 100,000 entries | < 50 ms | 2.5 ms (p95 2.5 ms), 3 queries | PASS |" in good
    )
    assert (
        "| Code check, 100,000 entries | < 50 ms | 80.0 ms (p95 80.0 ms), 3 queries | **FAIL** |"
        in bad
    )
