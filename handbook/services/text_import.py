"""A version's whole text from a file, and to one: preview, import, export.

The file formats live in handbook.text_io (its README.md describes them). An import
replaces a draft's title, introduction and tips in one transaction, or nothing at all:
a file with any problem is refused whole (TextFormatError, every problem with its line).

A tip in the file is tip N of the draft: it keeps that tip's lineage, so that its change
mark and the version diff compare it with the same tip of the version before. Its mark is
worked out as the editor's form does (handbook.services.proposed_change): unchanged when
its Dutch text equals the previous version's, new when the previous version has no such
tip, and otherwise the mark the editor already gave it, or "change in meaning" (staff
re-read it) until an editor says it is editorial.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.selectors.diff import EQUAL, Segment, render_segments, word_diff
from handbook.services import _log, _require, proposed_change
from handbook.text_io import (
    GuidelineText,
    TextFormatError,
    TipText,
    format_for_filename,
    parse_text,
    write_text,
)
from people.models import Employee


class TextChange(models.TextChoices):
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    CHANGED = "changed", gettext_lazy("Changed")
    NEW = "new", gettext_lazy("New")
    REMOVED = "removed", gettext_lazy("Removed")


def _changed(segments: list[Segment]) -> bool:
    return any(segment.kind != EQUAL for segment in segments)


@dataclass(frozen=True)
class TextDiff:
    """One text before and after the import, word by word, Dutch and English."""

    dutch: list[Segment]
    english: list[Segment]

    @property
    def changed(self) -> bool:
        return _changed(self.dutch) or _changed(self.english)

    @property
    def dutch_html(self) -> SafeString:
        return render_segments(segments=self.dutch)

    @property
    def english_html(self) -> SafeString:
        return render_segments(segments=self.english)


@dataclass(frozen=True)
class TipPreview:
    number: int
    status: str  # a TextChange
    diff: TextDiff

    @property
    def label(self) -> str:
        return str(TextChange(self.status).label)


@dataclass(frozen=True)
class TextImportPreview:
    """What importing the file would change in the version, tip by tip."""

    version: GuidelineVersion
    format: str
    text: GuidelineText
    title: TextDiff
    introduction: TextDiff
    tips: list[TipPreview] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for tip in self.tips if tip.status == status)

    @property
    def changes_anything(self) -> bool:
        return (
            self.title.changed
            or self.introduction.changed
            or any(tip.status != TextChange.UNCHANGED for tip in self.tips)
        )


def _diff(old: str, old_en: str, new: str, new_en: str) -> TextDiff:
    return TextDiff(dutch=word_diff(old=old, new=new), english=word_diff(old=old_en, new=new_en))


def _read(*, version: GuidelineVersion, data: bytes, filename: str) -> tuple[str, GuidelineText]:
    """The file's format and text, checked against the version: TextFormatError if not."""
    if not version.is_draft:
        raise ValidationError(_("Only a draft can be changed."))
    kind = format_for_filename(filename)
    if kind is None:
        raise TextFormatError(
            [(None, _("Choose a Markdown file (.md) or a YAML file (.yaml or .yml)."))]
        )
    text = parse_text(data, format=kind)
    slug = version.guideline.slug
    if text.guideline and text.guideline != slug:
        raise TextFormatError(
            [
                (
                    text.guideline_line,
                    _(
                        "This file holds the text of the guideline “%(file)s”, not of "
                        "“%(guideline)s”. Change “guideline” in the file, or leave it out."
                    )
                    % {"file": text.guideline, "guideline": slug},
                )
            ]
        )
    return kind, text


