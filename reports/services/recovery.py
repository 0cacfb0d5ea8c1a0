"""Reports whose worker died while making them (see portal.heartbeat).

A report "being made" whose heartbeat stopped for WORK_STALLED_AFTER_SECONDS is handed
to the worker once more; when that attempt is lost too, it is marked failed and HR can
try again with the button on the report's page (reports.services.retry_report).
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.heartbeat import MAX_ATTEMPTS, Recovered, stalled
from reports.models import Report, ReportEvent

# Kept in the row (technical detail, in English like the other errors).
WORKER_STOPPED = "The background worker stopped while making this report (%(attempts)s times)."
# At most this many per run: the next run takes the rest.
BATCH = 100


def recover_stalled_reports(*, now: datetime.datetime | None = None) -> Recovered:
    """Hand stalled reports to the worker once more, or mark them failed."""
    from reports.tasks import generate_report

    now = now or timezone.now()
    recovered = Recovered()
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
