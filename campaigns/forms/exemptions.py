"""The form with which a second HR person approves or refuses an exemption (issue 21);
asking for one is campaigns.forms.campaigns.ExemptForm."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.campaigns import REASON_LENGTH
from portal.forms import ErrorSummaryMixin

APPROVE = "approve"
REFUSE = "refuse"


class DecisionForm(ErrorSummaryMixin, forms.Form):
    """A note and the button pressed (``decision``: approve or refuse); refusing needs
    the note."""

    note = forms.CharField(
        label=_("Note with your decision"),
        max_length=REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when you refuse: say why. Kept with the exemption and erased with the "
            "employee's personal data. Give no medical details."
        ),
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose to approve or to refuse.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The decision comes from the button pressed, not from a field on the page.
        self.helper.layout = Layout("note")

    def clean(self):
        cleaned = super().clean()
        note = (cleaned.get("note") or "").strip()
        cleaned["note"] = note
        if cleaned.get("decision") == REFUSE and not note:
            self.add_error("note", _("Say why the exemption is refused."))
        return cleaned
