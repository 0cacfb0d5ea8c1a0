"""The PDF reports, read back: the cover, the figures, every employee in scope once,
page numbers and repeated headers, the document's language, title and tags, and the
signature. The report of 60 employees is made once for the module (in Dutch and in
English) and only read by the tests."""

import collections
import datetime
import hashlib
import io
import re
from types import SimpleNamespace

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from acknowledgements.models import Acknowledgement
from acknowledgements.tests.factories import behind_the_portals_back, ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.models import Assignment
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.pdf import signing
from quizzes.tests.factories import quiz_version, submitted_attempt
from reports import selectors as data
from reports import services
from reports.models import Report
from reports.pdf.render import render_compliance
from reports.services import generation

# pytest-django sets up the test database only for tests marked so: without the mark, a
# run of only the module fixture's tests (-k) would make it in the development database.
pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IN_SCOPE = re.compile(r"\bP\d{4}\b")
OUTSIDE = re.compile(r"\bX\d{4}\b")


def text_of(page) -> str:
    """A page's text with all runs of white space as one space."""
    return " ".join(page.extract_text().split())


def read(pdf: bytes) -> SimpleNamespace:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [text_of(page) for page in reader.pages]
    return SimpleNamespace(reader=reader, pages=pages, text=" ".join(pages))


def make(report: Report) -> bytes:
    report = generation.generate(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def _world() -> SimpleNamespace:
    """60 employees in scope over three departments (one a sub-department), three
    outside it; 30 signed, 5 exempt, 5 overdue, 20 not yet due."""
    version = quiz_version(tips=2)
    directorate = DepartmentFactory(code="DIR", name="Directie Dienstverlening")
    team = DepartmentFactory(code="BZ", name="Team Burgerzaken", parent=directorate)
    finance = DepartmentFactory(code="FIN", name="Afdeling Financien")
    elsewhere = DepartmentFactory(code="ELD", name="Elders")
    hr = EmployeeFactory(
        employee_number="H0001", first_name="Hanna", last_name="Rood", department=elsewhere, hr=True
    )
    departments = (directorate, team, finance)
    people = [
        EmployeeFactory(employee_number=f"P{n:04d}", department=departments[n % 3])
        for n in range(60)
    ]
    outsiders = [
        EmployeeFactory(employee_number=f"X{n:04d}", department=elsewhere) for n in range(3)
    ]
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging 2026")
    for person in [outsiders[0], *people[:30]]:
        signed(person, ready_to_sign(person, version))
    for person in people[30:35]:
        campaign_services.exempt(
            assignment=campaign.assignments.get(employee=person), reason="Verlof", by=hr
        )
    Assignment.objects.filter(campaign=campaign, employee__in=people[35:40]).update(
        due_date=TODAY - datetime.timedelta(days=1)
    )
    reports = {
        language: services.request_report(
            campaign=campaign,
            departments=[directorate, finance],
            language=language,
            by=hr,
            enqueue=False,
        )
        for language in ("en", "nl")
    }
    files = {language: make(report) for language, report in reports.items()}
    reports = {language: Report.objects.get(pk=report.pk) for language, report in reports.items()}
    hashes = dict(
        Acknowledgement.objects.values_list("employee__employee_number", "entry__record_hash")
    )
    return SimpleNamespace(
        files=files,
        reports=reports,
        read={language: read(pdf) for language, pdf in files.items()},
        certificate=signing.signing_certificate(),
        campaign_name=campaign.name,
        in_scope=[person.employee_number for person in people],
        signers={person.employee_number for person in people[:30]},
        outsiders=[person.employee_number for person in outsiders],
        hashes=hashes,
        department_of={person.employee_number: person.department.code for person in people},
        hr_name=hr.full_name,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Made once, in a transaction rolled back afterwards; tests only read the files."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True
        ),
        transaction.atomic(),
    ):
        made = _world()
        transaction.set_rollback(True)
    return made


def department_pages(document, heading: str = "Appendix: record hashes") -> list[str]:
    """The pages from the first department's table to the appendix."""
    start = next(
        i
        for i, page in enumerate(document.pages)
        if "Directie Dienstverlening (DIR)" in page and IN_SCOPE.search(page)
    )
    end = next(i for i, page in enumerate(document.pages) if heading in page)
    return document.pages[start:end]


def test_the_cover_says_what_when_by_whom_and_the_ledger_check(world):
    report = world.reports["en"]
    cover = world.read["en"].pages[0]
    unbroken = cover.replace(" ", "")

    assert "Gemeente Voorbeeldstad" in cover
    assert f"Compliance report: {world.campaign_name}" in cover
    assert f"Report number {report.number}" in cover
    assert f"Scope Campaign “{world.campaign_name}”, guideline version 1" in cover
    assert "Departments Directie Dienstverlening, Afdeling Financien (with their sub-" in cover
    with translation.override("en"):
        assert f"Status on {date_format(TODAY, 'DATE_FORMAT')}" in cover
        generated = date_format(timezone.localtime(report.started_at), "DATETIME_FORMAT")
    assert f"Generated on {generated}" in cover
    assert f"Generated by {world.hr_name}" in cover
    assert report.ledger_ok is True
    assert "Ledger check OK: 31 entries checked; the last is entry 31, with hash" in cover
    assert report.ledger_summary.rsplit(" ", 1)[-1] in unbroken  # the head hash
    name = "Gemeente Voorbeeldstad"
    assert f"CN={name} (development), O={name}" in cover
    assert signing.certificate_fingerprint(world.certificate) in unbroken


