"""The portal's one PDF helper: HTML to an accessible PDF with WeasyPrint.

WeasyPrint is imported only when a PDF is made (it is slow to import and needs system
libraries). Its URL fetcher serves only files that Django's static files finders know
("/static/..." paths): never file://, http:// or https://, so that no text in a
document can make the server read local files or call other hosts.

The PDF is PDF/UA-1 (tagged, with document language and title), rendered under
``translation.override(language)`` so that every string in it is in that language.
``archival=True`` makes it PDF/A-2a as well (for documents that are kept: signed
reports); see ARCHIVAL_VARIANT. Table header cells are tied to their data cells in the
tag tree (/Scope, /IDTree: ``portal.pdf.tables``) before the file is written.

Large documents are rendered in parts by worker processes (reports.pdf.workers) that
have no Django settings: ``static_files_in`` resolves a document's static files in the
parent, and ``render_pdf_in_worker`` renders with only those files.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint makes one variant at a time. PDF/A-2a (PDF 1.7) is tagged as PDF/UA-1
# needs (structure tree, /Lang, DisplayDocTitle) and adds what archiving needs (sRGB
# output intent, file identifier, XMP identification); the PDF/UA-1 identification is
# added to its XMP by _declare_pdf_ua. PDF/A-2 rather than -3: archives prefer it (no
# arbitrary attachments); not -4: PDF/UA-1 is defined on PDF 1.7, not on PDF 2.0.
ARCHIVAL_VARIANT = "pdf/a-2a"
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
        """Serves static files by path; refuses every other URL.

        With ``files`` (URL to path, resolved beforehand by ``static_files_in``) it
        serves only those, without asking Django: for processes without settings.
        """

        def __init__(self, *args, files: dict[str, str] | None = None, **kwargs):
            super().__init__(*args, **kwargs)
            self._files = files

        def fetch(self, url, headers=None):
            if self._files is None:
                path = static_path_for(url)
            elif url in self._files:
                path = Path(self._files[url])
            else:
                raise RefusedURL(f"Not a static file of this document: {url!r}.")
            content_type, _encoding = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url,
                body=path.read_bytes(),
                headers={"Content-Type": content_type or "application/octet-stream"},
            )

    return StaticFilesFetcher


def static_url_fetcher(files: dict[str, str] | None = None):
    """A WeasyPrint URL fetcher that serves only static files (only ``files``, if given)."""
    return _fetcher_class()(allowed_protocols=(), files=files)


_STATIC_REFERENCE = re.compile(r"""(?:\bsrc=|\bhref=|url\(\s*)["']?([^"'()\s>]+)""")


def static_files_in(html: str) -> dict[str, str]:
    """The static files an HTML document refers to (src, href, CSS url()), by URL.

    Resolved here, with the static files finders, so that a process without Django
    settings can render the document (``render_pdf_in_worker``). URLs that are not
    static files are left out: the fetcher refuses them there as it would here.
    """
    files = {}
    for url in set(_STATIC_REFERENCE.findall(html)):
        try:
            files[url] = str(static_path_for(url))
        except RefusedURL:
            continue
    return files


_XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in _XMP.items():
    ElementTree.register_namespace(_prefix, _uri)
_XMP_HEADER = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XMP_HEADER += b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
_XMP_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def _xmp(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{_XMP[prefix]}}}{name}"


def _declare_pdf_ua(document, pdf) -> None:
    """WeasyPrint finisher: identify a PDF/A-2a file as PDF/UA-1 too.

    PDF/A-2 accepts only the XMP properties it predefines or that the file describes
    in an extension schema, so pdfuaid:part comes with its description.
    """
    # WeasyPrint's own XMP for PDF/A-2a (as its pdf/a-2a variant writes it), not input.
    xmp = document.metadata.generate_rdf_metadata("a", 2, "A")
    rdf = ElementTree.fromstring(xmp)  # noqa: S314
    rdf[0].set(_xmp("pdfuaid:part"), "1")
    description = ElementTree.SubElement(rdf, _xmp("rdf:Description"), {_xmp("rdf:about"): ""})
    schemas = ElementTree.SubElement(description, _xmp("pdfaExtension:schemas"))
    bag = ElementTree.SubElement(schemas, _xmp("rdf:Bag"))
    schema = ElementTree.SubElement(bag, _xmp("rdf:li"), {_xmp("rdf:parseType"): "Resource"})
    for name, value in (
        ("schema", "PDF/UA Universal Accessibility Schema"),
        ("namespaceURI", _XMP["pdfuaid"]),
        ("prefix", "pdfuaid"),
    ):
        ElementTree.SubElement(schema, _xmp(f"pdfaSchema:{name}")).text = value
    properties = ElementTree.SubElement(schema, _xmp("pdfaSchema:property"))
    sequence = ElementTree.SubElement(properties, _xmp("rdf:Seq"))
    part = ElementTree.SubElement(sequence, _xmp("rdf:li"), {_xmp("rdf:parseType"): "Resource"})
    for name, value in (
        ("name", "part"),
        ("valueType", "Integer"),
        ("category", "internal"),
        ("description", "Indicates which part of ISO 14289 the file conforms to"),
    ):
        ElementTree.SubElement(part, _xmp(f"pdfaProperty:{name}")).text = value
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    metadata.stream = [
        b"\n".join((_XMP_HEADER, ElementTree.tostring(rdf, encoding="utf-8"), _XMP_FOOTER))
    ]
    # PDF/A wants the info dictionary's /Producer to equal XMP's pdf:Producer. A signer
    # (pyHanko) writes its own name into both when it signs, but appends it to an info
    # /Producer that is already there, so that the two would differ: leave it out.
    pdf.info.pop("Producer", None)


def render_pdf(html: str, *, language: str, title: str, archival: bool = False) -> bytes:
    """Render an HTML document (a full page, with its <html lang> and <title>) to PDF.

    ``language`` and ``title`` become the PDF's document language and title, even if the
    HTML forgets them. ``archival``: PDF/A-2a and PDF/UA-1 (for files that are kept and
    signed) instead of PDF/UA-1 only.
    """
    variant = ARCHIVAL_VARIANT if archival else PDF_VARIANT
    with translation.override(language):
        return _write(
            html,
            language=language,
            title=title,
            variant=variant,
            fetcher=static_url_fetcher(),
            finisher=_declare_pdf_ua if archival else None,
        )


# The untagged archival variant: for content that goes into another, tagged PDF/A file
# as an artifact (page headers and numbers), with the same colour and font rules.
UNTAGGED_ARCHIVAL_VARIANT = "pdf/a-2b"


def render_pdf_in_worker(
    html: str,
    *,
    language: str,
    title: str,
    static_files: dict[str, str],
    tagged: bool = True,
    finisher=None,
) -> bytes:
    """``render_pdf(archival=True)`` for a process without Django settings.

    Only ``static_files`` (from ``static_files_in``) are served. ``tagged=False``:
    PDF/A-2b without a structure tree. ``finisher(document, pdf)`` runs after the
    PDF/UA identification, before the file is written (WeasyPrint's finisher).
    """
    variant = ARCHIVAL_VARIANT if tagged else UNTAGGED_ARCHIVAL_VARIANT

    def finish(document, pdf):
        if tagged:
            _declare_pdf_ua(document, pdf)
        if finisher is not None:
            finisher(document, pdf)

    return _write(
        html,
        language=language,
        title=title,
        variant=variant,
        fetcher=static_url_fetcher(static_files),
        finisher=finish,
    )


def _write(html: str, *, language: str, title: str, variant: str, fetcher, finisher) -> bytes:
    from weasyprint import HTML

    from portal.pdf.tables import tie_headers

    def finish(document, pdf) -> None:
        if finisher is not None:
            finisher(document, pdf)
        # Last: after a part's header identifiers got their prefix (reports.pdf.worker).
        tie_headers(pdf)

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(pdf_variant=variant)
    document.metadata.lang = language
    document.metadata.title = title
    return document.write_pdf(pdf_variant=variant, finisher=finish)
