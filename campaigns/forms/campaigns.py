"""Forms of HR's campaign pages: setting up a campaign, its reminder schedule and
exemptions (the list filters are in campaigns.forms.filters).

The forms only check input and say what is wrong next to the field concerned;
campaigns.services checks the rules again and writes.
"""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_versions
from handbook.models import GuidelineVersion
from people.models import Department, Employee
from people.selectors import EVERYTHING, Scope
from portal.formfields import DepartmentChoiceField
from portal.forms import ErrorSummaryMixin

# Days in a schedule: whole numbers from 1 to a year.
MIN_DAYS, MAX_DAYS = 1, 365
REASON_LENGTH = 1000
# Employee numbers and e-mail addresses are separated by new lines, commas or semicolons.
LIST_SEPARATORS = re.compile(r"[\s,;]+")


def parse_days(text: str, *, after: bool = False) -> list[int]:
    """ "14, 3" → [14, 3] (largest first, each once); raises ValidationError. ``after``:
    days after the due date, "10, 3" → [3, 10] (the first first)."""
    parts = [part for part in re.split(r"[\s,;]+", text or "") if part]
    days = set()
    for part in parts:
        if not part.isdigit() or not MIN_DAYS <= int(part) <= MAX_DAYS:
            if after:
                message = _(
                    "“%(value)s” is not a number of days. Enter whole numbers from 1 to 365, "
                    "separated by commas, for example “3, 10”."
                )
            else:
                message = _(
                    "“%(value)s” is not a number of days. Enter whole numbers from 1 to 365, "
                    "separated by commas, for example “14, 3”."
                )
            raise forms.ValidationError(message, params={"value": part}, code="invalid_days")
        days.add(int(part))
    return sorted(days, reverse=not after)


def format_days(days, *, after: bool = False) -> str:
    return ", ".join(str(d) for d in sorted({int(d) for d in days or []}, reverse=not after))


def find_employees(text: str) -> tuple[list[Employee], list[str]]:
    """Employee numbers and e-mail addresses (any case) → (employees found, in the order
    given, each once; the entries not found). One query."""
    entries = list(dict.fromkeys(part for part in LIST_SEPARATORS.split(text or "") if part))
    keys = {entry: entry.lower() if "@" in entry else entry for entry in entries}
    addresses = {key for key in keys.values() if "@" in key}
    numbers = {key for key in keys.values() if "@" not in key}
    if not entries:
        return [], []
    by_key = {}
    for employee in Employee.objects.filter(
        Q(email__in=addresses) | Q(employee_number__in=numbers)
    ):
        by_key[employee.email.lower()] = employee
        if employee.employee_number:
            by_key[employee.employee_number] = employee
    found = [by_key[key] for key in keys.values() if key in by_key]
    unknown = [entry for entry, key in keys.items() if key not in by_key]
    return list(dict.fromkeys(found)), unknown


def _days_field(label, help_text):
    message = _("Enter a whole number of days from 1 to 365, or leave it empty.")
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_DAYS,
        max_value=MAX_DAYS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": MIN_DAYS, "max": MAX_DAYS, "step": 1}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class ScheduleForm(ErrorSummaryMixin, forms.Form):
    """When reminders and escalations go."""

    reminder_days = forms.CharField(
        label=_("Reminders (days before the due date)"),
        required=False,
        max_length=200,
        help_text=_(
            "Whole numbers from 1 to 365, separated by commas, for example “14, 3”. The due "
            "date is the deadline (later for employees added late). Leave empty to send no "
            "reminders."
        ),
    )
    reminder_after_days = forms.CharField(
        label=_("Reminders (days after the due date)"),
        required=False,
        max_length=200,
        help_text=_(
            "To employees who have not signed by their due date. Whole numbers from 1 to 365, "
            "separated by commas, for example “3, 10”. Leave empty to send no reminders "
            "after the due date."
        ),
    )
    manager_escalation_days = _days_field(
        _("Tell the manager (days after the due date)"),
        _("Optional. For example 7: the manager hears a week after the due date who is late."),
    )
    hr_escalation_days = _days_field(
        _("Tell HR (days after the due date)"),
        _("Optional. Later than the manager when both are filled in."),
    )

    schedule_fields = (
        "reminder_days",
        "reminder_after_days",
        "manager_escalation_days",
        "hr_escalation_days",
    )

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.initial.setdefault("reminder_days", format_days(campaign.reminder_days))
            self.initial.setdefault(
                "reminder_after_days", format_days(campaign.reminder_after_days, after=True)
            )
            self.initial.setdefault("manager_escalation_days", campaign.manager_escalation_days)
            self.initial.setdefault("hr_escalation_days", campaign.hr_escalation_days)
        for name in ("reminder_days", "reminder_after_days"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Fieldset(_("Reminders and escalations"), *self.schedule_fields))

    def clean_reminder_days(self) -> list[int]:
        return parse_days(self.cleaned_data.get("reminder_days", ""))

    def clean_reminder_after_days(self) -> list[int]:
        return parse_days(self.cleaned_data.get("reminder_after_days", ""), after=True)

    def clean(self):
        cleaned = super().clean()
        manager = cleaned.get("manager_escalation_days")
        hr = cleaned.get("hr_escalation_days")
        if manager is not None and hr is not None and hr <= manager:
            self.add_error(
                "hr_escalation_days",
                _("HR is told after the manager: enter more days than for the manager (%(days)s).")
                % {"days": manager},
            )
        return cleaned

    def schedule(self) -> dict:
        """The cleaned schedule as keyword arguments of campaigns.services."""
        return {name: self.cleaned_data[name] for name in self.schedule_fields}


