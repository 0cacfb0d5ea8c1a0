"""The error summary of every form (GOV.UK pattern): one list of what went wrong, each
linked to the field to fix, shown on top of the page by
templates/portal/includes/error_summary.html (which also moves the focus to it).

Forms mix in ``ErrorSummaryMixin``; a form the portal does not own (allauth's) gets the
same list from ``error_links``, in templates through the ``error_links`` filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django import forms


class ErrorLink(TypedDict):
    """One line of the summary: the message and the id it links to ("" for no link)."""

    message: str
    target: str


def error_links(
    form: forms.BaseForm, *, form_target: str = "", labels: bool = True
) -> list[ErrorLink]:
    """The form's errors in the order of its fields, then its own (non-field) errors.

    A field's error links to the field (a group of radio buttons or checkboxes to its
    first one) and, with ``labels``, starts with the field's label. The form's own errors,
    and those of hidden fields (nothing to fix by hand), link to ``form_target``.
    """
    errors = form.errors
    summary: list[ErrorLink] = []
    own: list[ErrorLink] = []
    unknown = [name for name in errors if name not in form.fields]
    for name in [*form.fields, *unknown]:
        field = form.fields.get(name)
        for error in errors.get(name, []):
            if field is None or field.widget.is_hidden:
                own.append({"message": str(error), "target": form_target})
                continue
            bound = form[name]
            target = bound.id_for_label or f"{bound.auto_id}_0"
            message = f"{field.label}: {error}" if labels else str(error)
            summary.append({"message": message, "target": target})
    return summary + own


class ErrorSummaryMixin:
    """``form.error_summary()``: every error of the form for the page's error summary.

    ``error_summary_target`` is the id of the element the form's own errors (and the
    ``extra`` messages, such as a service's refusal) link to; ``error_summary_labels``
    False leaves the field's label out of the messages (when they already name it).
    """

    error_summary_target = "main-form"
    error_summary_labels = True

    def error_summary(self, *, extra: Iterable[str] = ()) -> list[ErrorLink]:
        assert isinstance(self, forms.BaseForm)  # noqa: S101 - a mixin for forms only
        summary = error_links(
            self, form_target=self.error_summary_target, labels=self.error_summary_labels
        )
        summary.extend(
            {"message": str(message), "target": self.error_summary_target} for message in extra
        )
        return summary
