"""The portal's one PDF helper: HTML to an accessible PDF with WeasyPrint.

WeasyPrint is imported only when a PDF is made (it is slow to import and needs system
libraries). Its URL fetcher serves only files that Django's static files finders know
("/static/..." paths): never file://, http:// or https://, so that no text in a
document can make the server read local files or call other hosts.

The PDF is PDF/UA-1 (tagged, with document language and title), rendered under
``translation.override(language)`` so that every string in it is in that language.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint needs an absolute base URL. urllib does not join URLs of this made-up
# scheme, so "/static/x.css" reaches the fetcher as it is written: a path.
BASE_URL = "portal-static:/"


_COUNTER = re.compile(r"(%\(pages?\)s)")


def css_string(text: str) -> str:
    """A CSS string literal for any text."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\<>' else f"\\{ord(ch):06x}" for ch in text
    )
    return f'"{escaped}"'


def page_counter_css(template: str) -> str:
    """CSS ``content`` for "page X of Y" from a translated "page %(page)s of %(pages)s".

    For an @page margin box: ``content: {{ page_counter|safe }}``.
    """
    parts = []
    for piece in _COUNTER.split(template):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


class RefusedURL(ValueError):
    """A document asked for a resource the PDF helper does not serve."""


def static_path_for(url: str) -> Path:
    """The file behind a "/static/..." URL, found by the static files finders.

    Raises RefusedURL for anything else: other schemes, other paths, unknown files.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise RefusedURL(f"Only static files can be used in a PDF, not {url!r}.")
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    path = unquote(parts.path)
    if not path.startswith(static_url):
        raise RefusedURL(f"Not a static file: {url!r}.")
    relative = path.removeprefix(static_url)
    if not relative or ".." in Path(relative).parts:
        raise RefusedURL(f"Not a static file: {url!r}.")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"No such static file: {url!r}.")
    return Path(found)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves static files by path; refuses every other URL."""

        def fetch(self, url, headers=None):
            path = static_path_for(url)
            content_type, _encoding = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url,
                body=path.read_bytes(),
                headers={"Content-Type": content_type or "application/octet-stream"},
            )

    return StaticFilesFetcher


def static_url_fetcher():
    """A WeasyPrint URL fetcher that serves only static files."""
    return _fetcher_class()(allowed_protocols=())


def render_pdf(html: str, *, language: str, title: str) -> bytes:
    """Render an HTML document (a full page, with its <html lang> and <title>) to PDF.

    ``language`` and ``title`` become the PDF's document language and title, even if the
    HTML forgets them.
    """
    from weasyprint import HTML

    with translation.override(language):
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_url_fetcher()).render(
            pdf_variant=PDF_VARIANT
        )
        document.metadata.lang = language
        document.metadata.title = title
        return document.write_pdf(pdf_variant=PDF_VARIANT)
