"""Re-acknowledgement: what a new version asks of someone who signed an earlier one.

A version with changes in meaning (a tip marked material or new, or the version's
"everyone must acknowledge again" box) asks those who signed an earlier version to sign
again; they re-read only the tips that changed in meaning since the version they last
signed and pass the quiz on those tips (Attempt.Purpose.CHANGES). A version with only
editorial changes asks nothing of them. Someone who never signed reads everything and
passes the whole quiz (see acknowledgements.selectors.eligibility).

Tips are compared by lineage across every version in between, so a tip changed in
meaning in version 2 still counts for someone who signed version 1 when version 3 is
current, and a tip changed and later changed back does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handbook.models import Guideline, GuidelineVersion, Tip

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from acknowledgements.models import Acknowledgement
    from people.models import Employee

MATERIAL_CHANGES = (Tip.Change.MATERIAL, Tip.Change.NEW)


class State:
    SIGNED = "signed"  # signed this version
    UP_TO_DATE = "up_to_date"  # signed an earlier one; nothing changed in meaning since
    MUST_SIGN = "must_sign"  # never signed a version of this guideline
    MUST_RESIGN = "must_resign"  # signed an earlier one; this one changed in meaning


@dataclass
class Status:
    """Where an employee stands with a version (see selectors.status_for)."""

    state: str
    version: GuidelineVersion
    acknowledgement: object = None  # the Acknowledgement of ``version``, when SIGNED
    signed_version: GuidelineVersion | None = None  # the last signed earlier version
    changed_tips: list[Tip] = field(default_factory=list)  # MUST_RESIGN: tips to re-read

    @property
    def must_resign(self) -> bool:
        return self.state == State.MUST_RESIGN

    @property
    def up_to_date(self) -> bool:
        return self.state in (State.SIGNED, State.UP_TO_DATE)


def needs_reacknowledgement(*, version: GuidelineVersion) -> bool:
    """Whether the version, compared with the one before, changed in meaning."""
    return (
        version.requires_reacknowledgement
        or version.tips.filter(change__in=MATERIAL_CHANGES).exists()
    )


def _acknowledgements(
    *, employee: Employee, guideline: Guideline | int
) -> QuerySet[Acknowledgement]:
    from acknowledgements.models import Acknowledgement, LedgerEntry

    return Acknowledgement.objects.filter(
        employee=employee, version__guideline=guideline, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    )


def last_signed_version(
    *, employee: Employee, guideline: Guideline | int, up_to: int | None = None
) -> GuidelineVersion | None:
    """The newest version of the guideline the employee signed (numbers <= ``up_to``)."""
    records = _acknowledgements(employee=employee, guideline=guideline)
    if up_to is not None:
        records = records.filter(version__number__lte=up_to)
    record = records.select_related("version").order_by("-version__number").first()
    return record.version if record else None


def earlier_signed_version(
    *, employee: Employee, version: GuidelineVersion
) -> GuidelineVersion | None:
    """The newest version before ``version`` that the employee signed, or None."""
    return last_signed_version(
        employee=employee, guideline=version.guideline_id, up_to=version.number - 1
    )


def changed_tips_since(
    *, employee: Employee, version: GuidelineVersion, since: GuidelineVersion | None = None
) -> list[Tip]:
    """The tips of ``version`` that changed in meaning since the employee last signed
    (``since``, by default their newest earlier signed version), in order.

    A tip counts when it is new (no tip of the same lineage in the signed version), or
    its text differs from that tip's and some version after the signed one marks it
    material or new. Without an earlier signed version every tip counts.
    """
    if since is None:
        since = earlier_signed_version(employee=employee, version=version)
    if since is None:
        return list(version.tips.order_by("number"))
    return tips_changed_between(since=since, version=version)


def tips_changed_between(*, since: GuidelineVersion, version: GuidelineVersion) -> list[Tip]:
    """The tips of ``version`` changed in meaning since ``since`` (three queries)."""
    from handbook.selectors import tips_between
    from handbook.selectors.diff import strongest_marks

    tips = list(version.tips.order_by("number"))
    before = dict(since.tips.values_list("lineage", "text"))
    marks = strongest_marks(
        tips=tips_between(guideline=version.guideline_id, low=since.number, high=version.number)
    )
    return [
        tip
        for tip in tips
        if tip.lineage not in before
        or (before[tip.lineage] != tip.text and marks.get(tip.lineage) in MATERIAL_CHANGES)
    ]


def must_resign_since(
    *, since: GuidelineVersion, version: GuidelineVersion
) -> tuple[bool, list[Tip]]:
    """Whether someone who signed ``since`` must sign ``version`` again, and the tips
    they re-read: a tip changed in meaning, or a version in between (or this one) has
    "everyone must acknowledge again" ticked."""
    changed = tips_changed_between(since=since, version=version)
    if changed:
        return True, changed
    flagged = GuidelineVersion.objects.filter(
        guideline_id=version.guideline_id,
        number__gt=since.number,
        number__lte=version.number,
        requires_reacknowledgement=True,
    ).exists()
    return flagged, changed


def status_for(*, employee: Employee, version: GuidelineVersion) -> Status:
    """Signed, up to date through an earlier version, must sign, or must sign again."""
    records = _acknowledgements(employee=employee, guideline=version.guideline_id).filter(
        version__number__lte=version.number
    )
    record = records.select_related("version", "entry").order_by("-version__number").first()
    if record is None:
        return Status(State.MUST_SIGN, version)
    if record.version_id == version.pk:
        return Status(State.SIGNED, version, acknowledgement=record)
    since = record.version
    must, changed = must_resign_since(since=since, version=version)
    if must:
        return Status(State.MUST_RESIGN, version, signed_version=since, changed_tips=changed)
    return Status(State.UP_TO_DATE, version, signed_version=since)


def changes_quiz_tip_ids(*, employee: Employee, version: GuidelineVersion) -> list[int] | None:
    """The tips the employee's CHANGES quiz is about, or None when they may not take
    it (they do not have to sign again). The quiz's start page uses this too, so who
    may take that quiz and who needs it to sign are one rule."""
    status = status_for(employee=employee, version=version)
    if not status.must_resign:
        return None
    return [tip.pk for tip in status.changed_tips]
