"""Launching a campaign for every employee, through campaigns.services, rolled back.

Each run creates a draft campaign for all employees and the current version
(create_campaign), times launch_campaign, and rolls everything back: the database is
as before. The first run counts the queries (capturing them costs time, so it is not
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

TARGET_SECONDS = 20.0


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


def launch_once(*, count_queries: bool = False) -> tuple[int, float, int | None]:
    """One launch for everyone, undone; returns (assignments, seconds, queries or None)."""
    from benchmarks.scale.constants import HR_EMAIL
    from campaigns.models import Campaign
    from campaigns.services import create_campaign, launch_campaign
    from handbook.selectors import current_version, default_guideline
    from people.models import Employee

    guideline = default_guideline()
    version = current_version(guideline=guideline) if guideline else None
    if version is None:
        raise LaunchError("No current version: is the scale data there?")
    hr = Employee.objects.filter(email=HR_EMAIL).first()
    today = timezone.localdate()
    try:
        with transaction.atomic():
            campaign = create_campaign(
                name="Benchmark launch (rolled back)",
                versions=[version],
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
        log(f"  launch for {added:,} employees: {seconds:.2f} s")
    return LaunchResult(
        active_employees=Employee.objects.filter(is_active=True).count(),
        assignments=assignments,
        repeat=repeat,
        seconds=timings,
        median_s=median(timings),
        queries=queries or 0,
    )
