"""Reads for HR's campaign dashboards: figures per campaign, per department, over time,
and quiz figures per department.

Everything is an aggregate in the database: one query per figure, whatever the number
of employees. Python only sorts and shapes the handful of rows that come back (one per
campaign, department or day), never loops over people. Leavers do not count
(campaigns.selectors.counting).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import selectors
from campaigns.models import Assignment, Campaign, Reminder
from quizzes.models import Attempt

Status = Assignment.Status


def counted_assignments(campaign: Campaign, on: datetime.date) -> QuerySet[Assignment]:
    """The campaign's assignments that count: leavers left out."""
    return selectors.counting(campaign.assignments.all(), on)


def shares(row: dict) -> dict:
    """Add in_scope (all but exempt), done_percent (signed of in scope) and in_progress."""
    total = row.get("total") or 0
    exempt = row.get(Status.EXEMPT) or 0
    signed = row.get(Status.SIGNED) or 0
    row["in_scope"] = total - exempt
    row["done_percent"] = round(100 * signed / row["in_scope"]) if row["in_scope"] else 0
    row["in_progress"] = sum(
        row.get(status) or 0 for status in (Status.NOT_STARTED, Status.READ, Status.QUIZ_PASSED)
    )
    return row


def completion_by_campaign(campaign_ids: Iterable[int], on: datetime.date) -> dict[int, dict]:
    """{campaign id: figures} for the given campaigns: one query for all of them."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    rows = (
        selectors.with_status(
            selectors.counting(Assignment.objects.filter(campaign_id__in=ids), on), on
        )
        .order_by()
        .values("campaign_id")
        .annotate(
            total=Count("pk"),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        )
    )
    return {row["campaign_id"]: shares(dict(row)) for row in rows}


# Per department -------------------------------------------------------------------------

DEPARTMENT_SORTS = {
    "name": lambda row: (row["name"].lower(), row["department_id"] or 0),
    "total": lambda row: row["total"],
    "done": lambda row: row["done_percent"],
    "overdue": lambda row: row[Status.OVERDUE],
}
DEFAULT_DEPARTMENT_SORT = "name"
DEPARTMENT_SORT_LABELS = {
    "name": _("Department"),
    "total": _("Employees"),
    # xgettext:no-python-format
    "done": _("% done"),
    "overdue": _("Overdue"),
}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``?sorteer=done`` or ``?sorteer=-done`` → (column, descending); unknown → name."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in DEPARTMENT_SORTS:
        return DEFAULT_DEPARTMENT_SORT, False
    return column, descending


def department_rows(
    campaign: Campaign, on: datetime.date, *, sort: str = "name", descending: bool = False
) -> list[dict]:
    """Figures per department (the employee's own department): one query, then sorted.

    Each row has department_id, name, total, a count per status, in_scope, done_percent
    and in_progress. Ties are in name order both ways.
    """
    rows = []
    for row in selectors.counts_per_department(counted_assignments(campaign, on), on):
        row = shares(row)
        row["department_id"] = row.pop("employee__department_id")
        row["name"] = row.pop("employee__department__name") or gettext("No department")
        rows.append(row)
    rows.sort(key=DEPARTMENT_SORTS["name"])
    if sort != "name" or descending:
        rows.sort(key=DEPARTMENT_SORTS[sort], reverse=descending)
    return rows


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


def completion_over_time(
    campaign: Campaign, on: datetime.date, *, in_scope: int | None = None
) -> Timeline:
    """The cumulative share of the assignments in scope (counting, not exempt) that is
    signed, per day from the start to max(deadline, today). Signatures from before the
    start count on the start. One query (two without ``in_scope``)."""
    assignments = counted_assignments(campaign, on)
    if in_scope is None:
        in_scope = assignments.filter(exempted_at__isnull=True).count()
    per_day = dict(
        selectors.with_status(assignments, on)
        .filter(status=Status.SIGNED)
        .annotate(day=TruncDate("signed_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
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

    @property
    def shown(self) -> bool:
        return self.people >= self.min_group_size

    @property
    def passed_first_try_percent(self) -> int | None:
        return round(100 * self.passed_first_try / self.people) if self.people else None


def min_group_size() -> int:
    return max(int(getattr(settings, "CAMPAIGN_MIN_GROUP_SIZE", 5)), 1)


def quiz_figures(
    campaign: Campaign, on: datetime.date, departments: Iterable[dict]
) -> list[QuizFigure]:
    """Quiz figures per department for the departments given (rows of department_rows,
    in their order): two queries over the submitted attempts, for the version of each
    assignment in scope (counting, not exempt).

    A department's figures are kept only when at least CAMPAIGN_MIN_GROUP_SIZE people
    in it submitted an attempt; otherwise they are dropped here, so that no template
    can show them and nobody's score can be singled out from a small group. There is
    no total over all departments: with it, a hidden group's figures could be worked
    out by subtraction.
    """
    minimum = min_group_size()
    in_scope = selectors.counting(
        Assignment.objects.filter(
            campaign=campaign,
            employee_id=OuterRef("employee_id"),
            version_id=OuterRef("version_id"),
            exempted_at__isnull=True,
        ),
        on,
    )
    submitted = Attempt.objects.filter(
        Q(submitted_at__isnull=False, correct_count__isnull=False), Exists(in_scope)
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
    by_department = {row["employee__department_id"]: row for row in rows}
    figures = []
    for department in departments:
        row = by_department.get(department["department_id"]) or {}
        people = row.get("people", 0)
        shown = people >= minimum
        figures.append(
            QuizFigure(
                department_id=department["department_id"],
                name=department["name"],
                people=people,
                attempts=row.get("attempts", 0) if shown else 0,
                average_score=row.get("average") if shown else None,
                passed_first_try=passed_first.get(department["department_id"], 0) if shown else 0,
                min_group_size=minimum,
            )
        )
    return figures


# Reminder log ---------------------------------------------------------------------------


def step_label(reminder: Reminder) -> str:
    """ "before-14" → "14 days before the due date", and so on; unknown steps as stored."""
    kind, _sep, rest = reminder.step.partition("-")
    if kind == "before" and rest.isdigit():
        return gettext("%(days)s days before the due date") % {"days": rest}
    if kind in ("manager", "hr") and rest.isdigit():
        return gettext("%(days)s days after the due date") % {"days": rest}
    if kind == "manual":
        try:
            day = datetime.date.fromisoformat(rest)
        except ValueError:
            return reminder.step
        return gettext("By hand on %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    return reminder.step
