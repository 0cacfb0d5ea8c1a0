"""Writes to the handbook: drafts, publishing, loading version 1 (retiring, with four
eyes: handbook.services.retirement).

Every function here is atomic and writes its HandbookEvent in the same transaction.
Status changes use queryset updates: a stored published version refuses save().
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from handbook.models import TOPIC_LENGTH, Guideline, GuidelineVersion, HandbookEvent, Tip
from handbook.selectors import last_to_take_effect
from handbook.selectors.access import has_guideline_perm
from handbook.selectors.canonical import version_hashes
from handbook.services.seed import SeedText
from handbook.signals import draft_created
from people.models import Employee


@dataclass
class TipInput:
    """A tip as the editor submits it. lineage None means a new tip."""

    text: str
    text_en: str = ""
    change: str = ""
    lineage: uuid.UUID | None = None
    # The tip's topic (not part of the text); None keeps the one the draft's tip of this
    # lineage has (a text import, which knows no topics).
    topic: str | None = None
    topic_en: str | None = None


def _log(
    guideline: Guideline,
    kind: str,
    actor: Employee | None = None,
    version_number: int | None = None,
    **details: object,
) -> HandbookEvent:
    return HandbookEvent.objects.create(
        guideline=guideline, kind=kind, actor=actor, version_number=version_number, details=details
    )


def _require(actor: Employee | None, permission: str, guideline: Guideline) -> None:
    """The actor holds the permission for every guideline or for this one (an editor of
    one guideline, handbook.selectors.access); None is the system itself."""
    if actor is not None and not has_guideline_perm(
        user=actor, perm=permission, guideline=guideline
    ):
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def load_version_one(
    *, slug: str, dutch: SeedText, english: SeedText | None, effective_date: datetime.date
) -> GuidelineVersion:
    """Load the customer's text as published version 1. Idempotent: does nothing twice."""
    guideline, _created = Guideline.objects.get_or_create(
        slug=slug, defaults={"title": dutch.title}
    )
    existing = guideline.versions.filter(number=1).first()
    if existing is not None:
        return existing
    if english is not None and len(english.tips) != len(dutch.tips):
        raise ValueError("The English translation must have as many tips as the Dutch text.")
    version = GuidelineVersion.objects.create(
        guideline=guideline,
        number=1,
        title=dutch.title,
        title_en=english.title if english else "",
        introduction=dutch.introduction,
        introduction_en=english.introduction if english else "",
        effective_date=effective_date,
        requires_reacknowledgement=True,
    )
    english_tips = dict(english.tips) if english else {}
    Tip.objects.bulk_create(
        Tip(version=version, number=n, text=text, text_en=english_tips.get(n, ""))
        for n, text in dutch.tips
    )
    _publish(version, actor=None)
    if guideline.review_date is None:
        Guideline.objects.filter(pk=guideline.pk).update(
            review_date=_one_year_after(effective_date)
        )
    return GuidelineVersion.objects.get(pk=version.pk)


