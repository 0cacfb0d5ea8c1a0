"""Reading is tracked per tip: the first time an employee opens a tip's page, and the
latest time (to the minute), since a yearly round counts reading from its start.

The handbook sends handbook.signals.tip_viewed from its tip pages; the receiver below
(connected in AcknowledgementsConfig.ready) records the read. Only tips of a published
version count: an editor previewing a draft has not read the text that will be signed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from acknowledgements.models import TipRead

# The latest opening is written at most this often (every page view would be a write).
RESOLUTION = datetime.timedelta(minutes=1)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from handbook.models import GuidelineVersion, Tip
    from people.models import Employee


def record_tip_read(*, employee: Employee | AnonymousUser | None, tip: Tip) -> TipRead | None:
    """Record that the employee opened the tip; idempotent (one row per employee and tip).

    Returns the row, or None when nothing is recorded (anonymous user, draft version).
    """
    from handbook.models import GuidelineVersion

    if employee is None or not employee.is_authenticated:
        return None
    if tip.version.status != GuidelineVersion.Status.PUBLISHED:
        return None
    # get_or_create copes with two tabs opening the tip at once: the unique constraint
    # refuses the second insert and it reads the first one's row.
    now = timezone.now()
    read, created = TipRead.objects.get_or_create(
        employee=employee, tip=tip, defaults={"last_opened_at": now}
    )
    if not created and (read.last_opened_at is None or read.last_opened_at < now - RESOLUTION):
        # A conditional update: two tabs write it once; the triggers follow it (campaigns).
        TipRead.objects.filter(pk=read.pk).filter(
            Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=now - RESOLUTION)
        ).update(last_opened_at=now)
        read.last_opened_at = now
    return read


def tip_viewed_receiver(
    sender: object, *, employee: Employee | AnonymousUser | None, tip: Tip, **kwargs: object
) -> None:
    record_tip_read(employee=employee, tip=tip)


def read_tip_numbers(
    *, employee: Employee | AnonymousUser | None, version: GuidelineVersion
) -> set[int]:
    """The numbers of the version's tips that the employee has opened (one query)."""
    if employee is None or not employee.is_authenticated:
        return set()
    return set(
        TipRead.objects.filter(employee=employee, tip__version=version).values_list(
            "tip__number", flat=True
        )
    )