def preview_text_import(
    *, version: GuidelineVersion, data: bytes, filename: str
) -> TextImportPreview:
    """What importing the file into the draft would change; raises TextFormatError with
    every problem of a malformed file, ValidationError for a version that is not a draft."""
    kind, text = _read(version=version, data=data, filename=filename)
    current = {tip.number: tip for tip in version.tips.all()}
    incoming = {tip.number: tip for tip in text.tips}
    tips: list[TipPreview] = []
    for number in sorted(current.keys() | incoming.keys()):
        before, after = current.get(number), incoming.get(number)
        diff = _diff(
            before.text if before else "",
            before.text_en if before else "",
            after.text if after else "",
            after.text_en if after else "",
        )
        if before is None:
            status = TextChange.NEW
        elif after is None:
            status = TextChange.REMOVED
        else:
            status = TextChange.CHANGED if diff.changed else TextChange.UNCHANGED
        tips.append(TipPreview(number=number, status=status, diff=diff))
    return TextImportPreview(
        version=version,
        format=kind,
        text=text,
        title=_diff(version.title, version.title_en, text.title, text.title_en),
        introduction=_diff(
            version.introduction, version.introduction_en, text.introduction, text.introduction_en
        ),
        tips=tips,
    )


def _mark(tip: TipText, draft_tip: Tip | None, previous: dict[uuid.UUID, str]) -> str:
    if draft_tip is None:
        return Tip.Change.NEW
    proposed = proposed_change(previous_text=previous.get(draft_tip.lineage), text=tip.text)
    if proposed:
        return proposed
    if draft_tip.text == tip.text and draft_tip.change in (
        Tip.Change.EDITORIAL,
        Tip.Change.MATERIAL,
    ):
        return draft_tip.change
    return Tip.Change.MATERIAL


@transaction.atomic
def import_text(
    *, version: GuidelineVersion, data: bytes, filename: str, actor: Employee | None
) -> GuidelineVersion:
    """Replace the draft's title, introduction and tips by the file's, whole or not at
    all: raises TextFormatError (every problem, with its line) for a malformed file and
    ValidationError for a version that is not a draft."""
    _require(actor, "handbook.change_guidelineversion", version.guideline)
    draft = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    kind, text = _read(version=draft, data=data, filename=filename)
    draft_tips = {tip.number: tip for tip in draft.tips.all()}
    previous: dict[uuid.UUID, str] = (
        {tip.lineage: tip.text for tip in draft.based_on.tips.all()} if draft.based_on else {}
    )
    rows = []
    for tip in text.tips:
        draft_tip = draft_tips.get(tip.number)
        rows.append(
            Tip(
                version=draft,
                number=tip.number,
                text=tip.text,
                text_en=tip.text_en,
                change=_mark(tip, draft_tip, previous),
                **({"lineage": draft_tip.lineage} if draft_tip else {}),
            )
        )
    draft.title = text.title
    draft.title_en = text.title_en
    draft.introduction = text.introduction
    draft.introduction_en = text.introduction_en
    draft.last_edited_by = actor
    draft.last_edited_at = timezone.now()
    draft.save()
    draft.tips.all().delete()
    Tip.objects.bulk_create(rows)
    _log(
        draft.guideline,
        HandbookEvent.Kind.DRAFT_CHANGED,
        actor,
        draft.number,
        via="import",
        format=kind,
        tips=len(rows),
    )
    return draft


def version_text(*, version: GuidelineVersion) -> GuidelineText:
    """The version's text as the files hold it."""
    return GuidelineText(
        guideline=version.guideline.slug,
        version=version.number,
        title=version.title,
        title_en=version.title_en,
        introduction=version.introduction,
        introduction_en=version.introduction_en,
        tips=[
            TipText(number=tip.number, text=tip.text, text_en=tip.text_en)
            for tip in version.tips.order_by("number")
        ],
    )


def export_text(*, version: GuidelineVersion, format: str) -> bytes:
    """The version's text as a file ("markdown" or "yaml") that imports back the same.
    Raises handbook.text_io.TextExportError when Markdown cannot hold a text."""
    return write_text(version_text(version=version), format=format)


def export_filename(*, version: GuidelineVersion, format: str) -> str:
    """A file name for the export, such as sociale-media-version-2.md."""
    extension = "md" if format == "markdown" else "yaml"
    return f"{version.guideline.slug}-version-{version.number}.{extension}"