def test_the_summary_counts_overall_and_per_department(world):
    summary = world.read["en"].pages[1]

    assert summary.startswith("Summary")
    assert "In scope 60 Exempt 5 Must sign 55 Signed 30 54.5" in summary
    assert "Overdue 5 9.1 Not yet signed, not yet due 20 36.4" in summary
    # Department, in scope, exempt, signed, % signed, overdue, not yet due.
    assert "Directie Dienstverlening (DIR) 20 2 10 55.6 2 6" in summary
    assert "Team Burgerzaken (BZ) 20 2 10 55.6 1 7" in summary
    assert "Afdeling Financien (FIN) 20 1 10 52.6 2 7" in summary
    assert "All departments 60 5 30 54.5 5 20" in summary
    assert "Elders" not in summary


def test_every_employee_in_scope_is_listed_once_under_their_department(world):
    document = world.read["en"]
    pages = department_pages(document)
    tables = " ".join(pages)

    listed = collections.Counter(IN_SCOPE.findall(tables))
    assert sorted(listed) == sorted(world.in_scope)
    assert set(listed.values()) == {1}
    assert not OUTSIDE.search(document.text)
    assert "H0001" not in document.text
    # Department by department (by path: the team comes after its directorate).
    headings = [tables.index(f"({code})") for code in ("DIR", "BZ", "FIN")]
    assert headings == sorted(headings)
    for number, code in world.department_of.items():
        section = ("DIR", "BZ", "FIN").index(code)
        assert headings[section] < tables.index(number)
        if section < 2:
            assert tables.index(number) < headings[section + 1]


def test_rows_show_status_date_and_the_short_hash(world):
    tables = " ".join(department_pages(world.read["en"]))
    signer = sorted(world.signers)[0]
    short = world.hashes[signer][:12]

    with translation.override("en"):
        signed_on = date_format(TODAY, "SHORT_DATE_FORMAT")
    assert re.search(rf"{signer} .*? Signed {re.escape(signed_on)} {short}", tables)
    assert world.hashes[signer] not in tables
    assert re.search(r"P0030 .*? Exempt: Verlof – –", tables)
    assert re.search(r"P0035 .*? Overdue – –", tables)
    assert re.search(r"P0059 .*? Not started – –", tables)


def test_the_appendix_has_every_full_hash_once(world):
    document = world.read["en"]
    start = next(i for i, page in enumerate(document.pages) if "Appendix: record hashes" in page)
    appendix = "".join(document.pages[start:]).replace(" ", "")

    for number in world.signers:
        assert appendix.count(f"{number}") == 1
        assert world.hashes[number] in appendix
    assert world.hashes["X0000"] not in document.text.replace(" ", "")


def test_pages_are_numbered_and_carry_the_running_header(world):
    for language, page_label in (("en", "page {} of {}"), ("nl", "pagina {} van {}")):
        document = world.read[language]
        number = world.reports[language].number
        total = len(document.pages)

        assert total > 3
        for index, page in enumerate(document.pages, start=1):
            assert page_label.format(index, total) in page
            assert number in page


def test_table_headers_are_repeated_on_every_page_with_people(world):
    pages_with_people = department_pages(world.read["en"])

    assert len(pages_with_people) >= 2  # the tables run over pages
    for page in pages_with_people:
        assert "Employee number Name" in page
    for page in department_pages(world.read["nl"], heading="Bijlage: hashes van de vastleggingen"):
        assert "Naam" in page


def test_the_dutch_report_is_in_dutch(world):
    document = world.read["nl"]
    with translation.override("nl"):
        as_of = date_format(TODAY, "DATE_FORMAT")
        signed_on = date_format(TODAY, "SHORT_DATE_FORMAT")

    assert as_of in document.pages[0]
    assert "pagina 1 van" in document.pages[0]
    assert "Alle afdelingen" in document.pages[1]
    assert f"Ondertekend {signed_on}" in document.text
    assert "54,5" in document.pages[1]  # the Dutch decimal comma


