"""Reads for HR's campaign dashboards: figures per campaign, per department, over time,
and quiz figures per department; of one guideline of the campaign (its assignments), or
of all of them combined (an employee is done when every guideline asked of them is).

Everything is an aggregate in the database: one query per figure, whatever the number
of employees. Python only sorts and shapes the handful of rows that come back (one per
campaign, department or day), never loops over people. Leavers do not count
(campaigns.selectors.counting).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import selectors
from campaigns.models import Assignment, Campaign, CampaignGuideline, Reminder
from campaigns.selectors import combined
from handbook.models import Guideline
from people.models import Department, Employee
from people.selectors import EVERYTHING, Scope
from portal import suppression
from quizzes.models import Attempt

Status = Assignment.Status


def counted_assignments(
    *,
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None = None,
    scope: Scope = EVERYTHING,
) -> QuerySet[Assignment]:
    """The campaign's assignments that count: leavers left out; only those of
    ``guideline`` when one is given, of people in ``scope`` (an HR adviser's part)."""
    assignments = campaign.assignments.filter(scope.q(department_field="employee__department"))
    if guideline is not None:
        assignments = assignments.filter(guideline=guideline)
    return selectors.counting(assignments=assignments, on=on)


def subjects_of(*, campaign: Campaign) -> list[CampaignGuideline]:
    """The guidelines the campaign covers, in its order, with their versions: one query."""
    return list(
        CampaignGuideline.objects.filter(campaign=campaign)
        .select_related("guideline", "version")
        .order_by("pk")
    )


# Combined over a campaign's guidelines ---------------------------------------------------
# An employee is one row: their assignments' statuses combined (campaigns.selectors.combined:
# signed only when every guideline asked of them is signed or exempt). The figures have the
# shape of the per-assignment ones, so that the same tables and chart show them.


def combined_counts_per_department(
    *, assignments: QuerySet[Assignment], on: datetime.date
) -> list[dict[str, Any]]:
    """Employees per own department and combined status (counts_per_department's shape:
    employee__department_id, employee__department__name, total and a count per status),
    in one query: the grouping per employee is a subquery, counted per department."""
    inner = combined.combined_status(assignments=assignments, on=on).values(
        "employee_id", "combined_rank"
    )
    sql, params = inner.query.sql_with_params()
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    employees, departments = Employee._meta, Department._meta
    employee_pk, department_pk = employees.pk, departments.pk
    assert employee_pk is not None and department_pk is not None  # models have keys
    # The names are quoted, the values parameters.
    query = (
        f"SELECT e.{quote('department_id')}, d.{quote('name')}, per_employee.combined_rank, "  # noqa: S608
        f"COUNT(*) FROM ({sql}) per_employee "
        f"JOIN {quote(employees.db_table)} e "
        f"ON e.{quote(str(employee_pk.column))} = per_employee.{quote('employee_id')} "
        f"LEFT JOIN {quote(departments.db_table)} d "
        f"ON d.{quote(str(department_pk.column))} = e.{quote('department_id')} "
        f"GROUP BY e.{quote('department_id')}, d.{quote('name')}, per_employee.combined_rank"
    )
    rows: dict[int | None, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for department_id, name, rank, n in cursor.fetchall():
            row = rows.setdefault(
                department_id,
                {
                    "employee__department_id": department_id,
                    "employee__department__name": name,
                    "total": 0,
                    **dict.fromkeys(Status.values, 0),
                },
            )
            row[combined.ORDER[rank]] += n
            row["total"] += n
    return list(rows.values())


def combined_signed_per_day(
    *, assignments: QuerySet[Assignment], on: datetime.date
) -> dict[datetime.date | None, int]:
    """How many employees became done (combined: signed) on each day: the day they
    signed the last of their guidelines. One query: the grouping per employee (with the
    day of their last signature) is a subquery, counted per day. (A filter on the
    employees with a subquery per employee was quadratic where the planner's statistics
    of the tables were stale.)"""
    inner = (
        combined.combined_status(assignments=assignments, on=on)
        .filter(status=Status.SIGNED)
        .annotate(day=TruncDate(Max("signed_at")))
        .values("employee_id", "day")
    )
    sql, params = inner.query.sql_with_params()
    connection = connections[inner.db]
    day = connection.ops.quote_name("day")
    # The names are quoted, the values parameters.
    query = f"SELECT per_employee.{day}, COUNT(*) FROM ({sql}) per_employee GROUP BY 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # SQLite hands the day back as text.
    return {
        datetime.date.fromisoformat(value) if isinstance(value, str) else value: n
        for value, n in rows
    }


def shares(*, row: dict[str, Any]) -> dict[str, Any]:
    """Add in_scope (all but exempt), done_percent (signed of in scope) and in_progress."""
    total = row.get("total") or 0
    exempt = row.get(Status.EXEMPT) or 0
    signed = row.get(Status.SIGNED) or 0
    row["in_scope"] = total - exempt
    row["done_percent"] = round(100 * signed / row["in_scope"]) if row["in_scope"] else 0
    row["in_progress"] = sum(row.get(status) or 0 for status in selectors.IN_PROGRESS)
    return row


def completion_by_campaign(
    *, campaign_ids: Iterable[int], on: datetime.date, scope: Scope = EVERYTHING
) -> dict[int, dict[str, Any]]:
    """{campaign id: figures} for the given campaigns, of the people in ``scope``: one
    query for all of them."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    rows = (
        selectors.with_status(
            assignments=selectors.counting(
                assignments=Assignment.objects.filter(campaign_id__in=ids).filter(
                    scope.q(department_field="employee__department")
                ),
                on=on,
            ),
            on=on,
        )
        .order_by()
        .values("campaign_id")
        .annotate(
            total=Count("pk"),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        )
    )
    return {row["campaign_id"]: shares(row=dict(row)) for row in rows}


# Per department -------------------------------------------------------------------------


def _department_name(count: dict[str, Any]) -> str:
    return count["employee__department__name"] or gettext("No department")


def _done_percent(count: dict[str, Any]) -> int:
    in_scope = count["total"] - count[Status.EXEMPT]
    return round(100 * count[Status.SIGNED] / in_scope) if in_scope else 0


# Sort keys over selectors.counts_per_department's rows, so that only the rows shown
# are shaped (a large municipality has thousands of departments).
DEPARTMENT_SORTS = {
    "name": lambda count: (_department_name(count).lower(), count["employee__department_id"] or 0),
    "total": lambda count: count["total"],
    "done": _done_percent,
    "overdue": lambda count: count[Status.OVERDUE],
}
DEFAULT_DEPARTMENT_SORT = "name"
DEPARTMENT_SORT_LABELS = {
    "name": _("Department"),
    "total": _("Employees"),
    # xgettext:no-python-format
    "done": _("% done"),
    "overdue": _("Overdue"),
}


def parse_sort(*, value: str | None) -> tuple[str, bool]:
    """``?sorteer=done`` or ``?sorteer=-done`` → (column, descending); unknown → name."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in DEPARTMENT_SORTS:
        return DEFAULT_DEPARTMENT_SORT, False
    return column, descending


def department_rows(
    *, campaign: Campaign, on: datetime.date, sort: str = "name", descending: bool = False
) -> list[dict[str, Any]]:
    """Figures per department (the employee's own department): one query, then sorted.

    Each row has department_id, name, total, a count per status, in_scope, done_percent
    and in_progress. Ties are in name order both ways.
    """
    counts = selectors.counts_per_department(
        assignments=counted_assignments(campaign=campaign, on=on), on=on
    )
    return _department_rows_from(counts, sort=sort, descending=descending)


def sorted_counts(
    *, counts: Iterable[dict[str, Any]], sort: str = "name", descending: bool = False
) -> list[dict[str, Any]]:
    """counts_per_department's rows in the order asked for; ties in name order."""
    ordered = sorted(counts, key=DEPARTMENT_SORTS["name"])
    if sort != "name" or descending:
        ordered.sort(key=DEPARTMENT_SORTS[sort], reverse=descending)
    return ordered


def department_row(*, count: dict[str, Any]) -> dict[str, Any]:
    """A row of the department table from a counts_per_department row: department_id,
    name, total, a count per status, in_scope, done_percent and in_progress."""
    row = shares(row=dict(count))
    row["department_id"] = row.pop("employee__department_id")
    row["name"] = _department_name(count)
    row.pop("employee__department__name")
    return row


def _department_rows_from(
    counts: Iterable[dict[str, Any]], *, sort: str = "name", descending: bool = False
) -> list[dict[str, Any]]:
    """department_rows from selectors.counts_per_department's rows (live or kept)."""
    return [
        department_row(count=count)
        for count in sorted_counts(counts=counts, sort=sort, descending=descending)
    ]


# Completion over time -------------------------------------------------------------------


@dataclass(frozen=True)
class DayFigure:
    day: datetime.date
    signed: int  # in scope and signed by the end of this day
    in_scope: int

    @property
    def percent(self) -> float:
        return 100 * self.signed / self.in_scope if self.in_scope else 0.0

    @property
    def percent_rounded(self) -> int:
        return round(self.percent)


@dataclass(frozen=True)
class Timeline:
    start: datetime.date
    end: datetime.date  # max(deadline, today): the x axis
    deadline: datetime.date | None
    today: datetime.date
    days: list[DayFigure]  # from start to min(end, today); empty before the start

    @property
    def last(self) -> DayFigure | None:
        return self.days[-1] if self.days else None

    def changes(self) -> list[DayFigure]:
        """The first day, each day on which the figure changed, and the last day: what
        the data table lists (the chart shows every day)."""
        rows = []
        for index, figure in enumerate(self.days):
            first_or_last = index in (0, len(self.days) - 1)
            if first_or_last or figure.signed != self.days[index - 1].signed:
                rows.append(figure)
        return rows


def signed_per_day(
    *,
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None = None,
    scope: Scope = EVERYTHING,
) -> dict[datetime.date | None, int]:
    """How many assignments in scope (counting, not exempt; of ``guideline`` when one is
    given; of people in ``scope``, an HR adviser's part) were signed on each day: one
    query."""
    assignments = counted_assignments(campaign=campaign, on=on, guideline=guideline, scope=scope)
    return dict(
        selectors.with_status(assignments=assignments, on=on)
        .filter(status=Status.SIGNED)
        .annotate(day=TruncDate("signed_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )


def timeline_from(
    *,
    per_day: dict[datetime.date | None, int],
    campaign: Campaign,
    on: datetime.date,
    in_scope: int,
) -> Timeline:
    """The cumulative figures per day from the start to max(deadline, today), from
    signed_per_day's counts. Signatures from before the start count on the start."""
    start = campaign.start_date
    end = max(campaign.deadline or on, on)
    before_start = sum(n for day, n in per_day.items() if day is not None and day < start)
    days = []
    signed = before_start
    day = start
    while day <= min(end, on):
        signed += per_day.get(day, 0)
        days.append(DayFigure(day=day, signed=signed, in_scope=in_scope))
        day += datetime.timedelta(days=1)
    return Timeline(start=start, end=end, deadline=campaign.deadline, today=on, days=days)


def completion_over_time(
    *, campaign: Campaign, on: datetime.date, in_scope: int | None = None
) -> Timeline:
    """The cumulative share of the assignments in scope (counting, not exempt) that is
    signed, per day from the start to max(deadline, today). Signatures from before the
    start count on the start. One query (two without ``in_scope``)."""
    if in_scope is None:
        in_scope = (
            counted_assignments(campaign=campaign, on=on).filter(exempted_at__isnull=True).count()
        )
    return timeline_from(
        per_day=signed_per_day(campaign=campaign, on=on),
        campaign=campaign,
        on=on,
        in_scope=in_scope,
    )


# Quiz figures per department ------------------------------------------------------------


@dataclass(frozen=True)
class QuizFigure:
    department_id: int | None
    name: str
    people: int  # with at least one submitted attempt
    attempts: int
    average_score: float | None  # over all submitted attempts, in per cent
    passed_first_try: int  # people whose first submitted attempt passed
    min_group_size: int
    # Hidden as the complement of a smaller group (portal.suppression), large as it is.
    complement: bool = False

    @property
    def shown(self) -> bool:
        return self.people >= self.min_group_size and not self.complement

    @property
    def passed_first_try_percent(self) -> int | None:
        return round(100 * self.passed_first_try / self.people) if self.people else None


def min_group_size() -> int:
    return suppression.min_group_size()


def quiz_rows(
    *,
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None = None,
    scope: Scope = EVERYTHING,
) -> dict[int | None, dict[str, Any]]:
    """The quiz figures of every department, unfiltered: {department id: {people,
    attempts, average, passed_first}}, over the submitted attempts for the version of each
    assignment in scope (counting, not exempt; of ``guideline`` when one is given), of
    the departments in ``scope`` (an HR adviser's part). Two queries. Never show these as
    they are: quiz_figures_from drops the small groups."""
    assignments = Assignment.objects.filter(
        campaign=campaign,
        employee_id=OuterRef("employee_id"),
        version_id=OuterRef("version_id"),
        exempted_at__isnull=True,
    )
    if guideline is not None:
        assignments = assignments.filter(guideline=guideline)
    in_scope = selectors.counting(assignments=assignments, on=on)
    submitted = Attempt.objects.filter(
        Q(submitted_at__isnull=False, correct_count__isnull=False),
        Exists(in_scope),
        scope.q(department_field="employee__department"),
    ).order_by()
    rows = submitted.values("employee__department_id").annotate(
        people=Count("employee_id", distinct=True),
        attempts=Count("pk"),
        average=Avg(
            ExpressionWrapper(
                F("correct_count") * 100.0 / F("question_count"), output_field=FloatField()
            ),
            filter=Q(question_count__gt=0),
        ),
    )
    # First attempts that passed: "no earlier attempt" as a condition of the query (the
    # database makes it an anti-join), not per row inside a count (a lookup per attempt).
    earlier = Attempt.objects.filter(
        submitted_at__isnull=False,
        correct_count__isnull=False,
        employee_id=OuterRef("employee_id"),
        version_id=OuterRef("version_id"),
    ).filter(
        Q(submitted_at__lt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk"))
    )
    passed_first = dict(
        submitted.filter(~Exists(earlier), passed=True)
        .values("employee__department_id")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("employee__department_id", "n")
    )
    return {
        row["employee__department_id"]: {
            "people": row["people"],
            "attempts": row["attempts"],
            "average": row["average"],
            "passed_first": passed_first.get(row["employee__department_id"], 0),
        }
        for row in rows
    }


def quiz_figures_from(
    *, rows: dict[int | None, dict[str, Any]], departments: Iterable[dict[str, Any]]
) -> list[QuizFigure]:
    """Quiz figures for the departments given (rows of department_rows, in their order)
    from quiz_rows' figures.

    A department's figures are kept only when at least CAMPAIGN_MIN_GROUP_SIZE people
    in it submitted an attempt, and when no smaller group needs them hidden as its
    complement (portal.suppression, over every department of ``rows``, not only those
    given: a page of the table must hide what the whole breakdown hides); otherwise
    they are dropped here, so that no template can show them and nobody's score can be
    singled out from a small group, also not by subtracting the shown departments from
    the quiz statistics' total. There is no total over all departments here.
    """
    minimum = min_group_size()
    hidden = suppression.suppress(
        sizes={key: row.get("people", 0) for key, row in rows.items()}, minimum=minimum
    ).hidden
    figures = []
    for department in departments:
        row = rows.get(department["department_id"]) or {}
        people = row.get("people", 0)
        shown = department["department_id"] not in hidden and people >= minimum
        figures.append(
            QuizFigure(
                department_id=department["department_id"],
                name=department["name"],
                people=people,
                attempts=row.get("attempts", 0) if shown else 0,
                average_score=row.get("average") if shown else None,
                passed_first_try=row.get("passed_first", 0) if shown else 0,
                min_group_size=minimum,
                complement=people >= minimum and not shown,
            )
        )
    return figures


def quiz_figures(
    *, campaign: Campaign, on: datetime.date, departments: Iterable[dict[str, Any]]
) -> list[QuizFigure]:
    """Quiz figures per department for the departments given (rows of department_rows,
    in their order): quiz_rows, then quiz_figures_from (small groups dropped)."""
    return quiz_figures_from(rows=quiz_rows(campaign=campaign, on=on), departments=departments)


# Reminder log ---------------------------------------------------------------------------


def step_label(*, reminder: Reminder) -> str:
    """ "before-14" → "14 days before the due date", and so on; unknown steps as stored."""
    kind, _sep, rest = reminder.step.partition("-")
    if kind == "before" and rest.isdigit():
        return gettext("%(days)s days before the due date") % {"days": rest}
    if kind == "due" and not rest:
        return gettext("On the due date")
    if kind in ("after", "manager", "hr") and rest.isdigit():
        return gettext("%(days)s days after the due date") % {"days": rest}
    if kind == "manual":
        try:
            day = datetime.date.fromisoformat(rest)
        except ValueError:
            return reminder.step
        return gettext("By hand on %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    return reminder.step
