"""The compliance report as CSV and as an Excel workbook: the bytes of the CSV, and the
workbook read back with openpyxl."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from acknowledgements.models import Acknowledgement
from acknowledgements.selectors.verification import VerificationResult
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import bulk_employees
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import selectors as data
from reports import services
from reports import tabular as render_tabular
from reports.models import Report
from reports.services import generation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


@pytest.fixture
def staff(version):
    """Three employees in two departments; the first has signed."""
    directorate = DepartmentFactory(code="DIR", name="Directie")
    department = DepartmentFactory(code="AFD", name="Afdeling Zuid", parent=directorate)
    signer = EmployeeFactory(
        employee_number="1001", first_name="Anna", last_name="Aalders", department=directorate
    )
    EmployeeFactory(
        employee_number="1002", first_name="Bert", last_name="Bakker", department=directorate
    )
    EmployeeFactory(
        employee_number="1003", first_name="Cees", last_name="Claes", department=department
    )
    signed(signer, ready_to_sign(signer, version))
    return signer


def make(format: str, **kwargs) -> Report:
    """Ask for a report and make it here and now."""
    report = services.request_report(format=format, enqueue=False, **kwargs)
    return generation.generate(report_id=report.pk)


def content(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def csv_rows(report: Report) -> list[list[str]]:
    raw = content(report)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=report.delimiter))


def workbook(report: Report):
    return load_workbook(io.BytesIO(content(report)))


def header_in(language: str, labels: list[str]) -> list[str]:
    with translation.override(language):
        return [gettext(label) for label in labels]


VERSION_HEADER = [
    "Employee number",
    "Name",
    "Department code",
    "Department",
    "Status",
    "Signed at",
    "Record hash",
    "Times signed",
]
CAMPAIGN_HEADER = [
    "Employee number",
    "Name",
    "Department code",
    "Department",
    "Status",
    "Due date",
    "Signed at",
    "Record hash",
    "Reason for the exemption",
]


# CSV --------------------------------------------------------------------------------------


def test_the_csv_is_utf8_with_a_bom_semicolons_and_crlf_lines(version, staff):
    report = make(Report.Format.CSV, version=version)

    raw = content(report)

    assert raw.startswith("\ufeff".encode())
    first_line = raw[3:].split(b"\r\n")[0].decode()
    assert first_line.count(";") == len(VERSION_HEADER) - 1
    assert raw.endswith(b"\r\n")
    assert report.file.name.endswith(".csv")


def test_the_csv_delimiter_can_be_a_comma(version, staff):
    report = make(Report.Format.CSV, version=version, delimiter=",", language="en")

    rows = csv_rows(report)

    assert rows[0] == VERSION_HEADER
    assert b";" not in content(report).split(b"\r\n")[0]


def test_the_header_is_in_the_reports_language(version, staff):
    dutch = csv_rows(make(Report.Format.CSV, version=version, language="nl"))[0]
    english = csv_rows(make(Report.Format.CSV, version=version, language="en"))[0]

    assert english == VERSION_HEADER
    assert dutch == header_in("nl", VERSION_HEADER)
    assert dutch[0] == "Personeelsnummer"
    assert dutch[3] == "Afdeling"


def test_one_row_per_person_with_status_time_and_the_full_hash(version, staff):
    report = make(Report.Format.CSV, version=version, language="en")

    rows = csv_rows(report)[1:]

    assert [row[0] for row in rows] == ["1001", "1002", "1003"]
    anna = rows[0]
    acknowledgement = Acknowledgement.objects.select_related("entry").get(employee=staff)
    assert anna[1] == "Anna Aalders"
    assert anna[2:5] == ["DIR", "Directie", "Signed"]
    signed_at = timezone.localtime(acknowledgement.signed_at).isoformat(timespec="seconds")
    assert anna[5] == signed_at
    assert datetime.datetime.fromisoformat(anna[5]).utcoffset() is not None
    assert anna[6] == acknowledgement.entry.record_hash
    assert len(anna[6]) == 64
    assert anna[7] == "1"
    assert rows[1][4:] == ["Not signed", "", "", "0"]
    assert rows[2][2:4] == ["AFD", "Afdeling Zuid"]


def test_the_status_label_is_in_the_reports_language(version, staff):
    report = make(Report.Format.CSV, version=version, language="nl")

    rows = csv_rows(report)[1:]

    with translation.override("nl"):
        assert rows[0][4] == str(data.Status.LABELS[data.Status.SIGNED])
        assert rows[1][4] == str(data.Status.LABELS[data.Status.NOT_SIGNED])


def test_a_campaign_csv_has_the_due_date_and_the_exemption(version):
    late = EmployeeFactory(employee_number="2001", last_name="Aalders")
    exempt = EmployeeFactory(employee_number="2002", last_name="Bakker")
    deadline = TODAY + datetime.timedelta(days=10)
    campaign = launched_campaign(version, deadline=deadline)
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=exempt), reason="Verlof", by=None
    )

    rows = csv_rows(make(Report.Format.CSV, campaign=campaign, language="en"))

    assert rows[0] == CAMPAIGN_HEADER
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["2001"][4:6] == ["Not started", deadline.isoformat()]
    assert by_number["2002"][4] == "Exempt"
    assert by_number["2002"][-1] == "Verlof"
    assert late.pk


def test_cells_that_would_be_formulas_are_guarded(version):
    department = DepartmentFactory(code="-X", name="+31 Afdeling")
    EmployeeFactory(
        employee_number="@1",
        first_name='=HYPERLINK("http://evil")',
        last_name="Aalders",
        department=department,
    )

    [row] = csv_rows(make(Report.Format.CSV, version=version, language="en"))[1:]

    assert row[0] == "'@1"
    assert row[1] == '\'=HYPERLINK("http://evil") Aalders'
    assert row[2:4] == ["'-X", "'+31 Afdeling"]


def test_progress_is_reported_as_the_rows_are_written(version):
    departments = [DepartmentFactory()]
    bulk_employees(120, departments)
    report = services.request_report(format=Report.Format.CSV, version=version, enqueue=False)
    scope = data.scope_of(report=report)
    calls: list[int] = []
    context = generation.ReportContext(
        report=report,
        generated_at=timezone.now(),
        generated_by="",
        ledger_ok=True,
        ledger_summary="OK",
        scope=scope,
        summary=data.summary(scope=scope),
        progress=calls.append,
    )

    render_tabular.render_csv(context, io.BytesIO())

    assert calls == [50, 100, 120]
    made = generation.generate(report_id=report.pk)
    assert (made.progress_done, made.progress_total, made.progress_percent) == (120, 120, 100)


# Excel ------------------------------------------------------------------------------------


def _as_csv_text(value, csv_cell: str) -> str:
    """An Excel cell's value as the CSV writes it (to compare the two)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return render_tabular.text_cell(value)


