"""One rule for every search box of the portal: at most MAX_SEARCH_WORDS words and
MAX_SEARCH_LENGTH characters.

Each word of a search becomes a condition of its own in the database query: 1,900 words
took 6 to 7 seconds on PostgreSQL and 3,000 words broke SQLite's expression depth (a
500). ``SearchField`` refuses a longer search with a message by the box (the clearest
answer: the user sees which part to shorten, and no list pretends to match what they
typed); ``search_words`` is the cap again for the selectors, so a caller that skips the
form still costs at most MAX_SEARCH_WORDS conditions.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_SEARCH_WORDS = 5
MAX_SEARCH_LENGTH = 100

SEARCH_HELP = format_lazy(
    _("At most {words} words and {characters} characters."),
    words=MAX_SEARCH_WORDS,
    characters=MAX_SEARCH_LENGTH,
)


def search_words(query: str) -> list[str]:
    """The words of a search, capped: at most MAX_SEARCH_WORDS words from the first
    MAX_SEARCH_LENGTH characters."""
    return (query or "")[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]


class SearchField(forms.CharField):
    """A search box's text: optional, stripped, and refused when over the caps."""

    widget = forms.SearchInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", SEARCH_HELP)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The browser stops typing at the cap; the check below is for anything else.
        attrs["maxlength"] = str(MAX_SEARCH_LENGTH)
        return attrs

    def validate(self, value):
        super().validate(value)
        # One message, the length first: a pasted text is usually over both caps.
        if len(value) > MAX_SEARCH_LENGTH:
            raise forms.ValidationError(
                _("Use at most %(max)s characters; this search has %(count)s."),
                params={"max": MAX_SEARCH_LENGTH, "count": len(value)},
                code="too_long",
            )
        words = len(value.split())
        if words > MAX_SEARCH_WORDS:
            raise forms.ValidationError(
                _("Use at most %(max)s words; this search has %(count)s."),
                params={"max": MAX_SEARCH_WORDS, "count": words},
                code="too_many_words",
            )


class SearchForm(forms.Form):
    """``?q=``, the search box of a list page; bind it to request.GET."""

    q = SearchField(label=_("Search"))

    @property
    def query(self) -> str:
        """The search when it is within the caps, else ""."""
        return self.cleaned_data["q"] if self.is_valid() else ""

    @property
    def refused(self) -> bool:
        """True when the search is over the caps: the page then lists nothing and says why
        by the box."""
        return not self.is_valid()


def cap_admin_search(model_admin) -> None:
    """The admin's search box (``?q=``) under the same caps: a longer search lists
    nothing and says why at the top of the page. The admin, too, builds a condition per
    word. Applied to every admin with search fields, also those of allauth
    (PortalConfig.ready)."""
    search = model_admin.get_search_results

    @functools.wraps(search)
    def capped(request, queryset, search_term):
        try:
            SearchField().clean(search_term)
        except forms.ValidationError as error:
            model_admin.message_user(request, error.messages[0], level=messages.ERROR)
            return queryset.none(), False
        return search(request, queryset, search_term)

    model_admin.get_search_results = capped
    if model_admin.search_help_text is None:
        model_admin.search_help_text = SEARCH_HELP


def cap_admin_searches(site) -> None:
    for model_admin in site._registry.values():
        if model_admin.search_fields:
            cap_admin_search(model_admin)
