"""Reads about campaigns, shared by the dashboards, the reminders and other apps.

An assignment's status is computed in the database from facts (the ledger, quiz
attempts, tips opened), so that a list of any length is one query and the figures are
aggregates, never Python loops over people.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from campaigns.models import Assignment, Campaign
from handbook.models import Guideline, GuidelineVersion
from handbook.selectors.audience import audience_of
from people.models import Employee

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _StatusAnnotation(TypedDict):
        status: str

    # An assignment with ``status`` annotated by with_status (for mypy only).
    AssignmentWithStatus = WithAnnotations[Assignment, _StatusAnnotation]

Status = Assignment.Status
DONE = (Status.SIGNED, Status.EXEMPT)
# Open and not overdue: "in progress" on the dashboards (with signed, overdue and exempt
# they are every status, so the figures add up to the total).
IN_PROGRESS = (Status.NOT_STARTED, Status.READING, Status.QUIZ_FAILED, Status.QUIZ_PASSED)


def today() -> datetime.date:
    return timezone.localdate()


def counting(*, assignments: QuerySet[Assignment], on: datetime.date) -> QuerySet[Assignment]:
    """Leave out leavers: their assignments stay, but they no longer count."""
    return assignments.filter(employee__is_active=True).exclude(employee__end_date__lt=on)


def status_rule(*, on: datetime.date) -> list[tuple[Q, str]]:
    """The one rule for an assignment's status: (condition, Assignment.Status value),
    the first that holds wins; none holds: not started. with_status and the combined
    status (campaigns.selectors.combined) are both built from it.

    Precedence: exempt, signed, overdue (past the due date and not signed), quiz passed,
    quiz not passed yet (a submitted attempt failed, none passed), reading (a tip opened,
    or every tip), not started. The facts are the assignment's columns, which the
    database keeps (campaigns.triggers; in a round in which everyone signs again they
    count from the round's start).
    """
    return [
        (Q(exempted_at__isnull=False), Status.EXEMPT),
        (Q(signed_at__isnull=False), Status.SIGNED),
        (Q(due_date__lt=on), Status.OVERDUE),
        (Q(quiz_passed_at__isnull=False), Status.QUIZ_PASSED),
        (Q(quiz_failed_at__isnull=False), Status.QUIZ_FAILED),
        (Q(opened_at__isnull=False) | Q(read_at__isnull=False), Status.READING),
    ]


def with_status(
    *, assignments: QuerySet[Assignment], on: datetime.date
) -> QuerySet[AssignmentWithStatus]:
    """Annotate ``status`` (an Assignment.Status value) on each assignment, in the same
    query; ``signed_at`` is the assignment's own column.

    The rule is status_rule: a plain CASE per row over the assignment's own columns,
    however many rows; every assignment gets exactly one status.
    """
    return assignments.annotate(
        status=Case(
            *(When(condition, then=Value(status)) for condition, status in status_rule(on=on)),
            default=Value(Status.NOT_STARTED),
            output_field=CharField(),
        ),
    )


def open_statuses() -> list[str]:
    return [s for s in Status.values if s not in DONE]


def status_counts(*, assignments: QuerySet[Assignment], on: datetime.date) -> dict[str, Any]:
    """Counts per status, the total and the share signed, in one query."""
    figures = {"total": 0, **dict.fromkeys(Status.values, 0)}
    rows = (
        with_status(assignments=assignments, on=on)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        figures[row["status"]] += row["n"]
        figures["total"] += row["n"]
    return _with_shares(figures)


def _with_shares(figures: dict[str, Any]) -> dict[str, Any]:
    total = figures["total"] or 0
    in_scope = total - figures.get(Status.EXEMPT, 0)
    figures["in_scope"] = in_scope
    figures["done_percent"] = round(100 * figures[Status.SIGNED] / in_scope) if in_scope else 0
    figures["in_progress"] = sum(figures[status] for status in IN_PROGRESS)
    return figures


def counts_per_department(
    *, assignments: QuerySet[Assignment], on: datetime.date
) -> list[dict[str, Any]]:
    """Counts per status and the total for each employee's own department, in one query
    (campaigns.selectors.dashboard adds the shares to the rows it shows).

    Grouped by department and status, so that the status is worked out once per row;
    the few rows that come back are turned into one row per department here.
    """
    rows = (
        with_status(assignments=assignments, on=on)
        .order_by()
        .values("employee__department_id", "employee__department__name", "status")
        .annotate(n=Count("pk"))
    )
    departments: dict[int | None, dict[str, Any]] = {}
    for row in rows:
        department = departments.setdefault(
            row["employee__department_id"],
            {
                "employee__department_id": row["employee__department_id"],
                "employee__department__name": row["employee__department__name"],
                "total": 0,
                **dict.fromkeys(Status.values, 0),
            },
        )
        department[row["status"]] += row["n"]
        department["total"] += row["n"]
    return list(departments.values())


def overall_counts(*, departments: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures over all departments: the sum of counts_per_department's rows."""
    figures = {"total": 0, **dict.fromkeys(Status.values, 0)}
    for department in departments:
        for key in figures:
            figures[key] += department[key]
    return _with_shares(figures)


def audience(
    *, campaign: Campaign, on: datetime.date | None = None, guideline: Guideline | None = None
) -> QuerySet[Employee]:
    """Who should have an assignment in the campaign now: active employees in its
    audience (departments through the tree when sub-departments are included); with
    ``guideline``, only those in that guideline's own audience as well (its assignments).
    Those who have not started yet join when they do (campaigns.services.add_joiners)."""
    on = on or today()
    people = (
        Employee.objects.filter(is_active=True).exclude(end_date__lt=on).exclude(start_date__gt=on)
    )
    if campaign.audience == Campaign.Audience.DEPARTMENTS:
        departments = list(campaign.departments.all())
        if campaign.include_subdepartments:
            condition = Q(pk__in=[])
            for department in departments:
                condition |= Q(department__path__startswith=department.path)
            people = people.filter(condition)
        else:
            people = people.filter(department__in=departments)
    elif campaign.audience == Campaign.Audience.EMPLOYEES:
        people = people.filter(pk__in=campaign.employees.values("pk"))
    if guideline is not None and guideline.audience != Guideline.Audience.EVERYONE:
        people = people.filter(pk__in=audience_of(guideline=guideline).values("pk"))
    return people


def campaign_versions(*, on: datetime.date | None = None) -> QuerySet[GuidelineVersion]:
    """The version in force of each guideline that has one (what a new campaign can ask
    for), with its guideline, by the guidelines' titles: one query."""
    on = on or today()
    in_force = GuidelineVersion.objects.filter(
        status=GuidelineVersion.Status.PUBLISHED, effective_date__lte=on
    )
    newest = in_force.filter(guideline_id=OuterRef("guideline_id")).order_by(
        "-effective_date", "-number"
    )
    return (
        in_force.filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("guideline")
        .order_by("guideline__title", "guideline_id")
    )


def onboarding_choices() -> QuerySet[Guideline]:
    """The guidelines the onboarding rule can ask for: those with a published version
    (in force now or later), by title. One query."""
    published = GuidelineVersion.objects.filter(
        guideline_id=OuterRef("pk"), status=GuidelineVersion.Status.PUBLISHED
    )
    return Guideline.objects.filter(Exists(published)).order_by("title", "pk")


def actionable(*, on: datetime.date) -> Q:
    """The one rule of which assignments are a task on the day ``on``: in a running
    campaign that has started, for a version that is published and in force. An
    assignment for a version not in force yet (or no longer published) asks what cannot
    be done: the signing page offers the version in force. It is shown nowhere as a task,
    and nobody is reminded of it, until its version is in force (open_assignments_of,
    the team page, the reminders, the signing round all filter on this)."""
    return Q(
        campaign__status=Campaign.Status.RUNNING,
        campaign__start_date__lte=on,
        version__status=GuidelineVersion.Status.PUBLISHED,
        version__effective_date__lte=on,
    )


def open_assignments_of(*, employee: Employee, on: datetime.date | None = None) -> list[Assignment]:
    """What the employee still has to do, over every guideline and running campaign, the
    nearest due date first (for the home page), each with ``status`` (with_status), its
    campaign, version and guideline: one query, however many guidelines. Only tasks
    that can be done (actionable)."""
    on = on or today()
    assignments = Assignment.objects.filter(actionable(on=on), employee=employee).select_related(
        "campaign", "version", "guideline"
    )
    return [
        assignment
        for assignment in with_status(assignments=assignments, on=on).order_by(
            "due_date", "guideline__title", "pk"
        )
        if assignment.status not in DONE
    ]


def latest_reminder_subquery(*, kind: str | None = None) -> Subquery:
    from campaigns.models import Reminder

    reminders = Reminder.objects.filter(assignment_id=OuterRef("pk"))
    if kind:
        reminders = reminders.filter(kind=kind)
    return Subquery(reminders.order_by("-created_at").values("created_at")[:1])


def running_team_assignments(
    *, manager: Employee, on: datetime.date | None = None, team: QuerySet[Employee] | None = None
) -> QuerySet[Assignment]:
    """The assignments of a manager's team (direct and indirect reports; ``team`` if the
    caller has people.selectors.team_of already) in running campaigns that have started,
    for versions in force (actionable), leavers left out. Not annotated: for
    status_counts and the remind buttons."""
    from people.selectors import team_of

    on = on or today()
    team = team_of(manager=manager) if team is None else team
    return counting(
        assignments=Assignment.objects.filter(actionable(on=on), employee__in=team),
        on=on,
    )


def team_assignments(
    *, manager: Employee, on: datetime.date | None = None, team: QuerySet[Employee] | None = None
) -> QuerySet[Assignment]:
    """running_team_assignments with ``status`` (with_status) and ``last_reminded_at``
    (the latest reminder to the employee: scheduled or sent by the manager), for the
    team page: one query, whatever the size of the team. Quiz scores are not in it."""
    from campaigns.models import Reminder

    on = on or today()
    last_reminded = Subquery(
        Reminder.objects.filter(
            assignment_id=OuterRef("pk"),
            kind__in=[Reminder.Kind.REMINDER, Reminder.Kind.MANUAL],
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        with_status(assignments=running_team_assignments(manager=manager, on=on, team=team), on=on)
        .annotate(last_reminded_at=last_reminded)
        .select_related("campaign")
    )
