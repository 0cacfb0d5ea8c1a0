"""What a compliance report says: the people in scope with their status on a date, and
the counts, overall and per department. Computed in the database; the rows are read in
chunks, so a report of any size uses little memory.

Scope: a campaign (its assignments, with the statuses of the dashboards as they stood
on the date: exempt, signed, overdue, quiz passed, quiz not passed yet, reading, not
started; they add up to the total) or a guideline version (everyone employed on the
date; signed or not signed), optionally narrowed to departments (with their
sub-departments), as it stood at the end of a date (default today). A report on a
campaign is on one of its guidelines (a row per assignment of that guideline), or on
all of them combined (``Scope.combined``): a row
per employee with each guideline's status and the combined status (``combined_status``:
done only when every guideline asked of them is signed or exempted). The guidelines are
the campaign's (campaigns.CampaignGuideline), never the campaign's own version.

Across years (a yearly round asks people to sign a version they signed before): a
campaign's row shows the signature that completed that assignment (``Assignment.
signature``, kept by the database: in a round where everyone signs again the one naming
the campaign, else the person's first signature of the version), so last year's report
made again after this year's round has the same rows. A version's row shows the
person's latest signature of the version and how many they made of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acknowledgements.models import Acknowledgement, LedgerEntry
from campaigns.models import Assignment, Campaign, CampaignGuideline
from handbook.models import Guideline, GuidelineVersion
from people import selectors as people_selectors
from people.models import Department, Employee

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from reports.models import Report

CHUNK = 2000
# Department by department (people without one last), then by name.
ORDER = (
    F("department_path").asc(nulls_last=True),
    "last_name",
    "first_name",
    "employee_number",
)


class Status:
    """A row's status. A campaign's rows have those of its assignments
    (campaigns.models.Assignment.Status, same values and names); OPEN is no row's status
    but their group: not signed, not yet due (the four in IN_PROGRESS)."""

    SIGNED = "signed"
    OVERDUE = "overdue"
    EXEMPT = "exempt"
    NOT_STARTED = "not_started"
    READING = "reading"
    QUIZ_FAILED = "quiz_failed"
    QUIZ_PASSED = "quiz_passed"
    OPEN = "open"
    NOT_SIGNED = "not_signed"

    # Least progress first: a combined row is its guidelines' least.
    IN_PROGRESS = (NOT_STARTED, READING, QUIZ_FAILED, QUIZ_PASSED)

    LABELS = {
        SIGNED: _("Signed"),
        OVERDUE: _("Overdue"),
        EXEMPT: _("Exempt"),
        NOT_STARTED: Assignment.Status.NOT_STARTED.label,
        READING: Assignment.Status.READING.label,
        QUIZ_FAILED: Assignment.Status.QUIZ_FAILED.label,
        QUIZ_PASSED: Assignment.Status.QUIZ_PASSED.label,
        OPEN: _("Not yet signed, not yet due"),
        NOT_SIGNED: _("Not signed"),
    }


def combined_status(*, statuses: list[str]) -> str:
    """An employee's status over the guidelines of a campaign, from the statuses of
    their assignments: exempt when exempted from all; signed when each is signed or
    exempted; overdue when one is overdue; otherwise the least progress among the open
    ones (as campaigns.selectors.combined)."""
    if all(status == Status.EXEMPT for status in statuses):
        return Status.EXEMPT
    if all(status in (Status.SIGNED, Status.EXEMPT) for status in statuses):
        return Status.SIGNED
    if Status.OVERDUE in statuses:
        return Status.OVERDUE
    return min(
        (status for status in statuses if status in Status.IN_PROGRESS),
        key=Status.IN_PROGRESS.index,
        default=Status.NOT_STARTED,
    )


@dataclass(frozen=True)
class Subject:
    """A guideline of a combined report: the guideline and the version the campaign
    asks for (None for onboarding: each assignment's own version)."""

    guideline: Guideline
    version: GuidelineVersion | None = None

    @property
    def key(self) -> int:
        return self.guideline.pk


@dataclass(frozen=True)
class Scope:
    version: GuidelineVersion | None
    as_of: datetime.date
    campaign: Campaign | None = None
    departments: tuple[Department, ...] = ()
    # The guideline of a report on one guideline; None in a combined report.
    guideline: Guideline | None = None
    # The campaign's guidelines, in the campaign's order (a combined report).
    subjects: tuple[Subject, ...] = ()

    @property
    def combined(self) -> bool:
        """A report on all the guidelines of a campaign: a row per employee."""
        return self.campaign is not None and self.guideline is None and self.version is None

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the date: what happened before it counts."""
        midnight = datetime.datetime.combine(
            self.as_of + datetime.timedelta(days=1), datetime.time()
        )
        return timezone.make_aware(midnight)


def subjects_of(*, campaign: Campaign) -> tuple[Subject, ...]:
    """The guidelines the campaign covers, in its order, with their versions: one query."""
    return tuple(
        Subject(guideline=subject.guideline, version=subject.version)
        for subject in CampaignGuideline.objects.filter(campaign=campaign)
        .select_related("guideline", "version")
        .order_by("pk")
    )


def scope_of(*, report: Report) -> Scope:
    as_of = report.as_of or timezone.localdate(report.requested_at)
    campaign = report.campaign
    departments = tuple(report.departments.order_by("path"))
    if campaign is None or report.version_id:
        # A version (in a campaign: onboarding, whose assignments have many versions).
        version = report.version
        assert version is not None  # a compliance report names a campaign or a version
        return Scope(
            version=version,
            as_of=as_of,
            campaign=campaign,
            departments=departments,
            guideline=version.guideline,
        )
    subjects = subjects_of(campaign=campaign)
    if report.guideline_id is None:
        return Scope(
            version=None,
            as_of=as_of,
            campaign=campaign,
            departments=departments,
            subjects=subjects,
        )
    subject = next((s for s in subjects if s.guideline.pk == report.guideline_id), None)
    return Scope(
        version=subject.version if subject else None,
        as_of=as_of,
        campaign=campaign,
        departments=departments,
        guideline=subject.guideline if subject else report.guideline,
        subjects=(subject,) if subject else (),
    )


@dataclass
class DepartmentFigures:
    department_id: int | None
    code: str
    name: StrOrPromise  # a name, or a lazy text ("All departments", "No department")
    path: str
    total: int = 0
    signed: int = 0
    overdue: int = 0
    exempt: int = 0
    open: int = 0  # not signed, not yet due: the four below together (a campaign)
    not_started: int = 0
    reading: int = 0
    quiz_failed: int = 0
    quiz_passed: int = 0

    @property
    def in_scope(self) -> int:
        """Those who should sign: everyone but the exempt."""
        return self.total - self.exempt

    @property
    def signed_percent(self) -> float:
        return round(100 * self.signed / self.in_scope, 1) if self.in_scope else 0.0


@dataclass
class Summary:
    overall: DepartmentFigures
    departments: list[DepartmentFigures] = field(default_factory=list)
    # A combined report: the figures of each guideline's assignments, in the scope's
    # order (the figures above count employees by their combined status).
    guidelines: list[tuple[Subject, DepartmentFigures]] = field(default_factory=list)


def _acknowledgements(scope: Scope) -> QuerySet[Acknowledgement]:
    """The employee's signatures of the scope's version made before the end of its date,
    the latest first (a version report; a campaign's rows read the assignment's own)."""
    assert scope.version is not None  # a version report names its version
    return Acknowledgement.objects.filter(
        employee_id=OuterRef("pk"),
        version_id=scope.version.pk,
        kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
        signed_at__lt=scope.end,
    ).order_by("-signed_at", "-entry_id")


def _signature(scope: Scope, path: str) -> Case:
    """A fact of the signature that completed the assignment (``Assignment.signature``,
    kept by the database: in a round where everyone signs again the one naming the
    campaign, else the first signature of the version), if made before the end of the
    scope's date. Never "a signature of the version": after a second round that would be
    this year's in last year's report."""
    return Case(
        When(signature__signed_at__lt=scope.end, then=F(f"signature__{path}")),
        default=Value(None),
    )


def _department_filter(scope: Scope, prefix: str) -> Q:
    condition = Q()
    if scope.departments:
        condition = Q(pk__in=[])
        for department in scope.departments:
            condition |= Q(**{f"{prefix}department__path__startswith": department.path})
    return condition


def _people(scope: Scope) -> QuerySet[Any, dict[str, Any]]:
    """One row per person in scope, as dicts, ordered by department and name."""
    if scope.campaign is not None:
        return _campaign_people(scope)
    return _version_people(scope)


_FIELDS = {
    "employee_number": "employee_number",
    "first_name": "first_name",
    "name_prefix": "name_prefix",
    "last_name": "last_name",
    "department_id": "department_id",
    "department_code": "department__code",
    "department_name": "department__name",
    "department_path": "department__path",
}


def _campaign_people(scope: Scope) -> QuerySet[Assignment, dict[str, Any]]:
    assignments = Assignment.objects.filter(campaign=scope.campaign)
    if scope.guideline is not None:
        assignments = assignments.filter(guideline=scope.guideline)
    assignments = (
        assignments.filter(_department_filter(scope, "employee__"))
        .filter(Q(employee__is_active=True) | Q(employee__end_date__gte=scope.as_of))
        .exclude(employee__end_date__lt=scope.as_of)
        .filter(added_at__lt=scope.end)
    )
    found: QuerySet[Assignment, dict[str, Any]] = (
        assignments.annotate(
            signed_moment=_signature(scope, "signed_at"),
            record_hash=_signature(scope, "entry__record_hash"),
            verification_code=_signature(scope, "entry__verification_code"),
            signature_method=_signature(scope, "method"),
            signature_campaign_id=_signature(scope, "campaign_id"),
            **{name: F(f"employee__{path}") for name, path in _FIELDS.items()},
        )
        .annotate(
            status=Case(
                When(exempted_at__lt=scope.end, then=Value(Status.EXEMPT)),
                When(signed_moment__isnull=False, then=Value(Status.SIGNED)),
                When(due_date__lt=scope.as_of, then=Value(Status.OVERDUE)),
                # The rest of campaigns.selectors.status_rule, on the facts as they were
                # at the end of the date (each is the moment it first held).
                When(quiz_passed_at__lt=scope.end, then=Value(Status.QUIZ_PASSED)),
                When(quiz_failed_at__lt=scope.end, then=Value(Status.QUIZ_FAILED)),
                When(
                    Q(opened_at__lt=scope.end) | Q(read_at__lt=scope.end),
                    then=Value(Status.READING),
                ),
                default=Value(Status.NOT_STARTED),
                output_field=CharField(),
            ),
            exempt_reason_then=Case(
                When(exempted_at__lt=scope.end, then=F("exempt_reason")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .values(
            *_FIELDS,
            "due_date",
            "status",
            "signed_moment",
            "record_hash",
            "verification_code",
            "signature_method",
            "signature_campaign_id",
            "exempt_reason_then",
        )
        .order_by(*ORDER)
    )
    return found


def _version_people(scope: Scope) -> QuerySet[Employee, dict[str, Any]]:
    acknowledgements = _acknowledgements(scope)
    employed = (
        Employee.objects.filter(Q(is_active=True) | Q(end_date__gte=scope.as_of))
        .exclude(end_date__lt=scope.as_of)
        .exclude(start_date__gt=scope.as_of)
        .filter(_department_filter(scope, ""))
    )
    found: QuerySet[Employee, dict[str, Any]] = (
        employed.annotate(
            # The latest signature of the version (a yearly round adds one a year).
            signed_moment=Subquery(acknowledgements.values("signed_at")[:1]),
            record_hash=Subquery(acknowledgements.values("entry__record_hash")[:1]),
            # How many times they signed it by then (one probe more, on the same index).
            times_signed=Coalesce(
                Subquery(
                    acknowledgements.order_by()
                    .values("employee_id")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                Value(0),
            ),
            department_code=F("department__code"),
            department_name=F("department__name"),
            department_path=F("department__path"),
            due_date=Value(None, output_field=CharField()),
            exempt_reason_then=Value("", output_field=CharField()),
        )
        .annotate(
            status=Case(
                When(signed_moment__isnull=False, then=Value(Status.SIGNED)),
                default=Value(Status.NOT_SIGNED),
                output_field=CharField(),
            )
        )
        .values(
            *_FIELDS,
            "due_date",
            "status",
            "signed_moment",
            "record_hash",
            "times_signed",
            "exempt_reason_then",
        )
        .order_by(*ORDER)
    )
    return found


def _plain_rows(people: QuerySet[Any, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in people.iterator(chunk_size=CHUNK):
        # "signed_at" is also a column of the assignment (its current fact); the report
        # reads the acknowledgement as of its own date, under another name.
        row["signed_at"] = row.pop("signed_moment")
        row["name"] = " ".join(
            part for part in (row["first_name"], row["name_prefix"], row["last_name"]) if part
        )
        yield row


GUIDELINE_FIELDS = (
    "status",
    "due_date",
    "signed_at",
    "record_hash",
    "verification_code",
    "exempt_reason_then",
)


def _combined_rows(scope: Scope) -> Iterator[dict[str, Any]]:
    """A row per employee: their assignments (one query, in chunks, the employee's
    together) folded into ``guidelines`` ({guideline id: {status, due_date, signed_at,
    record_hash, verification_code, exempt_reason_then}}, only the guidelines asked of
    them) and ``status``, the combined status."""
    people = (
        _campaign_people(scope)
        .values(
            *_FIELDS,
            "employee_id",
            "guideline_id",
            "due_date",
            "status",
            "signed_moment",
            "record_hash",
            "verification_code",
            "exempt_reason_then",
        )
        .order_by(*ORDER, "employee_id", "guideline_id")
    )
    current: dict[str, Any] | None = None
    for row in _plain_rows(people):
        if current is None or current["employee_id"] != row["employee_id"]:
            if current is not None:
                yield _finished(current)
            current = {key: row[key] for key in (*_FIELDS, "employee_id", "name") if key in row}
            current["guidelines"] = {}
        current["guidelines"][row["guideline_id"]] = {key: row[key] for key in GUIDELINE_FIELDS}
    if current is not None:
        yield _finished(current)


def _finished(row: dict[str, Any]) -> dict[str, Any]:
    statuses = [cell["status"] for cell in row["guidelines"].values()]
    row["status"] = combined_status(statuses=statuses)
    # The combined row's own facts: signed when the last guideline was; no hash of its own.
    signed = [cell["signed_at"] for cell in row["guidelines"].values() if cell["signed_at"]]
    row["signed_at"] = max(signed) if row["status"] == Status.SIGNED and signed else None
    row["record_hash"] = None
    row["exempt_reason_then"] = ""
    row["due_date"] = None
    return row


def rows(*, scope: Scope) -> Iterator[dict[str, Any]]:
    """The people in scope, read from the database in chunks: a row per assignment (or
    per employee in a version report), or per employee in a combined report."""
    if scope.combined:
        return _combined_rows(scope)
    return _plain_rows(_people(scope))


def summary(*, scope: Scope) -> Summary:
    """Counts per department and overall, in one query (a combined report: one pass
    over its rows, so that the counts follow combined_status exactly)."""
    if scope.combined:
        return _combined_summary(scope)
    counts = (
        _people(scope)
        .order_by()
        .values("department_id", "department_code", "department_name", "department_path")
        .annotate(
            total=Count("pk"),
            signed=Count("pk", filter=Q(status=Status.SIGNED)),
            overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
            exempt=Count("pk", filter=Q(status=Status.EXEMPT)),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.IN_PROGRESS},
        )
    )
    # Lazy: rendered in the report's language (the renderer activates it), not the worker's.
    overall = DepartmentFigures(None, "", _("All departments"), "")
    departments = []
    for row in counts:
        figures = DepartmentFigures(
            department_id=row["department_id"],
            code=row["department_code"] or "",
            name=row["department_name"] or _("No department"),
            path=row["department_path"] or "",
            total=row["total"],
            signed=row["signed"],
            overdue=row["overdue"],
            exempt=row["exempt"],
            **{status: row[status] for status in Status.IN_PROGRESS},
        )
        figures.open = figures.total - figures.signed - figures.overdue - figures.exempt
        departments.append(figures)
        for name in ("total", "signed", "overdue", "exempt", "open", *Status.IN_PROGRESS):
            setattr(overall, name, getattr(overall, name) + getattr(figures, name))
    departments.sort(key=lambda figures: (figures.path == "", figures.path))
    return Summary(overall=overall, departments=departments)


def _combined_summary(scope: Scope) -> Summary:
    """Employees per department by their combined status, and per guideline its
    assignments by status: one pass over the combined rows (read in chunks)."""
    overall = DepartmentFigures(None, "", _("All departments"), "")
    per_guideline = {
        subject.key: DepartmentFigures(None, "", subject.guideline.title, "")
        for subject in scope.subjects
    }
    departments: dict[int | None, DepartmentFigures] = {}
    for row in _combined_rows(scope):
        figures = departments.get(row["department_id"])
        if figures is None:
            figures = departments[row["department_id"]] = DepartmentFigures(
                department_id=row["department_id"],
                code=row["department_code"] or "",
                name=row["department_name"] or _("No department"),
                path=row["department_path"] or "",
            )
        for counted in (figures, overall):
            _count(counted, row["status"])
        for key, cell in row["guidelines"].items():
            if key in per_guideline:
                _count(per_guideline[key], cell["status"])
    ordered = sorted(departments.values(), key=lambda figures: (figures.path == "", figures.path))
    return Summary(
        overall=overall,
        departments=ordered,
        guidelines=[(subject, per_guideline[subject.key]) for subject in scope.subjects],
    )


def _count(figures: DepartmentFigures, status: str) -> None:
    figures.total += 1
    if status in (Status.SIGNED, Status.OVERDUE, Status.EXEMPT, *Status.IN_PROGRESS):
        setattr(figures, status, getattr(figures, status) + 1)
    if status in Status.IN_PROGRESS:
        figures.open += 1


# Which reports someone may see (an HR adviser: those of their part) ---------------------


def visible_reports(*, within: people_selectors.Scope) -> QuerySet[Report]:
    """The reports of someone acting on the part ``within`` (people.selectors.scope_of
    with reports.export_reports): every report for the whole organisation; else those
    whose stored scope lies wholly inside the part: a compliance report narrowed to
    departments that all lie in it, an individual file of someone in it. A report on
    everyone (no departments chosen) or on someone without a department is central HR's.
    Decided by the tree as it is now, as the report is made from it."""
    from reports.models import Report

    reports = Report.objects.all()
    if within.everything:
        return reports
    chosen = Report.departments.through.objects.filter(report_id=OuterRef("pk"))
    inside = within.departments().values("pk")
    compliance = (
        Q(kind=Report.Kind.COMPLIANCE)
        & Exists(chosen)
        & ~Exists(chosen.exclude(department_id__in=inside))
    )
    individual = Q(kind=Report.Kind.INDIVIDUAL) & within.q(department_field="employee__department")
    return reports.filter(compliance | individual)
