"""Every PDF of the portal (portal.pdf.render_pdf: reports, the personal data PDF, the
certificate, the print view) ties its tables' header cells to their data cells in the
tag tree: /Scope on every /TH (/Column, or /Row for <th scope="row">) and an /IDTree
that resolves the data cells' /Headers; and the file still signs and validates."""

from __future__ import annotations

import io

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal.pdf import render_pdf, signing

HTML = """<!doctype html><html lang="en"><head><title>Figures</title></head><body>
<h1>Figures</h1>
<table><thead><tr><th scope="col">Team</th><th scope="col">Signed</th>
<th scope="col">Open</th></tr></thead>
<tbody><tr><th scope="row">North</th><td>4</td><td>1</td></tr>
<tr><th scope="row">South</th><td>2</td><td>3</td></tr></tbody></table>
<table><tr><th>Plain</th></tr><tr><td>a cell</td></tr></table>
</body></html>"""


_OPEN: list = []  # the files read, kept open while their objects are used


def cells(pdf: bytes) -> tuple[dict, list, list]:
    document = pikepdf.open(io.BytesIO(pdf))
    _OPEN.append(document)
    root = document.Root.StructTreeRoot
    names = root.IDTree.Names
    ids = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    found, stack = [], [root.K]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/StructElem":
            found.append(item)
            if "/K" in item:
                stack.append(item.K)
    headers = [item for item in found if item.S == "/TH"]
    data = [item for item in found if item.S == "/TD"]
    return ids, headers, data


@pytest.mark.parametrize("archival", [False, True])
def test_column_and_row_headers_say_their_scope(archival):
    _ids, headers, _data = cells(render_pdf(HTML, language="en", title="F", archival=archival))

    assert len(headers) == 6
    assert sorted(str(header.A.Scope) for header in headers) == [
        "/Column",
        "/Column",
        "/Column",
        "/Column",
        "/Row",
        "/Row",
    ]


def test_every_data_cell_finds_its_column_and_row_header_through_the_id_tree():
    ids, headers, data = cells(render_pdf(HTML, language="en", title="F"))

    assert len(data) == 5
    assert set(ids) == {str(header.ID) for header in headers}
    for cell in data:
        found = [ids[str(key)] for key in cell.A.Headers]
        assert [str(header.A.Scope) for header in found] in (["/Row", "/Column"], ["/Column"])
        for header in found:
            assert header.S == "/TH"
    assert list(ids) == sorted(ids)  # a name tree's keys are in order


def test_a_document_without_tables_gets_no_id_tree():
    pdf = render_pdf(
        '<!doctype html><html lang="en"><title>T</title><p>No table.</p></html>',
        language="en",
        title="T",
    )

    assert "/IDTree" not in pikepdf.open(io.BytesIO(pdf)).Root.StructTreeRoot


def test_the_tied_headers_are_in_the_signed_file_and_its_signature_validates(settings, tmp_path):
    settings.REPORTS_SIGNING_CERTIFICATE = ""
    settings.REPORTS_SIGNING_PASSWORD = ""
    settings.REPORTS_SELF_SIGNED = True
    settings.MEDIA_ROOT = tmp_path
    pdf = render_pdf(HTML, language="en", title="F", archival=True)

    signed = signing.sign_pdf(pdf, reason="Test", location="Here")

    _ids, headers, _data = cells(signed)
    assert all("/Scope" in header.A for header in headers)
    certificate = signing.signing_certificate()
    root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = signing.outside_event_loop(
        validate_pdf_signature, embedded, ValidationContext(trust_roots=[root])
    )
    assert status.bottom_line
