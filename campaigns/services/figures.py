"""The figures on HR's campaign dashboard: counted live, or kept for large campaigns.

A campaign with up to CAMPAIGN_LIVE_FIGURES_LIMIT assignments is counted on every
visit (a few queries of a few milliseconds). A larger one (a municipality of 100,000)
takes the database seconds, so its figures are worked out by a background task
(``refresh_campaign_figures``) and kept in CampaignFigures: the page shows the latest,
with their time, and asks for new ones when they are older than
CAMPAIGN_FIGURES_MAX_AGE seconds or of another day. One request per period: the
conditional update of ``requested_at`` lets only one visitor enqueue the task.

What is kept are the raw counts (per department and status, signed per day, quiz
figures per department): names are translated, small quiz groups dropped and rows
sorted when the page is shown, as for live figures. They are kept per view of the page
(``data["views"]``): all the campaign's guidelines combined (``ALL``) and each
guideline (its id), so that a tab of the page reads only its own.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, Func, JSONField, Q, Value
from django.utils import timezone

from campaigns import selectors
from campaigns.models import Assignment, Campaign, CampaignFigures, CampaignGuideline
from campaigns.selectors import dashboard
from handbook.models import Guideline
from people.selectors import EVERYTHING, Scope

Status = Assignment.Status


@dataclass(frozen=True)
class Counts:
    """The raw counts behind the dashboard, live or kept."""

    departments: list[dict[str, Any]]  # selectors.counts_per_department's rows
    per_day: dict[datetime.date | None, int]  # dashboard.signed_per_day
    quiz: dict[int | None, dict[str, Any]]  # dashboard.quiz_rows
    computed_at: datetime.datetime | None = None  # None: counted just now, live
    refreshing: bool = False  # newer figures have been asked for


def live_limit() -> int:
    return int(settings.CAMPAIGN_LIVE_FIGURES_LIMIT)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(settings.CAMPAIGN_FIGURES_MAX_AGE))


ALL = "all"  # the key of the combined figures; a guideline's are under its id


def _view_key(guideline: Guideline | None) -> str:
    return ALL if guideline is None else str(guideline.pk)


def _count(
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None = None,
    scope: Scope = EVERYTHING,
) -> Counts:
    """Count now (four queries): of one guideline's assignments, or (None) of all the
    campaign's guidelines combined, employees counted by their combined status; of the
    people in ``scope`` (an HR adviser's part)."""
    assignments = dashboard.counted_assignments(
        campaign=campaign, on=on, guideline=guideline, scope=scope
    )
    if guideline is None:
        return Counts(
            departments=dashboard.combined_counts_per_department(assignments=assignments, on=on),
            per_day=_per_day(campaign, on, guideline, scope),
            quiz=dashboard.quiz_rows(campaign=campaign, on=on, scope=scope),
        )
    return Counts(
        departments=selectors.counts_per_department(assignments=assignments, on=on),
        per_day=_per_day(campaign, on, guideline, scope),
        quiz=dashboard.quiz_rows(campaign=campaign, on=on, guideline=guideline, scope=scope),
    )


def _per_day(
    campaign: Campaign, on: datetime.date, guideline: Guideline | None, scope: Scope
) -> dict[datetime.date | None, int]:
    """Signed per day (one query): employees (combined) or one guideline's assignments."""
    if guideline is None:
        assignments = dashboard.counted_assignments(campaign=campaign, on=on, scope=scope)
        return dashboard.combined_signed_per_day(assignments=assignments, on=on)
    return dashboard.signed_per_day(campaign=campaign, on=on, guideline=guideline, scope=scope)


def _within(
    counts: Counts,
    *,
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None,
    scope: Scope,
) -> Counts:
    """Kept counts cut to ``scope`` (an HR adviser's part): the rows of its departments
    as kept, and the days counted again for it (they are kept for the whole campaign
    only). Two queries; the whole organisation's are the counts as they are."""
    if scope.everything:
        return counts
    inside = set(scope.departments().values_list("pk", flat=True))
    return dataclasses.replace(
        counts,
        departments=[row for row in counts.departments if row["employee__department_id"] in inside],
        per_day=_per_day(campaign, on, guideline, scope),
        quiz={department: row for department, row in counts.quiz.items() if department in inside},
    )


# Kept compactly (lists, not dicts): a municipality has thousands of departments, and
# the page reads them on every visit. A department's counts are in this order, which is
# kept beside them: figures kept with other statuses (before a status was added or
# renamed) are not read but worked out again (_shape_of).
STATUSES = tuple(Status.values)


def _to_json(counts: Counts) -> dict[str, Any]:
    return {
        "statuses": list(STATUSES),
        "departments": [
            [row["employee__department_id"], row["employee__department__name"], row["total"]]
            + [row[status] for status in STATUSES]
            for row in counts.departments
        ],
        "per_day": [[day.isoformat() if day else None, n] for day, n in counts.per_day.items()],
        "quiz": [
            [department, row["people"], row["attempts"], row["average"], row["passed_first"]]
            for department, row in counts.quiz.items()
        ],
    }


def _kept(campaign: Campaign, key: str) -> tuple[CampaignFigures | None, dict[str, Any] | None]:
    """The kept figures (their row without ``data``) and of ``data`` only the view asked
    for (ALL or a guideline's id; None if not kept: figures kept before campaigns covered
    guidelines, or a guideline added since). One query; the views of every guideline
    together are large at 100,000 employees, so the database picks the one out."""
    if connection.vendor == "postgresql":
        path = [Value("views"), Value(key)]
        view = Func(F("data"), *path, function="jsonb_extract_path", output_field=JSONField())
    else:  # the key quoted: a guideline's id is a key, not an index
        path = [Value(f'$.views."{key}"')]
        view = Func(F("data"), *path, function="json_extract", output_field=JSONField())
    kept = (
        CampaignFigures.objects.filter(campaign=campaign)
        .defer("data")
        .annotate(kept_view=view)
        .first()
    )
    if kept is None:
        return None, None
    return kept, _shape_of(kept.kept_view)


def _shape_of(data: Any) -> dict[str, Any] | None:
    """The kept view when it has today's shape (a count per status of STATUSES, in its
    order), else None: kept by an older release, it is as good as missing."""
    if not isinstance(data, dict) or data.get("statuses") != list(STATUSES):
        return None
    rows = data.get("departments")
    if not isinstance(rows, list) or any(
        not isinstance(row, list) or len(row) != 3 + len(STATUSES) for row in rows
    ):
        return None
    return data


def _from_json(data: dict[str, Any], kept: CampaignFigures, refreshing: bool) -> Counts:
    departments = []
    for department_id, name, total, *by_status in data.get("departments", []):
        row = {
            "employee__department_id": department_id,
            "employee__department__name": name,
            "total": total,
        }
        row.update(zip(STATUSES, by_status, strict=True))
        departments.append(row)
    return Counts(
        departments=departments,
        per_day={
            datetime.date.fromisoformat(day) if day else None: n
            for day, n in data.get("per_day", [])
        },
        quiz={
            department: {
                "people": people,
                "attempts": attempts,
                "average": average,
                "passed_first": passed_first,
            }
            for department, people, attempts, average, passed_first in data.get("quiz", [])
        },
        computed_at=kept.computed_at,
        refreshing=refreshing,
    )


def refresh(*, campaign: Campaign, now: datetime.datetime | None = None) -> CampaignFigures:
    """Work the figures out and keep them (the background task's work)."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    started = time.perf_counter()
    # The combined figures and each guideline's: the page shows one view at a time.
    views = {ALL: _to_json(_count(campaign, on))}
    for subject in CampaignGuideline.objects.filter(campaign=campaign).select_related("guideline"):
        views[_view_key(subject.guideline)] = _to_json(_count(campaign, on, subject.guideline))
    kept, _created = CampaignFigures.objects.update_or_create(
        campaign=campaign,
        defaults={
            "on": on,
            "computed_at": now,
            "seconds": time.perf_counter() - started,
            "data": {"views": views},
            "requested_at": None,
        },
    )
    return kept


def request_refresh(*, campaign: Campaign, now: datetime.datetime) -> bool:
    """Ask the worker for new figures, unless someone asked within the maximum age.
    Returns whether this call asked."""
    from campaigns.tasks import refresh_campaign_figures

    _kept, created = CampaignFigures.objects.get_or_create(
        campaign=campaign, defaults={"requested_at": now}
    )
    if not created:
        asked = (
            CampaignFigures.objects.filter(campaign=campaign)
            .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - max_age()))
            .update(requested_at=now)
        )
        if not asked:
            return False
    refresh_campaign_figures.enqueue(campaign.pk)
    return True


def for_dashboard(
    *,
    campaign: Campaign,
    on: datetime.date,
    guideline: Guideline | None = None,
    scope: Scope = EVERYTHING,
) -> Counts | None:
    """The counts to show, of one guideline or (None) of all combined, of the people in
    ``scope`` (an HR adviser's part: the in-scope departments' rows): live for a small
    campaign; otherwise the kept ones (None while the first are being worked out),
    asking for new ones when they are stale."""
    # More than the limit? (Not a count: that reads every assignment of a large one.)
    limit = live_limit()
    if not campaign.assignments.order_by()[limit : limit + 1].exists():
        return _count(campaign, on, guideline, scope)
    return _kept_for_dashboard(campaign=campaign, on=on, guideline=guideline, scope=scope)


def _kept_for_dashboard(
    *, campaign: Campaign, on: datetime.date, guideline: Guideline | None, scope: Scope
) -> Counts | None:
    counts = _kept_counts(campaign=campaign, on=on, guideline=guideline)
    if counts is None:
        return None
    return _within(counts, campaign=campaign, on=on, guideline=guideline, scope=scope)


def _kept_counts(
    *, campaign: Campaign, on: datetime.date, guideline: Guideline | None
) -> Counts | None:
    key = _view_key(guideline)
    now = timezone.now()
    kept, view = _kept(campaign, key)
    fresh = (
        view is not None
        and kept is not None
        and kept.computed_at is not None
        and kept.on == on
        and kept.computed_at >= now - max_age()
    )
    if fresh:
        assert kept is not None and view is not None  # fresh says so
        return _from_json(view, kept, refreshing=False)
    asked = request_refresh(campaign=campaign, now=now)
    # A worker that runs tasks at once (tests, ImmediateBackend) has them now.
    kept, view = _kept(campaign, key)
    if kept is None or kept.computed_at is None or view is None:
        return None
    refreshing = asked or kept.requested_at is not None
    if kept.on == on and kept.computed_at >= now - max_age():
        refreshing = False
    return _from_json(view, kept, refreshing=refreshing)
