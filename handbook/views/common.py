"""What the handbook's views share: the guideline, presenting a version in the language
of the text (portal.viewhelpers: which language, and text that carries its language)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handbook.models import GuidelineVersion, Tip
from handbook.selectors import VersionState, default_guideline, version_state
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
            TipPresentation(tip=tip, text=localise(tip.text, tip.text_en, language))
            for tip in sorted(version.tips.all(), key=lambda t: t.number)
        ],
    )


class GuidelineMixin:
    """Finds the default guideline; without one, shows a page that says what to do.

    Put it after LoginRequiredMixin (and PermissionRequiredMixin) in the bases.
    """

    guideline = None

    def dispatch(self, request, *args, **kwargs):
        self.guideline = default_guideline()
        if self.guideline is None:
            return render(request, "handbook/empty.html", {"reason": "no_guideline"})
        return super().dispatch(request, *args, **kwargs)


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
    """Every handbook page: logged-in staff, the default guideline, the text language."""
