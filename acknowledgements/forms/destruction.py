"""The approval of a destruction list: who signed the declaration of destruction
(verklaring van vernietiging), their function, its date and reference. The service
(acknowledgements.services.destruction.approve_destruction) checks the rules again."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import ErrorSummaryMixin


class ApprovalForm(ErrorSummaryMixin, forms.Form):
    error_summary_target = "approval-form"

    approver_name = forms.CharField(
        label=_("Name of the archivist or records manager"),
        max_length=200,
        error_messages={"required": _("Enter the name of whoever signed the declaration.")},
    )
    approver_function = forms.CharField(
        label=_("Their function"),
        max_length=200,
        help_text=_("For example “gemeentearchivaris” or “records manager”."),
        error_messages={"required": _("Enter their function.")},
    )
    approval_date = forms.DateField(
        label=_("Date of the declaration of destruction"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the declaration."),
            "invalid": _("Enter a real date, for example 2026-03-31."),
        },
    )
    approval_reference = forms.CharField(
        label=_("Reference of the declaration"),
        max_length=200,
        help_text=_("The number under which the declaration is filed."),
        error_messages={"required": _("Enter the declaration's reference.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("approval_date", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
