"""Joining the parts of a large PDF into one tagged, archivable file (pikepdf).

The parts come from reports.pdf.worker: tagged PDF/A-2a files made by WeasyPrint from
consecutive pieces of one HTML document, with no page margin boxes, and untagged
"overlay" files whose pages hold only the margin boxes (running header, "page X of Y")
for the joined pages, in order.

The first part is the base: its catalog stays (document language, title, XMP with the
PDF/A and PDF/UA identification, output intent, MarkInfo, ViewerPreferences). Then:

- the other parts' pages are appended in order;
- their structure elements join the first part's Document element, in order, so that
  there is one structure tree; the parent tree is numbered afresh over all pages (and
  annotations), each page's /StructParents with it; the parts' /IDTree (table header
  cells by /ID, portal.pdf.tables; the worker made the identifiers unique) become one;
- the bookmarks are the parts' bookmarks on the joined pages; a later part has no <h1>,
  so its bookmarks go under the first part's last top-level one (the document title);
- each overlay page is drawn over its page as a Form XObject inside an /Artifact
  (pagination) marked-content sequence: not content for assistive technology; so is
  a page that goes over every page (the running header, rendered once).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

OVERLAY_NAME = "/PortalMargins"
EVERY_PAGE_NAME = "/PortalHeader"
# The page's own drawing leaves its coordinate system changed (WeasyPrint's first
# operator flips it, with no q/Q around it): save the graphics state before and
# restore it after, then draw the margins in the page's default coordinates.
_BEFORE = b"q\n"
_AFTER = b"Q\n/Artifact <</Type /Pagination>> BDC\n%s\nEMC\n"


class JoinError(ValueError):
    """The parts cannot be joined (not made by reports.pdf.worker)."""


def join(
    parts: Sequence[str | Path],
    overlays: Sequence[str | Path] = (),
    *,
    every_page: str | Path | None = None,
) -> bytes:
    """The parts as one PDF, with the overlays laid over the joined pages (see
    ``Joiner.finish``)."""
    if not parts:
        raise JoinError("There are no parts to join.")
    with Joiner(parts[0]) as joiner:
        for path in parts[1:]:
            joiner.add(path)
        return joiner.finish(overlays, every_page=every_page)


class Joiner:
    """Joins parts one by one onto the first (a context manager), so that the caller
    can do so while the overlays are still being rendered.

    One part is open at a time, and each copy's stream data is read while it is: the
    parts' own objects are freed as we go (a large report has hundreds of thousands
    of structure elements).
    """

    def __init__(self, first: str | Path):
        self.pdf = Pdf.open(first)
        self.root, self.document = _structure_root(self.pdf)
        self.outline = _outline_entries(self.pdf)
        self.tree = _ParentTree()
        self.tree.add(self.pdf.pages, _parent_tree(self.root.ParentTree))
        self.ids = _id_tree(self.root.get("/IDTree"))

    def __enter__(self) -> Joiner:
        return self

    def __exit__(self, *exception) -> None:
        self.pdf.close()

    def add(self, path: str | Path) -> None:
        """Append the part's pages, structure and bookmarks."""
        joined = self.pdf
        with Pdf.open(path) as part:
            first = len(joined.pages)
            joined.pages.extend(part.pages)
            self.outline.extend(_outline_entries(part, first_page=first, nested=True))
            entries, ids = _copy_structure(joined, self.document, part)
            self.tree.add(joined.pages[first:], entries)
            self.ids.update(ids)
            _own_stream_data(page.obj for page in joined.pages[first:])

    def finish(
        self, overlays: Sequence[str | Path] = (), *, every_page: str | Path | None = None
    ) -> bytes:
        """Lay the overlays' pages over the pages (one each, in order) and the one page
        of ``every_page`` over every page; the file."""
        joined = self.pdf
        self.root.ParentTree, self.root.ParentTreeNextKey = self.tree.make(joined)
        if self.ids:
            names = Array()
            for key in sorted(self.ids):
                names.extend([pikepdf.String(key), self.ids[key]])
            self.root.IDTree = joined.make_indirect(Dictionary(Names=names))
        _write_outline(joined, self.outline)
        if overlays or every_page:
            _lay_over(joined, overlays, every_page)
        buffer = io.BytesIO()
        # Object streams: the copied structure elements would otherwise be written
        # one by one, uncompressed. The XMP stays as WeasyPrint wrote it.
        joined.save(
            buffer,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            fix_metadata_version=False,
        )
        return buffer.getvalue()


