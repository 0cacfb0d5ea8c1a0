"""Template helpers of the handbook's pages."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from handbook.selectors.access import has_guideline_perm
from portal.viewhelpers import LANGUAGE_PARAMETER, TEXT_LANGUAGES

register = template.Library()


def _language_query(request) -> str:
    language = request.GET.get(LANGUAGE_PARAMETER, "") if request is not None else ""
    if language in TEXT_LANGUAGES:
        return "?" + urlencode({LANGUAGE_PARAMETER: language})
    return ""


@register.simple_tag(takes_context=True)
def keep_language(context, url: str) -> str:
    """The URL with this page's ?taal= choice, so the reader stays in that language."""
    return url + _language_query(context.get("request"))


@register.simple_tag(takes_context=True)
def tip_url(context, number: int) -> str:
    """The address of a tip: under the current version, or under the version shown."""
    slug = context["guideline"].slug
    if context.get("is_current_page"):
        url = reverse("handbook:current_tip", kwargs={"guideline": slug, "tip": number})
    else:
        url = reverse(
            "handbook:tip",
            kwargs={"guideline": slug, "number": context["version"].number, "tip": number},
        )
    return url + _language_query(context.get("request"))


@register.simple_tag(takes_context=True)
def version_home_url(context) -> str:
    """The page of the version shown: the current-version page or the version's own."""
    slug = context["guideline"].slug
    if context.get("is_current_page"):
        url = reverse("handbook:current", kwargs={"guideline": slug})
    else:
        url = reverse(
            "handbook:version", kwargs={"guideline": slug, "number": context["version"].number}
        )
    return url + _language_query(context.get("request"))


@register.simple_tag(takes_context=True)
def guideline_perm(context, guideline, perm: str) -> bool:
    """Whether the reader holds ``perm`` for this guideline (globally or on it alone), for
    the menu's links to a guideline's own editor pages."""
    request = context.get("request")
    if request is None or not getattr(guideline, "pk", None):
        return False
    return has_guideline_perm(user=request.user, perm=perm, guideline=guideline)
