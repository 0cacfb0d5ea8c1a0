"""One part of a large PDF, rendered in a worker process (see reports.pdf.workers).

Runs without Django settings and never touches the database: the job brings the HTML
(made in the parent), the document's language and title, and its static files, which
the parent resolved. The part is written to a file in the parent's temporary folder;
the parent learns its page count from the result.

A tagged part is prepared for joining (reports.pdf.join) while WeasyPrint's objects
are still Python objects (its finisher), which costs next to nothing here and saves
walking every object of the joined file later:

- the identifiers of table header cells (TH /ID, which the data cells' /Headers name)
  get the part's prefix: WeasyPrint numbers them per file, so parts would repeat them;
- content outside the structure tree (a page margin box, which WeasyPrint maps to an
  element that no parent lists) is refused: the parts have no margin boxes, the
  page headers and numbers are laid over the joined pages as artifacts;
- a /Span element that only holds one piece of text (WeasyPrint makes one for every
  line of text: half of a report's objects) is left out: its marked content belongs
  to the element above it (a table cell, a paragraph), as WeasyPrint does for links.
  Half the objects: less to write here, to copy when joining, to read when signing.

The cyclic garbage collector is paused while a part is rendered: WeasyPrint makes
millions of small objects and the collector kept walking them (a fifth of a part's
time) to free almost nothing, and a worker renders one part and ends
(reports.pdf.workers: one task per process), which frees everything at once.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PartJob:
    """What a worker needs to render one part."""

    index: int
    html: str
    language: str
    title: str
    path: str
    static_files: dict[str, str] = field(default_factory=dict)
    tagged: bool = True


@dataclass(frozen=True)
class PartResult:
    index: int
    path: str
    pages: int
    seconds: float = 0.0  # the worker's wall time for this part
    cpu_seconds: float = 0.0  # and its processor time (less when the machine is busy)


class PartStructureError(RuntimeError):
    """A part has tagged content that its structure tree does not reach."""


def render_part(job: PartJob) -> PartResult:
    """Render the job's HTML to a PDF file (PDF/A-2a, tagged, or PDF/A-2b untagged)."""
    from portal.pdf import render_pdf_in_worker

    started, cpu_started = time.perf_counter(), time.process_time()
    pages = []

    def finish(document, pdf) -> None:
        pages.append(len(document.pages))
        if job.tagged:
            prepare_structure(pdf, prefix=f"part{job.index}-")

    with collector_paused():
        data = render_pdf_in_worker(
            job.html,
            language=job.language,
            title=job.title,
            static_files=job.static_files,
            tagged=job.tagged,
            finisher=finish,
        )
    Path(job.path).write_bytes(data)
    return PartResult(
        index=job.index,
        path=job.path,
        pages=pages[0],
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
    )


@contextmanager
def collector_paused():
    """No cyclic garbage collection inside; as it was afterwards (a part's memory goes
    with its process; reference counting still frees all that is not in a cycle)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare_structure(pdf, *, prefix: str) -> None:
    """Make the part's structure joinable (a WeasyPrint finisher step, on pydyf objects)."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    [document_reference] = root["K"]
    document = _object(pdf, document_reference)
    children = set(document["K"])
    # The parent tree's array of each page, indexed by marked-content id.
    nums = _object(pdf, root["ParentTree"])["Nums"]
    marked = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2) if isinstance(nums[i + 1], list)}
    pages = {reference: number for number, reference in enumerate(pdf.page_references)}
    orphans = 0
    for item in pdf.objects:
        if not isinstance(item, dict) or item.get("Type") != "/StructElem":
            continue
        if item.get("S") == "/TH" and "ID" in item:
            # The data cells' /Headers hold the same String objects: renamed with it.
            item["ID"].string = prefix + item["ID"].string
        elif item.get("S") == "/Span":
            _fold_span(pdf, item, marked, pages)
        if item.get("P") == document_reference and item.reference not in children:
            orphans += 1
    if orphans:
        raise PartStructureError(
            f"{orphans} structure element(s) outside the document's tree: a part must "
            "not have page margin boxes (they are laid over the joined pages)."
        )


_SPAN_KEYS = {"Type", "S", "K", "P", "Pg"}


def _fold_span(pdf, span, marked: dict, pages: dict) -> None:
    """Give a /Span's one marked-content id to its parent (on the same page)."""
    kids = span["K"]
    if set(span) - _SPAN_KEYS or len(kids) != 1 or not isinstance(kids[0], int):
        return
    parent = _object(pdf, span["P"])
    [mcid] = kids
    array = marked.get(pages.get(span["Pg"]))
    if parent.get("Pg") != span["Pg"] or array is None or array[mcid] != span.reference:
        return
    siblings = parent["K"]
    siblings[siblings.index(span.reference)] = mcid
    array[mcid] = parent.reference
    span.clear()  # no longer referred to: written as an empty dictionary


def _object(pdf, reference):
    return pdf.objects[int(reference.split()[0])]
