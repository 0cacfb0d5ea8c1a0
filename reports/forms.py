"""Forms of the report pages: asking for a compliance report, and for one employee's
file. They only check input and say what is wrong next to the field concerned;
reports.services checks the rules again and writes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignGuideline
from campaigns.selectors.scope import touching
from handbook.models import Guideline, GuidelineVersion
from people.models import Department, Employee
from people.selectors import EVERYTHING
from people.selectors import Scope as PartOfOrganisation
from portal.formfields import DepartmentChoiceField
from portal.forms import ErrorSummaryMixin
from portal.search import search_words
from reports.models import Report

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
DELIMITERS = [
    (";", _("Semicolon (;): for Excel with Dutch settings")),
    (",", _("Comma (,)")),
]


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign):
        return _("%(name)s (%(status)s)") % {
            "name": campaign.name,
            "status": campaign.get_status_display(),
        }


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return _("%(guideline)s, version %(number)s (%(status)s)") % {
            "guideline": version.guideline.title_in(get_language() or "nl"),
            "number": version.number,
            "status": version.get_status_display(),
        }


class GuidelineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, guideline):
        return guideline.title_in(get_language() or "nl")


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def _language_field():
    return forms.ChoiceField(
        label=_("Language of the report"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language of the report."),
            "invalid_choice": _("Choose Dutch or English."),
        },
    )


class ReportRequestForm(ErrorSummaryMixin, forms.Form):
    """A compliance report: on a campaign (one of its guidelines, or all of them
    combined) or a guideline version, which departments, the status on which date, and
    the file's format and language."""

    BASIS_CAMPAIGN, BASIS_VERSION = "campaign", "version"

    basis = forms.ChoiceField(
        label=_("Report on"),
        choices=[
            (BASIS_CAMPAIGN, _("A campaign: who signed, who is overdue, who is exempt")),
            (BASIS_VERSION, _("A guideline version: who of the staff signed it")),
        ],
        initial=BASIS_CAMPAIGN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the report is on a campaign or a version.")},
    )
    campaign = CampaignChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("– choose a campaign –"),
        help_text=_("Only when “A campaign” is selected. Running and closed campaigns."),
        error_messages={"invalid_choice": _("Choose a running or closed campaign from the list.")},
    )
    guideline = GuidelineChoiceField(
        label=_("Guideline"),
        queryset=Guideline.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All guidelines of the campaign, combined"),
        help_text=_(
            "Only for a campaign. All guidelines: one row per employee, with a column "
            "per guideline and the combined status."
        ),
        error_messages={"invalid_choice": _("Choose a guideline from the list.")},
    )
    version = VersionChoiceField(
        label=_("Guideline version"),
        queryset=GuidelineVersion.objects.none(),
        required=False,
        empty_label=_("– choose a version –"),
        help_text=_("Only when “A guideline version” is selected. Published and retired versions."),
        error_messages={
            "invalid_choice": _("Choose a published or retired version from the list.")
        },
    )
    departments = DepartmentChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_(
            "Optional; none chosen: all departments. Sub-departments are always included. "
            "Hold Ctrl (Cmd on a Mac) to choose more than one."
        ),
        error_messages={"invalid_choice": _("Choose departments from the list.")},
    )
    as_of = forms.DateField(
        label=_("Status on"),
        widget=DATE_WIDGET,
        help_text=_("The report shows the situation at the end of this day: today or earlier."),
        error_messages={
            "required": _("Enter the date, for example 2026-03-31."),
            "invalid": _("Enter a real date, for example 2026-03-31."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=Report.Format.choices,
        initial=Report.Format.PDF,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the format of the file."),
            "invalid_choice": _("Choose PDF, CSV or Excel."),
        },
    )
    language = _language_field()
    delimiter = forms.ChoiceField(
        label=_("CSV delimiter"),
        choices=DELIMITERS,
        initial=";",
        widget=forms.RadioSelect,
        help_text=_("Only for CSV."),
        error_messages={
            "required": _("Choose the CSV delimiter."),
            "invalid_choice": _("Choose a semicolon or a comma."),
        },
    )

    def __init__(self, *args, within: PartOfOrganisation = EVERYTHING, **kwargs):
        super().__init__(*args, **kwargs)
        # An HR adviser: the campaigns that touch their part (the report is of it).
        self.fields["campaign"].queryset = (
            Campaign.objects.filter(
                kind=Campaign.Kind.CAMPAIGN,
                status__in=[Campaign.Status.RUNNING, Campaign.Status.CLOSED],
            )
            .filter(touching(scope=within))
            .order_by("-start_date", "-pk")
        )
        # The guidelines of any campaign; clean() checks the chosen campaign covers it.
        self.fields["guideline"].queryset = Guideline.objects.filter(
            pk__in=CampaignGuideline.objects.values("guideline_id")
        ).order_by("title", "pk")
        self.fields["version"].queryset = (
            GuidelineVersion.objects.filter(
                status__in=[GuidelineVersion.Status.PUBLISHED, GuidelineVersion.Status.RETIRED]
            )
            .select_related("guideline")
            .order_by("guideline__title", "-number", "-pk")
        )
        # An HR adviser chooses within their part (none chosen: all of their part).
        self.fields["departments"].queryset = within.departments().order_by("path")
        if not within.everything:
            self.fields["departments"].help_text = _(
                "Optional; none chosen: all departments of your part of the organisation. "
                "Sub-departments are always included. Hold Ctrl (Cmd on a Mac) to choose "
                "more than one."
            )
        self.initial.setdefault("as_of", timezone.localdate())
        self.initial.setdefault("language", "en" if get_language() == "en" else "nl")
        self.fields["as_of"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = _helper(
            Fieldset(_("What the report is on"), "basis", "campaign", "guideline", "version"),
            Fieldset(_("Whom and when"), Field("departments", size=8), "as_of"),
            Fieldset(pgettext_lazy("heading", "The file"), "format", "language", "delimiter"),
        )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return as_of

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("basis")
        if basis == self.BASIS_CAMPAIGN:
            cleaned["version"] = None
            campaign, guideline = cleaned.get("campaign"), cleaned.get("guideline")
            if not campaign and "campaign" not in self.errors:
                self.add_error("campaign", _("Choose the campaign the report is on."))
            elif (
                campaign
                and guideline
                and not CampaignGuideline.objects.filter(
                    campaign=campaign, guideline=guideline
                ).exists()
            ):
                self.add_error(
                    "guideline",
                    _("The campaign does not cover this guideline: choose one of its own."),
                )
        elif basis == self.BASIS_VERSION:
            cleaned["campaign"] = None
            cleaned["guideline"] = None
            if not cleaned.get("version") and "version" not in self.errors:
                self.add_error("version", _("Choose the guideline version the report is on."))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments of reports.services.request_report."""
        data = self.cleaned_data
        return {
            "kind": Report.Kind.COMPLIANCE,
            "format": data["format"],
            "language": data["language"],
            "delimiter": data["delimiter"],
            "campaign": data.get("campaign"),
            "guideline": data.get("guideline"),
            "version": data.get("version"),
            "departments": list(data.get("departments") or []),
            "as_of": data["as_of"],
        }


class IndividualFileForm(ErrorSummaryMixin, forms.Form):
    """One employee's file (every acknowledgement and quiz result), as PDF."""

    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        help_text=_("Former employees can be chosen too. Search below if you do not know it."),
        error_messages={"required": _("Enter the employee number.")},
    )
    language = _language_field()

    def __init__(self, *args, within: PartOfOrganisation = EVERYTHING, **kwargs):
        super().__init__(*args, **kwargs)
        self.within = within
        self.initial.setdefault("language", "en" if get_language() == "en" else "nl")
        self.fields["employee_number"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )
        self.helper = _helper("employee_number", "language")

    def clean_employee_number(self) -> Employee:
        number = self.cleaned_data["employee_number"].strip()
        # Outside an HR adviser's part as unknown as a number nobody has.
        employee = (
            Employee.objects.filter(self.within.q(department_field="department"))
            .filter(employee_number=number)
            .first()
        )
        if employee is None:
            raise forms.ValidationError(
                _("Nobody has the employee number “%(number)s”. Check it, or search below."),
                params={"number": number},
                code="unknown_employee",
            )
        return employee


def search_employees(query: str, limit: int, within: PartOfOrganisation = EVERYTHING):
    """Employees (also former ones) matching every word of the query: name, e-mail or
    employee number; an HR adviser's search stays within their part."""
    employees = Employee.objects.filter(within.q(department_field="department"))
    employees = employees.select_related("department")
    for term in search_words(query):
        employees = employees.filter(
            Q(first_name__icontains=term)
            | Q(name_prefix__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(employee_number__iexact=term)
        )
    return employees.order_by("last_name", "first_name", "pk")[:limit]
