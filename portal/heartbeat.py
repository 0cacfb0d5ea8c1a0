"""Heartbeats of running background work, and what becomes of work whose heartbeat stopped.

The worker of django-tasks-db leaves a task "running" for ever when its process dies,
and a restarted worker never takes it up. So work whose row records its progress (a
``reports.Report``, an ``acknowledgements.LedgerCheck``) keeps its own state:

- taking the work on (waiting -> running) adds one to the row's ``attempts`` and sets
  ``heartbeat_at``; while it runs, ``Heartbeat`` writes ``heartbeat_at`` again every
  WORK_HEARTBEAT_SECONDS from a thread (one UPDATE of one row), so that a long step
  without progress (laying out a PDF, signing it) still beats;
- every later write of the work names its attempt, so a worker that was given up on
  (and replaced) can no longer write anything;
- work running without a heartbeat for WORK_STALLED_AFTER_SECONDS lost its worker:
  ``recover_stalled_work`` (run by ``run_campaigns`` and ``recover_stalled_work``) hands
  it to the worker once more, and marks it failed when that attempt is lost too;
- work waiting for WORK_TASK_LOST_AFTER_SECONDS with no task for it in the queue lost
  its task (the process died between saving the work and queueing its task, the queueing
  failed, or the task row was removed): ``recover_stalled_work`` queues it once more
  (``tasks_in_queue`` reads the queue), and marks it failed when that task is lost too.

Campaign launches and the staff import run inside one transaction of a request (a crash
undoes them), the dashboard figures are asked for again once they are old, and reminders
keep their own claim (campaigns.services.delivery): none of them can stay "running".
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# A first run and one retry: work whose worker died twice is marked failed.
MAX_ATTEMPTS = 2

# Each returns a Recovered for its kind of work (they run in this order).
RECOVERIES = (
    "reports.services.recovery.recover_stalled_reports",
    "acknowledgements.services.ledger_checks.recover_stalled_checks",
)


def heartbeat_seconds() -> int:
    return settings.WORK_HEARTBEAT_SECONDS


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORK_STALLED_AFTER_SECONDS)


# A row's last sign of life: its heartbeat; without one (rows from before heartbeats)
# its start, or its request.
SIGNS_OF_LIFE = ("heartbeat_at", "started_at", "requested_at")


def stalled(now: datetime.datetime) -> Q:
    """Rows whose last sign of life is older than the stall limit. Pair it with the
    running state."""
    cutoff = now - stalled_after()
    condition = Q()
    for index, field in enumerate(SIGNS_OF_LIFE):
        none_before = {f"{earlier}__isnull": True for earlier in SIGNS_OF_LIFE[:index]}
        condition |= Q(**none_before, **{f"{field}__lt": cutoff})
    return condition


def task_lost_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORK_TASK_LOST_AFTER_SECONDS)


def tasks_in_queue(task: Task, *, now: datetime.datetime) -> set[object] | None:
    """The first arguments (the rows' ids) of ``task``'s tasks that are waiting in the
    queue, or were taken by a worker less than WORK_TASK_LOST_AFTER_SECONDS ago (one
    taken longer ago, whose work still waits, lost its worker before it began). None
    when the task backend keeps no queue the portal can read: only django-tasks-db's
    database queue is read."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    rows = DBTaskResult.objects.filter(task_path=task.module_path, backend_name=task.backend)
    rows = rows.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=now - task_lost_after())
    )
    ids: set[object] = set()
    for args_kwargs in rows.values_list("args_kwargs", flat=True):
        args = args_kwargs.get("args") or list(args_kwargs.get("kwargs", {}).values())
        if args:
            ids.add(args[0])
    return ids


def is_stalled(row, now: datetime.datetime) -> bool:
    """The same test as ``stalled`` for a row in hand."""
    last = next((getattr(row, field) for field in SIGNS_OF_LIFE if getattr(row, field)), None)
    return last is not None and last < now - stalled_after()


class Heartbeat:
    """``with Heartbeat(rows):`` writes ``heartbeat_at`` on ``rows`` (the running row of
    this attempt) every ``every`` seconds until the block ends, from a thread with its
    own database connection. Inside a transaction nobody else could see the beats, so
    there none are written (tests that make a report in the test's transaction)."""

    def __init__(self, rows: QuerySet, *, every: float | None = None):
        self.rows = rows
        self.every = every if every is not None else heartbeat_seconds()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block:
            self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.every + 5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not self.rows.update(heartbeat_at=timezone.now()):
                        return  # finished, or given up on: nothing left to beat for
                except Exception:  # a busy SQLite file, a dropped connection: beat later
                    logger.warning("Heartbeat not written", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections


@dataclass
class Recovered:
    """What recovery did to one kind of work."""

    retried: int = 0
    failed: int = 0
    # Waiting work whose task never reached the queue (or left it), queued once more.
    requeued: int = 0


def recover_stalled_work(*, now: datetime.datetime | None = None) -> dict[str, Recovered]:
    """Hand every kind of stalled work to the worker once more, or mark it failed."""
    now = now or timezone.now()
    done = {}
    for path in RECOVERIES:
        recover: Callable[..., Recovered] = import_string(path)
        done[path.rsplit(".", 1)[0]] = recover(now=now)
    return done
