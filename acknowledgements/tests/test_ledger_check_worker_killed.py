"""A real ``manage.py db_worker`` process is killed (SIGKILL) while it checks the ledger:
the check is run once more, and killed again it is marked failed and holds back no new
check. PostgreSQL only (portal.testing.workers); commits for real."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from acknowledgements.models import LedgerCheck
from acknowledgements.services import ledger_checks
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.workers import (
    DATABASE_TASKS,
    kill_worker_when,
    needs_a_shared_database,
    run_due_tasks,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The worker with a chain check that never ends, and a heartbeat every second.
HANGING_WORKER = """
import time
from django.conf import settings
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
settings.WORK_HEARTBEAT_SECONDS = 1
import django
django.setup()
from acknowledgements.services import ledger_checks
ledger_checks.verify_chain = lambda **kwargs: time.sleep(600)
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0")
"""


@pytest.fixture(autouse=True)
def database_tasks(settings):
    needs_a_shared_database()
    settings.TASKS = DATABASE_TASKS


def kill_part_way(check: LedgerCheck) -> None:
    """Kill a real worker once its heartbeat thread has beaten on ``check``."""

    def beaten() -> bool:
        check.refresh_from_db()
        return check.state == LedgerCheck.State.RUNNING and check.heartbeat_at > check.started_at

    kill_worker_when(HANGING_WORKER, ready=beaten)


def after_the_stall_limit() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(
        seconds=django_settings.WORK_STALLED_AFTER_SECONDS + 1
    )


def test_a_check_whose_worker_was_killed_twice_fails_and_a_new_one_runs():
    employee = EmployeeFactory()
    signed(employee, ready_to_sign(employee))
    hr = EmployeeFactory(hr=True)
    check = ledger_checks.request_check(requested_by=hr)

    kill_part_way(check)
    assert ledger_checks.recover_stalled_checks(now=after_the_stall_limit()).retried == 1
    check.refresh_from_db()
    assert (check.state, check.attempts) == ("queued", 1)
    kill_part_way(check)
    assert ledger_checks.recover_stalled_checks(now=after_the_stall_limit()).failed == 1

    check.refresh_from_db()
    assert (check.state, check.attempts) == ("failed", 2)
    again = ledger_checks.request_check(requested_by=hr)
    assert again.newly_requested
    run_due_tasks()
    again.refresh_from_db()
    assert (again.state, again.ok, again.entries_checked) == ("done", True, 1)
