"""The one way the portal turns Markdown into HTML: ``{{ text|markdown }}``.

Markdown is rendered with the ``Markdown`` package and then sanitised with ``nh3``,
keeping only a few basic tags, so that no stored text can inject scripts or styles.
"""

import markdown as markdown_package
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code"}
# "*" empty: no attribute (such as title or lang) on any other tag.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "*": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML. Empty input gives an empty string."""
    if not text:
        return mark_safe("")  # noqa: S308 - a constant
    html = markdown_package.markdown(str(text), output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    return render_markdown(text)
