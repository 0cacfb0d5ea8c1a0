"""Every report carries the ledger's head as it was when the report was made (its last
entry's sequence number and hash): on the PDF cover, on the Excel summary sheet and on
the report's page, and stored on the Report row. An auditor keeps it and confirms later
with verify_ledger --anchor SEQ:HASH that the ledger still holds that entry."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from acknowledgements.models import LedgerEntry
from acknowledgements.tests.factories import behind_the_portals_back, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, text_of
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report
from reports.services import generation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


def sign(version, count: int = 1):
    records = []
    for _ in range(count):
        employee = EmployeeFactory()
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def make(format: str = Report.Format.PDF, **kwargs) -> Report:
    report = services.request_report(format=format, enqueue=False, **kwargs)
    report = generation.generate(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    return report


def pdf_cover(report: Report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(reader.pages[0].extract_text().split())


def summary_facts(report: Report) -> dict:
    with report.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]  # the summary
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return {row[0]: row[1] for row in rows if row and row[0] and len(row) > 1 and row[1]}


def last_entry() -> LedgerEntry:
    return LedgerEntry.objects.order_by("-sequence").first()


def test_the_head_is_stored_on_the_report(version):
    sign(version, 3)

    report = make(Report.Format.CSV, version=version, language="en")

    assert (report.ledger_head_sequence, report.ledger_head_hash) == (
        3,
        last_entry().record_hash,
    )


def test_the_pdf_cover_prints_the_head_in_full(version):
    sign(version, 2)

    report = make(version=version, language="en")

    cover = pdf_cover(report)
    head_hash = last_entry().record_hash
    assert "Last ledger entry when made entry 2, with hash" in cover
    assert head_hash in cover.replace(" ", "")
    assert "python manage.py verify_ledger --anchor 2:HASH" in cover


def test_the_dutch_cover_says_it_in_dutch(version):
    sign(version, 2)

    cover = pdf_cover(make(version=version, language="nl"))

    assert "Laatste regel van het grootboek bij het maken regel 2, met hash" in cover


def test_the_report_keeps_the_head_of_when_it_was_made(version):
    sign(version, 2)
    earlier = make(version=version, language="en")
    sign(version, 1)

    later = make(version=version, language="en")

    assert "entry 2, with hash" in pdf_cover(earlier)
    assert "entry 3, with hash" in pdf_cover(later)
    earlier.refresh_from_db()
    assert earlier.ledger_head_sequence == 2


@pytest.mark.django_db(transaction=True)
def test_the_head_is_printed_also_when_the_ledger_check_fails():
    version = quiz_version(tips=2)
    records = sign(version, 2)
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", records[0].pk],
    )

    report = make(version=version, language="en")

    cover = pdf_cover(report)
    assert "NOT OK" in cover
    assert "Last ledger entry when made entry 2, with hash" in cover
    assert records[1].entry.record_hash in cover.replace(" ", "")


def test_an_individual_file_prints_the_head_too(version):
    record = sign(version, 2)[0]

    report = make(kind=Report.Kind.INDIVIDUAL, employee=record.employee, language="en")

    assert "Last ledger entry when made entry 2, with hash" in pdf_cover(report)


def test_a_report_on_an_empty_ledger_says_there_was_no_entry(version):
    report = make(version=version, language="en")

    assert "Last ledger entry when made none: the ledger had no entries" in pdf_cover(report)


def test_the_excel_summary_sheet_has_the_head_and_the_command(version):
    sign(version, 2)

    facts = summary_facts(make(Report.Format.XLSX, version=version, language="en"))

    head_hash = last_entry().record_hash
    assert facts["Last ledger entry when made"] == 2
    assert facts["Hash of that entry"] == head_hash
    assert facts["To check it later"] == f"python manage.py verify_ledger --anchor 2:{head_hash}"


def test_the_dutch_summary_sheet_says_it_in_dutch(version):
    sign(version, 1)

    facts = summary_facts(make(Report.Format.XLSX, version=version, language="nl"))

    assert facts["Laatste regel van het grootboek bij het maken"] == 1


def test_the_reports_page_shows_the_head_for_a_csv(version, hr_client):
    sign(version, 2)
    report = make(Report.Format.CSV, version=version, language="en")

    page = parse(hr_client.get(reverse("reports:detail", args=[report.pk])))

    said = text_of(page, "#report-ledger-head")
    assert said.startswith("Last ledger entry when the report was made: 2, with hash")
    assert said.endswith(last_entry().record_hash)
