"""Differences between two versions of a guideline: word by word, tip by tip.

Tips are matched by their lineage, so a tip that moved is compared with itself and not
with whatever now has its number. Each tip gets a label in words (unchanged, editorial
change, change in meaning, new, removed) and the changed words are marked with <del>
and <ins> elements that carry visually hidden "start of deletion" / "end of deletion"
texts, so the meaning never rests on colour alone and screen readers announce it.
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from handbook.models import GuidelineVersion, Tip

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Words, runs of punctuation and runs of whitespace: the units that are compared.
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")

EQUAL = "equal"
DELETE = "delete"
INSERT = "insert"


class TipStatus(models.TextChoices):
    UNCHANGED = "unchanged", _("Unchanged")
    EDITORIAL = "editorial", _("Editorial change")
    MATERIAL = "material", _("Change in meaning")
    NEW = "new", _("New")
    REMOVED = "removed", _("Removed")


@dataclass(frozen=True)
class Segment:
    kind: str  # EQUAL, DELETE or INSERT
    text: str


def _tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(*, old: str, new: str) -> list[Segment]:
    """The word-level difference between two texts, as equal/delete/insert segments.

    Adjacent segments of the same kind are merged; a replacement is a deletion followed
    by an insertion.
    """
    a, b = _tokenize(old), _tokenize(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []

    def add(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for opcode, i1, i2, j1, j2 in matcher.get_opcodes():
        if opcode == "equal":
            add(EQUAL, a[i1:i2])
        else:
            add(DELETE, a[i1:i2])
            add(INSERT, b[j1:j2])
    return segments


def render_segments(*, segments: Iterable[Segment]) -> SafeString:
    """HTML for a word diff: <del>/<ins> with texts that screen readers read out."""
    # Looked up outside the f-strings: xgettext does not see a call inside one, and
    # makemessages would drop the Dutch of these screen-reader markers.
    start_deletion = escape(gettext("start of deletion"))
    end_deletion = escape(gettext("end of deletion"))
    start_insertion = escape(gettext("start of insertion"))
    end_insertion = escape(gettext("end of insertion"))
    parts = []
    for segment in segments:
        text = escape(segment.text)
        if segment.kind == DELETE:
            parts.append(
                f'<del class="diff-del"><span class="visually-hidden">[{start_deletion}] </span>'
                f'{text}<span class="visually-hidden"> [{end_deletion}]</span></del>'
            )
        elif segment.kind == INSERT:
            parts.append(
                f'<ins class="diff-ins"><span class="visually-hidden">[{start_insertion}] </span>'
                f'{text}<span class="visually-hidden"> [{end_insertion}]</span></ins>'
            )
        else:
            parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def _is_changed(segments: Iterable[Segment]) -> bool:
    return any(segment.kind != EQUAL for segment in segments)


@dataclass
class TipDiff:
    status: str
    old_number: int | None
    new_number: int | None
    segments: list[Segment]
    # A removed tip: whether leaving it out is a change in meaning (None: not known, as
    # when comparing a newer version with an older one), and the editor's note if not.
    removal_material: bool | None = None
    removal_note: str = ""

    @property
    def label(self) -> StrOrPromise:
        if self.status == TipStatus.REMOVED and self.removal_material is not None:
            if self.removal_material:
                return gettext("Removed: a change in meaning")
            if self.removal_note:
                return gettext("Removed, not a change in meaning: %(note)s") % {
                    "note": self.removal_note
                }
            return gettext("Removed, not a change in meaning")
        return TipStatus(self.status).label

    @property
    def html(self) -> SafeString:
        return render_segments(segments=self.segments)

    @property
    def moved(self) -> bool:
        return (
            self.old_number is not None
            and self.new_number is not None
            and self.old_number != self.new_number
        )

    @property
    def anchor(self) -> str:
        if self.new_number is not None:
            return f"tip-{self.new_number}"
        return f"removed-tip-{self.old_number}"


@dataclass
class VersionDiff:
    old: GuidelineVersion
    new: GuidelineVersion
    language: str
    title: list[Segment]
    introduction: list[Segment]
    tips: list[TipDiff] = field(default_factory=list)

    @property
    def title_html(self) -> SafeString:
        return render_segments(segments=self.title)

    @property
    def introduction_html(self) -> SafeString:
        return render_segments(segments=self.introduction)

    @property
    def title_changed(self) -> bool:
        return _is_changed(self.title)

    @property
    def introduction_changed(self) -> bool:
        return _is_changed(self.introduction)

    def count(self, status: str) -> int:
        return sum(1 for tip in self.tips if tip.status == status)

    @property
    def summary(self) -> list[tuple[StrOrPromise, int]]:
        """(label, count) for every tip status that occurs, in a fixed order."""
        return [(s.label, self.count(s.value)) for s in TipStatus if self.count(s.value)]


def strongest_marks(*, tips: Iterable[Tip]) -> dict[uuid.UUID, str]:
    """Per lineage, the weightiest change mark among the given tips.

    Used when comparing versions that are further apart than one step: a tip changed in
    meaning in any version in between has changed in meaning.
    """
    weight: dict[str, int] = {
        Tip.Change.UNCHANGED: 0,
        Tip.Change.EDITORIAL: 1,
        Tip.Change.MATERIAL: 2,
        Tip.Change.NEW: 2,
    }
    marks: dict[uuid.UUID, str] = {}
    for tip in tips:
        if weight.get(tip.change, 2) > weight.get(marks.get(tip.lineage, ""), -1):
            marks[tip.lineage] = tip.change
    return marks


@dataclass(frozen=True)
class Removal:
    """A tip of an older version that a newer one no longer has: the version that left
    it out, and whether that is a change in meaning (the default) or, by the editor's
    mark, not (GuidelineVersion.editorial_removals)."""

    lineage: uuid.UUID
    version: GuidelineVersion

    @property
    def material(self) -> bool:
        return self.version.removal_is_material(self.lineage)

    @property
    def note(self) -> str:
        return self.version.removal_note(self.lineage)


def removals(
    *,
    before: Iterable[uuid.UUID],
    after: Iterable[uuid.UUID],
    low: int,
    newest: GuidelineVersion,
    between: Iterable[Tip],
) -> dict[uuid.UUID, Removal]:
    """The tips of version ``low`` (their lineages: ``before``) that ``newest`` (its
    lineages: ``after``) no longer has, each with the version that left it out.

    ``between``: the tips of the versions after ``low`` up to ``newest``, with their
    version loaded (select_related, as handbook.selectors.tips_between does). A lineage
    never comes back once left out (a draft copies the latest version's tips), so the
    version that left a tip out is the one after the last that still has it. Costs no
    query.
    """
    remaining = set(before) - set(after)
    if not remaining:
        return {}
    versions = {newest.number: newest}
    last_seen: dict[uuid.UUID, int] = {}
    for tip in between:
        versions.setdefault(tip.version.number, tip.version)
        if tip.lineage in remaining:
            last_seen[tip.lineage] = max(last_seen.get(tip.lineage, low), tip.version.number)
    return {
        lineage: Removal(lineage, versions.get(last_seen.get(lineage, low) + 1, newest))
        for lineage in remaining
    }


def _tip_status(old: Tip, new: Tip, segments: list[Segment], mark: str | None) -> str:
    if not _is_changed(segments):
        return TipStatus.UNCHANGED
    if mark == Tip.Change.EDITORIAL:
        return TipStatus.EDITORIAL
    if mark in (Tip.Change.MATERIAL, Tip.Change.NEW):
        return TipStatus.MATERIAL
    # The shown text changed but no version in between says how: a translation that
    # was improved while the Dutch stayed the same is editorial; otherwise be careful.
    if old.text == new.text:
        return TipStatus.EDITORIAL
    return TipStatus.MATERIAL


def diff_versions(
    *,
    old: GuidelineVersion,
    new: GuidelineVersion,
    language: str = "nl",
    between: Iterable[Tip] | None = None,
) -> VersionDiff:
    """Compare two versions in the given language ("nl" or "en").

    ``between`` are the tips of the versions after the older and up to the newer of the
    two, for the change marks; by default the newer version's own marks are used, which
    is right for a version and the one it is based on. Uses ``version.tips.all()``, so
    prefetch the tips.
    """
    old_tips = sorted(old.tips.all(), key=lambda t: t.number)
    new_tips = sorted(new.tips.all(), key=lambda t: t.number)
    if between is None:
        between = new_tips if old.number < new.number else old_tips
    between = list(between)
    marks = strongest_marks(tips=between)
    left_out = (
        removals(
            before=[tip.lineage for tip in old_tips],
            after=[tip.lineage for tip in new_tips],
            low=old.number,
            newest=new,
            between=between,
        )
        if old.number < new.number
        else {}
    )

    old_by_lineage = {tip.lineage: tip for tip in old_tips}
    new_lineages = {tip.lineage for tip in new_tips}

    entries: list[TipDiff] = []
    position_of: dict[uuid.UUID, int] = {}
    for tip in new_tips:
        before = old_by_lineage.get(tip.lineage)
        if before is None:
            entries.append(
                TipDiff(
                    TipStatus.NEW, None, tip.number, word_diff(old="", new=tip.text_in(language))
                )
            )
        else:
            segments = word_diff(old=before.text_in(language), new=tip.text_in(language))
            status = _tip_status(before, tip, segments, marks.get(tip.lineage))
            entries.append(TipDiff(status, before.number, tip.number, segments))
        position_of[tip.lineage] = len(entries) - 1

    # Removed tips go right after the surviving tip that preceded them in the old version.
    removed_after: dict[int, list[TipDiff]] = defaultdict(list)
    previous_position = -1
    for tip in old_tips:
        if tip.lineage in new_lineages:
            previous_position = position_of[tip.lineage]
        else:
            removal = left_out.get(tip.lineage)
            removed_after[previous_position].append(
                TipDiff(
                    TipStatus.REMOVED,
                    tip.number,
                    None,
                    word_diff(old=tip.text_in(language), new=""),
                    removal_material=removal.material if removal else None,
                    removal_note=removal.note if removal else "",
                )
            )
    ordered = list(removed_after[-1])
    for position, entry in enumerate(entries):
        ordered.append(entry)
        ordered.extend(removed_after[position])

    return VersionDiff(
        old=old,
        new=new,
        language=language,
        title=word_diff(old=old.title_in(language), new=new.title_in(language)),
        introduction=word_diff(
            old=old.introduction_in(language), new=new.introduction_in(language)
        ),
        tips=ordered,
    )
