"""The PDF reports' tables: headers read whole (no hyphenation, no word split or spilling
into the next column) in Dutch and English, and every header cell is tied to its data
cells in the tag tree (/Scope on each /TH, /Headers of each /TD found through the
/IDTree), also in a report made in parts and joined; the signature still validates.

The reports are made once for the module: a campaign report (nl, en), a version report
(nl), a combined report of two guidelines (nl, en), an individual file (nl, en) and a
campaign report made in parts (nl)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from types import SimpleNamespace
from xml.etree import ElementTree

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.tests.factories import launched_campaign
from campaigns.tests.multi_guideline import second_version, with_guideline
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.pdf import signing
from quizzes.tests.factories import quiz_version, submitted_attempt
from reports import selectors as data
from reports import services
from reports.models import Report
from reports.pdf import render as render_pdf
from reports.services import generation

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is missing (scripts/system-deps.sh)"
)

# The headers of each kind of report's tables (msgids and the status labels' keys).
FIGURES = ["In scope", "% signed", "Department"]
LABELS = [data.Status.EXEMPT, data.Status.SIGNED, data.Status.OVERDUE, data.Status.OPEN]
HEADERS = {
    "campaign": [
        *FIGURES,
        "Employees",
        "Number",
        "Percentage of those who must sign",
        "Employee number",
        "Name",
        "Status",
        "Signed on",
        "Record hash",
    ],
    "combined": [*FIGURES, "Guideline", "Employee number", "Name", "Combined status"],
    "individual": [
        "Version",
        "Kind",
        "Signed on",
        "How",
        "Language",
        "Verification code",
        "Record hash",
        "Purpose",
        "Submitted on",
        "Score",
        "Result",
    ],
}


def make(report: Report, method: str | None = None) -> bytes:
    with render_pdf.pdf_method(method):
        report = generation.generate(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def _world() -> SimpleNamespace:
    social = quiz_version(tips=2)
    home = second_version(tips=2)
    directorate = DepartmentFactory(code="DIR", name="Directie Dienstverlening")
    finance = DepartmentFactory(code="FIN", name="Afdeling Financien")
    # Fixed names: a random double-barrelled one ("Opper-...") would end a line on its
    # own hyphen, which the tests cannot tell from hyphenation.
    hr = EmployeeFactory(
        employee_number="H0001", department=None, hr=True, first_name="Yvonne", last_name="Peters"
    )
    people = [
        EmployeeFactory(
            employee_number=f"P{n:04d}",
            department=(directorate, finance)[n % 2],
            first_name="Sanne",
            last_name=f"Jansen{n}",
        )
        for n in range(24)
    ]
    campaign = launched_campaign(social, name="Jaarlijkse bevestiging 2026")
    with_guideline(campaign, home, employees=people[:12])
    for person in people[:10]:
        signed(person, ready_to_sign(person, social))
    signed(people[0], ready_to_sign(people[0], home))
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=people[20], guideline=social.guideline),
        reason="Verlof",
        by=hr,
    )
    submitted_attempt(employee=people[0], version=social, right=False)

    def request(**kwargs) -> Report:
        return services.request_report(enqueue=False, by=hr, **kwargs)

    files = {}
    for language in ("nl", "en"):
        files[f"campaign-{language}"] = make(
            request(campaign=campaign, guideline=social.guideline, language=language)
        )
        files[f"combined-{language}"] = make(request(campaign=campaign, language=language))
        files[f"individual-{language}"] = make(
            request(kind=Report.Kind.INDIVIDUAL, employee=people[0], language=language)
        )
    files["version-nl"] = make(request(version=social, language="nl"))
    files["parts-nl"] = make(
        request(campaign=campaign, guideline=social.guideline, language="nl"), render_pdf.PARTS
    )
    return SimpleNamespace(files=files, certificate=signing.signing_certificate())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Made once, in a transaction rolled back afterwards; tests only read the files."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            REPORTS_SIGNING_CERTIFICATE="",
            REPORTS_SELF_SIGNED=True,
            REPORTS_PDF_PART_ROWS=5,
        ),
        transaction.atomic(),
    ):
        made = _world()
        transaction.set_rollback(True)
    return made


def pdftotext(pdf: bytes, *options: str) -> str:
    result = subprocess.run(  # noqa: S603
        ["pdftotext", *options, "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def header_words(name: str, language: str) -> set[str]:
    """The words of the headers of a kind of report, in ``language``."""
    with translation.override(language):
        labels = [gettext(msgid) for msgid in HEADERS[name]]
        if name != "individual":
            labels += [str(data.Status.LABELS[key]) for key in LABELS]
    return {word.strip(",%") for label in labels for word in label.split()} - {""}


def words_on_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """The words of every line of every page, as (left, right, text), left to right."""
    xhtml = pdftotext(pdf, "-bbox").replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    lines: dict[tuple[int, float], list] = {}
    for number, page in enumerate(ElementTree.fromstring(xhtml).iter("page")):  # noqa: S314
        for word in page.iter("word"):
            key = (number, round(float(word.get("yMin")), 1))
            lines.setdefault(key, []).append(
                (float(word.get("xMin")), float(word.get("xMax")), word.text or "")
            )
    return [sorted(line) for _key, line in sorted(lines.items())]


@needs_poppler
@pytest.mark.parametrize("name", ["campaign", "combined", "individual", "version"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_word_is_hyphenated_at_the_end_of_a_line(world, name, language):
    if f"{name}-{language}" not in world.files:
        pytest.skip("made in Dutch only")
    text = pdftotext(world.files[f"{name}-{language}"], "-layout")

    broken = re.findall(r"\w+[\u2010\u00ad-]$", text, flags=re.MULTILINE)

    assert not broken, f"hyphenated at a line's end: {broken}"
    assert "Meege" not in text.replace("Meegeteld", "").replace("meegetelde", "")


@needs_poppler
@pytest.mark.parametrize("name", ["campaign", "combined", "individual"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_header_word_is_whole_and_no_word_runs_into_the_next(world, name, language):
    lines = words_on_lines(world.files[f"{name}-{language}"])
    words = {text.strip(",%()") for line in lines for _left, _right, text in line}

    # A header word cut in two (or run into its neighbour) is not among the page's words.
    missing = header_words(name, language) - words
    overlapping = [
        (a[2], b[2]) for line in lines for a, b in zip(line, line[1:], strict=False) if a[1] > b[0]
    ]

    assert not missing, f"not whole: {sorted(missing)}"
    assert not overlapping, f"words running into each other: {overlapping}"


def structure_elements(pdf: bytes):
    """Every structure element of the file, with the /IDTree's entries by key."""
    document = pikepdf.open(io.BytesIO(pdf))
    root = document.Root.StructTreeRoot
    elements, stack, seen = [], [root], set()
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        if item.get("/Type") == "/StructElem":
            elements.append(item)
        kids = item.get("/K")
        if kids is not None:
            stack.append(kids)
    ids = {}
    if "/IDTree" in root:
        names = root.IDTree.Names
        ids = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    return document, elements, ids


