"""A compliance PDF in parts: the portal's way for large reports (reports.pdf.render).

The parent (this process) reads the rows and makes the HTML of each part from the same
template as the report in one document: the cover with the summary, the departments a
few hundred rows at a time (a department may go on in the next part), and the appendix.
Each part is submitted to the worker processes as soon as it is made
(reports.pdf.workers). The parts have no page margins: when all are rendered and their
pages counted, "overlay" parts with only the margins, exactly as the one-document
report has them, are rendered (the running header once, "page X of Y" for each page),
and everything is joined (reports.pdf.join). The parent never lays out a page itself.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext

from portal.pdf import static_files_in
from reports.pdf import join as pdf_join
from reports.pdf import workers as pdf_parts

COMPLIANCE_TEMPLATE = "reports/pdf/compliance.html"
MARGINS_TEMPLATE = "reports/pdf/page_margins.html"
# An appendix line costs about a quarter of a table row to lay out.
APPENDIX_LINES_PER_ROW = 4
# Pages of margins per overlay part.
MARGIN_PAGES_PER_PART = 250
# The CSS content of a margin box that the parts leave empty.
NO_CONTENT = "none"


def render_in_parts(
    context,
    document: dict,
    title: str,
    *,
    sections: Callable[[int, Callable[[int], None]], Iterator[tuple[list, int]]],
    appendix: Callable[[int], Iterator[list]],
) -> bytes:
    """The unsigned compliance PDF, rendered in parts by worker processes and joined.

    ``document``: the template's context for the whole report. ``sections(rows,
    read)``: the departments' sections in parts of at most ``rows`` rows, as
    (sections, rows), telling ``read(count)`` of the rows read; ``appendix(lines)``:
    the appendix's lines in parts. Called under the report's language.
    """
    total = context.summary.overall.total
    done = {"read": 0, "rendered": 0}

    def count(what: str, rows: int) -> None:
        done[what] += rows
        # Reading is quick, rendering (in parallel) the slow part; joining and signing
        # take the last tenth.
        context.progress(min(total, (done["read"] + done["rendered"]) * 9 // 20))

    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder, ExitStack() as stack:
        with pdf_parts.PartRenderer(
            folder,
            language=context.language,
            title=title,
            on_done=lambda rows: count("rendered", rows),
        ) as renderer:
            parts = _content(
                renderer,
                document,
                sections,
                appendix,
                figures=context.summary.overall,
                read=lambda rows: count("read", rows),
            )
            first_margin = _margins(renderer, document, sum(part.pages for part in parts))
            # The parts are joined while the workers render the margins.
            joiner = stack.enter_context(pdf_join.Joiner(parts[0].path))
            for part in parts[1:]:
                joiner.add(part.path)
            header, *numbers = renderer.results(first_margin)
        # The workers have gone: laying over and writing are the parent's largest moment.
        return joiner.finish([sheet.path for sheet in numbers], every_page=header.path)


def balanced(count: int, most: int) -> int:
    """How many of ``count`` things to put in each part of at most ``most``: parts of
    equal size keep the workers busy until the end (no small part last)."""
    most = max(1, most)
    return max(1, math.ceil(count / math.ceil(count / most))) if count else most


def _content(renderer, document, sections, appendix, *, figures, read) -> list:
    """Submit the parts with the report's content; their results, in order."""
    per_part = balanced(figures.total, settings.REPORTS_PDF_PART_ROWS)
    # Who has a record hash (the appendix's lines) signed or is exempt: at most these.
    lines = balanced(figures.signed + figures.exempt, per_part * APPENDIX_LINES_PER_ROW)
    # The parts have no margin boxes: those are laid over the joined pages.
    bare = document | {"header_left": NO_CONTENT, "header_right": NO_CONTENT}
    bare["page_counter"] = NO_CONTENT
    cover = render_to_string(COMPLIANCE_TEMPLATE, bare | {"part": "cover"})
    renderer.submit(cover, static_files=static_files_in(cover))
    continued = bare | {"continuation": True}
    for part, count in sections(per_part, read):
        html = render_to_string(
            COMPLIANCE_TEMPLATE, continued | {"part": "sections", "sections": part}
        )
        renderer.submit(html, weight=count)
    for number, part in enumerate(appendix(lines)):
        html = render_to_string(
            COMPLIANCE_TEMPLATE,
            continued | {"part": "appendix", "appendix": part, "appendix_start": not number},
        )
        renderer.submit(html)
    return renderer.results()


def _margins(renderer, document: dict, pages: int) -> int:
    """Submit the margins of ``pages`` pages: first the running header (the same on
    every page: one sheet), then the page numbers; the number of the first part."""
    first = len(renderer)
    header = {"labels": [""], "page_counter": NO_CONTENT}
    renderer.submit(render_to_string(MARGINS_TEMPLATE, document | header), tagged=False)
    # The same words as the CSS counters of the one-document report make.
    label = gettext("page %(page)s of %(pages)s")
    numbers = {"header_left": NO_CONTENT, "header_right": NO_CONTENT}
    numbers["page_counter"] = "string(page-label)"
    for start in range(0, pages, MARGIN_PAGES_PER_PART):
        end = min(pages, start + MARGIN_PAGES_PER_PART)
        labels = [label % {"page": page, "pages": pages} for page in range(start + 1, end + 1)]
        html = render_to_string(MARGINS_TEMPLATE, document | numbers | {"labels": labels})
        renderer.submit(html, tagged=False)
    return first