class VersionsField(forms.ModelMultipleChoiceField):
    """Checkboxes of the guidelines, each with its version in force (the value is the
    version): a campaign asks for the current version of each guideline chosen."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, version):
        return _("%(title)s (version %(number)s)") % {
            "title": version.guideline.title_in(get_language() or "nl"),
            "number": version.number,
        }


def not_in_force_yet(version: GuidelineVersion) -> str:
    """Why a campaign cannot start before ``version`` is in force (the same words as
    campaigns.services says them)."""
    return _(
        "Version %(number)s of “%(title)s” is in force only from %(date)s. Choose that date "
        "or a later one as the start date."
    ) % {
        "number": version.number,
        "title": version.guideline.title_in(get_language() or "nl"),
        "date": date_format(version.effective_date, "DATE_FORMAT"),
    }


# What a new campaign's schedule starts from (HR can change it).
DEFAULT_SCHEDULE = {
    "reminder_days": "14, 3",
    "reminder_after_days": "3, 10",
    "manager_escalation_days": 7,
    "hr_escalation_days": 14,
}


class CampaignForm(ScheduleForm):
    """A new campaign: what, for whom, when, and the reminder schedule.

    ``scope``: the part of the organisation the campaign may ask (an HR adviser's): only
    its departments are offered, chosen people must lie in it, and all staff is refused.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example “Annual acknowledgement 2026”. Employees see it in e-mails."),
        error_messages={"required": _("Give the campaign a name.")},
    )
    versions = VersionsField(
        label=_("Guidelines"),
        queryset=GuidelineVersion.objects.none(),
        help_text=_(
            "Employees are asked to acknowledge the version in force of each guideline you "
            "choose, if the guideline applies to them. Only guidelines with a published "
            "version are listed."
        ),
        error_messages={
            "required": _("Choose at least one guideline."),
            "invalid_choice": _("Choose guidelines from the list: each with its version in force."),
            "invalid_pk_value": _(
                "Choose guidelines from the list: each with its version in force."
            ),
        },
    )
    signing = forms.ChoiceField(
        label=_("Who signs"),
        choices=Campaign.Signing.choices,
        initial=Campaign.Signing.AGAIN,
        required=False,  # left out: the default, everyone signs again
        widget=forms.RadioSelect,
        help_text=_(
            "Everyone signs again: for the yearly re-acknowledgement. Also people who signed "
            "this version before read it again, do the quiz and sign again. Only who has not "
            "signed this version yet: for a new version. People who already signed it have "
            "nothing to do."
        ),
        error_messages={"invalid_choice": _("Choose who signs from the list.")},
    )
    reread = forms.ChoiceField(
        label=_("What is read again"),
        choices=Campaign.Reread.choices,
        initial=Campaign.Reread.ALL,
        required=False,  # left out: every tip
        widget=forms.RadioSelect,
        help_text=_(
            "Only when everyone signs again. With the second choice people read only the "
            "tips of the questions they answered wrongly in their last quiz. If we do not "
            "know their answers, they read every tip."
        ),
        error_messages={"invalid_choice": _("Choose what is read again from the list.")},
    )
    audience = forms.ChoiceField(
        label=_("Who must acknowledge"),
        choices=Campaign.Audience.choices,
        initial=Campaign.Audience.ALL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who must acknowledge.")},
    )
    departments = DepartmentChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_(
            "Only when “Chosen departments” is selected. Hold Ctrl (Cmd on a Mac) to choose "
            "more than one."
        ),
        error_messages={"invalid_choice": _("Choose departments from the list.")},
    )
    include_subdepartments = forms.BooleanField(
        label=_("Include their sub-departments"),
        required=False,
        initial=True,
    )
    employees = forms.CharField(
        label=_("Employees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only when “A list of employees” is selected. Employee numbers or e-mail "
            "addresses, one per line or separated by commas or semicolons."
        ),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Reminders are planned from this day."),
        error_messages={
            "required": _("Enter the start date."),
            "invalid": _("Enter a real date, for example 2026-03-31."),
        },
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day on which employees can acknowledge in time."),
        error_messages={
            "required": _("Enter the deadline."),
            "invalid": _("Enter a real date, for example 2026-03-31."),
        },
    )

    field_order = [
        "name",
        "versions",
        "signing",
        "reread",
        "audience",
        "departments",
        "include_subdepartments",
        "employees",
        "start_date",
        "deadline",
        *ScheduleForm.schedule_fields,
    ]

    def __init__(self, *args, scope: Scope = EVERYTHING, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        versions = self.fields["versions"]
        versions.queryset = campaign_versions(on=timezone.localdate())
        # With one guideline there is nothing to choose: it is ticked. With more, HR
        # ticks the ones this round asks for.
        if "versions" not in self.initial and not self.is_bound:
            choices = list(versions.queryset.values_list("pk", flat=True)[:2])
            if len(choices) == 1:
                self.initial["versions"] = choices
        # A closed department (the HR system no longer has it) is offered no more.
        self.fields["departments"].queryset = (
            scope.departments().filter(closed_on__isnull=True).order_by("path")
        )
        if not scope.everything:
            self._limit_to_scope()
        self.fields["employees"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.initial.setdefault("start_date", timezone.localdate())
        for name, value in DEFAULT_SCHEDULE.items():
            self.initial.setdefault(name, value)
        self.helper.layout = Layout(
            Fieldset(_("The campaign"), "name", "versions", "signing", "reread"),
            Fieldset(
                _("Who"),
                "audience",
                Field("departments", size=8),
                "include_subdepartments",
                "employees",
            ),
            Fieldset(_("When"), "start_date", "deadline"),
            Fieldset(_("Reminders and escalations"), *self.schedule_fields),
        )

    def _limit_to_scope(self) -> None:
        """An HR adviser: chosen departments (theirs) or chosen people, never all staff."""
        audience = self.fields["audience"]
        audience.choices = [
            (value, label)
            for value, label in Campaign.Audience.choices
            if value != Campaign.Audience.ALL
        ]
        audience.initial = Campaign.Audience.DEPARTMENTS
        audience.help_text = _(
            "You set up campaigns for your part of the organisation only: choose some of its "
            "departments, or people who work in it."
        )
        audience.error_messages["invalid_choice"] = _(
            "You can ask only your part of the organisation, not all staff. Choose some of "
            "its departments, or people who work in it."
        )
        self.fields["departments"].error_messages["invalid_choice"] = _(
            "Choose departments from the list: only those of your part of the organisation."
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the campaign a name."))
        return name

    def clean_signing(self) -> str:
        return self.cleaned_data.get("signing") or Campaign.Signing.AGAIN

    def clean_reread(self) -> str:
        return self.cleaned_data.get("reread") or Campaign.Reread.ALL

    def clean_departments(self):
        if self.cleaned_data.get("audience") != Campaign.Audience.DEPARTMENTS:
            return []
        return self.cleaned_data["departments"]

    def clean_employees(self) -> list[Employee]:
        """Employee numbers or e-mail addresses → employees (one query); every unknown
        entry is named in one message. Ignored unless the audience is a list."""
        if self.cleaned_data.get("audience") != Campaign.Audience.EMPLOYEES:
            return []
        chosen, unknown = find_employees(self.cleaned_data.get("employees") or "")
        if unknown:
            raise forms.ValidationError(
                _("Not found: %(entries)s. Check these employee numbers or e-mail addresses."),
                params={"entries": ", ".join(unknown)},
                code="unknown_employees",
            )
        gone = [employee for employee in chosen if not employee.is_active]
        if gone:
            raise forms.ValidationError(
                _("No longer employed: %(names)s. Remove them from the list."),
                params={"names": ", ".join(employee.full_name for employee in gone)},
                code="inactive_employees",
            )
        outside = self._outside_scope(chosen)
        if outside:
            raise forms.ValidationError(
                _(
                    "Not in your part of the organisation: %(names)s. Remove them from the "
                    "list, or ask central HR."
                ),
                params={"names": ", ".join(employee.full_name for employee in outside)},
                code="employees_outside_scope",
            )
        return chosen

    def _outside_scope(self, chosen: list[Employee]) -> list[Employee]:
        """The chosen people who do not work in the scope (one query; none for all)."""
        if self.scope.everything or not chosen:
            return []
        return list(
            Employee.objects.filter(pk__in=[employee.pk for employee in chosen])
            .exclude(self.scope.q(department_field="department"))
            .order_by("last_name", "first_name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if (
            audience == Campaign.Audience.DEPARTMENTS
            and not cleaned.get("departments")
            and "departments" not in self.errors
        ):
            self.add_error("departments", _("Choose at least one department, or another audience."))
        if (
            audience == Campaign.Audience.EMPLOYEES
            and not cleaned.get("employees")
            and "employees" not in self.errors
        ):
            self.add_error(
                "employees",
                _("Enter at least one employee number or e-mail address, or another audience."),
            )
        if (
            cleaned.get("signing") == Campaign.Signing.MISSING
            and cleaned.get("reread") == Campaign.Reread.WRONG
        ):
            self.add_error(
                "reread",
                _(
                    "Only people who sign again can skip tips. Choose “Every tip again”, or "
                    "choose that everyone signs again."
                ),
            )
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start is not None:
            for version in cleaned.get("versions") or []:
                if version.effective_date is not None and start < version.effective_date:
                    self.add_error("start_date", not_in_force_yet(version))
        if deadline is not None:
            if deadline < timezone.localdate():
                self.add_error("deadline", _("The deadline cannot be in the past."))
            elif start is not None and deadline <= start:
                self.add_error("deadline", _("The deadline must be after the start date."))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments of campaigns.services.create_campaign."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "versions": list(data["versions"]),
            "signing": data["signing"],
            "reread": data["reread"],
            "audience": data["audience"],
            "start_date": data["start_date"],
            "deadline": data["deadline"],
            "departments": data.get("departments") or [],
            "include_subdepartments": bool(data.get("include_subdepartments")),
            "employees": data.get("employees") or [],
            **self.schedule(),
        }


class OnboardingGuidelinesForm(ErrorSummaryMixin, forms.Form):
    """Which guidelines the onboarding rule asks of new employees, and in how many days
    each: a group (fieldset) per guideline with a checkbox and its number of days.

    ``guidelines``: those that can be chosen (with a published version); ``subjects``:
    the rule's CampaignGuideline rows, for the initial values.
    """

    def __init__(self, *args, guidelines, subjects, standard_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.guidelines = list(guidelines)
        chosen = {subject.guideline_id: subject.due_days for subject in subjects}
        language = get_language() or "nl"
        message = _("Enter a whole number of days from 1 to 365, or leave it empty.")
        groups = []
        for guideline in self.guidelines:
            ask, days = f"ask_{guideline.pk}", f"days_{guideline.pk}"
            title = guideline.title_in(language)
            self.fields[ask] = forms.BooleanField(
                label=_("Ask new employees to acknowledge “%(title)s”") % {"title": title},
                required=False,
                initial=guideline.pk in chosen,
            )
            self.fields[days] = forms.IntegerField(
                label=_("Days after the start date for “%(title)s”") % {"title": title},
                required=False,
                min_value=MIN_DAYS,
                max_value=MAX_DAYS,
                initial=chosen.get(guideline.pk),
                help_text=_("Leave empty for the standard %(days)s days.")
                % {"days": standard_days},
                widget=forms.NumberInput(attrs={"min": MIN_DAYS, "max": MAX_DAYS, "step": 1}),
                error_messages={"invalid": message, "min_value": message, "max_value": message},
            )
            groups.append(Fieldset(title, ask, days))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*groups)

    def clean(self):
        cleaned = super().clean()
        if self.guidelines and not any(
            cleaned.get(f"ask_{guideline.pk}") for guideline in self.guidelines
        ):
            self.add_error(
                f"ask_{self.guidelines[0].pk}",
                _("Choose at least one guideline for new employees."),
            )
        return cleaned

    def due_days(self) -> dict:
        """The chosen guidelines with their days (None: the standard), for
        campaigns.services.set_onboarding_guidelines."""
        return {
            guideline: self.cleaned_data.get(f"days_{guideline.pk}")
            for guideline in self.guidelines
            if self.cleaned_data.get(f"ask_{guideline.pk}")
        }


class ExemptForm(ErrorSummaryMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exemption"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept with the exemption and erased with the employee's personal data. For example "
            "“long-term leave”. Give no medical details."
        ),
        error_messages={"required": _("Give the reason for the exemption.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the exemption."))
        return reason
