"""manage.py export_compliance_report: the same file as the web export, logged as made on
the command line; bad arguments are refused with a clear message."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report, ReportEvent
from reports.services import generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


@pytest.fixture
def campaign(version):
    north = DepartmentFactory(code="NOORD", name="Noord")
    south = DepartmentFactory(code="ZUID", name="Zuid")
    signer = EmployeeFactory(employee_number="2001", department=north)
    EmployeeFactory(employee_number="2002", department=north)
    EmployeeFactory(employee_number="2003", department=south)
    campaign = launched_campaign(version)
    signed(signer, ready_to_sign(signer, version))
    return campaign


def export(tmp_path, *arguments) -> bytes:
    output = tmp_path / "report.out"
    call_command(
        "export_compliance_report", *arguments, "--output", str(output), stdout=io.StringIO()
    )
    return output.read_bytes()


def web_export(**kwargs) -> bytes:
    """What HR's page makes: the service and the background task's generation."""
    report = services.request_report(enqueue=False, **kwargs)
    report = generation.generate(report_id=report.pk)
    with report.file.open("rb") as file:
        return file.read()


def test_the_command_line_csv_equals_the_web_export(tmp_path, campaign):
    from_command = export(tmp_path, "--campaign", str(campaign.pk), "--format", "csv")

    assert from_command == web_export(campaign=campaign, format="csv")


def test_the_command_line_csv_takes_the_comma_and_english(tmp_path, campaign):
    from_command = export(
        tmp_path,
        "--campaign",
        str(campaign.pk),
        "--format",
        "csv",
        "--delimiter",
        ",",
        "--language",
        "en",
    )

    assert from_command == web_export(campaign=campaign, format="csv", delimiter=",", language="en")
    assert from_command.startswith("\ufeffEmployee number,".encode())


def test_the_command_line_workbook_has_the_web_exports_people(tmp_path, campaign):
    from_command = export(tmp_path, "--campaign", str(campaign.pk), "--format", "xlsx")
    from_web = web_export(campaign=campaign, format="xlsx")

    def people(data: bytes):
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return list(workbook.worksheets[1].iter_rows(values_only=True))

    assert people(from_command) == people(from_web)
    assert len(people(from_command)) == 1 + 3


def test_a_version_report_narrowed_to_a_department(tmp_path, campaign, version):
    data = export(
        tmp_path, "--version", str(version.number), "--department", "NOORD", "--format", "csv"
    ).decode("utf-8-sig")

    # Compare whole cells: a hash column may contain "2003" by chance.
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert sorted(row[0] for row in rows[1:]) == ["2001", "2002"]


def test_the_export_is_logged_as_made_on_the_command_line(tmp_path, campaign):
    export(tmp_path, "--campaign", str(campaign.pk), "--format", "csv")

    report = Report.objects.get()
    assert report.requested_by is None
    assert report.status == Report.Status.DONE
    generated = report.events.get(kind=ReportEvent.Kind.GENERATED)
    assert generated.details["sha256"] == report.file_sha256


def test_an_unknown_department_is_refused_and_nothing_is_made(tmp_path, campaign):
    with pytest.raises(CommandError, match="Unknown department code"):
        export(tmp_path, "--campaign", str(campaign.pk), "--department", "NERGENS")

    assert not Report.objects.exists()


def test_an_unknown_campaign_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no campaign 999"):
        export(tmp_path, "--campaign", "999")


def test_a_campaign_and_a_version_together_are_refused(tmp_path, campaign, version):
    with pytest.raises(CommandError):
        export(tmp_path, "--campaign", str(campaign.pk), "--version", str(version.number))


def test_a_date_in_the_future_is_refused(tmp_path, campaign):
    with pytest.raises(CommandError, match="future"):
        export(tmp_path, "--campaign", str(campaign.pk), "--date", "2999-01-01")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def _comparable(text: str) -> str:
    """Without what differs between two runs: the report number and the clock time."""
    text = re.sub(r"NR-\d{4}-\d{6}", "NR", text)
    return re.sub(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b", "T", text)


def test_the_command_line_pdf_says_what_the_web_export_says(tmp_path, campaign):
    from_command = export(tmp_path, "--campaign", str(campaign.pk), "--format", "pdf")
    from_web = web_export(campaign=campaign, format="pdf")

    assert _comparable(_pdf_text(from_command)) == _comparable(_pdf_text(from_web))


def test_the_pdf_and_the_csv_have_the_same_people_and_hashes(tmp_path, campaign):
    pdf = _pdf_text(web_export(campaign=campaign, format="pdf", language="en"))
    rows = list(
        csv.DictReader(
            io.StringIO(
                web_export(campaign=campaign, format="csv", language="en").decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )

    assert {row["Employee number"] for row in rows} == set(re.findall(r"\b200\d\b", pdf))
    hashes = {row["Record hash"] for row in rows if row["Record hash"]}
    assert len(hashes) == 1
    assert hashes == set(re.findall(r"\b[0-9a-f]{64}\b", pdf))
    for row in rows:
        assert row["Status"] in pdf
