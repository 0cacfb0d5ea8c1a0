"""Retention (Selectielijst gemeenten 2020): what is due for destruction, and removing it.

Nothing is removed without an approved destruction list (vernietigingslijst):
``acknowledgements.services.destruction`` proposes one from ``due_for_destruction``,
records the archivist's approval (verklaring van vernietiging) and carries it out with
``remove_due``, which removes only what is on the list and still due. Per category
(docs/privacy.md, "Retention"):

- a leaver whose employment ended more than
  RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT years ago (a personnel file item):
  their acknowledgements (erased with corrections.erase_employee: an ERASURE entry
  each, so the chain keeps verifying), tips read and e-mails asking to sign again are
  removed; what the apps above keep about them is listed through
  ``hooks.retained_items`` and removed on ``signals.retention_ended`` (the campaigns:
  reminders and the mail log; the assignments stay as anonymous figures, their
  exemption reasons cleared on ``personal_data_erased``); their invitations and their
  names in the staff import's log are removed, and the employee row is pseudonymised
  (people.services.pseudonymisation);
- quiz attempts (with their served questions and answers) submitted more than
  RETENTION_QUIZ_ATTEMPT_YEARS years ago: internal training. An attempt that a kept
  acknowledgement refers to (the quiz that qualified it) stays as long as that record.

The list as a file: acknowledgements.services.destruction_csv.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acknowledgements import hooks
from acknowledgements.models import Acknowledgement, Notification, TipRead
from acknowledgements.services import corrections
from acknowledgements.signals import personal_data_erased, retention_ended
from people.models import Employee, Invitation, StaffImport
from people.services.pseudonymisation import pseudonymise_employees, pseudonymised_q
from quizzes.models import Answer, Attempt, AttemptQuestion

logger = logging.getLogger("acknowledgements.services.retention")

LEGAL_GROUND = "Selectielijst gemeenten 2020"
DELETE_CHUNK = 500


class Category:
    """The keys of the destruction list's categories: those of the register of personal
    data (portal.personal_data, the own-data export) for the same data."""

    EMPLOYEE = "profile"
    ACKNOWLEDGEMENT = "acknowledgements"
    TIPS_READ = "tips_read"
    NOTIFICATIONS = "notifications"
    INVITATIONS = "invitations"
    STAFF_IMPORT_LOG = "staff_imports"
    QUIZ_ATTEMPT = "quiz_attempts"


@dataclass(frozen=True)
class RemovedItem:
    category: str
    identifier: str
    employee_number: str
    description: str
    period: str
    legal_ground: str
    # The category's name for the list when another app lists it (hooks.RetainedItem).
    label: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "category": self.category,
            "identifier": self.identifier,
            "employee_number": self.employee_number,
            "description": self.description,
            "period": self.period,
            "legal_ground": self.legal_ground,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> RemovedItem:
        return cls(
            category=data["category"],
            identifier=data["identifier"],
            employee_number=data["employee_number"],
            description=data["description"],
            period=data["period"],
            legal_ground=data["legal_ground"],
            label=data.get("label", ""),
        )


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
    # The leavers (employee keys) and quiz attempts (keys) the report covers.
    employee_ids: list[int] = field(default_factory=list)
    attempt_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "employees": self.employees,
            "acknowledgements": self.acknowledgements,
            "tip_reads": self.tip_reads,
            "attempts": self.attempts,
            "attempts_kept_as_evidence": self.attempts_kept_as_evidence,
        }


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


def _period(first: datetime.datetime | None, last: datetime.datetime | None) -> str:
    return " – ".join(dict.fromkeys([_day(first), _day(last)]))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _new_report(*, today: datetime.date | None, dry_run: bool) -> RetentionReport:
    today = today or timezone.localdate()
    return RetentionReport(
        today=today,
        dry_run=dry_run,
        employment_ended_before=years_before(
            day=today, years=settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
        ),
        attempts_submitted_before=years_before(
            day=today, years=settings.RETENTION_QUIZ_ATTEMPT_YEARS
        ),
    )


def due_for_destruction(*, today: datetime.date | None = None) -> RetentionReport:
    """Everything the retention periods say must go as of ``today`` (default: today),
    item by item, for a proposed destruction list. Removes nothing."""
    report = _new_report(today=today, dry_run=True)
    _acknowledgements(report, employee_ids=None, recorded_by=None, now=timezone.now())
    _attempts(report, attempt_ids=None)
    return report


def remove_due(
    *,
    employee_ids: list[int],
    attempt_ids: list[int],
    today: datetime.date | None = None,
    recorded_by: Employee | None,
    now: datetime.datetime,
) -> RetentionReport:
    """Remove what is due of these leavers and quiz attempts (those of an approved
    destruction list), as of ``today``: one no longer due (a leaver who came back, an
    attempt that became evidence) stays; anything not named waits for the next list.
    The caller (destruction.carry_out_destruction) checks the approval and holds the
    transaction. Returns what was removed."""
    report = _new_report(today=today, dry_run=False)
    _acknowledgements(report, employee_ids=employee_ids, recorded_by=recorded_by, now=now)
    _attempts(report, attempt_ids=attempt_ids)
    report.removed_at = now
    logger.info(
        "Retention: %s acknowledgements of %s employees, %s tips read, %s quiz attempts",
        report.acknowledgements,
        report.employees,
        report.tip_reads,
        report.attempts,
    )
    return report


def _staff_import_mentions(employees: list[Employee]) -> dict[int, int]:
    """How many staff import logs name each of these people (by number), by key."""
    by_number = {e.employee_number: e.pk for e in employees if e.employee_number}
    counts: dict[int, int] = {}
    if not by_number:
        return counts

    def numbers_in(value: object) -> set[str]:
        found: set[str] = set()
        if isinstance(value, dict):
            number = str(value.get("number", ""))
            if number in by_number:
                found.add(number)
            for item in value.values():
                found |= numbers_in(item)
        elif isinstance(value, list):
            for item in value:
                found |= numbers_in(item)
        elif isinstance(value, str):
            found |= {number for number in by_number if number in value}
        return found

    for log in StaffImport.objects.only("pk", "changes", "problems").iterator(chunk_size=200):
        for number in numbers_in(log.changes) | numbers_in(log.problems):
            counts[by_number[number]] = counts.get(by_number[number], 0) + 1
    return counts


def _acknowledgements(
    report: RetentionReport,
    *,
    employee_ids: list[int] | None,
    recorded_by: Employee | None,
    now: datetime.datetime,
) -> None:
    cutoff = report.employment_ended_before
    years = settings.RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT
    ground = f"{LEGAL_GROUND} – " + _("%(years)s years after employment ended") % {"years": years}
    leavers_q = Employee.objects.filter(end_date__lt=cutoff).exclude(pseudonymised_q())
    if employee_ids is not None:
        leavers_q = leavers_q.filter(pk__in=employee_ids)
    leavers = list(leavers_q.order_by("employee_number", "pk"))
    ids = [e.pk for e in leavers]
    records = list(
        Acknowledgement.objects.select_related("entry", "version", "employee")
        .filter(employee_id__in=ids)
        .order_by("entry__sequence")
    )
    reads = list(
        TipRead.objects.filter(employee_id__in=ids)
        .values("employee_id", "employee__employee_number", "employee__end_date")
        .annotate(count=Count("pk"), first=Min("first_opened_at"), last=Max("first_opened_at"))
        .order_by("employee__employee_number", "employee_id")
    )
    sent = list(
        Notification.objects.filter(employee_id__in=ids)
        .values("employee_id", "employee__employee_number", "employee__end_date")
        .annotate(count=Count("pk"), first=Min("sent_at"), last=Max("sent_at"))
        .order_by("employee__employee_number", "employee_id")
    )
    invitations = list(
        Invitation.objects.filter(employee_id__in=ids)
        .values("employee_id")
        .annotate(count=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .order_by("employee_id")
    )
    number_of = {e.pk: e.employee_number or "" for e in leavers}
    for record in records:
        assert record.employee.end_date is not None  # end_date__lt above
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
        assert row["employee__end_date"] is not None  # end_date__lt above
        report.items.append(
            RemovedItem(
                category=Category.TIPS_READ,
                identifier="",
                employee_number=row["employee__employee_number"] or "",
                description=ngettext(
                    "%(count)s tip read; employment ended %(end)s",
                    "%(count)s tips read; employment ended %(end)s",
                    row["count"],
                )
                % {"count": row["count"], "end": row["employee__end_date"].isoformat()},
                period=_period(row["first"], row["last"]),
                legal_ground=ground,
            )
        )
    for row in sent:
        assert row["employee__end_date"] is not None  # end_date__lt above
        report.items.append(
            RemovedItem(
                category=Category.NOTIFICATIONS,
                identifier="",
                employee_number=row["employee__employee_number"] or "",
                description=ngettext(
                    "%(count)s e-mail asking to sign again; employment ended %(end)s",
                    "%(count)s e-mails asking to sign again; employment ended %(end)s",
                    row["count"],
                )
                % {"count": row["count"], "end": row["employee__end_date"].isoformat()},
                period=_period(row["first"], row["last"]),
                legal_ground=ground,
            )
        )
    for invited in invitations:
        report.items.append(
            RemovedItem(
                category=Category.INVITATIONS,
                identifier="",
                employee_number=number_of[invited["employee_id"]],
                description=ngettext(
                    "%(count)s invitation to the portal: removed",
                    "%(count)s invitations to the portal: removed",
                    invited["count"],
                )
                % {"count": invited["count"]},
                period=_period(invited["first"], invited["last"]),
                legal_ground=ground,
            )
        )
    for employee_id, count in sorted(_staff_import_mentions(leavers).items()):
        report.items.append(
            RemovedItem(
                category=Category.STAFF_IMPORT_LOG,
                identifier="",
                employee_number=number_of[employee_id],
                description=ngettext(
                    "Named in %(count)s staff import log: name and number removed",
                    "Named in %(count)s staff import logs: name and number removed",
                    count,
                )
                % {"count": count},
                period="",
                legal_ground=ground,
            )
        )
    for item in hooks.retained_items(employee_ids=ids):
        report.items.append(
            RemovedItem(
                category=item.category,
                identifier="",
                employee_number=number_of.get(item.employee_id, ""),
                description=item.description,
                period=item.period,
                legal_ground=ground,
                label=item.label,
            )
        )
    for employee in leavers:
        assert employee.end_date is not None  # end_date__lt above
        report.items.append(
            RemovedItem(
                category=Category.EMPLOYEE,
                identifier=str(employee.pk),
                employee_number=employee.employee_number or "",
                description=_(
                    "Employee record (name, e-mail address, employee number, account): "
                    "pseudonymised; employment ended %(end)s"
                )
                % {"end": employee.end_date.isoformat()},
                period=(
                    f"{employee.start_date.isoformat()} – {employee.end_date.isoformat()}"
                    if employee.start_date
                    else employee.end_date.isoformat()
                ),
                legal_ground=ground,
            )
        )
    report.acknowledgements = len(records)
    report.tip_reads = sum(row["count"] for row in reads)
    report.employees = len(leavers)
    report.employee_ids = ids
    if report.dry_run or not leavers:
        return
    reason = _("Retention: %(years)s years after employment ended (%(ground)s)") % {
        "years": years,
        "ground": LEGAL_GROUND,
    }
    with_records = {r.employee_id for r in records}
    for employee in leavers:
        if employee.pk in with_records:
            corrections.erase_employee(
                employee=employee, recorded_by=recorded_by, reason=reason, now=now
            )
    TipRead.objects.filter(employee_id__in=ids).delete()
    Notification.objects.filter(employee_id__in=ids).delete()
    # Also those with no record here: an exemption's reason is about the person too.
    personal_data_erased.send(
        sender=Employee, employees=Employee.objects.filter(pk__in=ids), now=now
    )
    retention_ended.send(sender=Employee, employee_ids=ids, now=now)
    pseudonymise_employees(employees=leavers, now=now)


def _attempts(report: RetentionReport, *, attempt_ids: list[int] | None) -> None:
    years = settings.RETENTION_QUIZ_ATTEMPT_YEARS
    cutoff = _start_of(report.attempts_submitted_before)
    ground = f"{LEGAL_GROUND} – " + _("%(years)s years after the training") % {"years": years}
    old = Attempt.objects.filter(
        Q(submitted_at__lt=cutoff) | Q(submitted_at__isnull=True, started_at__lt=cutoff)
    )
    if attempt_ids is not None:
        old = old.filter(pk__in=attempt_ids)
    # The quiz that qualified an acknowledgement is part of its evidence: it stays while
    # the acknowledgement does (the foreign key protects it). Records erased above (or,
    # in a proposal, about to be) no longer count.
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
    report.attempt_ids = [attempt.pk for attempt in attempts]
    if report.dry_run:
        return
    ids = report.attempt_ids
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = ids[start : start + DELETE_CHUNK]
        Answer.chosen.through.objects.filter(answer__served__attempt_id__in=chunk).delete()
        Answer.objects.filter(served__attempt_id__in=chunk).delete()
        AttemptQuestion.objects.filter(attempt_id__in=chunk).delete()
        # Through the collector: should an acknowledgement have come to refer to one of
        # these meanwhile, ProtectedError undoes the whole run.
        Attempt.objects.filter(pk__in=chunk).delete()
