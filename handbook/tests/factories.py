"""Factories for the handbook: guidelines, versions (drafts), tips, events.

A published version is made through the services, as in real life:
``published_version(guideline, tips=[...])``.
"""

import datetime

import factory

from handbook import services
from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guideline
        django_get_or_create = ["slug"]

    slug = "sociale-media"
    title = "Handreiking gebruik sociale media"


class GuidelineVersionFactory(factory.django.DjangoModelFactory):
    """A draft version. Publish it with services.publish_version or published_version()."""

    class Meta:
        model = GuidelineVersion

    guideline = factory.SubFactory(GuidelineFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = GuidelineVersion.Status.DRAFT
    title = "Handreiking gebruik sociale media"
    title_en = "Guidance on the use of social media"
    introduction = "Sociale media spelen een steeds grotere rol."
    introduction_en = "Social media play an ever larger part."
    effective_date = datetime.date(2026, 1, 1)


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    version = factory.SubFactory(GuidelineVersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Tip tekst {n}.")
    text_en = factory.Sequence(lambda n: f"Tip text {n}.")
    change = Tip.Change.NEW


class HandbookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandbookEvent

    guideline = factory.SubFactory(GuidelineFactory)
    kind = HandbookEvent.Kind.DRAFT_CHANGED
    version_number = 1


def published_version(
    guideline=None,
    *,
    number=1,
    tips=("Eerste tip.", "Tweede tip."),
    tips_en=None,
    effective_date=datetime.date(2026, 1, 1),
    based_on=None,
    changes=None,
    lineages=None,
    **fields,
) -> GuidelineVersion:
    """A published version with the given Dutch tip texts (and optional marks/lineages)."""
    guideline = guideline or GuidelineFactory()
    draft = GuidelineVersionFactory(
        guideline=guideline,
        number=number,
        effective_date=effective_date,
        based_on=based_on,
        **fields,
    )
    for index, text in enumerate(tips):
        extra = {}
        if lineages and lineages[index] is not None:
            extra["lineage"] = lineages[index]
        Tip.objects.create(
            version=draft,
            number=index + 1,
            text=text,
            text_en=(tips_en[index] if tips_en else f"EN {text}"),
            change=(changes[index] if changes else Tip.Change.NEW),
            **extra,
        )
    return services.publish_version(draft=draft, actor=None)


def retire_at_once(version: GuidelineVersion, actor=None) -> GuidelineVersion:
    """The version retired at once, without the two editors' steps (handbook.services.retirement):
    for tests of what a retired version is."""
    from django.db import transaction

    from handbook.services.retirement import retire_without_review

    with transaction.atomic():
        retire_without_review(version=version, actor=actor)
    return GuidelineVersion.objects.get(pk=version.pk)
