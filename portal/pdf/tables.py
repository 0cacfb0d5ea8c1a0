"""Tables in the tag tree: header cells tied to their data cells, as <th scope> does in HTML.

WeasyPrint (70) gives every header cell (/TH) an /ID and every data cell (/TD) the
/Headers of its row and column headers, but gives no /TH a /Scope and writes no
/IDTree, so that a PDF/UA checker cannot resolve /Headers nor tell a column header from
a row header. ``tie_headers`` adds both, as a WeasyPrint finisher step on pydyf's
objects (before the file is written, so before it is signed):

- each /TH's attributes get /Scope: /Row when a data cell of its own row names it
  (WeasyPrint does so only for <th scope="row">), /Column otherwise (as HTML reads a
  <th> without a row scope);
- the structure tree root gets an /IDTree (a name tree, one flat /Names array sorted by
  key) from every /ID to its element.

A file made in parts (reports.pdf) has an /IDTree per part; reports.pdf.join merges them.
"""

from __future__ import annotations

import pydyf

COLUMN = "/Column"
ROW = "/Row"


def tie_headers(pdf) -> None:
    """Give every /TH a /Scope and the structure tree an /IDTree (a WeasyPrint finisher)."""
    if "StructTreeRoot" not in pdf.catalog:
        return  # untagged: nothing to tie
    headers, cells = [], []
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/StructElem":
            if item.get("S") == "/TH":
                headers.append(item)
            elif item.get("S") == "/TD":
                cells.append(item)
    if not headers:
        return
    # The headers that a data cell of their own row (same /TR parent) names.
    by_id = {str(header["ID"].string): header for header in headers if "ID" in header}
    row_headers = set()
    for cell in cells:
        for key in cell.get("A", {}).get("Headers", ()):
            header = by_id.get(str(key.string))
            if header is not None and header["P"] == cell["P"]:
                row_headers.add(id(header))
    for header in headers:
        attributes = header.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = ROW if id(header) in row_headers else COLUMN
    names = pydyf.Array()
    for key in sorted(by_id):
        names.extend([pydyf.String(key), by_id[key].reference])
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    root = pdf.objects[int(pdf.catalog["StructTreeRoot"].split()[0])]
    root["IDTree"] = tree.reference
