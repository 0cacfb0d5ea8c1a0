"""Reports whose worker died while making them, and waiting reports whose task was lost
(see portal.heartbeat).

A report "being made" whose heartbeat stopped for WORK_STALLED_AFTER_SECONDS is handed
to the worker once more; when that attempt is lost too, it is marked failed and HR can
try again with the button on the report's page (reports.services.retry_report).

A report is saved first and its task queued once that commits: a process that dies in
between, a queueing that fails, or a task row removed by hand leaves it "waiting" with
nothing in the queue. One waiting for WORK_TASK_LOST_AFTER_SECONDS (since it was asked
for, or last handed on) with no task for it in the queue is queued once more; when that
task is lost too, it is marked failed.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.heartbeat import MAX_ATTEMPTS, Recovered, stalled, task_lost_after, tasks_in_queue
from reports.models import Report, ReportEvent

logger = logging.getLogger(__name__)

# Kept in the row (technical detail, in English like the other errors).
WORKER_STOPPED = "The background worker stopped while making this report (%(attempts)s times)."
TASK_LOST = "The task for this report never reached the background worker (%(times)s times)."
# At most this many per run: the next run takes the rest.
BATCH = 100
# The reason in the log of a report queued once more because its task was lost.
LOST_TASK_REASON = "task lost"


def recover_stalled_reports(*, now: datetime.datetime | None = None) -> Recovered:
    """Queue waiting reports whose task was lost once more, hand stalled reports to the
    worker once more, or mark either failed."""
    from reports.tasks import generate_report

    now = now or timezone.now()
    # First the waiting ones: a report handed on below has its task queued at commit.
    recovered = requeue_lost_reports(now=now)
    candidates = (
        Report.objects.filter(status=Report.Status.RUNNING)
        .filter(stalled(now))
        .values_list("pk", "attempts")
        .order_by("pk")[:BATCH]
    )
    for pk, attempts in candidates:
        # The same conditions again in the update: a worker that beat meanwhile, or
        # another run of this command, wins.
        rows = Report.objects.filter(pk=pk, status=Report.Status.RUNNING, attempts=attempts)
        rows = rows.filter(stalled(now))
        with transaction.atomic():
            if attempts < MAX_ATTEMPTS:
                if not rows.update(status=Report.Status.QUEUED, heartbeat_at=None, progress_done=0):
                    continue
                ReportEvent.objects.create(
                    kind=ReportEvent.Kind.RETRIED,
                    report_id=pk,
                    details={"reason": "worker stopped", "attempts": attempts},
                )
                transaction.on_commit(partial(generate_report.enqueue, pk))
                recovered.retried += 1
            else:
                error = WORKER_STOPPED % {"attempts": attempts}
                if not rows.update(status=Report.Status.FAILED, finished_at=now, error=error):
                    continue
                ReportEvent.objects.create(
                    kind=ReportEvent.Kind.FAILED,
                    report_id=pk,
                    details={"error": error, "attempts": attempts},
                )
                recovered.failed += 1
    return recovered


def _waiting_since() -> Coalesce:
    """When a waiting report was last put in the queue: its request, or the last time
    it was handed to the worker again (by HR's button or by recovery)."""
    queued = ReportEvent.objects.filter(
        report=OuterRef("pk"), kind__in=(ReportEvent.Kind.REQUESTED, ReportEvent.Kind.RETRIED)
    ).order_by("-at", "-pk")
    return Coalesce(Subquery(queued.values("at")[:1]), F("requested_at"))


def requeue_lost_reports(*, now: datetime.datetime | None = None) -> Recovered:
    """Queue once more each report that has waited longer than WORK_TASK_LOST_AFTER_SECONDS
    with no task for it in the queue; mark it failed when the task queued that way was
    lost too. Only waiting reports qualify: one that is being made, made, failed or
    removed is never queued here. Safe when two runs meet: each report is locked and
    looked at again before anything is queued."""
    from reports.tasks import generate_report

    now = now or timezone.now()
    recovered = Recovered()
    in_queue = tasks_in_queue(generate_report, now=now)
    if in_queue is None:
        return recovered  # a task backend without a queue to read: nothing to judge by
    cutoff = now - task_lost_after()
    waiting = (
        Report.objects.filter(status=Report.Status.QUEUED)
        .annotate(waiting_since=_waiting_since())
        .filter(waiting_since__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lost = [pk for pk in waiting.iterator() if pk not in in_queue][:BATCH]
    for pk in lost:
        with transaction.atomic():
            # Locked (another run skips it; SQLite takes the write lock at the start of
            # the transaction), then every condition again: a worker may have taken it
            # on, HR or another run may have queued it meanwhile.
            report = (
                Report.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, status=Report.Status.QUEUED)
                .annotate(waiting_since=_waiting_since())
                .filter(waiting_since__lt=cutoff)
                .first()
            )
            if report is None or pk in (tasks_in_queue(generate_report, now=now) or set()):
                continue
            last = report.events.filter(
                kind__in=(ReportEvent.Kind.REQUESTED, ReportEvent.Kind.RETRIED)
            ).order_by("-at", "-pk")[0]
            if last.details.get("reason") == LOST_TASK_REASON:
                _fail_lost(report, now=now)
                recovered.failed += 1
                continue
            ReportEvent.objects.create(
                kind=ReportEvent.Kind.RETRIED,
                report=report,
                details={
                    "reason": LOST_TASK_REASON,
                    "waiting_since": report.waiting_since.isoformat(),
                },
            )
            # Queued in this transaction (the database queue): committed with its log
            # row, and seen by any run that looks after this one.
            generate_report.enqueue(pk)
            logger.warning(
                "Report %s waited since %s with no task in the queue: queued once more",
                report.number,
                report.waiting_since.isoformat(),
            )
            recovered.requeued += 1
    return recovered


def _fail_lost(report: Report, *, now: datetime.datetime) -> None:
    error = TASK_LOST % {"times": MAX_ATTEMPTS}
    Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED).update(
        status=Report.Status.FAILED, finished_at=now, error=error
    )
    ReportEvent.objects.create(
        kind=ReportEvent.Kind.FAILED,
        report=report,
        details={"error": error, "reason": LOST_TASK_REASON},
    )
    logger.warning("Report %s: its task was lost again; marked failed", report.number)
