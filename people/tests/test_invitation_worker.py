"""Welcome invitations with the real background worker and a real SMTP server: each
person is invited once, also when a task runs twice or the worker process is killed
part-way (then the follow-up run takes over once the dead worker's claim ran out).

db_worker closes database connections, so these tests commit for real
(transaction=True)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import IntegrityError, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.tests.smtp import SmtpServer
from people.models import Employee, Invitation
from people.services import import_staff
from people.services.invitations import queue_invitations
from people.tasks import send_staff_invitations
from people.tests.staff_import_support import organisation, person, staff_csv
from portal.testing.workers import (
    DATABASE_TASKS,
    MAILING_WORKER_SCRIPT,
    database_url,
    run_due_tasks,
)

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "people.tasks.send_staff_invitations"
# The worker with the test's short claim time: a setting, not an environment variable,
# so the worker process sets it itself (config.env ignores the old variable).
INVITATION_WORKER_SCRIPT = MAILING_WORKER_SCRIPT.replace(
    "import django\n",
    "settings.INVITATION_CLAIM_SECONDS = int(os.environ['TEST_INVITATION_CLAIM_SECONDS'])\n"
    "import django\n",
    1,
)
assert INVITATION_WORKER_SCRIPT != MAILING_WORKER_SCRIPT


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.PORTAL_LOCAL_LOGIN = True


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers
    yield server
    server.stop()


@pytest.fixture
def departments(transactional_db):
    return organisation()


def work():
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    run_due_tasks()


def import_new_people(count: int):
    rows = [person(f"{5000 + n}") for n in range(count)]
    outcome = import_staff(data=staff_csv(rows), filename="nieuw.csv", by=None)
    assert outcome.applied
    return outcome


def received(server) -> list[str]:
    return sorted(address for message in server.messages for address in message.rcpt_tos)


def addresses(count: int) -> list[str]:
    return sorted(f"p{5000 + n}@voorbeeldstad.nl" for n in range(count))


def test_the_worker_sends_each_invitation_once_and_marks_it_sent(departments, smtp_server):
    import_new_people(3)
    assert Invitation.objects.filter(status=Invitation.Status.QUEUED).count() == 3

    work()

    assert received(smtp_server) == addresses(3)
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.Status.SENT}


def test_the_same_task_run_twice_sends_nothing_twice(departments, smtp_server):
    outcome = import_new_people(2)
    send_staff_invitations.enqueue(outcome.log.pk)  # a retry of the whole task

    work()

    assert received(smtp_server) == addresses(2)


def test_a_task_queued_with_the_old_arguments_still_invites_its_people_once(
    departments, smtp_server
):
    """An upgrade with a task still waiting that carries people's ids (the task's
    argument before invitations had rows): those people are invited, once."""
    outcome = import_new_people(2)
    Invitation.objects.all().delete()
    DBTaskResult.objects.all().delete()
    ids = list(
        Employee.objects.filter(employee_number__in=["5000", "5001"]).values_list("pk", flat=True)
    )
    send_staff_invitations.enqueue(ids)

    work()
    work()

    assert received(smtp_server) == addresses(2)
    assert set(Invitation.objects.values_list("staff_import", flat=True)) == {outcome.log.pk}


def test_an_invitation_is_recorded_once_per_person_and_import(departments):
    outcome = import_new_people(1)
    employee = Employee.objects.get(employee_number="5000")
    queue_invitations(employees=[employee], staff_import_id=outcome.log.pk)
    assert Invitation.objects.count() == 1
    with pytest.raises(IntegrityError):
        Invitation.objects.create(employee=employee, staff_import=outcome.log)


def test_a_killed_worker_process_is_taken_over_and_everyone_is_invited_once(
    departments, smtp_server, settings
):
    """A real `manage.py db_worker` process is killed (SIGKILL) while the mail server
    receives the second of three invitations. A new worker process, started after the
    dead worker's claim ran out, runs the follow-up the first run queued: the second
    and third go, and each person receives exactly one invitation."""
    from django.conf import settings as django_settings

    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can see (PostgreSQL)")
    claim_seconds = 3
    settings.INVITATION_CLAIM_SECONDS = claim_seconds
    import_new_people(3)
    [task] = DBTaskResult.objects.filter(task_path=TASK)
    mailers = smtp_server.mailers
    mailers["default"]["OPTIONS"]["timeout"] = 30

    # The server accepts the first mail and hangs on the second.
    original = smtp_server.handler.handle_DATA
    seen = []

    async def accept_one_then_hang(server, session, envelope):
        seen.append(envelope.rcpt_tos[:])
        if len(seen) == 2:
            smtp_server.hold_data()
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = accept_one_then_hang
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TEST_MAILERS": json.dumps(mailers),
        "TEST_INVITATION_CLAIM_SECONDS": str(claim_seconds),
    }

    def start_worker():
        return subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", INVITATION_WORKER_SCRIPT],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    worker = start_worker()
    try:
        assert smtp_server.handler.holding.wait(timeout=60), worker.stderr.read().decode()
        worker.kill()
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        worker.stderr.close()
    smtp_server.release()

    statuses = list(Invitation.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [
        Invitation.Status.SENT,
        Invitation.Status.SENDING,
        Invitation.Status.QUEUED,
    ]
    assert len(smtp_server.messages) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # it will never finish
    [follow_up] = DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY)

    # The worker is restarted once the follow-up is due (the dead worker's claim has
    # run out by then): it sends the rest.
    while timezone.now() <= follow_up.run_after:
        time.sleep(0.2)
    smtp_server.handler.handle_DATA = original
    restarted = start_worker()
    try:
        assert restarted.wait(timeout=120) == 0, restarted.stderr.read().decode()
    finally:
        if restarted.poll() is None:
            restarted.kill()
            restarted.wait(timeout=30)
        restarted.stderr.close()

    assert received(smtp_server) == addresses(3)
    invitations = list(Invitation.objects.order_by("pk"))
    assert [i.status for i in invitations] == [Invitation.Status.SENT] * 3
    assert [i.attempts for i in invitations] == [1, 2, 1]
    # Each invitation has its own fixed Message-ID (a copy could be recognised).
    assert {m.message_id for m in smtp_server.messages} == {
        f"<invitation-{i.pk}@127.0.0.1>" for i in invitations
    }

    # Its own follow-up finds nothing left to do and queues no other.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    work()
    assert received(smtp_server) == addresses(3)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
