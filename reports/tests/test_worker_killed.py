"""A real ``manage.py db_worker`` process is killed (SIGKILL) while it makes a report.

Its heartbeat stops; the periodic command hands the report to the worker once more and
it is made. Killed a second time, the report is marked failed, and HR's "try again"
button makes it. The worker runs in its own process, so the database must be one that
another process can see (PostgreSQL: scripts/test-postgres.sh); these tests commit for
real (transaction=True).
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.tests.hr_support import hr
from people.tests.factories import EmployeeFactory
from portal.heartbeat import recover_stalled_work
from portal.testing.workers import (
    DATABASE_TASKS,
    kill_worker_when,
    needs_a_shared_database,
    run_due_tasks,
)
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

# The worker with the renderer swapped for one that hangs after its first progress, and
# a heartbeat every second (so that the test sees the thread beat).
HANGING_WORKER = """
from django.conf import settings
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
settings.WORK_HEARTBEAT_SECONDS = 1
import django
django.setup()
from reports.services import generation
for key in generation.RENDERERS:
    generation.RENDERERS[key] = "reports.tests.worker_doubles.render_then_hang"
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0")
"""


@pytest.fixture(autouse=True)
def database_tasks(settings):
    needs_a_shared_database()
    settings.TASKS = DATABASE_TASKS
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(transactional_db):
    version = quiz_version(tips=2)
    EmployeeFactory()
    return version


def work():
    """What `manage.py db_worker --batch` does, with the real renderers."""
    run_due_tasks()


def kill_part_way(report: Report) -> None:
    """Kill a real worker once it has made progress on ``report`` and its heartbeat
    thread has beaten since."""
    progressed = []

    def beaten_since_progress() -> bool:
        report.refresh_from_db()
        if report.status != Report.Status.RUNNING or not report.progress_done:
            return False
        progressed.append(report.heartbeat_at)
        return report.heartbeat_at > progressed[0]

    kill_worker_when(HANGING_WORKER, ready=beaten_since_progress)


def after_the_stall_limit() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(
        seconds=django_settings.WORK_STALLED_AFTER_SECONDS + 1
    )


def kinds(report: Report) -> list[str]:
    return list(report.events.order_by("pk").values_list("kind", flat=True))


def test_a_report_whose_worker_was_killed_is_made_by_the_next_worker(version):
    report = services.request_report(format=Report.Format.CSV, version=version)

    kill_part_way(report)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.RUNNING, 1)
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING  # never finishes
    # A restarted worker alone does not take it up: nothing is ready to run.
    work()
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING

    # Within the stall limit nothing happens; after it, the report is handed on once.
    assert recover_stalled_work()["reports.services.recovery"].retried == 0
    assert (
        recover_stalled_work(now=after_the_stall_limit())["reports.services.recovery"].retried == 1
    )
    work()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 2)
    assert report.file.read().startswith(b"\xef\xbb\xbf")  # the real CSV, not the hung one
    assert kinds(report) == ["requested", "retried", "generated"]


def test_a_report_whose_worker_was_killed_twice_fails_and_hr_makes_it_again(version, client):
    report = services.request_report(format=Report.Format.CSV, version=version)

    kill_part_way(report)
    assert (
        recover_stalled_work(now=after_the_stall_limit())["reports.services.recovery"].retried == 1
    )
    kill_part_way(report)
    recovered = recover_stalled_work(now=after_the_stall_limit())["reports.services.recovery"]

    report.refresh_from_db()
    assert (recovered.retried, recovered.failed) == (0, 1)
    assert (report.status, report.attempts) == (Report.Status.FAILED, 2)
    assert kinds(report) == ["requested", "retried", "failed"]
    client.force_login(hr())
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="retry-button"' in page

    response = client.post(reverse("reports:retry", args=[report.pk]))
    work()

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (Report.Status.DONE, 1, "")
    assert kinds(report) == ["requested", "retried", "failed", "retried", "generated"]
