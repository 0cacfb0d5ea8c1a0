"""Reading is tracked per tip: the first time an employee opens a tip's page.

The handbook sends handbook.signals.tip_viewed from its tip pages; the receiver below
(connected in AcknowledgementsConfig.ready) records the read. Only tips of a published
version count: an editor previewing a draft has not read the text that will be signed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from acknowledgements.models import TipRead

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
    read, _created = TipRead.objects.get_or_create(employee=employee, tip=tip)
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