@transaction.atomic
def create_draft(*, guideline: Guideline, actor: Employee | None) -> GuidelineVersion:
    """Start a new draft from the latest version: its text, tips and translations."""
    _require(actor, "handbook.add_guidelineversion", guideline)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.versions.filter(status=GuidelineVersion.Status.DRAFT).exists():
        raise ValidationError(_("There is already a draft. Continue with that one."))
    latest = guideline.versions.order_by("-number").first()
    number = (guideline.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    now = timezone.now()
    draft = GuidelineVersion.objects.create(
        guideline=guideline,
        number=number,
        title=latest.title if latest else guideline.title,
        title_en=latest.title_en if latest else "",
        introduction=latest.introduction if latest else "",
        introduction_en=latest.introduction_en if latest else "",
        based_on=latest,
        created_by=actor,
        last_edited_by=actor,
        last_edited_at=now,
    )
    if latest is not None:
        Tip.objects.bulk_create(
            Tip(
                version=draft,
                number=tip.number,
                lineage=tip.lineage,
                text=tip.text,
                text_en=tip.text_en,
                topic=tip.topic,
                topic_en=tip.topic_en,
                change=Tip.Change.UNCHANGED,
            )
            for tip in latest.tips.all()
        )
    _log(
        guideline,
        HandbookEvent.Kind.DRAFT_CREATED,
        actor,
        number,
        based_on=getattr(latest, "number", None),
    )
    draft_created.send(sender=GuidelineVersion, draft=draft)
    return draft


# The longest note on a removed tip that is not a change in meaning.
REMOVAL_NOTE_LENGTH = 200


def proposed_change(*, previous_text: str | None, text: str) -> str:
    """What the portal proposes for a tip: new, unchanged if identical, else undecided."""
    if previous_text is None:
        return Tip.Change.NEW
    if previous_text == text:
        return Tip.Change.UNCHANGED
    return ""


@transaction.atomic
def update_draft(
    *,
    draft: GuidelineVersion,
    actor: Employee | None,
    title: str,
    title_en: str,
    introduction: str,
    introduction_en: str,
    change_summary: str,
    change_summary_en: str,
    effective_date: datetime.date | None,
    requires_reacknowledgement: bool,
    tips: list[TipInput],
    editorial_removals: dict[uuid.UUID, str] | None = None,
) -> GuidelineVersion:
    """Replace a draft's content. Tips are numbered in the order given.

    A tip whose text equals the previous version's is marked unchanged; a changed tip
    must be marked editorial or material by the editor; a tip without lineage is new.
    A tip of the previous version that is left out is a change in meaning (those who
    signed must sign again) unless ``editorial_removals`` names its lineage, with the
    editor's note (such as "merged into tip 4"); None keeps the marks the draft has for
    tips still left out.
    """
    _require(actor, "handbook.change_guidelineversion", draft.guideline)
    draft = GuidelineVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("Only a draft can be changed."))
    if not tips:
        raise ValidationError(_("A version needs at least one tip."))
    previous: dict[uuid.UUID | None, str] = (
        {t.lineage: t.text for t in draft.based_on.tips.all()} if draft.based_on else {}
    )
    topics = {t.lineage: (t.topic, t.topic_en) for t in draft.tips.all()}
    errors = []
    rows = []
    for number, tip in enumerate(tips, start=1):
        if not tip.text.strip():
            errors.append(_("Tip %(number)s has no text.") % {"number": number})
            continue
        proposed = proposed_change(previous_text=previous.get(tip.lineage), text=tip.text)
        change = proposed or tip.change
        if change not in (
            Tip.Change.EDITORIAL,
            Tip.Change.MATERIAL,
            *([proposed] if proposed else []),
        ):
            errors.append(
                _("Tip %(number)s changed: mark it as an editorial change or a change in meaning.")
                % {"number": number}
            )
            continue
        # A tip new in this draft has no lineage yet, hence no topics to keep.
        kept_topic, kept_topic_en = topics.get(tip.lineage, ("", "")) if tip.lineage else ("", "")
        rows.append(
            Tip(
                version=draft,
                number=number,
                text=tip.text.strip(),
                text_en=tip.text_en.strip(),
                topic=_topic(tip.topic, kept_topic),
                topic_en=_topic(tip.topic_en, kept_topic_en),
                change=change,
                **({"lineage": tip.lineage} if tip.lineage else {}),
            )
        )
    kept = {row.lineage for row in rows}
    if editorial_removals is None:
        editorial_removals = {
            uuid.UUID(lineage): note
            for lineage, note in (draft.editorial_removals or {}).items()
            if uuid.UUID(lineage) in previous and uuid.UUID(lineage) not in kept
        }
    for lineage in editorial_removals:
        if lineage not in previous or lineage in kept:
            errors.append(
                _(
                    "Only a tip of the previous version that this version leaves out can be "
                    "marked as removed without a change in meaning."
                )
            )
            break
    if errors:
        raise ValidationError(errors)
    draft.editorial_removals = {
        str(lineage): note.strip()[:REMOVAL_NOTE_LENGTH]
        for lineage, note in editorial_removals.items()
    }
    draft.title = title.strip()
    draft.title_en = title_en.strip()
    draft.introduction = introduction.strip()
    draft.introduction_en = introduction_en.strip()
    draft.change_summary = change_summary.strip()
    draft.change_summary_en = change_summary_en.strip()
    draft.effective_date = effective_date
    draft.requires_reacknowledgement = requires_reacknowledgement
    draft.last_edited_by = actor
    draft.last_edited_at = timezone.now()
    draft.save()
    draft.tips.all().delete()
    Tip.objects.bulk_create(rows)
    _log(draft.guideline, HandbookEvent.Kind.DRAFT_CHANGED, actor, draft.number)
    return draft


def _topic(given: str | None, kept: str) -> str:
    return kept if given is None else given.strip()[:TOPIC_LENGTH]


