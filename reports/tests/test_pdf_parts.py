"""A compliance PDF made in parts (worker processes, joined with pikepdf) says what the
same report made as one document says: the same rows in the same order under the same
headings, page numbers over the whole file, the same bookmarks on the right pages, one
structure tree, the archiving and accessibility identification, and a valid signature.

The report (45 people in three departments) is made once both ways for the module, the
parts way forced into parts of 4 rows, so that departments run over parts."""

import io
import re
import shutil
import subprocess
from types import SimpleNamespace

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.pdf import signing
from quizzes.tests.factories import quiz_version
from reports import selectors as data
from reports import services
from reports.models import Report
from reports.pdf import render as render_pdf
from reports.pdf import workers as pdf_parts
from reports.services import generation
from reports.tests import pdf_worker_doubles

# pytest-django sets up the test database only for tests marked so: without the mark, a
# run of only the module fixture's tests (-k) would make it in the development database.
pytestmark = pytest.mark.django_db

PERSON = re.compile(r"\bP\d{4}\b")
PAGE = re.compile(r"pagina (\d+) van (\d+)")
APPENDIX = "Bijlage: hashes van de vastleggingen"
ROWS_PER_PART = 4


def text_of(page) -> str:
    return " ".join(page.extract_text().split())


def make(report: Report, method: str, now=None) -> bytes:
    with render_pdf.pdf_method(method):
        report = generation.generate(report_id=report.pk, now=now)
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def _world() -> SimpleNamespace:
    version = quiz_version(tips=2)
    directorate = DepartmentFactory(code="DIR", name="Directie Dienstverlening")
    team = DepartmentFactory(code="BZ", name="Team Burgerzaken", parent=directorate)
    finance = DepartmentFactory(code="FIN", name="Afdeling Financien")
    departments = (directorate, team, finance)
    people = [
        EmployeeFactory(employee_number=f"P{n:04d}", department=departments[n % 3])
        for n in range(45)
    ]
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging 2026")
    for person in people[:25]:
        signed(person, ready_to_sign(person, version))
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=people[30]), reason="Verlof", by=None
    )
    files = {}
    now = timezone.now()  # on both covers, to the minute
    for method in render_pdf.METHODS:
        report = services.request_report(campaign=campaign, language="nl", enqueue=False)
        files[method] = make(report, method, now)
    return SimpleNamespace(
        files=files,
        read={
            method: [text_of(page) for page in PdfReader(io.BytesIO(pdf)).pages]
            for method, pdf in files.items()
        },
        reports=Report.objects.order_by("pk"),
        certificate=signing.signing_certificate(),
    )


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
            REPORTS_PDF_PART_ROWS=ROWS_PER_PART,
        ),
        transaction.atomic(),
    ):
        made = _world()
        made.numbers = [report.number for report in made.reports]
        transaction.set_rollback(True)
    return made


def without_margins(page: str) -> str:
    """A page's text without the running header and the page number."""
    page = PAGE.sub("", page)
    return re.sub(r"NR-\d{4}-\d+ Nalevingsrapportage: Jaarlijkse bevestiging 2026", "", page)


def sections(pages: list[str]) -> str:
    """The text from the first department to the appendix, without the margins."""
    start = next(i for i, page in enumerate(pages) if "(DIR)" in page and PERSON.search(page))
    end = next(i for i, page in enumerate(pages) if APPENDIX in page)
    return " ".join(without_margins(page) for page in pages[start:end])


def appendix(pages: list[str]) -> str:
    start = next(i for i, page in enumerate(pages) if APPENDIX in page)
    return "".join(without_margins(page) for page in pages[start:]).replace(" ", "")


