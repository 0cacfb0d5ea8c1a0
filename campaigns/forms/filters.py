"""The filters of the campaign's people list and reminder log (GET forms: a value that
is not valid counts as no filter)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Assignment, Reminder
from people.models import Department
from portal.formfields import department_label
from portal.search import SearchField


class DepartmentFilterField(forms.ModelChoiceField):
    def label_from_instance(self, department):
        return department_label(department)


class AssignmentFilterForm(forms.Form):
    """Search and filters of the people list (GET); an invalid value means no filter."""

    SUBTREE_CHOICES = [("", _("Included")), ("nee", _("Not included"))]

    q = SearchField(label=_("Search by name, e-mail or employee number"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    afdeling = DepartmentFilterField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("With the people of its sub-departments, unless you choose otherwise."),
    )
    subafdelingen = forms.ChoiceField(
        label=_("Sub-departments"), required=False, choices=SUBTREE_CHOICES
    )
    handreiking = forms.ChoiceField(
        label=_("Guideline"),
        required=False,
        help_text=_("All guidelines: the status is the combined one."),
    )

    def __init__(
        self,
        *args,
        guidelines: Iterable[tuple[str, str]] = (),
        departments: QuerySet[Department] | None = None,
        **kwargs,
    ):
        """``guidelines``: (short name, title) of the campaign's guidelines;
        ``departments``: those to choose from (an HR adviser's part; None: all)."""
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Assignment.Status.choices]
        if departments is None:
            departments = Department.objects.all()
        department_field = self.fields["afdeling"]
        department_field.queryset = departments.order_by("path")
        department_field.empty_label = _("All departments")
        self.fields["handreiking"].choices = [("", _("All guidelines")), *guidelines]

    @property
    def search_refused(self) -> bool:
        """A search over the caps of portal.search: the list shows nobody (the box says
        why) rather than everyone."""
        self.is_valid()
        return "q" in self.errors

    @property
    def filters(self) -> dict:
        """The cleaned filters; a field with an invalid value counts as no filter."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "afdeling": data.get("afdeling"),
            "subafdelingen": data.get("subafdelingen") != "nee",
            "handreiking": data.get("handreiking") or "",
        }


class ReminderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Reminder.Status.choices]

    @property
    def status_filter(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""
