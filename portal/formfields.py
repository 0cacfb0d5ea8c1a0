"""Form fields that several apps' forms share.

Here and not in one app's forms so that no app imports another app's forms
(.importlinter, docs/architecture.md).
"""

from __future__ import annotations

from django import forms


def department_label(department) -> str:
    """A people.Department in a choice list, indented by its place in the tree."""
    # Non-breaking spaces are not read aloud.
    return "\u00a0\u00a0\u00a0" * max(department.depth - 1, 0) + department.name


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, department):
        return department_label(department)
