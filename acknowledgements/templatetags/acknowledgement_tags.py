"""Template helpers for pages of other apps that show what the employee has done."""

from django import template

from acknowledgements.services.reading import read_tip_numbers

register = template.Library()


@register.simple_tag(takes_context=True)
def tips_read(context, version) -> set[int]:
    """The numbers of the version's tips the logged-in employee has opened:
    ``{% tips_read version as read_numbers %}`` (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return read_tip_numbers(employee=user, version=version)
