"""The benchmark runner's parts on a small organisation: the sign requests it sends
through wrk are accepted by the real sign view, the trivial page, the launch leaves
nothing behind, the command writes its report, and the report and wrk's output are
read and written right. gunicorn and wrk themselves run only in `make benchmark`."""

from __future__ import annotations

import io
import json
import math
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.measure import pages as pages_module
from benchmarks.measure.launch import launch_once
from benchmarks.measure.ledger import measure_ledger
from benchmarks.measure.report import render_markdown
from benchmarks.measure.server import database_url, make_sessions
from benchmarks.measure.signing import parse_wrk_output
from benchmarks.measure.stats import median, percentile

pytestmark = pytest.mark.django_db

EMPLOYEES = 80


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


def _client_for(line: str) -> tuple[Client, dict]:
    """A client with the line's cookies (CSRF enforced, as in a browser) and its form."""
    cookie_header, body = line.split("\t")
    client = Client(enforce_csrf_checks=True)
    cookies = SimpleCookie()
    cookies.load(cookie_header)
    for name, morsel in cookies.items():
        client.cookies[name] = morsel.value
    return client, dict(parse_qsl(body))


def test_a_sign_request_as_wrk_sends_it_signs_and_redirects_to_the_receipt(scale):
    from django.contrib.sessions.models import Session

    from acknowledgements.models import Acknowledgement
    from benchmarks.scale import ready_to_sign

    employee = ready_to_sign().first()
    rows, lines = make_sessions([employee])
    Session.objects.bulk_create(
        Session(session_key=key, session_data=data, expire_date=expiry)
        for key, data, expiry in rows
    )
    client, form = _client_for(lines[0])

    response = client.post("/handreikingen/sociale-media/bevestigen/", form)

    assert response.status_code == 302
    record = Acknowledgement.objects.get(employee=employee, version__number=3)
    assert response["Location"] == f"/bevestigen/{record.entry.verification_code}/"
    assert record.typed_name == employee.full_name


def test_the_trivial_page_is_for_logged_in_staff_under_the_benchmark_urls(scale, settings):
    from django.contrib.sessions.models import Session

    from benchmarks.scale.constants import EMPLOYEE_EMAIL
    from people.models import Employee

    settings.ROOT_URLCONF = "config.urls_benchmark"
    rows, lines = make_sessions([Employee.objects.get(email=EMPLOYEE_EMAIL)])
    Session.objects.create(session_key=rows[0][0], session_data=rows[0][1], expire_date=rows[0][2])
    client, _form = _client_for(lines[0])

    assert client.get("/benchmark/trivial/").content == b"ok\n"
    assert Client().get("/benchmark/trivial/").status_code == 302


def test_a_benchmark_session_is_read_not_written_by_the_requests_of_a_round(scale, settings):
    # A round's sessions are made just before it: as for an employee active in the last
    # minute, the trivial page only reads (the session and the user, nothing written).
    from django.contrib.sessions.models import Session

    from benchmarks.scale.constants import EMPLOYEE_EMAIL
    from people.models import Employee

    settings.ROOT_URLCONF = "config.urls_benchmark"
    rows, lines = make_sessions([Employee.objects.get(email=EMPLOYEE_EMAIL)])
    Session.objects.create(session_key=rows[0][0], session_data=rows[0][1], expire_date=rows[0][2])
    client, _form = _client_for(lines[0])

    with CaptureQueriesContext(connection) as queries:
        client.get("/benchmark/trivial/")

    assert queries.captured_queries
    # Reads only: a union of reads (the roles) starts with "(SELECT" on PostgreSQL.
    statements = [q["sql"].lstrip(" (").upper() for q in queries.captured_queries]
    assert all(sql.startswith(("SELECT", "WITH")) for sql in statements), statements
    assert Session.objects.get(session_key=rows[0][0]).session_data == rows[0][1]


def test_the_trivial_page_is_not_in_the_portals_own_urls(client):
    assert client.get("/benchmark/trivial/").status_code == 404


def test_a_measured_launch_leaves_nothing_behind(scale):
    from campaigns.models import Assignment, Campaign, CampaignEvent

    def counts():
        return (Campaign.objects.count(), Assignment.objects.count(), CampaignEvent.objects.count())

    before = counts()

    assignments, seconds, queries = launch_once(count_queries=True)

    assert counts() == before
    assert assignments > EMPLOYEES * 0.9
    assert seconds > 0 and queries > 0


def test_the_ledger_measurement_checks_every_entry(scale):
    from acknowledgements.models import LedgerEntry

    result = measure_ledger(repeat=2, log=lambda _: None)

    assert result.checked == result.entries == LedgerEntry.objects.count() > 0
    assert result.passed