def test_the_parts_list_the_same_people_in_the_same_order_under_the_same_headings(world):
    single, parts = world.read["single"], world.read["parts"]

    assert len(parts) > len(single)  # a part starts a page: the departments ran over parts
    assert without_margins(parts[0]).replace(world.numbers[1], "") == without_margins(
        single[0]
    ).replace(world.numbers[0], "")  # the cover; only the report number differs
    assert without_margins(parts[1]) == without_margins(single[1])  # the summary
    people = PERSON.findall(sections(parts))
    assert people == PERSON.findall(sections(single))
    assert sorted(people) == [f"P{n:04d}" for n in range(45)]
    headings = re.findall(r"\w+ \w+ \((?:DIR|BZ|FIN)\)", sections(parts))
    assert headings == re.findall(r"\w+ \w+ \((?:DIR|BZ|FIN)\)", sections(single))
    assert len(headings) == 3  # a department that goes on in the next part has no new heading
    assert appendix(parts) == appendix(single)


def test_every_page_of_the_joined_file_has_its_number_and_the_running_header(world):
    pages = world.read["parts"]

    for index, page in enumerate(pages, start=1):
        assert PAGE.findall(page) == [(str(index), str(len(pages)))]
        assert page.count(world.numbers[1]) == 1 + (index == 1)  # and on the cover


def test_the_bookmarks_are_those_of_one_document_on_the_pages_of_their_headings(world):
    def bookmarks(pdf: bytes) -> list:
        reader = PdfReader(io.BytesIO(pdf))
        pages = [text_of(page) for page in reader.pages]

        def walk(items):
            found = []
            for item in items:
                if isinstance(item, list):
                    found.append(walk(item))
                else:
                    page = reader.get_destination_page_number(item)
                    assert item.title in pages[page], item.title
                    found.append(item.title)
            return found

        return walk(reader.outline)

    parts = bookmarks(world.files["parts"])

    assert parts == bookmarks(world.files["single"])
    assert parts == [
        "Nalevingsrapportage: Jaarlijkse bevestiging 2026",
        [
            "Samenvatting",
            ["Per afdeling"],
            "Directie Dienstverlening (DIR)",
            "Team Burgerzaken (BZ)",
            "Afdeling Financien (FIN)",
            APPENDIX,
        ],
    ]


def test_the_joined_file_has_one_structure_tree_over_all_pages(world):
    pdf = pikepdf.open(io.BytesIO(world.files["parts"]))
    root = pdf.Root.StructTreeRoot
    [document] = root.K
    nums = root.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    pages = {page.obj.objgen for page in pdf.pages}

    keys = [int(page.obj.StructParents) for page in pdf.pages]
    assert sorted(keys) == list(range(len(pdf.pages))) == sorted(parent_tree)
    in_tree, identifiers, figures = set(), [], []
    stack = [document]
    while stack:
        element = stack.pop()
        in_tree.add(element.objgen)
        if element.S == "/Figure":
            figures.append(str(element.Alt))
        assert element.Pg.objgen in pages if "/Pg" in element else True
        if "/ID" in element:
            identifiers.append(str(element.ID))
        for kid in element.K if isinstance(element.K, pikepdf.Array) else [element.K]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                assert kid.P.objgen == element.objgen
                stack.append(kid)
    # Every piece of marked content belongs to an element of the one tree.
    for page in pdf.pages:
        for element in parent_tree[int(page.obj.StructParents)]:
            assert element.objgen in in_tree
    assert document.P.objgen == root.objgen
    assert len(identifiers) == len(set(identifiers)) > 0  # table header cells
    assert figures == ["Gemeente Voorbeeldstad"]  # the logo: the first part had its file


