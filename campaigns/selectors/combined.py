"""The status of an employee over all the guidelines a campaign asks of them.

An assignment is one employee, one guideline, one campaign; its own status is
campaigns.selectors.with_status. This module combines an employee's assignments into
one status, in the database (one query, however many people and guidelines):

- ``exempt`` when every assignment is exempt;
- ``signed`` when every assignment is signed or exempt (at least one signed);
- ``overdue`` when any is overdue;
- otherwise the least progress among the open ones: ``not_started``, then ``reading``,
  then ``quiz_failed``, then ``quiz_passed``.

So the combined status is the "lowest" of the assignments' statuses in the order
overdue < not started < reading < quiz not passed yet < quiz passed < signed < exempt;
the values are those of Assignment.Status, and each employee has exactly one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import Case, CharField, Count, IntegerField, Min, Q, QuerySet, Value, When

from campaigns.models import Assignment
from campaigns.selectors import status_rule

Status = Assignment.Status

# From least to most done: the combined status is the minimum.
ORDER: tuple[str, ...] = (
    Status.OVERDUE,
    Status.NOT_STARTED,
    Status.READING,
    Status.QUIZ_FAILED,
    Status.QUIZ_PASSED,
    Status.SIGNED,
    Status.EXEMPT,
)


def _rank(on: datetime.date) -> Case:
    """An assignment's status as its place in ORDER (the one rule of with_status:
    campaigns.selectors.status_rule)."""
    return Case(
        *(
            When(condition, then=Value(ORDER.index(status)))
            for condition, status in status_rule(on=on)
        ),
        default=Value(ORDER.index(Status.NOT_STARTED)),
        output_field=IntegerField(),
    )


def _status_of(rank_field: str) -> Case:
    """A rank annotation back to its Assignment.Status value (None for no rows)."""
    return Case(
        *(When(**{rank_field: i}, then=Value(status)) for i, status in enumerate(ORDER)),
        default=Value(None),
        output_field=CharField(),
    )


def combined_status(
    *,
    assignments: QuerySet[Assignment],
    on: datetime.date,
    per_campaign: bool = True,
    guideline_ids: Sequence[int] = (),
) -> QuerySet[Any]:
    """One row (a dict) per employee among ``assignments``, in one query:

    - ``employee_id`` (and ``campaign_id`` when ``per_campaign``, the default: one row
      per employee per campaign; with ``per_campaign=False`` one row per employee over
      all the campaigns in ``assignments``);
    - ``status``: the combined status (see the module's docstring), an
      Assignment.Status value;
    - ``guidelines``: how many assignments (guidelines) the row combines;
      ``signed``, ``exempt``, ``overdue``: how many of them are so;
    - ``open_due_date``: the earliest due date of the assignments still open (not
      signed, not exempt), None when none is open;
    - for each id in ``guideline_ids``: ``guideline_<id>``, the status of that
      guideline's assignment (None when the row has none): a column per guideline.

    Filter ``assignments`` first (one campaign, a department, leavers left out with
    campaigns.selectors.counting); ``on`` is the day the statuses are for (overdue is
    past the due date on that day). Order the rows yourself, e.g.
    ``.order_by("employee_id")``; filter on the combined status with
    ``.filter(status=...)`` (a HAVING on the aggregate).
    """
    keys = ["campaign_id", "employee_id"] if per_campaign else ["employee_id"]
    open_ = Q(exempted_at__isnull=True, signed_at__isnull=True)
    columns: dict[str, Any] = {
        "combined_rank": Min(_rank(on)),
        "guidelines": Count("pk"),
        "signed": Count("pk", filter=Q(exempted_at__isnull=True, signed_at__isnull=False)),
        "exempt": Count("pk", filter=Q(exempted_at__isnull=False)),
        "overdue": Count("pk", filter=open_ & Q(due_date__lt=on)),
        "open_due_date": Min("due_date", filter=open_),
    }
    for pk in guideline_ids:
        columns[f"guideline_{int(pk)}_rank"] = Min(_rank(on), filter=Q(guideline_id=pk))
    rows: QuerySet[Any] = assignments.order_by().values(*keys).annotate(**columns)
    statuses = {"status": _status_of("combined_rank")}
    for pk in guideline_ids:
        statuses[f"guideline_{int(pk)}"] = _status_of(f"guideline_{int(pk)}_rank")
    combined: QuerySet[Any] = rows.annotate(**statuses)
    return combined


def combined_status_counts(
    *, assignments: QuerySet[Assignment], on: datetime.date, per_campaign: bool = True
) -> dict[str, int]:
    """How many employees have each combined status (combined_status's rows counted per
    status), with ``total``: {"total": n, "signed": ..., "overdue": ..., ...}. One query:
    the grouping per employee is a subquery, counted in the database."""
    figures = {"total": 0, **dict.fromkeys(Status.values, 0)}
    inner = combined_status(assignments=assignments, on=on, per_campaign=per_campaign)
    sql, params = inner.values("combined_rank").query.sql_with_params()
    with connections[inner.db].cursor() as cursor:
        cursor.execute(
            "SELECT rows.combined_rank, COUNT(*) FROM (" + sql + ") rows "  # noqa: S608
            "GROUP BY rows.combined_rank",
            params,
        )
        for rank, n in cursor.fetchall():
            figures[ORDER[rank]] += n
            figures["total"] += n
    return figures
