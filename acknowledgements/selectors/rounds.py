"""What a yearly round (a campaign where everyone signs again) asks of an employee's
signature that other signatures are not asked: reading again since the round began,
and a quiz passed since then (acknowledgements.hooks.SigningRound)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import F
from django.db.models.functions import Coalesce

from acknowledgements import hooks
from acknowledgements.models import TipRead

if TYPE_CHECKING:
    from acknowledgements.hooks import SigningRound
    from handbook.models import GuidelineVersion, Tip
    from people.models import Employee


def unread_in_round(
    *, employee: Employee, version: GuidelineVersion, round: SigningRound
) -> list[Tip]:
    """The version's tips the employee must still open in a round where everyone signs
    again: every tip (but the ones they may skip) not opened since the round began."""
    read = (
        TipRead.objects.filter(employee=employee, tip__version=version)
        .annotate(opened=Coalesce(F("last_opened_at"), F("first_opened_at")))
        .filter(opened__gte=round.counts_from)
        .values("tip_id")
    )
    return list(
        version.tips.exclude(pk__in=read).exclude(pk__in=round.skipped_tip_ids).order_by("number")
    )


def quiz_counts_from(*, employee: Employee, version: GuidelineVersion) -> datetime.datetime | None:
    """From when a passed quiz counts for the employee's signature of the version: the
    start of their open round where everyone signs again, else None (any counts)."""
    round = hooks.signing_round(employee=employee, version=version)
    return round.counts_from if round is not None else None