@pytest.mark.parametrize(
    "name", ["campaign-nl", "campaign-en", "combined-nl", "individual-en", "version-nl", "parts-nl"]
)
def test_every_header_cell_has_a_scope_and_every_data_cells_headers_are_found(world, name):
    _document, elements, ids = structure_elements(world.files[name])
    headers = [element for element in elements if element.S == "/TH"]
    cells = [element for element in elements if element.S == "/TD"]

    assert len(headers) > 5 and len(cells) > 20
    for header in headers:
        assert header.A.O == "/Table"
        assert header.A.Scope == "/Column"  # every <th> of the reports is a column's
    for cell in cells:
        assert len(cell.A.Headers) >= 1
        for key in cell.A.Headers:
            header = ids[str(key)]
            assert header.S == "/TH" and str(header.ID) == str(key)
            # The header is of the same table as the cell: TD -> TR -> (THead, TBody) -> Table.
            assert _table_of(header) == _table_of(cell)


def _table_of(element):
    while element.S != "/Table":
        element = element.P
    return element.objgen


def test_the_parts_keep_their_header_identifiers_apart_in_one_id_tree(world):
    _document, elements, ids = structure_elements(world.files["parts-nl"])
    headers = [element for element in elements if element.S == "/TH"]
    keys = [str(header.ID) for header in headers]

    assert len(set(keys)) == len(keys) == len(ids)
    assert {key.split("-")[0] for key in keys} >= {"part0", "part1", "part2"}
    assert list(ids) == sorted(ids)


def test_the_reports_with_tied_headers_are_still_signed_validly(world):
    root = asn1_x509.Certificate.load(world.certificate.public_bytes(serialization.Encoding.DER))
    for name in ("campaign-nl", "parts-nl", "individual-en"):
        [embedded] = PdfFileReader(io.BytesIO(world.files[name])).embedded_signatures
        status = signing.outside_event_loop(
            validate_pdf_signature, embedded, ValidationContext(trust_roots=[root])
        )

        assert status.bottom_line, name
