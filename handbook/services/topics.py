"""A version's tip topics: the label shown with a tip's number ("Tip 3 – Judgement").

A topic is not part of the version's text: it is not hashed (handbook.selectors.canonical)
and nobody signs it, so an editor of the guideline may change it after publishing,
without a new version (the database lets a published version's tip change its topic
and nothing else: handbook.triggers.TOPIC_COLUMNS). Each change is a HandbookEvent
naming the tips whose topic changed, in the version's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from handbook.models import TOPIC_LENGTH, GuidelineVersion, HandbookEvent, Tip
from handbook.services import _log, _require
from people.models import Employee


@dataclass(frozen=True)
class TopicInput:
    """The topics of one tip, by its number."""

    number: int
    topic: str
    topic_en: str = ""


@transaction.atomic
def change_topics(
    *, version: GuidelineVersion, actor: Employee | None, topics: list[TopicInput]
) -> list[int]:
    """Set the topics of the version's tips (a draft's or a published version's; a
    retired version stays as it is). Returns the numbers of the tips whose topic
    changed; logs one event if any did."""
    _require(actor, "handbook.change_guidelineversion", version.guideline)
    version = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == GuidelineVersion.Status.RETIRED:
        raise ValidationError(_("A retired version's topics cannot change."))
    tips = {tip.number: tip for tip in Tip.objects.filter(version=version)}
    changed = []
    for given in topics:
        tip = tips.get(given.number)
        if tip is None:
            raise ValidationError(
                _("This version has no tip %(number)s.") % {"number": given.number}
            )
        topic, topic_en = given.topic.strip(), given.topic_en.strip()
        if len(topic) > TOPIC_LENGTH or len(topic_en) > TOPIC_LENGTH:
            raise ValidationError(
                _("A topic has at most %(length)s characters.") % {"length": TOPIC_LENGTH}
            )
        if (topic, topic_en) != (tip.topic, tip.topic_en):
            Tip.objects.filter(pk=tip.pk).update(topic=topic, topic_en=topic_en)
            changed.append(tip.number)
    if changed:
        _log(
            version.guideline,
            HandbookEvent.Kind.TOPICS_CHANGED,
            actor,
            version.number,
            tips=sorted(changed),
        )
    return sorted(changed)