def test_language_title_tags_and_bookmarks_are_in_the_pdf(world):
    for language in ("en", "nl"):
        reader = world.read[language].reader
        catalog = reader.trailer["/Root"]

        assert catalog["/Lang"] == language
        assert catalog["/MarkInfo"]["/Marked"].value is True
        assert "/StructTreeRoot" in catalog
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert 'pdfuaid:part="1"' in xmp and 'pdfaid:part="2"' in xmp
    reader = world.read["en"].reader
    title = f"Compliance report: {world.campaign_name}"
    assert reader.metadata.title == title
    assert title in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    [top, children] = reader.outline
    assert top.title == title
    assert [item.title for item in children if not isinstance(item, list)] == [
        "Summary",
        "Directie Dienstverlening (DIR)",
        "Team Burgerzaken (BZ)",
        "Afdeling Financien (FIN)",
        "Appendix: record hashes",
    ]


def test_the_report_is_signed_and_its_hash_stored(world):
    root = asn1_x509.Certificate.load(world.certificate.public_bytes(serialization.Encoding.DER))
    for language, pdf in world.files.items():
        [embedded] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
        status = signing.outside_event_loop(
            validate_pdf_signature, embedded, ValidationContext(trust_roots=[root])
        )

        assert status.bottom_line
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        report = world.reports[language]
        assert embedded.sig_object["/Reason"].endswith(report.number)
        assert report.file_sha256 == hashlib.sha256(pdf).hexdigest()
        assert report.file_size == len(pdf)


@pytest.mark.django_db
def test_a_version_report_has_signed_and_not_signed_only():
    version = quiz_version(tips=2)
    signer = EmployeeFactory(employee_number="P0001")
    EmployeeFactory(employee_number="P0002")
    signed(signer, ready_to_sign(signer, version))

    document = read(make(services.request_report(version=version, language="en", enqueue=False)))

    assert document.reader.metadata.title == "Compliance report: guideline version 1"
    assert "In scope 2 Must sign 2 Signed 1 50.0 Not signed 1 50.0" in document.pages[1]
    assert "Exempt" not in document.pages[1] and "Overdue" not in document.pages[1]
    assert re.search(r"P0002 .*? Not signed – –", document.text)


@pytest.mark.django_db
def test_progress_reaches_the_total_once_the_file_is_written():
    version = quiz_version(tips=2)
    for n in range(3):
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

    render_compliance(context, out)

    assert progress == sorted(progress)
    assert progress[-1] == 3
    assert out.getvalue().startswith(b"%PDF-1.7")
    assert "Generated by the command line" in read(out.getvalue()).pages[0]


@pytest.mark.django_db
def test_an_individual_file_has_that_employees_acknowledgements_and_results_only():
    employee = EmployeeFactory(employee_number="P0001", first_name="Jan", last_name="Jansen")
    other = EmployeeFactory(employee_number="P0002")
    first = quiz_version(tips=2)
    second = quiz_version(tips=2, number=2, guideline=first.guideline)
    # The other signs first: the ledger's last hash is on the cover.
    theirs = signed(other, ready_to_sign(other, first))
    submitted_attempt(employee=employee, version=first, right=False)
    records = [signed(employee, ready_to_sign(employee, first))]
    records.append(signed(employee, ready_to_sign(employee, second)))

    report = services.request_report(
        kind=Report.Kind.INDIVIDUAL, employee=employee, language="en", enqueue=False
    )
    document = read(make(report))
    unbroken = document.text.replace(" ", "")

    assert document.reader.metadata.title == "Individual file: Jan Jansen"
    assert "Employee Jan Jansen Employee number P0001" in document.pages[0]
    for record in records:
        assert record.entry.verification_code.replace(" ", "") in unbroken
        assert record.entry.record_hash in unbroken
    assert theirs.entry.verification_code not in unbroken
    assert theirs.entry.record_hash not in unbroken
    assert document.text.count("2 of 2 right (100%) Passed") == 2
    assert document.text.count("0 of 2 right (0%) Not passed") == 1
    assert document.text.count("By the employee") == 2


@pytest.mark.django_db(transaction=True)
def test_a_broken_ledger_is_on_the_cover_in_the_reports_language():
    version = quiz_version(tips=2)
    first, second = EmployeeFactory(), EmployeeFactory()
    signed(first, ready_to_sign(first, version))
    record = signed(second, ready_to_sign(second, version))
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", record.pk],
    )

    english = services.request_report(version=version, language="en", enqueue=False)
    dutch = services.request_report(version=version, language="nl", enqueue=False)
    english_cover = read(make(english)).pages[0]
    dutch_cover = read(make(dutch)).pages[0]

    sequence = record.entry.sequence
    assert (
        f"NOT OK: the ledger has a problem at entry {sequence}: content does not match its "
        "digest" in english_cover
    )
    assert "de inhoud klopt niet met de hash ervan" in dutch_cover
    english.refresh_from_db()
    assert english.ledger_ok is False
    assert english.ledger_summary == (
        f"NOT OK: entry {sequence}: content does not match its digest"
    )


@pytest.mark.django_db
def test_a_report_on_nobody_still_says_so():
    version = quiz_version(tips=2)

    document = read(make(services.request_report(version=version, language="en", enqueue=False)))

    assert "No employees are in scope." in document.text
    assert "No acknowledgements are in scope." in document.text