def test_the_command_measures_and_writes_its_report(scale, tmp_path, monkeypatch, settings):
    # Timing is not what this test checks: any time passes.
    monkeypatch.setattr(pages_module, "TARGET_MS", math.inf)
    # The dashboard as for a large campaign (figures kept), whose count is expected.
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0
    output, figures = tmp_path / "report.md", tmp_path / "report.json"

    call_command(
        "run_benchmarks",
        only="pages,launch,ledger",
        repeat=2,
        launch_repeat=1,
        ledger_repeat=1,
        output=str(output),
        json=str(figures),
        generate_seconds=12.5,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    data = json.loads(figures.read_text())
    assert [page["key"] for page in data["pages"]] == [p.key for p in pages_module.pages()]
    assert {"handbook_list", "other_guideline", "dashboard_guideline"} <= {
        page["key"] for page in data["pages"]
    }
    assert all(page["queries"] == page["expected_queries"] for page in data["pages"])
    assert data["launch"]["assignments"] > 0 and data["ledger"]["passed"]
    assert data["passed"] is True
    report = output.read_text()
    assert f"# Benchmark: {EMPLOYEES} employees" in report
    assert "filled the empty database in 12 s" in report
    assert "**FAIL**" not in report


def _wrk_line(**overrides) -> str:
    data = {
        "mode": "sign",
        "requests": 1000,
        "duration_us": 10_000_000,
        "good": 1000,
        "unexpected": 0,
        "exhausted": 0,
        "first_unexpected": "",
        "errors_connect": 0,
        "errors_read": 1,
        "errors_write": 0,
        "errors_status": 0,
        "errors_timeout": 2,
        "latency_p50_us": 3000,
        "latency_p90_us": 9000,
        "latency_p99_us": 20000,
    } | overrides
    return "Running 10s test\n  2 threads\nwrk-result: " + json.dumps(data) + "\n"


def test_wrks_result_line_is_read():
    run = parse_wrk_output(_wrk_line())

    assert run.rps == 100.0
    assert run.socket_errors == 3
    assert run.latency_p90_ms == 9.0


def _results(**overrides) -> dict:
    page = {
        "key": "home",
        "title": "Employee's home page",
        "email": "medewerker@schaal.example",
        "url": "/",
        "repeat": 15,
        "median_ms": 20.0,
        "p90_ms": 30.0,
        "min_ms": 10.0,
        "max_ms": 40.0,
        "queries": 11,
        "expected_queries": 11,
        "passed": True,
        "target_ms": 150.0,
    }
    machine = {
        "date": "2026-11-25 12:00 UTC",
        "cpu": "AMD EPYC",
        "cores": 2,
        "physical_cores": 2,
        "memory_gib": 23.5,
        "os": "Linux",
        "python": "3.12.1",
        "django": "6.1.3",
        "database": "PostgreSQL 15.18",
        "gunicorn": "27.0.1",
        "psycopg": "3.3.9",
        "wrk": "wrk 4.1.0",
        "load_average": [1.0, 1.0, 1.0],
        "settings": "config.settings.benchmark",
        "debug": False,
        "conn_max_age": 600,
        "mfa_required": True,
        "command": "manage.py run_benchmarks",
    }
    return {
        "machine": machine,
        "data": {"employees": 100000},
        "generate_seconds": None,
        "skipped": {},
        "errors": {},
        "pages": [page, page | {"key": "tip", "median_ms": 180.0, "passed": False}],
        "launch": {
            "active_employees": 98000,
            "guidelines": 5,
            "assignments": 300000,
            "repeat": 3,
            "seconds": [5.0, 6.0, 7.0],
            "median_s": 6.0,
            "queries": 60,
            "passed": True,
            "target_s": 60.0,
        },
    } | overrides


def test_the_report_says_pass_and_fail_per_target():
    report = render_markdown(_results(skipped={"signing": "it needs PostgreSQL"}))

    assert "# Benchmark: 100,000 employees" in report
    assert "| Employee's home page | < 150 ms, 11 queries | 20.0 ms, 11 queries | PASS |" in report
    assert "| 180.0 ms, 11 queries | **FAIL** |" in report
    assert "| Campaign launch of 5 guidelines: 300,000 assignments | < 60 s | 6.0 s | PASS |" in (
        report
    )
    assert "- Not measured: signing (it needs PostgreSQL)." in report


def test_the_report_says_when_the_database_was_vacuumed():
    settled = [{"before": "pages", "seconds": 4.2}, {"before": "ledger", "seconds": 1.0}]

    report = render_markdown(_results(settled=settled))

    assert "`VACUUM (ANALYZE)`, not timed, before pages (4.2 s), before ledger (1.0 s)" in report


def test_the_report_names_a_step_that_failed_to_run():
    report = render_markdown(_results(errors={"ledger": "LedgerError: entry 7"}))

    assert "- **ledger failed**: LedgerError: entry 7" in report


def test_medians_and_percentiles():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert math.isnan(median([]))


def test_a_database_url_for_another_database_on_the_same_server():
    settings_dict = {"USER": "portal", "PASSWORD": "p@ss", "HOST": "db", "PORT": 5432}

    assert database_url(settings_dict, "copy") == "postgres://portal:p%40ss@db:5432/copy"
