"""What the apps' views share: the language of the guideline text on a page, and
searchable lists.

Dutch is authoritative; English is a courtesy translation. The text is shown in the
portal's language unless ``?taal=nl`` or ``?taal=en`` asks otherwise; an English text
that is empty falls back to the Dutch one, and every piece of text carries its own
language so that it can be marked with ``lang``.

Here and not in one app's views so that no app imports another app's views
(.importlinter, docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.views.generic import ListView

from portal.search import SearchForm, search_words

LANGUAGE_PARAMETER = "taal"
TEXT_LANGUAGES = ("nl", "en")


def portal_language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def content_language(request) -> str:
    """The language of the guideline text on this page: ?taal=, else the portal's."""
    requested = request.GET.get(LANGUAGE_PARAMETER, "")
    if requested in TEXT_LANGUAGES:
        return requested
    return portal_language()


@dataclass(frozen=True)
class Localised:
    """A piece of guideline text and the language it is really in."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localise(dutch: str, english: str, language: str) -> Localised:
    if language == "en" and english.strip():
        return Localised(english, "en")
    return Localised(dutch, "nl")


class SearchListView(LoginRequiredMixin, ListView):
    """A searchable (``?q=``), paginated (``?pagina=``) list; subclasses say what is in
    it (``base_queryset``) and what the search words match (``search_words_in``)."""

    paginate_by = 25
    page_kwarg = "pagina"

    def base_queryset(self) -> QuerySet:  # pragma: no cover - abstract
        raise NotImplementedError

    def search_words_in(self, queryset: QuerySet, words: list[str]) -> QuerySet:
        raise NotImplementedError  # pragma: no cover - abstract

    def get_queryset(self):
        queryset = self.base_queryset()
        self.search = SearchForm(self.request.GET)
        if self.search.refused:
            return queryset.none()
        return self.search_words_in(queryset, search_words(self.search.query))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["query"] = self.search.query
        return context
