"""What the handbook's views share: the guideline of the URL, presenting a version in the language
of the text (portal.viewhelpers: which language, and text that carries its language)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from handbook.models import Guideline, GuidelineVersion, Tip
from handbook.selectors import VersionState, version_state
from handbook.selectors.access import guideline_by_slug, has_guideline_perm
from portal.viewhelpers import (
    LANGUAGE_PARAMETER,
    Localised,
    content_language,
    localise,
    portal_language,
)

STATE_LABELS = {
    VersionState.DRAFT: _("Draft"),
    VersionState.CURRENT: _("Current"),
    VersionState.SCHEDULED: _("Scheduled"),
    VersionState.SUPERSEDED: _("Superseded"),
    VersionState.RETIRED: _("Retired"),
}


@dataclass
class TipPresentation:
    tip: Tip
    text: Localised
    # The label shown with the number ("Tip 3 – Judgement"); None without one.
    topic: Localised | None = None

    @property
    def number(self) -> int:
        return self.tip.number

    @property
    def anchor(self) -> str:
        return f"tip-{self.tip.number}"


@dataclass
class VersionPresentation:
    version: GuidelineVersion
    language: str
    state: str
    title: Localised
    introduction: Localised
    change_summary: Localised
    tips: list[TipPresentation] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def content_hash(self) -> str:
        """The hash of the text as shown: Dutch, or English on an English page."""
        version = self.version
        return version.content_hash_en if self.language == "en" else version.content_hash

    def tip(self, number: int) -> TipPresentation | None:
        for tip in self.tips:
            if tip.number == number:
                return tip
        return None

    def neighbours(self, number: int) -> tuple[TipPresentation | None, TipPresentation | None]:
        numbers = [tip.number for tip in self.tips]
        index = numbers.index(number)
        previous = self.tips[index - 1] if index > 0 else None
        following = self.tips[index + 1] if index + 1 < len(self.tips) else None
        return previous, following


def present_version(
    version: GuidelineVersion,
    *,
    language: str,
    current: GuidelineVersion | None,
    today: datetime.date | None = None,
) -> VersionPresentation:
    """A version in the given language; uses version.tips.all(), so prefetch them."""
    return VersionPresentation(
        version=version,
        language=language,
        state=version_state(version=version, current=current, today=today or timezone.localdate()),
        title=localise(version.title, version.title_en, language),
        introduction=localise(version.introduction, version.introduction_en, language),
        change_summary=localise(version.change_summary, version.change_summary_en, language),
        tips=[
            TipPresentation(
                tip=tip,
                text=localise(tip.text, tip.text_en, language),
                topic=localise(tip.topic, tip.topic_en, language) if tip.topic.strip() else None,
            )
            for tip in sorted(version.tips.all(), key=lambda t: t.number)
        ],
    )


class GuidelineMixin:
    """Finds the guideline of the URL (its short name, the keyword ``guideline``): 404
    when there is none. Puts it in the context as ``guideline``.

    Put it after LoginRequiredMixin in the bases. A view that needs a right on the
    guideline overrides check_guideline_access (EditorMixin does).
    """

    guideline: Guideline

    def dispatch(self, request, *args, **kwargs):
        guideline = guideline_by_slug(slug=kwargs.get("guideline", ""))
        if guideline is None:
            raise Http404(gettext("There is no guideline with this short name."))
        self.guideline = guideline
        self.check_guideline_access()
        return super().dispatch(request, *args, **kwargs)

    def check_guideline_access(self) -> None:
        """Raise PermissionDenied when the user may not see this page of the guideline."""

    def guideline_perm(self, perm: str) -> bool:
        """Whether the user holds ``perm`` for this guideline (or for all of them)."""
        return has_guideline_perm(user=self.request.user, perm=perm, guideline=self.guideline)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guideline"] = self.guideline
        context["guideline_title"] = self.guideline.title_in(content_language(self.request))
        return context


class LanguageMixin:
    """Adds the text language and the links between Dutch original and translation."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = content_language(self.request)
        context["text_language"] = language
        context["portal_language"] = portal_language()
        context["language_parameter"] = LANGUAGE_PARAMETER
        return context


class HandbookPageMixin(LoginRequiredMixin, GuidelineMixin, LanguageMixin):
    """Every page of one guideline: logged-in staff, the guideline of the URL, the text
    language."""
