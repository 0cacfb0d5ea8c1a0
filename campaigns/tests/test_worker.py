"""With the real background worker: the periodic command queues tasks in the database
(django_tasks_db) and ``manage.py db_worker`` sends the mails to a real SMTP server; a
refusal queues the retry with ``run_after`` at the back-off moment.

db_worker closes database connections, so these tests commit for real
(transaction=True)."""

import datetime

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Campaign, Reminder
from campaigns.services import delivery, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from portal.testing.workers import (
    DATABASE_TASKS,
    MAILING_WORKER_SCRIPT,
    database_url,
    run_due_tasks,
)
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.CAMPAIGN_REMINDER_FIRST_BACKOFF = 60


@pytest.fixture
def version(transactional_db):
    # In force before the past campaign's launch (a campaign asks nothing earlier).
    return quiz_version(tips=2, effective_date=day(-60))


def work():
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    run_due_tasks()


def tasks():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def past_campaign(version, people):
    """A campaign that ran in the past: its 14-day reminder was due 24 days ago, so the
    worker (which goes by the real time) runs the tasks of a clock set then at once."""
    return launched_campaign(
        version,
        audience=Campaign.Audience.EMPLOYEES,
        employees=people,
        start_date=day(-40),
        deadline=day(-10),
        now=at(-40),
    )


def test_the_command_queues_the_mails_and_the_worker_sends_them(version, smtp_server):
    people = [EmployeeFactory() for _ in range(3)]
    past_campaign(version, people)

    call_command("run_campaigns", f"--date={day(-24).isoformat()}", verbosity=0)

    [task] = tasks()
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "campaigns.tasks.deliver_reminders"
    assert smtp_server.messages == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.PENDING}

    work()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == {
        "sent": 3,
        "cancelled": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(p.email for p in people)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}

    call_command("run_campaigns", f"--date={day(-24).isoformat()}", verbosity=0)
    work()
    assert len(tasks()) == 1
    assert len(smtp_server.messages) == 3


def test_a_refusal_queues_the_retry_at_the_back_off_moment_and_it_goes_once(version, smtp_server):
    employee = EmployeeFactory()
    past_campaign(version, [employee])
    smtp_server.refuse_data(1)
    moment = at(-24)

    reminders.run(now=moment, clock=True)
    work()

    first, retry = tasks()
    assert first.return_value["retrying"] == 1
    reminder = Reminder.objects.get()
    retry_at = moment + datetime.timedelta(seconds=60)
    # Queued for the moment of the back-off, on the same clock, for the same mails.
    assert retry.run_after == retry_at
    assert retry.args_kwargs == {
        "args": [[reminder.pk]],
        "kwargs": {"now": retry_at.isoformat()},
    }
    # The worker ran it in the same batch (its moment has long passed in real time).
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value["sent"] == 1
    assert (reminder.status, reminder.attempts, reminder.sent_at) == (
        Reminder.Status.SENT,
        2,
        retry_at,
    )
    assert [m.rcpt_tos for m in smtp_server.messages] == [[employee.email]]
    assert len(smtp_server.refused) == 1


def test_in_real_time_the_retry_waits_for_its_moment(version, smtp_down):
    """The mail server is down; the retry is queued a minute ahead, the worker leaves it
    until then; when the minute has passed and the server is up, each mail goes once."""
    people = [EmployeeFactory() for _ in range(2)]
    launched_campaign(version, deadline=timezone.localdate() + datetime.timedelta(days=10))
    reminders.run()
    before = timezone.now()

    work()

    first, retry = tasks()
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value["retrying"] == 1 and first.return_value["skipped"] == 1
    assert retry.status == TaskResultStatus.READY  # not due yet: the batch left it
    assert retry.args_kwargs["kwargs"] == {}  # real time
    waiting = Reminder.objects.all()
    assert {r.status for r in waiting} == {Reminder.Status.PENDING}
    assert {r.next_attempt_at for r in waiting} == {retry.run_after}
    assert before + datetime.timedelta(seconds=59) < retry.run_after
    assert retry.run_after <= timezone.now() + datetime.timedelta(seconds=60)

    smtp_down.start()
    # The minute passes (instead of waiting for it).
    earlier = retry.run_after - datetime.timedelta(seconds=61)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=earlier)
    Reminder.objects.update(next_attempt_at=earlier)
    work()

    retry.refresh_from_db()
    assert retry.return_value["sent"] == 2
    assert sorted(m.rcpt_tos[0] for m in smtp_down.messages) == sorted(p.email for p in people)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_a_server_down_for_good_ends_in_failed_mails_not_endless_tasks(
    version, smtp_down, settings
):
    settings.CAMPAIGN_REMINDER_MAX_ATTEMPTS = 3
    past_campaign(version, [EmployeeFactory()])

    reminders.run(now=at(-24), clock=True)
    work()  # the retries' moments have passed: they run in the same batch

    assert [t.return_value["retrying"] for t in tasks()] == [1, 1, 0]
    assert tasks()[-1].return_value["failed"] == 1
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 3)
    assert reminder.next_attempt_at == at(-24) + delivery.backoff(attempts=1) + delivery.backoff(
        attempts=2
    )


def test_a_killed_worker_process_loses_nothing_and_sends_nothing_twice(
    version, smtp_server, settings
):
    """A real `manage.py db_worker` process is killed (SIGKILL) while the mail server
    is receiving its second mail of three. After its claim runs out, the periodic
    command hands that mail over again, later also the third; each arrives once."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can see (PostgreSQL)")
    settings.CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
    settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800
    people = [EmployeeFactory() for _ in range(3)]
    past_campaign(version, people)
    moment = at(-24)
    reminders.run(now=moment, clock=True)  # one task for the three mails, queued
    first, second, _third = Reminder.objects.order_by("pk")
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
    }
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MAILING_WORKER_SCRIPT],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
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

    statuses = [r.status for r in Reminder.objects.order_by("pk")]
    assert statuses == [Reminder.Status.SENT, Reminder.Status.SENDING, Reminder.Status.PENDING]
    assert len(smtp_server.messages) == 1
    [task] = tasks()
    assert task.status == TaskResultStatus.RUNNING  # it will never finish

    # Within the claim nothing is handed over; after it, the abandoned mail is.
    assert reminders.run(now=moment + datetime.timedelta(minutes=9), clock=True)["dispatched"] == 0
    assert reminders.run(now=moment + datetime.timedelta(minutes=11), clock=True)["dispatched"] == 1
    work()
    # The third was handed to the dead worker too: handed over again after the timeout.
    assert reminders.run(now=moment + datetime.timedelta(minutes=31), clock=True)["dispatched"] == 1
    work()
    assert reminders.run(now=moment + datetime.timedelta(hours=2), clock=True)["dispatched"] == 0

    received = sorted(address for m in smtp_server.messages for address in m.rcpt_tos)
    assert received == sorted(p.email for p in people)
    assert [r.status for r in Reminder.objects.order_by("pk")] == [Reminder.Status.SENT] * 3
    assert Reminder.objects.get(pk=second.pk).attempts == 2
    assert Reminder.objects.get(pk=first.pk).attempts == 1
