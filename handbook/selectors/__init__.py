"""Shared reads of the handbook. Other apps (quizzes, acknowledgements) use these."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip
from handbook.selectors.access import has_guideline_perm
from people.models import Employee

DEFAULT_GUIDELINE_SLUG = "sociale-media"


def default_guideline() -> Guideline | None:
    return (
        Guideline.objects.filter(slug=DEFAULT_GUIDELINE_SLUG).first() or Guideline.objects.first()
    )


def current_version(
    *, guideline: Guideline, today: datetime.date | None = None
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


def last_to_take_effect(*, guideline: Guideline | int) -> GuidelineVersion | None:
    """The published version that is in force last: the one in force today or, when one
    is scheduled, the latest scheduled one. Ordered as current_version orders them
    (effective date, then number), so a version published with an earlier effective date
    than this one's would never be in force (see handbook.services.publish_blockers)."""
    return (
        GuidelineVersion.objects.filter(
            guideline=guideline, status=GuidelineVersion.Status.PUBLISHED
        )
        .order_by("-effective_date", "-number")
        .first()
    )


def any_version_in_force(*, today: datetime.date | None = None) -> bool:
    """Whether some guideline has a published version in force today (one query)."""
    return GuidelineVersion.objects.filter(
        status=GuidelineVersion.Status.PUBLISHED,
        effective_date__lte=today or timezone.localdate(),
    ).exists()


def visible_versions(
    *, guideline: Guideline, user: Employee | AnonymousUser
) -> QuerySet[GuidelineVersion]:
    """Versions this user may read: published and retired, and drafts for editors."""
    versions = guideline.versions.select_related("published_by", "last_edited_by")
    if not has_guideline_perm(
        user=user, perm="handbook.view_draft_guidelineversion", guideline=guideline
    ):
        versions = versions.exclude(status=GuidelineVersion.Status.DRAFT)
    return versions.order_by("-number")


def version_with_tips(
    *, guideline: Guideline, number: int, user: Employee | AnonymousUser
) -> GuidelineVersion | None:
    return (
        visible_versions(guideline=guideline, user=user)
        .prefetch_related(Prefetch("tips", queryset=Tip.objects.order_by("number")))
        .filter(number=number)
        .first()
    )


def open_draft(*, guideline: Guideline) -> GuidelineVersion | None:
    return (
        guideline.versions.select_related("last_edited_by")
        .filter(status=GuidelineVersion.Status.DRAFT)
        .first()
    )


def latest_published(*, guideline: Guideline) -> GuidelineVersion | None:
    return (
        guideline.versions.filter(status=GuidelineVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def version_label(*, version: GuidelineVersion, current: GuidelineVersion | None) -> str:
    """A version's name in a choice of versions: "Version 3 (current)", "(draft)", ..."""
    if version.status == version.Status.DRAFT:
        return gettext("Version %(number)s (draft)") % {"number": version.number}
    if current is not None and version.pk == current.pk:
        return gettext("Version %(number)s (current)") % {"number": version.number}
    if version.status == version.Status.RETIRED:
        return gettext("Version %(number)s (retired)") % {"number": version.number}
    return gettext("Version %(number)s") % {"number": version.number}


class VersionState:
    """How a version stands today, as shown in the history and on version pages."""

    DRAFT = "draft"
    CURRENT = "current"
    SCHEDULED = "scheduled"
    SUPERSEDED = "superseded"
    RETIRED = "retired"


def version_state(
    *,
    version: GuidelineVersion,
    current: GuidelineVersion | None,
    today: datetime.date | None = None,
) -> str:
    """One of VersionState: a published version is current, scheduled (its effective date
    is still to come) or superseded (a later one is in force). ``current`` is
    current_version() of the same guideline, passed in so a list costs no extra query.
    """
    today = today or timezone.localdate()
    if version.status == GuidelineVersion.Status.DRAFT:
        return VersionState.DRAFT
    if version.status == GuidelineVersion.Status.RETIRED:
        return VersionState.RETIRED
    if current is not None and version.pk == current.pk:
        return VersionState.CURRENT
    if version.effective_date and version.effective_date > today:
        return VersionState.SCHEDULED
    return VersionState.SUPERSEDED


def versions_with_tips(
    *, guideline: Guideline, numbers: list[int], user: Employee | AnonymousUser
) -> dict[int, GuidelineVersion]:
    """The visible versions with these numbers, tips prefetched: two queries in all."""
    versions = (
        visible_versions(guideline=guideline, user=user)
        .prefetch_related(Prefetch("tips", queryset=Tip.objects.order_by("number")))
        .filter(number__in=numbers)
    )
    return {version.number: version for version in versions}


def tips_between(*, guideline: Guideline | int, low: int, high: int) -> QuerySet[Tip]:
    """Lineage and change mark of every tip in versions low+1 .. high, with its version's
    number and marks on removed tips (handbook.selectors.diff.removals): one query."""
    return (
        Tip.objects.filter(
            version__guideline=guideline, version__number__gt=low, version__number__lte=high
        )
        .select_related("version")
        .only(
            "lineage",
            "change",
            "version",
            "version__number",
            "version__guideline_id",
            "version__editorial_removals",
        )
    )


def handbook_events(*, guideline: Guideline) -> QuerySet[HandbookEvent]:
    """The guideline's audit trail, newest first, with who did it."""
    return guideline.events.select_related("actor").order_by("-at", "-pk")
