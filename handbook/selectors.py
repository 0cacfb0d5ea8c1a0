"""Shared reads of the handbook. Other apps (quizzes, acknowledgements) use these."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from handbook.models import Guideline, GuidelineVersion, Tip

DEFAULT_GUIDELINE_SLUG = "sociale-media"


def default_guideline() -> Guideline | None:
    return Guideline.objects.filter(slug=DEFAULT_GUIDELINE_SLUG).first() or Guideline.objects.first()


def current_version(
    guideline: Guideline, *, today: datetime.date | None = None
) -> GuidelineVersion | None:
    """The published version in force today: the newest whose effective date has come.

    A version published ahead of its effective date becomes current on that date by
    itself; nothing needs to run.
    """
    today = today or timezone.localdate()
    return (
        guideline.versions.filter(
            status=GuidelineVersion.Status.PUBLISHED, effective_date__lte=today
        )
        .order_by("-effective_date", "-number")
        .first()
    )


def visible_versions(guideline: Guideline, *, user) -> QuerySet[GuidelineVersion]:
    """Versions this user may read: published and retired, and drafts for editors."""
    versions = guideline.versions.select_related("published_by", "last_edited_by")
    if not user.has_perm("handbook.view_draft_guidelineversion"):
        versions = versions.exclude(status=GuidelineVersion.Status.DRAFT)
    return versions.order_by("-number")


def version_with_tips(guideline: Guideline, number: int, *, user) -> GuidelineVersion | None:
    return (
        visible_versions(guideline, user=user)
        .prefetch_related(Prefetch("tips", queryset=Tip.objects.order_by("number")))
        .filter(number=number)
        .first()
    )


def open_draft(guideline: Guideline) -> GuidelineVersion | None:
    return guideline.versions.filter(status=GuidelineVersion.Status.DRAFT).first()


def latest_published(guideline: Guideline) -> GuidelineVersion | None:
    return (
        guideline.versions.filter(status=GuidelineVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
