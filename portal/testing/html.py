"""Reading pages in tests: parse the HTML, then assert on elements, attributes and text.

A substring check on markup (``'<h1>' in html``, ``'href="/x/"' in html``) passes on
a comment, a script or another element that happens to hold the same characters, and
fails when an attribute moves or the template gets reformatted. These helpers parse the
page with selectolax (the HTML5 parser of lexbor, as a browser parses it) and select
with CSS:

    page = parse(response)
    assert text_of(page, "h1") == "Tip 3"
    assert attribute(page, "#id_code", "aria-describedby") == "id_code_hint"
    assert links(page, "#error-summary") == ["#id_code"]
    assert len(select(page, "#attempts tbody tr")) == 1

``one`` and the functions built on it fail when the selector matches nothing or more
than one element, so a test never reads the wrong one of two headings by accident.
Text is whitespace-normalised, as a reader (or a screen reader) gets it.
"""

from __future__ import annotations

from django.http import HttpResponseBase
from selectolax.lexbor import LexborHTMLParser, LexborNode

type Page = LexborHTMLParser
type Element = LexborNode
type Scope = LexborHTMLParser | LexborNode

__all__ = [
    "Element",
    "Page",
    "Scope",
    "attribute",
    "error_summary",
    "links",
    "one",
    "parse",
    "select",
    "text",
    "text_of",
    "texts",
]


def parse(source: HttpResponseBase | str | bytes) -> Page:
    """The parsed page of a response (its content, read as UTF-8) or of a piece of HTML."""
    if isinstance(source, HttpResponseBase):
        content = getattr(source, "content", None)
        if content is None:
            raise TypeError("a streaming response has no page to parse")
        source = content
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    return LexborHTMLParser(source)


def select(scope: Scope, css: str) -> list[Element]:
    """Every element that matches, in document order (an empty list when none does)."""
    return list(scope.css(css))


def one(scope: Scope, css: str) -> Element:
    """The one element that matches: fails when none or several do."""
    found = select(scope, css)
    if len(found) != 1:
        raise AssertionError(f"expected one element for {css!r}, found {len(found)}")
    return found[0]


def text(element: Element) -> str:
    """The element's text with its descendants', whitespace collapsed to single spaces."""
    return " ".join((element.text(deep=True) or "").split())


def text_of(scope: Scope, css: str) -> str:
    """The text of the one element that matches."""
    return text(one(scope, css))


def texts(scope: Scope, css: str) -> list[str]:
    """The text of every element that matches, in document order."""
    return [text(element) for element in select(scope, css)]


def attribute(scope: Scope, css: str, name: str) -> str | None:
    """An attribute of the one element that matches: its value, "" when it stands
    without a value (``<input required>``), None when the element lacks it."""
    attributes = one(scope, css).attributes
    if name not in attributes:
        return None
    return attributes[name] or ""


def links(scope: Scope, css: str = "") -> list[str]:
    """The ``href`` of every link (``a[href]``) inside what ``css`` selects (or the
    whole scope), in document order."""
    within = select(scope, css) if css else [scope]
    return [link.attributes["href"] or "" for part in within for link in select(part, "a[href]")]


def error_summary(scope: Scope) -> list[tuple[str, str]]:
    """The error summary's problems (``#error-summary li``) as (link target, message);
    the target is "" for a problem without a link."""
    problems = []
    for item in select(one(scope, "#error-summary"), "li"):
        link = item.css_first("a[href]")
        problems.append(((link.attributes["href"] or "") if link else "", text(item)))
    return problems
