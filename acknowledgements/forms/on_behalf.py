"""Recording on behalf of an employee who signed on paper: the form HR and managers fill in.

The form only checks input and says what is wrong next to the field concerned;
acknowledgements.services.record_on_behalf checks the rules again and writes.
"""

from __future__ import annotations

import datetime
import os

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acknowledgements.models import Acknowledgement, LedgerEntry
from handbook.models import Guideline, GuidelineVersion
from people.models import Employee
from portal.forms import ErrorSummaryMixin

MAX_FORM_SIZE = 5 * 1024 * 1024
# Extension -> the bytes such a file starts with.
FORM_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
REASON_LENGTH = 1000


def check_paper_form(upload) -> None:
    """Raise ValidationError unless the upload is a PDF, JPEG or PNG of at most 5 MB,
    by its extension and its first bytes alike."""
    extension = os.path.splitext(upload.name or "")[1].lower()
    signatures = FORM_SIGNATURES.get(extension)
    if signatures is None:
        raise forms.ValidationError(
            _("The scanned form must be a PDF, JPEG or PNG file."), code="file_type"
        )
    if upload.size > MAX_FORM_SIZE:
        raise forms.ValidationError(
            _("The scanned form is too big: at most 5 MB is allowed."), code="file_size"
        )
    upload.seek(0)
    start = upload.read(16)
    upload.seek(0)
    if not any(start.startswith(signature) for signature in signatures):
        raise forms.ValidationError(
            _("The file is not a real PDF, JPEG or PNG file. Scan the form again."),
            code="file_content",
        )


def signable_versions(guideline):
    """Versions of the guideline that can be acknowledged: published or retired."""
    return guideline.versions.filter(
        status__in=[GuidelineVersion.Status.PUBLISHED, GuidelineVersion.Status.RETIRED],
        published_at__isnull=False,
    ).order_by("-number")


def signable_guidelines():
    """The guidelines with a version that can be acknowledged, by title."""
    versions = GuidelineVersion.objects.filter(
        guideline=OuterRef("pk"),
        status__in=[GuidelineVersion.Status.PUBLISHED, GuidelineVersion.Status.RETIRED],
        published_at__isnull=False,
    )
    return Guideline.objects.filter(Exists(versions)).order_by("title", "pk")


class GuidelineChoiceForm(forms.Form):
    """The first step when there are several guidelines: which one was signed."""

    guideline = forms.ModelChoiceField(
        label=_("Guideline signed"),
        queryset=Guideline.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a guideline from the list.")},
    )

    def __init__(self, *args, guidelines, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["guideline"]
        field.queryset = guidelines
        field.label_from_instance = lambda guideline: guideline.title_in(language)


def team_without_acknowledgement(team, version):
    """Active team members without an acknowledgement of the version, by name."""
    team = team.filter(is_active=True)
    if version is not None:
        signed = Acknowledgement.objects.filter(
            employee=OuterRef("pk"), version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
        )
        team = team.exclude(Exists(signed))
    return team.order_by("last_name", "first_name", "pk")


class VersionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, current=None, **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def label_from_instance(self, version):
        if self.current is not None and version.pk == self.current.pk:
            return _("Version %(number)s (current)") % {"number": version.number}
        if version.status == GuidelineVersion.Status.RETIRED:
            return _("Version %(number)s (retired)") % {"number": version.number}
        return _("Version %(number)s") % {"number": version.number}


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employee):
        if employee.employee_number:
            return f"{employee.sort_name} ({employee.employee_number})"
        return employee.sort_name


class OnBehalfForm(ErrorSummaryMixin, forms.Form):
    """Who signed on paper, which version of ``guideline``, when, why on paper, and the
    scanned form. The guideline was chosen before (GuidelineChoiceForm); it goes along
    as a hidden field, and a version of another guideline is refused.

    ``team``: the manager's team (a select of those who have not signed the current
    version); None for HR, who type the employee number: of anyone, or (``within``, an
    HR adviser's part of the organisation) of someone in their part.
    """

    error_summary_target = "on-behalf-form"

    guideline = forms.SlugField(widget=forms.HiddenInput, required=False)
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        help_text=_("The employee number (personeelsnummer) from the HR system."),
        error_messages={"required": _("Enter the employee number.")},
    )
    employee = EmployeeChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        empty_label=_("Choose an employee"),
        error_messages={
            "required": _("Choose the employee who signed."),
            "invalid_choice": _("Choose someone from your team who has not signed yet."),
        },
    )
    version = VersionChoiceField(
        label=_("Version signed"),
        queryset=GuidelineVersion.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a published version.")},
    )
    signed_on = forms.DateField(
        label=_("Date signed on paper"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date on which the employee signed the paper form."),
            "invalid": _("Enter a real date, for example 2026-03-31."),
        },
    )
    reason = forms.CharField(
        label=_("Reason for recording on behalf"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the ledger. For example: “field worker, signed on paper”."),
        error_messages={"required": _("Give the reason: the ledger keeps it.")},
    )
    paper_form = forms.FileField(
        label=_("Scanned signed form (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, guideline, current=None, team=None, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.within = within
        self.for_team = team is not None
        self.initial["guideline"] = guideline.slug
        version = self.fields["version"]
        version.queryset = signable_versions(guideline)
        version.current = current
        if current is not None:
            self.initial.setdefault("version", current.pk)
        self.initial.setdefault("signed_on", timezone.localdate())
        if self.for_team:
            del self.fields["employee_number"]
            self.fields["employee"].queryset = team_without_acknowledgement(team, current)
            who = Field("employee")
        else:
            del self.fields["employee"]
            self.fields["employee_number"].widget.attrs.update(
                {"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}
            )
            who = Field("employee_number")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("guideline"),
            Fieldset(_("Who signed"), who, "version"),
            Fieldset(_("The paper form"), "signed_on", "reason", "paper_form"),
        )

    def clean_employee_number(self) -> Employee:
        number = self.cleaned_data["employee_number"].strip()
        employees = Employee.objects.filter(employee_number__iexact=number)
        if self.within is not None:  # outside an HR adviser's part: as if unknown
            employees = employees.filter(self.within.q(department_field="department"))
        employee = employees.first()
        if employee is None:
            raise forms.ValidationError(
                _("There is no employee with number %(number)s. Check the number."),
                params={"number": number},
                code="unknown_employee",
            )
        return employee

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason: the ledger keeps it."))
        return reason

    def clean_paper_form(self):
        upload = self.cleaned_data.get("paper_form")
        if upload:
            check_paper_form(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        signed_on = cleaned.get("signed_on")
        version = cleaned.get("version")
        if signed_on is not None:
            if signed_on > timezone.localdate():
                self.add_error("signed_on", _("The date of signing cannot be in the future."))
            elif version is not None and signed_on < published_on(version):
                self.add_error(
                    "signed_on",
                    _(
                        "Version %(number)s was published on %(date)s: it cannot have "
                        "been signed before."
                    )
                    % {
                        "number": version.number,
                        "date": published_on(version).strftime("%d-%m-%Y"),
                    },
                )
        return cleaned

    @property
    def chosen_employee(self) -> Employee | None:
        data = getattr(self, "cleaned_data", {})
        return data.get("employee") if self.for_team else data.get("employee_number")

    def signed_at(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """Noon (local time) on the date signed, or now when that is still to come."""
        now = now or timezone.now()
        moment = timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["signed_on"], datetime.time(12))
        )
        return min(moment, now)


def published_on(version) -> datetime.date:
    if version.published_at is not None:
        return timezone.localdate(version.published_at)
    return version.effective_date