def effective_date_too_early(
    *, guideline: Guideline | int, number: int, effective_date: datetime.date
) -> str | None:
    """Why version ``number`` with this effective date would never be in force, or None.

    It would not when a published version (in force or scheduled) has a later effective
    date: current_version takes the newest effective date, so that version would win
    from the start. The same date is allowed: current_version then takes the higher
    number, so the new version replaces the other one from that date.
    """
    latest = last_to_take_effect(guideline=guideline)
    if latest is None or latest.effective_date is None or effective_date >= latest.effective_date:
        return None
    return _(
        "Version %(number)s would take effect on %(date)s. That is before the effective "
        "date of version %(latest)s: %(latest_date)s. So version %(number)s would never "
        "apply. Choose an effective date on or after %(latest_date)s."
    ) % {
        "number": number,
        "date": date_format(effective_date),
        "latest": latest.number,
        "latest_date": date_format(latest.effective_date),
    }


def publish_blockers(*, draft: GuidelineVersion, actor: Employee | None) -> list[str]:
    """Why this actor cannot publish this draft now; empty when they can."""
    reasons = []
    if not draft.is_draft:
        reasons.append(_("This version is not a draft."))
        return reasons
    if actor is not None and not has_guideline_perm(
        user=actor, perm="handbook.publish_guidelineversion", guideline=draft.guideline
    ):
        reasons.append(_("You may not publish versions."))
    if settings.HANDBOOK_FOUR_EYES and actor is not None and draft.last_edited_by_id == actor.pk:
        reasons.append(
            _("You made the last change to this draft. Another editor must check and publish it.")
        )
    if draft.effective_date is None:
        reasons.append(_("Fill in the effective date first."))
    else:
        too_early = effective_date_too_early(
            guideline=draft.guideline_id, number=draft.number, effective_date=draft.effective_date
        )
        if too_early:
            reasons.append(too_early)
    if not draft.tips.exists():
        reasons.append(_("A version needs at least one tip."))
    return reasons


@transaction.atomic
def publish_version(*, draft: GuidelineVersion, actor: Employee | None) -> GuidelineVersion:
    """Publish a draft: freeze it, store its hashes, log who did it and when."""
    draft = GuidelineVersion.objects.select_for_update().get(pk=draft.pk)
    reasons = publish_blockers(draft=draft, actor=actor)
    if reasons:
        raise ValidationError(reasons)
    assert draft.effective_date is not None  # publish_blockers checked it
    _publish(draft, actor)
    Guideline.objects.filter(pk=draft.guideline_id).update(
        review_date=_one_year_after(draft.effective_date)
    )
    return GuidelineVersion.objects.get(pk=draft.pk)


def _publish(version: GuidelineVersion, actor: Employee | None) -> None:
    assert version.effective_date is not None  # the callers checked it
    dutch, english = version_hashes(version=version)
    GuidelineVersion.objects.filter(pk=version.pk, status=GuidelineVersion.Status.DRAFT).update(
        status=GuidelineVersion.Status.PUBLISHED,
        content_hash=dutch,
        content_hash_en=english,
        published_at=timezone.now(),
        published_by=actor,
    )
    _log(
        version.guideline,
        HandbookEvent.Kind.PUBLISHED,
        actor,
        version.number,
        content_hash=dutch,
        effective_date=version.effective_date.isoformat(),
    )


@transaction.atomic
def discard_draft(*, draft: GuidelineVersion, actor: Employee | None) -> None:
    _require(actor, "handbook.change_guidelineversion", draft.guideline)
    draft = GuidelineVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("Only a draft can be discarded."))
    number = draft.number
    draft.delete()
    _log(draft.guideline, HandbookEvent.Kind.DRAFT_DISCARDED, actor, number)


@transaction.atomic
def record_admin_change(*, draft: GuidelineVersion, actor: Employee | None) -> None:
    """Note that a draft was corrected in the admin site: by whom, when, and an event.

    The four-eyes rule looks at last_edited_by, so an admin correction counts as that
    person's change. Does nothing for a version that is not a draft.
    """
    _require(actor, "handbook.change_guidelineversion", draft.guideline)
    updated = GuidelineVersion.objects.filter(
        pk=draft.pk, status=GuidelineVersion.Status.DRAFT
    ).update(last_edited_by=actor, last_edited_at=timezone.now())
    if updated:
        _log(draft.guideline, HandbookEvent.Kind.DRAFT_CHANGED, actor, draft.number, via="admin")


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
