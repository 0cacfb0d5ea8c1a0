"""What the employee sends: the signature, and a verification code to check."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from acknowledgements import ledger
from acknowledgements.services import LANGUAGES, names_match
from portal.forms import ErrorSummaryMixin

_GROUP = f"[{ledger.CODE_ALPHABET}]{{{ledger.CODE_GROUP_LENGTH}}}"
# A verification code as stored (see acknowledgements.ledger.new_verification_code).
CODE_REGEX = f"{_GROUP}(?:-{_GROUP}){{{ledger.CODE_GROUPS - 1}}}"
CODE_PATTERN = re.compile(f"^{CODE_REGEX}$")
CODE_EXAMPLE = "ABCD-EFGH-JKMN"


class SignForm(ErrorSummaryMixin, forms.Form):
    """The signature: the full name typed, the statement confirmed, the language shown.

    The service (acknowledgements.services.sign_version) checks everything again; the
    form only says it earlier and next to the field concerned.
    """

    # The messages name what to do ("Type your full name."): no label before them.
    error_summary_target = "sign-form"
    error_summary_labels = False

    typed_name = forms.CharField(
        label=_("Type your full name"),
        max_length=300,
        error_messages={"required": _("Type your full name.")},
    )
    confirmed = forms.BooleanField(
        label=_("I confirm the statement above"),
        error_messages={"required": _("Tick the box to confirm the statement.")},
    )
    language = forms.ChoiceField(
        choices=[(language, language) for language in LANGUAGES], widget=forms.HiddenInput
    )

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        field = self.fields["typed_name"]
        field.help_text = _(
            "First name, any prefix and last name, as the portal knows you: %(name)s"
        ) % {"name": employee.full_name}
        field.widget.attrs.update({"autocomplete": "name", "spellcheck": "false"})

    def clean_typed_name(self) -> str:
        typed = self.cleaned_data["typed_name"].strip()
        if not names_match(typed=typed, full_name=self.employee.full_name):
            raise forms.ValidationError(
                _("The name you typed is not %(name)s. Type your full name as shown."),
                params={"name": self.employee.full_name},
                code="name_mismatch",
            )
        return typed


class VerifyForm(ErrorSummaryMixin, forms.Form):
    """A verification code as printed on a certificate; typed in any case or spacing."""

    error_summary_labels = False

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        error_messages={"required": _("Enter the verification code.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The code on the certificate: three groups of four letters and digits, "
            "for example %(example)s."
        ) % {"example": CODE_EXAMPLE}
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        )

    def clean_code(self) -> str:
        code = ledger.normalise_code(self.cleaned_data["code"])
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _(
                    "This is not a verification code. A code has three groups of four "
                    "letters and digits, for example %(example)s."
                ),
                params={"example": CODE_EXAMPLE},
                code="format",
            )
        return code