def test_the_workbook_has_a_summary_and_a_people_sheet_in_the_language(version, staff):
    english = workbook(make(Report.Format.XLSX, version=version, language="en"))
    dutch = workbook(make(Report.Format.XLSX, version=version, language="nl"))

    assert english.sheetnames == ["Summary", "People"]
    assert dutch.sheetnames == ["Samenvatting", "Medewerkers"]


def test_the_summary_sheet_has_the_cover_and_the_figures(version, staff, settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Gemeente Testdorp"
    report = make(Report.Format.XLSX, version=version, language="en")

    sheet = workbook(report)["Summary"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    facts = {row[0]: row[1] for row in rows if row and row[0] and len(row) > 1 and row[1]}

    assert facts["Municipality"] == "Gemeente Testdorp"
    assert facts["Report number"] == report.number
    assert facts["Scope"] == f"{version.guideline.title_in('en')}, version {version.number}"
    assert facts["Departments"] == "All departments"
    assert facts["Status on"].date() == TODAY
    assert facts["Ledger check"].startswith("OK: ")
    assert facts["Ledger check"].endswith(report.ledger_summary.rsplit(" ", 1)[-1])
    header_at = next(i for i, row in enumerate(rows) if row[0] == "Department code")
    assert rows[header_at][:8] == [
        "Department code",
        "Department",
        "Total",
        "Signed",
        "Not signed",
        "Overdue",
        "Exempt",
        "% signed",
    ]
    figures = [row[:8] for row in rows[header_at + 1 : header_at + 4]]
    assert figures[0][:7] == ["DIR", "Directie", 2, 1, 1, 0, 0]
    assert figures[0][7] == pytest.approx(0.5)
    assert figures[1][:7] == ["AFD", "Afdeling Zuid", 1, 0, 1, 0, 0]
    assert figures[2][:7] == [None, "All departments", 3, 1, 2, 0, 0]
    assert figures[2][7] == pytest.approx(1 / 3)


def test_the_people_sheet_has_the_csvs_rows_with_real_dates(version, staff):
    department = DepartmentFactory(code="ZZZ", name="=Elders")
    EmployeeFactory(employee_number="1004", last_name="Dekker", department=department)
    xlsx = make(Report.Format.XLSX, version=version, language="en")
    csv_report = make(Report.Format.CSV, version=version, language="en")

    sheet = workbook(xlsx)["People"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = csv_rows(csv_report)

    assert rows[0] == expected[0]
    assert len(rows) == len(expected) == 5
    for row, csv_row in zip(rows[1:], expected[1:], strict=True):
        assert [_as_csv_text(v, c) for v, c in zip(row, csv_row, strict=True)] == [
            c[:19] if c and c[:4].isdigit() and "T" in c else c for c in csv_row
        ]
    assert isinstance(rows[1][5], datetime.datetime)
    assert isinstance(rows[1][6], str) and len(rows[1][6]) == 64
    assert sheet.freeze_panes == "A2"
    assert isinstance(rows[1][7], int)  # times signed, a number
    assert sheet.auto_filter.ref == "A1:H5"
    assert sheet.column_dimensions["G"].width >= 64


def test_texts_in_the_workbook_are_never_formulas(version):
    department = DepartmentFactory(code="X", name="=1+1")
    EmployeeFactory(employee_number="#N/A", last_name="Aalders", department=department)

    sheet = workbook(make(Report.Format.XLSX, version=version, language="en"))["People"]
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]

    assert cells[0].value == "#N/A" and cells[0].data_type == "s"
    assert cells[3].value == "=1+1" and cells[3].data_type == "s"
    assert cells[3].quotePrefix


def test_a_campaign_workbook_has_due_dates_as_dates(version):
    EmployeeFactory(employee_number="3001")
    deadline = TODAY + datetime.timedelta(days=10)
    campaign = launched_campaign(version, deadline=deadline)

    sheet = workbook(make(Report.Format.XLSX, campaign=campaign, language="en"))["People"]
    rows = list(sheet.iter_rows(values_only=True))

    assert list(rows[0]) == CAMPAIGN_HEADER
    assert rows[1][5].date() == deadline


def test_a_broken_ledger_is_said_on_the_summary_sheet(version, staff):
    report = services.request_report(format=Report.Format.XLSX, version=version, enqueue=False)
    scope = data.scope_of(report=report)
    context = generation.ReportContext(
        report=report,
        generated_at=timezone.now(),
        generated_by="Hanna HR",
        ledger_ok=False,
        ledger_summary="NOT OK",
        ledger=VerificationResult(ok=False, checked=4, first_problem=(5, "hash mismatch in test")),
        scope=scope,
        summary=data.summary(scope=scope),
    )
    out = io.BytesIO()

    with translation.override("en"):
        render_tabular.render_xlsx(context, out)

    rows = load_workbook(io.BytesIO(out.getvalue()))["Samenvatting"].iter_rows(values_only=True)
    facts = {row[0]: row[1] for row in rows if row and len(row) > 1}
    assert facts[header_in("nl", ["Generated by"])[0]] == "Hanna HR"
    assert "5" in facts[header_in("nl", ["Ledger check"])[0]]
    assert "hash mismatch in test" in facts[header_in("nl", ["Ledger check"])[0]]
