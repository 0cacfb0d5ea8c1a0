"""A report is saved, and its task queued once that commits. When the task never reaches
the queue (the process died in between, the queueing failed, someone removed the task
row), the report would wait for ever: the periodic command queues it once more, and a
real worker (``manage.py db_worker``, in this process) makes it. A report whose task
waits in the queue, and a report that was made, are left alone; two runs of the command
at once queue it once.

The worker closes database connections, so these tests commit for real
(transaction=True). They run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from people.tests.factories import EmployeeFactory
from portal.heartbeat import recover_stalled_work
from portal.testing.workers import DATABASE_TASKS, run_due_tasks
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def version(transactional_db):
    version = quiz_version(tips=2)
    EmployeeFactory()
    return version


def work():
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    run_due_tasks()


def after_the_limit() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(
        seconds=django_settings.WORK_TASK_LOST_AFTER_SECONDS + 1
    )


def recover(now: datetime.datetime | None = None):
    return recover_stalled_work(now=now)["reports.services.recovery"]


def kinds(report: Report) -> list[str]:
    return list(report.events.order_by("pk").values_list("kind", flat=True))


def tasks_for(report: Report) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path="reports.tasks.generate_report")
        if task.args_kwargs["args"] == [report.pk]
    ]


def lost(version) -> Report:
    """A report asked for whose task row was removed before a worker ran it."""
    report = services.request_report(format=Report.Format.CSV, version=version)
    assert [task.status for task in tasks_for(report)] == [TaskResultStatus.READY]
    DBTaskResult.objects.all().delete()
    return report


def test_a_report_whose_task_was_removed_is_queued_again_and_made_by_the_worker(version):
    report = lost(version)
    work()  # nothing in the queue: the report keeps waiting
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED

    # Within the limit nothing happens; after it, the report is queued once more.
    assert recover().requeued == 0
    assert recover(after_the_limit()).requeued == 1
    work()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 1)
    assert report.file.read().startswith(b"\xef\xbb\xbf")  # the CSV
    assert kinds(report) == ["requested", "retried", "generated"]
    assert report.events.get(kind="retried").details["reason"] == "task lost"


def test_a_report_whose_task_waits_in_the_queue_is_left_alone(version):
    """However long it waits (the worker may be down): its task is there."""
    report = services.request_report(format=Report.Format.CSV, version=version)

    recovered = recover(after_the_limit() + datetime.timedelta(days=1))
    work()

    report.refresh_from_db()
    assert (recovered.requeued, recovered.failed) == (0, 0)
    assert report.status == Report.Status.DONE
    assert kinds(report) == ["requested", "generated"]
    assert len(tasks_for(report)) == 1


def test_a_made_report_is_never_made_again_when_its_tasks_are_pruned(version):
    report = lost(version)
    recover(after_the_limit())
    work()
    report.refresh_from_db()
    made = (report.status, report.file.name, report.file_sha256, report.finished_at)
    assert made[0] == Report.Status.DONE

    DBTaskResult.objects.all().delete()  # finished tasks pruned: nothing of it in the queue
    recovered = recover(after_the_limit() + datetime.timedelta(days=1))
    work()

    report.refresh_from_db()
    assert (recovered.requeued, recovered.failed) == (0, 0)
    assert (report.status, report.file.name, report.file_sha256, report.finished_at) == made
    assert kinds(report) == ["requested", "retried", "generated"]
    assert DBTaskResult.objects.count() == 0


def test_a_report_whose_task_a_dead_worker_took_long_ago_is_queued_again(version):
    """The worker took the task and died before it took the report on: the task row says
    "running" for ever, the report "waiting"."""
    report = services.request_report(format=Report.Format.CSV, version=version)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    assert recover(after_the_limit()).requeued == 1
    work()

    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_a_report_whose_task_is_lost_twice_is_marked_failed(version):
    report = lost(version)
    assert recover(after_the_limit()).requeued == 1
    DBTaskResult.objects.all().delete()

    recovered = recover(after_the_limit())

    report.refresh_from_db()
    assert (recovered.requeued, recovered.failed) == (0, 1)
    assert report.status == Report.Status.FAILED
    assert report.error == (
        "The task for this report never reached the background worker (2 times)."
    )
    assert kinds(report) == ["requested", "retried", "failed"]
    assert tasks_for(report) == []


# Two runs at once ----------------------------------------------------------------------


class AnotherRun:
    """Another run of the command, in its own thread with its own database connection,
    that starts when this connection is about to run a statement that ``when`` picks."""

    def __init__(self, when: Callable[[str], bool], now: datetime.datetime):
        self.when, self.now = when, now
        self.recovered = None
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            self.recovered = recover(self.now)
        finally:
            connections.close_all()

    def __call__(self, execute, sql, params, many, context):
        if self.thread is None and self.when(sql):
            self.thread = threading.Thread(target=self._run)
            self.thread.start()
            self.thread.join(timeout=10)  # one that waits for our lock goes on at commit
        return execute(sql, params, many, context)

    def finish(self):
        assert self.thread is not None, "the other run never started"
        self.thread.join(timeout=30)
        return self.recovered


def test_a_run_overtaken_by_another_does_not_queue_the_report_again(version):
    """The other run queues the report between this run's look and its own lock."""
    report = lost(version)
    now = after_the_limit()
    # The first statement of the transaction that takes the report's lock: BEGIN on
    # SQLite (it takes the write lock), the locking SELECT on PostgreSQL.
    other = AnotherRun(lambda sql: sql.startswith("BEGIN") or "FOR UPDATE" in sql, now)
    with connection.execute_wrapper(other):
        this = recover(now)

    assert (other.finish().requeued, this.requeued, this.failed) == (1, 0, 0)
    assert len(tasks_for(report)) == 1
    assert kinds(report) == ["requested", "retried"]


def test_two_runs_at_once_queue_a_lost_report_once(version):
    """The other run comes while this one holds the report's lock."""
    if connection.vendor != "postgresql":
        # The test's SQLite database is shared in memory, where a second writer fails at
        # once instead of waiting; on a database file it waits for the first to commit,
        # as the overtaken run above shows.
        pytest.skip("needs row locks another connection waits for (PostgreSQL)")
    report = lost(version)
    now = after_the_limit()

    def about_to_queue(sql: str) -> bool:
        # This run took the lock and looked again: it is about to log and queue.
        return connection.in_atomic_block and sql.startswith("INSERT")

    other = AnotherRun(about_to_queue, now)
    with connection.execute_wrapper(other):
        this = recover(now)

    assert this.requeued + other.finish().requeued == 1
    assert len(tasks_for(report)) == 1
    assert kinds(report) == ["requested", "retried"]
