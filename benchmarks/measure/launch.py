"""Launching a campaign for every employee, through campaigns.services, rolled back.

Each run creates a draft campaign for all employees and the current version of every
guideline (create_campaign; five in the scale data: up to five assignments per
employee, each guideline's to its own audience), times launch_campaign, and rolls
everything back: the database is as before. The first run counts the queries
(capturing them costs time, so it is not
timed); the next ``repeat`` runs are timed.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks.measure.stats import median

TARGET_SECONDS = 60.0  # five guidelines for 100,000 employees (issue 19)


class LaunchError(Exception):
    pass


class _RollBack(Exception):
    """Leaves the transaction with what the launch found, undoing what it made."""

    def __init__(self, assignments: int, seconds: float, queries: int | None):
        super().__init__("roll back")
        self.assignments, self.seconds, self.queries = assignments, seconds, queries


@dataclass
class LaunchResult:
    active_employees: int
    guidelines: int
    assignments: int
    repeat: int
    seconds: list[float]
    median_s: float
    queries: int

    @property
    def passed(self) -> bool:
        return self.median_s < TARGET_SECONDS

    def to_dict(self) -> dict:
        return asdict(self) | {"passed": self.passed, "target_s": TARGET_SECONDS}


def current_versions() -> list:
    """The current version of every guideline that has one, the default guideline first."""
    from handbook.models import Guideline
    from handbook.selectors import DEFAULT_GUIDELINE_SLUG, current_version

    found = [current_version(guideline=g) for g in Guideline.objects.order_by("slug")]
    found = [version for version in found if version is not None]
    if not found:
        raise LaunchError("No current version: is the scale data there?")
    return sorted(found, key=lambda v: v.guideline.slug != DEFAULT_GUIDELINE_SLUG)


def launch_once(*, count_queries: bool = False) -> tuple[int, float, int | None]:
    """One launch for everyone and every guideline, undone; returns (assignments,
    seconds, queries or None)."""
    from benchmarks.scale.constants import HR_EMAIL
    from campaigns.models import Campaign
    from campaigns.services import create_campaign, launch_campaign
    from people.models import Employee

    versions = current_versions()
    hr = Employee.objects.filter(email=HR_EMAIL).first()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            campaign = create_campaign(
                name="Benchmark launch (rolled back)",
                versions=versions,
                audience=Campaign.Audience.ALL,
                start_date=today,
                deadline=today + datetime.timedelta(days=30),
                by=hr,
            )
            if count_queries:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    added = launch_campaign(campaign=campaign, by=hr)
                    seconds = time.perf_counter() - started
                raise _RollBack(added, seconds, len(captured))
            started = time.perf_counter()
            added = launch_campaign(campaign=campaign, by=hr)
            raise _RollBack(added, time.perf_counter() - started, None)
    except _RollBack as done:
        return done.assignments, done.seconds, done.queries


def measure_launch(*, repeat: int = 3, log=print) -> LaunchResult:
    from people.models import Employee

    assignments, _seconds, queries = launch_once(count_queries=True)
    timings = []
    for _ in range(repeat):
        added, seconds, _queries = launch_once()
        if added != assignments:
            raise LaunchError(f"One launch made {assignments} assignments, another {added}.")
        timings.append(seconds)
        log(f"  launch: {added:,} assignments: {seconds:.2f} s")
    return LaunchResult(
        active_employees=Employee.objects.filter(is_active=True).count(),
        guidelines=len(current_versions()),
        assignments=assignments,
        repeat=repeat,
        seconds=timings,
        median_s=median(timings),
        queries=queries or 0,
    )