def test_the_joined_file_is_identified_as_archival_and_accessible(world):
    reader = PdfReader(io.BytesIO(world.files["parts"]))
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()

    assert reader.pdf_header == "%PDF-1.7"
    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert catalog["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title == "Nalevingsrapportage: Jaarlijkse bevestiging 2026"
    assert f'pdf:Producer="{reader.metadata["/Producer"]}"' in xmp  # PDF/A: the same


def test_the_margins_are_drawn_as_artifacts_the_running_header_once_for_all(world):
    pdf = pikepdf.open(io.BytesIO(world.files["parts"]))
    headers = set()

    for page in pdf.pages:
        *_content, last = page.obj.Contents
        assert last.read_bytes() == (
            b"Q\n/Artifact <</Type /Pagination>> BDC\n/PortalHeader Do\n/PortalMargins Do\nEMC\n"
        )
        headers.add(page.obj.Resources.XObject.PortalHeader.objgen)
        assert page.obj.Resources.XObject.PortalMargins.objgen not in headers
    assert len(headers) == 1


def test_the_joined_file_is_signed_and_a_changed_byte_breaks_the_signature(world, tmp_path):
    pdf = world.files["parts"]
    root = asn1_x509.Certificate.load(world.certificate.public_bytes(serialization.Encoding.DER))

    def status(data: bytes):
        [embedded] = PdfFileReader(io.BytesIO(data)).embedded_signatures
        context = ValidationContext(trust_roots=[root])
        return signing.outside_event_loop(validate_pdf_signature, embedded, context)

    assert status(pdf).bottom_line
    assert status(pdf).coverage == SignatureCoverageLevel.ENTIRE_FILE
    tampered = bytearray(pdf)
    inside_a_stream = pdf.index(b"stream", len(pdf) // 3) + 20
    tampered[inside_a_stream] ^= 0x01
    assert not status(bytes(tampered)).intact
    if shutil.which("pdfsig"):  # poppler, an independent reader
        (tmp_path / "report.pdf").write_bytes(pdf)
        completed = subprocess.run(  # noqa: S603 - fixed command, our own file
            ["pdfsig", str(tmp_path / "report.pdf")],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Signature is Valid." in completed.stdout
        assert "Total document signed" in completed.stdout


@pytest.mark.parametrize(
    ("worker", "problem"),
    [
        (
            pdf_worker_doubles.fails_on_the_second_part,
            "Part 2 of the PDF could not be rendered: RuntimeError: the layout engine gave up",
        ),
        (
            pdf_worker_doubles.dies_on_the_second_part,
            "The PDF could not be rendered: a worker process ended abruptly (BrokenProcessPool).",
        ),
    ],
)
@pytest.mark.django_db
def test_a_part_that_fails_fails_the_report_and_no_file_is_kept(
    settings, monkeypatch, worker, problem
):
    settings.REPORTS_PDF_PART_ROWS = 2
    monkeypatch.setattr(pdf_parts, "WORKER", worker)
    version = quiz_version(tips=2)
    for n in range(6):
        EmployeeFactory(employee_number=f"P{n:04d}")
    report = services.request_report(version=version, language="en", enqueue=False)

    with pytest.raises(pdf_parts.PartFailed) as failure:
        make(report, render_pdf.PARTS)

    assert str(failure.value) == problem
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == f"PartFailed: {problem}"
    assert not report.file
    assert not report.file_sha256


def test_large_reports_are_made_in_parts_and_small_ones_as_one_document(settings):
    settings.REPORTS_PDF_PARTS_ABOVE = 100

    assert render_pdf.chosen_method(100) == render_pdf.SINGLE
    assert render_pdf.chosen_method(101) == render_pdf.PARTS
    with render_pdf.pdf_method(render_pdf.SINGLE):
        assert render_pdf.chosen_method(10_000) == render_pdf.SINGLE


@pytest.mark.django_db
def test_progress_in_parts_only_grows_and_reaches_the_total_with_the_file(settings):
    settings.REPORTS_PDF_PART_ROWS = 2
    version = quiz_version(tips=2)
    for n in range(5):
        EmployeeFactory(employee_number=f"P{n:04d}")
    report = services.request_report(version=version, language="en", enqueue=False)
    scope = data.scope_of(report=report)
    progress = []
    context = generation.ReportContext(
        report=report,
        generated_at=timezone.now(),
        generated_by="",
        ledger_ok=True,
        ledger_summary="",
        scope=scope,
        summary=data.summary(scope=scope),
        progress=progress.append,
    )
    out = io.BytesIO()

    render_pdf.render_compliance(context, out, method=render_pdf.PARTS)

    assert progress == sorted(progress)
    assert progress[-1] == 5
    assert max(progress[:-1]) < 5  # the total only once the file is there
    assert out.getvalue().startswith(b"%PDF-1.7")
