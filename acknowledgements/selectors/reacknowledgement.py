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

A tip left out since the version someone signed is a change in meaning too, unless the
editor of the version that left it out marked it otherwise (for example: merged into
another tip; GuidelineVersion.editorial_removals). There is nothing to re-read for it:
those people sign again, re-reading only the tips that changed, as when the version's
"everyone must acknowledge again" box is ticked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q

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
    """Whether the version, compared with the one before, changed in meaning: a tip
    changed in meaning or new, a tip left out (unless marked otherwise), or the box."""
    if version.requires_reacknowledgement:
        return True
    if version.tips.filter(change__in=MATERIAL_CHANGES).exists():
        return True
    if version.based_on_id is None:
        return False
    kept = set(version.tips.values_list("lineage", flat=True))
    return any(
        version.removal_is_material(lineage)
        for lineage in Tip.objects.filter(version_id=version.based_on_id).values_list(
            "lineage", flat=True
        )
        if lineage not in kept
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
    return _compare(since=since, version=version)[0]


def _compare(*, since: GuidelineVersion, version: GuidelineVersion) -> tuple[list[Tip], bool]:
    """The tips of ``version`` changed in meaning since ``since``, and whether a tip of
    ``since`` was left out in a way that changes the meaning (three queries)."""
    from handbook.selectors import tips_between

    tips = list(version.tips.order_by("number"))
    before = dict(since.tips.values_list("lineage", "text"))
    between = list(
        tips_between(guideline=version.guideline_id, low=since.number, high=version.number)
    )
    return _changed_and_removed(
        tips=tips, before=before, between=between, low=since.number, newest=version
    )


def _changed_and_removed(
    *,
    tips: list[Tip],
    before: dict[UUID, str],
    between: list[Tip],
    low: int,
    newest: GuidelineVersion,
) -> tuple[list[Tip], bool]:
    """_changed, and whether a tip of version ``low`` was left out by ``newest`` or a
    version in between without the editor's mark "not a change in meaning"."""
    from handbook.selectors.diff import removals, strongest_marks

    changed = _changed(tips=tips, before=before, marks=strongest_marks(tips=between))
    left_out = removals(
        before=before,
        after=[tip.lineage for tip in tips],
        low=low,
        newest=newest,
        between=between,
    )
    return changed, any(removal.material for removal in left_out.values())


def _changed(*, tips: list[Tip], before: dict[UUID, str], marks: dict[UUID, str]) -> list[Tip]:
    """The tips (of the newer version) new since, or changed in meaning since, the version
    whose tip texts by lineage are ``before``; ``marks``: the strongest mark per lineage
    in the versions in between (see tips_changed_between)."""
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
    "everyone must acknowledge again" ticked, or a tip was left out (unless the editor
    marked that as not a change in meaning)."""
    changed, removed = _compare(since=since, version=version)
    if changed or removed:
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


def statuses_for(*, employee: Employee, versions: Iterable[GuidelineVersion]) -> dict[int, Status]:
    """status_for of each version (of different guidelines), by version pk, in at most
    four queries however many versions: the employee's signatures of those guidelines;
    and, only for someone who signed an earlier version, the tips of the versions since
    then, the tips of the versions they signed, and the versions in between that ask
    everyone to sign again. The same rules as status_for, read in bulk (for the home
    page, which shows every guideline that applies)."""
    from acknowledgements.models import Acknowledgement, LedgerEntry

    versions = list(versions)
    if not versions:
        return {}
    by_guideline = {version.guideline_id: version for version in versions}
    newest: dict[int, Acknowledgement] = {}
    records = Acknowledgement.objects.select_related("version", "entry").filter(
        employee=employee,
        version__guideline_id__in=list(by_guideline),
        kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
    )
    for record in records:
        guideline_id = record.version.guideline_id
        if record.version.number > by_guideline[guideline_id].number:
            continue  # signed a newer version than the one asked about: not counted
        held = newest.get(guideline_id)
        if held is None or record.version.number > held.version.number:
            newest[guideline_id] = record

    statuses: dict[int, Status] = {}
    earlier: dict[int, GuidelineVersion] = {}  # version pk -> the earlier signed version
    for version in versions:
        last = newest.get(version.guideline_id)
        if last is None:
            statuses[version.pk] = Status(State.MUST_SIGN, version)
        elif last.version_id == version.pk:
            statuses[version.pk] = Status(State.SIGNED, version, acknowledgement=last)
        else:
            earlier[version.pk] = last.version
    if not earlier:
        return statuses

    between = Q(pk__in=[])
    for version in versions:
        if version.pk in earlier:
            between |= Q(
                version__guideline_id=version.guideline_id,
                version__number__gt=earlier[version.pk].number,
                version__number__lte=version.number,
            )
    since_tips: dict[int, list[Tip]] = {}  # per guideline: its tips in versions since
    for tip in Tip.objects.filter(between).select_related("version").order_by("number"):
        since_tips.setdefault(tip.version.guideline_id, []).append(tip)
    before: dict[int, dict[UUID, str]] = {}  # per signed version: its texts by lineage
    signed_texts = Tip.objects.filter(version__in=list(earlier.values())).order_by()
    for version_id, lineage, text in signed_texts.values_list("version_id", "lineage", "text"):
        before.setdefault(version_id, {})[lineage] = text

    unchanged: set[int] = set()  # version pks: no tip changed in meaning since
    for version in versions:
        since = earlier.get(version.pk)
        if since is None:
            continue
        in_between = since_tips.get(version.guideline_id, [])
        changed, removed = _changed_and_removed(
            tips=[tip for tip in in_between if tip.version_id == version.pk],
            before=before.get(since.pk, {}),
            between=in_between,
            low=since.number,
            newest=version,
        )
        if changed or removed:
            statuses[version.pk] = Status(
                State.MUST_RESIGN, version, signed_version=since, changed_tips=changed
            )
        else:
            unchanged.add(version.pk)
    if not unchanged:
        return statuses

    flagged_between = Q(pk__in=[])
    for version in versions:
        if version.pk in unchanged:
            flagged_between |= Q(
                guideline_id=version.guideline_id,
                number__gt=earlier[version.pk].number,
                number__lte=version.number,
            )
    flagged = set(
        GuidelineVersion.objects.filter(flagged_between, requires_reacknowledgement=True)
        .order_by()
        .values_list("guideline_id", flat=True)
        .distinct()
    )
    for version in versions:
        if version.pk in unchanged:
            state = State.MUST_RESIGN if version.guideline_id in flagged else State.UP_TO_DATE
            statuses[version.pk] = Status(state, version, signed_version=earlier[version.pk])
    return statuses
