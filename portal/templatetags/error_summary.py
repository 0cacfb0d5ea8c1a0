"""``{{ form|error_links }}``: the error summary's lines of a form the portal does not own
(allauth's); the portal's own forms use ``ErrorSummaryMixin.error_summary()``."""

from django import forms, template

from portal.forms import ErrorLink
from portal.forms import error_links as form_error_links

register = template.Library()


@register.filter
def error_links(form: forms.BaseForm | None) -> list[ErrorLink]:
    """The form's errors, each linked to its field; the form's own errors unlinked."""
    if form is None or not hasattr(form, "errors"):
        return []
    return form_error_links(form)
