"""The filters of the security event log (a GET form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.search import SearchField
from security import selectors
from security.models import SecurityEvent


class EventFilterForm(forms.Form):
    """Kind, person and period; a refused value shows its message and no events, rather
    than every event as if there were no filter."""

    soort = forms.ChoiceField(label=_("Event"), required=False)
    persoon = SearchField(
        label=_("Person"),
        help_text=_("E-mail address or part of it: events by or about this person."),
    )
    van = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [
            ("", _("All events")),
            *SecurityEvent.Kind.choices,
            (selectors.DOWNLOADS, _("Downloads of files")),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("The end of the period is before its start."))
        return cleaned

    @property
    def filters(self) -> dict | None:
        """The filters for :func:`security.selectors.events`, or None when refused."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {
            "kind": data["soort"],
            "person": (data["persoon"] or "").strip(),
            "start": data["van"],
            "end": data["tot"],
        }