def _structure_root(pdf: Pdf):
    try:
        root = pdf.Root.StructTreeRoot
        kids = root.K
    except AttributeError as error:
        raise JoinError("A part has no structure tree (it must be tagged).") from error
    if isinstance(kids, Array) and len(kids) != 1:
        raise JoinError("A part's structure tree must have one Document element.")
    return root, kids[0] if isinstance(kids, Array) else kids


def _parent_tree(tree) -> dict[int, object]:
    """A flat number tree's entries (WeasyPrint writes no /Kids)."""
    if "/Nums" not in tree:
        raise JoinError("A part's parent tree must be a flat number tree (/Nums).")
    nums = tree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _id_tree(tree) -> dict[str, object]:
    """A flat name tree's entries (portal.pdf.tables writes no /Kids), by key."""
    if tree is None:
        return {}
    names = tree.get("/Names")
    if names is None:
        raise JoinError("A part's /IDTree must be a flat name tree (/Names).")
    return {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}


def _copy_structure(joined: Pdf, document, part: Pdf) -> tuple[dict[int, object], dict]:
    """Copy the part's structure elements under ``document``; its parent tree's
    entries and its /IDTree's, pointing at the copies. The part's pages must have been
    copied."""
    part_root, part_document = _structure_root(part)
    # Copied without its parent, so that the part's own root does not come along.
    del part_document.P
    copied = joined.copy_foreign(part_document)
    for kid in copied.K:
        if isinstance(kid, Dictionary):
            kid.P = document
        document.K.append(kid)
    # One copy per object: the entries point at the elements just copied, and the
    # elements' /Pg at the pages copied before.
    entries = _parent_tree(joined.copy_foreign(part_root.ParentTree))
    tree = part_root.get("/IDTree")
    ids = _id_tree(joined.copy_foreign(tree) if tree is not None else None)
    return entries, ids


class _ParentTree:
    """The joined parent tree: numbered afresh, page by page in order."""

    def __init__(self):
        self.nums = Array()

    def add(self, pages, entries: dict[int, object]) -> None:
        """Number the pages' (and their annotations') entries from ``entries``."""
        for page in pages:
            holders = [(page.obj, "/StructParents")]
            holders += [(annotation, "/StructParent") for annotation in page.obj.get("/Annots", [])]
            for holder, name in holders:
                if name in holder:
                    key = len(self.nums) // 2
                    self.nums.extend([key, entries[int(holder[name])]])
                    holder[name] = key

    def make(self, joined: Pdf) -> tuple:
        """The /ParentTree and /ParentTreeNextKey of the structure tree root."""
        return joined.make_indirect(Dictionary(Nums=self.nums)), len(self.nums) // 2


def _own_stream_data(objects) -> None:
    """Read the data of the streams reachable from ``objects`` (copies of another
    file's objects) into memory, so that the file they came from can be closed.

    Only resources are followed: not a page's /Parent, nor the structure."""
    seen: set = set()
    stack = list(objects)
    while stack:
        item = stack.pop()
        if isinstance(item, Array):
            stack.extend(item)
            continue
        if not isinstance(item, Dictionary | pikepdf.Stream):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item.write(
                item.read_raw_bytes(),
                filter=item.get("/Filter"),
                decode_parms=item.get("/DecodeParms"),
                type_check=False,
            )
        stack.extend(value for name, value in item.items() if name not in _NOT_FOLLOWED)


# Back to the page tree, the page or the structure: not resources.
_NOT_FOLLOWED = {"/Parent", "/P", "/Pg", "/B"}


