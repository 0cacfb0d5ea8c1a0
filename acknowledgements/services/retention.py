"""Retention (Selectielijst gemeenten 2020) with a destruction list for the archivist.

``apply_retention`` removes what the portal no longer may keep:

- acknowledgement evidence (and the tips read) of employees whose employment ended more
  than RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT years ago: a personnel file
  item. Erased with corrections.erase_employee: an ERASURE entry each, so the chain keeps
  verifying; other apps erase what they keep about these people on the
  ``personal_data_erased`` signal (the exemptions' reasons);
- quiz attempts (with their served questions and answers) submitted more than
  RETENTION_QUIZ_ATTEMPT_YEARS years ago: internal training. An attempt that a kept
  acknowledgement refers to (the quiz that qualified it) stays as long as that record.

Every run writes a destruction list (vernietigingslijst): a CSV, UTF-8 with BOM and
``;``, one line per removed item, under MEDIA_ROOT/retention/, its cells never a
formula to Excel (portal.spreadsheets.text_cell). A dry run removes nothing and writes
the list as a proposal.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements import services
from acknowledgements.models import Acknowledgement, Notification, TipRead
from acknowledgements.services import corrections
from acknowledgements.signals import personal_data_erased
from people.models import Employee
from portal.spreadsheets import text_cell
from quizzes.models import Answer, Attempt, AttemptQuestion

logger = logging.getLogger("acknowledgements.services.retention")

LEGAL_GROUND = "Selectielijst gemeenten 2020"
DIRECTORY = "retention"
DELETE_CHUNK = 500


class Category:
    ACKNOWLEDGEMENT = "acknowledgement"
    TIPS_READ = "tips_read"
    NOTIFICATIONS = "notifications"
    QUIZ_ATTEMPT = "quiz_attempt"


@dataclass(frozen=True)
class RemovedItem:
    category: str
    identifier: str
    employee_number: str
    description: str
    period: str
    legal_ground: str


@dataclass
class RetentionReport:
    today: datetime.date
    dry_run: bool
    employment_ended_before: datetime.date
    attempts_submitted_before: datetime.date
    employees: int = 0
    acknowledgements: int = 0
    tip_reads: int = 0
    attempts: int = 0
    attempts_kept_as_evidence: int = 0
    abandoned_uploads: int = 0
    items: list[RemovedItem] = field(default_factory=list)
    removed_at: datetime.datetime | None = None
    path: Path | None = None


# Scans uploaded in the first step of an on-behalf record wait here for the confirmation
# (acknowledgements.views.on_behalf); one left for a day was abandoned.
PENDING_UPLOADS_DIR = "ledger/pending"
ABANDONED_AFTER = datetime.timedelta(days=1)


def remove_abandoned_uploads(*, now: datetime.datetime, dry_run: bool = False) -> int:
    """Remove scans of on-behalf records that were never confirmed; returns how many.

    They never became records, so they are not on the destruction list."""
    try:
        _folders, names = default_storage.listdir(PENDING_UPLOADS_DIR)
    except FileNotFoundError:
        return 0
    stale = [
        f"{PENDING_UPLOADS_DIR}/{name}"
        for name in names
        if now - default_storage.get_modified_time(f"{PENDING_UPLOADS_DIR}/{name}")
        > ABANDONED_AFTER
    ]
    if not dry_run:
        for path in stale:
            default_storage.delete(path)
    return len(stale)


def years_before(*, day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _day(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply_retention(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    recorded_by: Employee | None = None,
) -> RetentionReport:
    """Apply the retention periods as of ``today`` (default: today). ``recorded_by``
    None: a system run (the management command); otherwise HR, who needs the
    permission to erase. Returns what was (dry run: would be) removed, and the list."""
    if recorded_by is not None and not recorded_by.has_perm(services.MANAGE_PERMISSION):
        raise PermissionDenied(_("You may not do this."))
    today = today or timezone.localdate()
    ack_years = settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    attempt_years = settings.RETENTION_QUIZ_ATTEMPT_YEARS
    report = RetentionReport(
        today=today,
        dry_run=dry_run,
        employment_ended_before=years_before(day=today, years=ack_years),
        attempts_submitted_before=years_before(day=today, years=attempt_years),
    )
    now = timezone.now()
    with transaction.atomic():
        _acknowledgements(report, ack_years, recorded_by=recorded_by, now=now)
        _attempts(report, attempt_years)
    report.abandoned_uploads = remove_abandoned_uploads(now=now, dry_run=dry_run)
    report.removed_at = None if dry_run else now
    report.path = _write_destruction_list(report, now=now)
    logger.info(
        "Retention%s: %s acknowledgements of %s employees, %s tips read, %s quiz attempts; list %s",
        " (dry run)" if dry_run else "",
        report.acknowledgements,
        report.employees,
        report.tip_reads,
        report.attempts,
        report.path,
    )
    return report


def _acknowledgements(
    report: RetentionReport,
    years: int,
    *,
    recorded_by: Employee | None,
    now: datetime.datetime,
) -> None:
    cutoff = report.employment_ended_before
    ground = f"{LEGAL_GROUND} – " + _("%(years)s years after employment ended") % {"years": years}
    records = list(
        Acknowledgement.objects.select_related("entry", "version", "employee")
        .filter(employee__end_date__lt=cutoff)
        .order_by("entry__sequence")
    )
    reads = list(
        TipRead.objects.filter(employee__end_date__lt=cutoff)
        .values("employee_id", "employee__employee_number", "employee__end_date")
        .annotate(count=Count("pk"), first=Min("first_opened_at"), last=Max("first_opened_at"))
        .order_by("employee__employee_number", "employee_id")
    )
    sent = list(
        Notification.objects.filter(employee__end_date__lt=cutoff)
        .values("employee_id", "employee__employee_number", "employee__end_date")
        .annotate(count=Count("pk"), first=Min("sent_at"), last=Max("sent_at"))
        .order_by("employee__employee_number", "employee_id")
    )
    for record in records:
        assert record.employee.end_date is not None  # employee__end_date__lt above
        kind = (
            _("Correction of an acknowledgement")
            if record.kind == "correction"
            else _("Acknowledgement")
        )
        report.items.append(
            RemovedItem(
                category=Category.ACKNOWLEDGEMENT,
                identifier=str(record.entry.sequence),
                employee_number=record.employee_number or record.employee.employee_number or "",
                description=_("%(kind)s of guideline version %(number)s; employment ended %(end)s")
                % {
                    "kind": kind,
                    "number": record.version.number,
                    "end": record.employee.end_date.isoformat(),
                },
                period=_day(record.signed_at),
                legal_ground=ground,
            )
        )
    for row in reads:
        assert row["employee__end_date"] is not None  # employee__end_date__lt above
        report.items.append(
            RemovedItem(
                category=Category.TIPS_READ,
                identifier="",
                employee_number=row["employee__employee_number"] or "",
                description=_("%(count)s tips read; employment ended %(end)s")
                % {"count": row["count"], "end": row["employee__end_date"].isoformat()},
                period=" – ".join(dict.fromkeys([_day(row["first"]), _day(row["last"])])),
                legal_ground=ground,
            )
        )
    for row in sent:
        assert row["employee__end_date"] is not None  # employee__end_date__lt above
        report.items.append(
            RemovedItem(
                category=Category.NOTIFICATIONS,
                identifier="",
                employee_number=row["employee__employee_number"] or "",
                description=_("%(count)s e-mails asking to sign again; employment ended %(end)s")
                % {"count": row["count"], "end": row["employee__end_date"].isoformat()},
                period=" – ".join(dict.fromkeys([_day(row["first"]), _day(row["last"])])),
                legal_ground=ground,
            )
        )
    report.acknowledgements = len(records)
    report.tip_reads = sum(row["count"] for row in reads)
    employees = {r.employee for r in records}
    report.employees = len({r.employee_id for r in records} | {row["employee_id"] for row in reads})
    if report.dry_run:
        return
    reason = _("Retention: %(years)s years after employment ended (%(ground)s)") % {
        "years": years,
        "ground": LEGAL_GROUND,
    }
    for employee in sorted(employees, key=lambda e: e.pk):
        corrections.erase_employee(
            employee=employee, recorded_by=recorded_by, reason=reason, now=now
        )
    TipRead.objects.filter(employee__end_date__lt=cutoff).delete()
    Notification.objects.filter(employee__end_date__lt=cutoff).delete()
    # Also those with no record here: an exemption's reason is about the person too.
    personal_data_erased.send(
        sender=Employee, employees=Employee.objects.filter(end_date__lt=cutoff), now=now
    )


def _attempts(report: RetentionReport, years: int) -> None:
    cutoff = _start_of(report.attempts_submitted_before)
    ground = f"{LEGAL_GROUND} – " + _("%(years)s years after the training") % {"years": years}
    old = Attempt.objects.filter(
        Q(submitted_at__lt=cutoff) | Q(submitted_at__isnull=True, started_at__lt=cutoff)
    )
    # The quiz that qualified an acknowledgement is part of its evidence: it stays while
    # the acknowledgement does (the foreign key protects it). Records erased above (or,
    # in a dry run, about to be) no longer count.
    erased = [
        int(item.identifier) for item in report.items if item.category == Category.ACKNOWLEDGEMENT
    ]
    evidence = (
        Acknowledgement.objects.filter(quiz_attempt__isnull=False)
        .exclude(entry__sequence__in=erased)
        .values("quiz_attempt_id")
    )
    report.attempts_kept_as_evidence = old.filter(pk__in=evidence).count()
    attempts = list(
        old.exclude(pk__in=evidence)
        .select_related("employee", "version")
        .order_by("submitted_at", "started_at", "pk")
    )
    for attempt in attempts:
        if attempt.submitted_at is None:
            result = _("not submitted")
        elif attempt.passed:
            result = _("passed")
        else:
            result = _("not passed")
        report.items.append(
            RemovedItem(
                category=Category.QUIZ_ATTEMPT,
                identifier=str(attempt.pk),
                employee_number=attempt.employee.employee_number or "",
                description=_("Quiz attempt on guideline version %(number)s, %(result)s")
                % {"number": attempt.version.number, "result": result},
                period=_day(attempt.submitted_at or attempt.started_at),
                legal_ground=ground,
            )
        )
    report.attempts = len(attempts)
    if report.dry_run:
        return
    ids = [attempt.pk for attempt in attempts]
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = ids[start : start + DELETE_CHUNK]
        Answer.chosen.through.objects.filter(answer__served__attempt_id__in=chunk).delete()
        Answer.objects.filter(served__attempt_id__in=chunk).delete()
        AttemptQuestion.objects.filter(attempt_id__in=chunk).delete()
        # Through the collector: should an acknowledgement have come to refer to one of
        # these meanwhile, ProtectedError undoes the whole run.
        Attempt.objects.filter(pk__in=chunk).delete()


def _category_label(category: str) -> str:
    return {
        Category.ACKNOWLEDGEMENT: _("Acknowledgement"),
        Category.TIPS_READ: _("Tips read"),
        Category.NOTIFICATIONS: _("E-mails asking to sign again"),
        Category.QUIZ_ATTEMPT: _("Quiz attempt"),
    }[category]


def _destruction_list_csv(report: RetentionReport) -> str:
    """The list as text (the BOM included): a header and one line per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Category"),
            _("Identifier"),
            _("Employee number"),
            _("Description"),
            _("Period"),
            _("Legal ground"),
            _("Removed at"),
            _("Status"),
        ]
    )
    removed_at = (
        timezone.localtime(report.removed_at).isoformat(timespec="seconds")
        if report.removed_at
        else ""
    )
    status = _("Proposal (dry run): nothing removed") if report.dry_run else _("Removed")
    for item in report.items:
        # Employee numbers and descriptions come from the staff import: never a formula.
        writer.writerow(
            [
                text_cell(value)
                for value in (
                    _category_label(item.category),
                    item.identifier,
                    item.employee_number,
                    item.description,
                    item.period,
                    item.legal_ground,
                    removed_at,
                    status,
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _write_destruction_list(report: RetentionReport, *, now: datetime.datetime) -> Path:
    """Write the list under MEDIA_ROOT/retention/ and return its path. A dry run's list
    is marked as a proposal ("-voorstel") in its name and in every line."""
    directory = Path(settings.MEDIA_ROOT) / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    suffix = "-voorstel" if report.dry_run else ""
    path = directory / f"vernietigingslijst-{stamp}{suffix}.csv"
    number = 1
    while path.exists():  # two runs in one second: keep both lists
        number += 1
        path = directory / f"vernietigingslijst-{stamp}{suffix}-{number}.csv"
    path.write_text(_destruction_list_csv(report), encoding="utf-8", newline="")
    return path
