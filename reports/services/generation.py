"""Making a report's file: run by the background task (reports.tasks) or, for the
command line, directly.

The ledger is checked first (its result goes on the cover), the figures are counted in
the database, then the renderer for the format writes the file from rows read in
chunks, reporting progress. The file is stored with its SHA-256; the row says how far
the work is, so that HR sees progress and a download when it is ready.

While it works it beats (portal.heartbeat): a report whose worker died is handed to the
worker once more by the periodic command (reports.services.recovery). Every write after taking
the report on names the attempt, so a worker that was replaced writes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from acknowledgements.selectors import ledger_head
from portal.heartbeat import Heartbeat
from reports import selectors as data
from reports.models import Report, ReportEvent

if TYPE_CHECKING:
    from acknowledgements.selectors.verification import VerificationResult

logger = logging.getLogger(__name__)

RENDERERS: dict[tuple[str, str], str] = {
    (Report.Kind.COMPLIANCE, Report.Format.PDF): "reports.pdf.render.render_compliance",
    (Report.Kind.COMPLIANCE, Report.Format.CSV): "reports.tabular.render_csv",
    (Report.Kind.COMPLIANCE, Report.Format.XLSX): "reports.tabular.render_xlsx",
    (Report.Kind.INDIVIDUAL, Report.Format.PDF): "reports.pdf.render.render_individual",
}
EXTENSIONS: dict[str, str] = {
    Report.Format.PDF: "pdf",
    Report.Format.CSV: "csv",
    Report.Format.XLSX: "xlsx",
}
# Progress is written to the database every so many rows (not for each row).
PROGRESS_EVERY = 250


@dataclass
class ReportContext:
    """Everything a renderer needs; ``rows()`` reads the people afresh each time."""

    report: Report
    generated_at: datetime.datetime
    generated_by: str
    ledger_ok: bool
    ledger_summary: str  # in English, for the log
    ledger: object = (
        None  # acknowledgements.selectors.verification.VerificationResult, to phrase it
    )
    scope: data.Scope | None = None
    summary: data.Summary | None = None
    progress: Callable[[int], None] = field(default=lambda done: None)

    def rows(self) -> Iterator[dict[str, Any]]:
        assert self.scope is not None  # set for the compliance report, the one with rows
        return data.rows(scope=self.scope)

    @property
    def language(self) -> str:
        return self.report.language


def _file_name(report: Report) -> str:
    stem = "dossier" if report.kind == Report.Kind.INDIVIDUAL else "nalevingsrapportage"
    return f"{stem}-{report.number}.{EXTENSIONS[report.format]}"


def ledger_check() -> tuple[VerificationResult, str]:
    """The ledger check at this moment: the result, and a line for the log."""
    from acknowledgements.selectors.verification import verify_chain

    # The problem is phrased in English: the log line is English, and a report in
    # another language translates the message id (reports.pdf.render).
    with translation.override("en"):
        result = verify_chain()
    if result.ok:
        return result, (
            f"OK: {result.checked} entries checked; last entry {result.head_sequence}, "
            f"hash {result.head_hash}"
        )
    assert result.first_problem is not None  # not ok: there is a first problem
    sequence, problem = result.first_problem
    return result, f"NOT OK: entry {sequence}: {problem}"


def _this_attempt(report: Report) -> QuerySet[Report]:
    """The report's row while this attempt runs it: empty once it finished, failed or
    was handed to another worker."""
    return Report.objects.filter(
        pk=report.pk, status=Report.Status.RUNNING, attempts=report.attempts
    )


def _progress_writer(report: Report) -> Callable[[int], None]:
    last = {"written": 0}

    def progress(done: int) -> None:
        if done - last["written"] >= PROGRESS_EVERY or done == report.progress_total:
            # The progress is a heartbeat too (the thread beats between them).
            _this_attempt(report).update(progress_done=done, heartbeat_at=timezone.now())
            last["written"] = done

    return progress


def generate(*, report_id: int, now: datetime.datetime | None = None) -> Report:
    """Make the report's file. A report that is not waiting (made already, or being
    made by another worker) is left alone, so a task delivered twice is harmless."""
    now = now or timezone.now()
    started = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING,
        started_at=now,
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    report = Report.objects.select_related(
        "campaign", "guideline", "version__guideline", "employee", "requested_by"
    ).get(pk=report_id)
    if not started:
        return report
    try:
        with Heartbeat(_this_attempt(report)):
            _generate(report, now)
    except Exception as error:
        logger.exception("Report %s failed", report.number)
        failed = _this_attempt(report).update(
            status=Report.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        if failed:
            ReportEvent.objects.create(
                kind=ReportEvent.Kind.FAILED, report=report, details={"error": str(error)[:500]}
            )
        raise
    report.refresh_from_db()
    return report


def _generate(report: Report, now: datetime.datetime) -> None:
    ledger, ledger_summary = ledger_check()
    ledger_ok = ledger.ok
    # The head as the report is made, printed in it (an anchor kept outside the database).
    head = ledger_head()
    report.ledger_head_sequence, report.ledger_head_hash = head.sequence, head.record_hash
    context = ReportContext(
        report=report,
        generated_at=now,
        generated_by=report.requested_by.full_name if report.requested_by else "",
        ledger_ok=ledger_ok,
        ledger_summary=ledger_summary,
        ledger=ledger,
    )
    total = 1
    if report.kind == Report.Kind.COMPLIANCE:
        context.scope = data.scope_of(report=report)
        context.summary = data.summary(scope=context.scope)
        total = context.summary.overall.total
    _this_attempt(report).update(
        progress_total=total,
        ledger_ok=ledger_ok,
        ledger_summary=ledger_summary,
        ledger_head_sequence=head.sequence,
        ledger_head_hash=head.record_hash,
        heartbeat_at=timezone.now(),
    )
    report.progress_total = total
    context.progress = _progress_writer(report)
    render = import_string(RENDERERS[(report.kind, report.format)])
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as out:
        render(context, out)
        out.seek(0)
        for chunk in iter(lambda: out.read(1 << 20), b""):
            digest.update(chunk)
        size = out.tell()
        out.seek(0)
        report.file.save(_file_name(report), File(out), save=False)
    finished = timezone.now()
    made = _this_attempt(report).update(
        status=Report.Status.DONE,
        file=report.file.name,
        file_sha256=digest.hexdigest(),
        file_size=size,
        progress_done=total,
        finished_at=finished,
        expires_at=finished + datetime.timedelta(days=settings.REPORTS_RETENTION_DAYS),
    )
    if not made:
        # Given up on while it worked (its heartbeat had stopped): another attempt or
        # a failure stands; this file is nobody's.
        logger.warning("Report %s: attempt %s was replaced", report.number, report.attempts)
        report.file.delete(save=False)
        return
    ReportEvent.objects.create(
        kind=ReportEvent.Kind.GENERATED,
        report=report,
        details={"sha256": digest.hexdigest(), "size": size, "rows": total},
    )