def _outline_entries(pdf: Pdf, *, first_page: int = 0, nested: bool = False) -> list[tuple]:
    """The part's bookmarks as (title, page index in the joined file, location,
    children, nested), read before the pages move."""
    index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

    def entry(item) -> tuple:
        destination = item.destination
        if not isinstance(destination, Array) or not len(destination):
            raise JoinError(f"The bookmark {item.title!r} has no page destination.")
        page = index[destination[0].objgen] + first_page
        location = [float(value) if value is not None else None for value in destination[2:]]
        return (
            str(item.title),
            page,
            str(destination[1]),
            location,
            [entry(child) for child in item.children],
            nested,
        )

    with pdf.open_outline() as outline:
        return [entry(item) for item in outline.root]


def _write_outline(joined: Pdf, entries: list[tuple]) -> None:
    def item(entry: tuple) -> OutlineItem:
        title, page, kind, location, children, _nested = entry
        destination = Array([joined.pages[page].obj, Name(kind), *location])
        made = OutlineItem(title, destination)
        made.children.extend(item(child) for child in children)
        return made

    with joined.open_outline() as outline:
        top = []
        for entry in entries:
            if entry[5] and top:
                top[-1].children.append(item(entry))
            else:
                top.append(item(entry))
        outline.root[:] = top


def _lay_over(joined: Pdf, overlays: Sequence[str | Path], every_page) -> None:
    forms = {}
    if every_page is not None:
        with Pdf.open(every_page) as overlay:
            if len(overlay.pages) != 1:
                raise JoinError("What goes over every page must be one page.")
            forms[EVERY_PAGE_NAME] = joined.copy_foreign(overlay.pages[0].as_form_xobject())
            _own_stream_data(forms.values())
    names = [EVERY_PAGE_NAME] * bool(every_page) + [OVERLAY_NAME] * bool(overlays)
    before = joined.make_stream(_BEFORE)
    after = joined.make_stream(_AFTER % b"\n".join(b"%s Do" % name.encode() for name in names))
    shared: dict[tuple, Dictionary] = {}
    count = len(joined.pages)
    sheets = _pages_of(overlays) if overlays else (None for _page in range(count))
    laid = 0
    with contextlib.closing(sheets):
        for index, sheet in enumerate(sheets):
            if index == count:
                raise JoinError("There are more overlay pages than pages.")
            page = joined.pages[index]
            own = dict(forms)
            if sheet is not None:
                own[OVERLAY_NAME] = joined.copy_foreign(sheet.as_form_xobject())
                _own_stream_data([own[OVERLAY_NAME]])
            page.obj.Resources = _own_resources(joined, page.obj.Resources, own, shared)
            page.contents_add(before, prepend=True)
            page.contents_add(after)
            laid += 1
    if laid != count:
        raise JoinError("There are fewer overlay pages than pages.")


def _pages_of(paths: Sequence[str | Path]) -> Iterator:
    """The pages of the files in turn, each file open while its pages are used."""
    for path in paths:
        with Pdf.open(path) as pdf:
            yield from pdf.pages


def _own_resources(joined: Pdf, resources, forms: dict, shared: dict) -> Dictionary:
    """Resources for one page: the part's shared ones plus the page's overlay forms.

    The part's direct sub-dictionaries are made indirect once, so that every page
    refers to them rather than carrying a copy."""
    if resources.is_indirect:
        key = resources.objgen
        if key not in shared:
            for name in list(resources.keys()):
                value = resources[name]
                if isinstance(value, Dictionary) and not value.is_indirect:
                    resources[name] = joined.make_indirect(value)
            shared[key] = resources
    own = Dictionary({name: resources[name] for name in resources if name != "/XObject"})
    xobjects = Dictionary(dict(resources.XObject.items()) if "/XObject" in resources else {})
    for name, form in forms.items():
        if name in xobjects:
            raise JoinError(f"A page already has an XObject named {name}.")
        xobjects[name] = form
    own.XObject = xobjects
    return own
