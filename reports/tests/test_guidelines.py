"""Reports on a campaign of more than one guideline: on one guideline (today's layout,
naming it) or on all of them combined (a row per employee, a column per guideline and
the combined status), in CSV, Excel and PDF; and the command line's --guideline."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from acknowledgements.models import Acknowledgement
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.tests.factories import launched_campaign
from campaigns.tests.multi_guideline import second_version, with_guideline
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import one as one_element
from portal.testing.html import parse, text_of
from quizzes.tests.factories import quiz_version
from reports import selectors as data
from reports import services
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.services import generation

pytestmark = pytest.mark.django_db

SOCIAL = "Handreiking gebruik sociale media"
HOME = "EN Handreiking thuiswerken"  # the second guideline's English title


@pytest.fixture
def world(db):
    """A campaign of two guidelines. Anna signed both; Bert only the first; Cees the
    first and is exempt from the second; Dirk is asked only the first and signed none."""
    social = quiz_version(tips=2)
    home = second_version(tips=2)
    department = DepartmentFactory(code="AFD", name="Afdeling")
    anna, bert, cees, dirk = (
        EmployeeFactory(
            employee_number=number, first_name=name, last_name="Test", department=department
        )
        for number, name in (("1001", "Anna"), ("1002", "Bert"), ("1003", "Cees"), ("1004", "Dirk"))
    )
    hr = EmployeeFactory(employee_number="9999", department=None)
    campaign = launched_campaign(social, employees=[anna, bert, cees, dirk], audience="employees")
    with_guideline(campaign, home, employees=[anna, bert, cees])
    for person in (anna, bert, cees):
        signed(person, ready_to_sign(person, social))
    signed(anna, ready_to_sign(anna, home))
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=cees, guideline=home.guideline),
        reason="Werkt niet thuis",
        by=hr,
    )
    return {
        "campaign": campaign,
        "social": social,
        "home": home,
        "people": {p.employee_number: p for p in (anna, bert, cees, dirk)},
    }


def make(**kwargs) -> Report:
    report = services.request_report(enqueue=False, language="en", **kwargs)
    report = generation.generate(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    return report


def content(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def csv_table(raw: bytes, delimiter: str = ";") -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def code_of(employee, version) -> str:
    return Acknowledgement.objects.get(employee=employee, version=version).entry.verification_code


def test_a_report_on_all_guidelines_records_that_it_covers_them_all(world):
    report = services.request_report(campaign=world["campaign"], enqueue=False)

    assert report.guideline is None
    assert data.scope_of(report=report).combined


def test_a_report_on_one_guideline_records_that_guideline(world):
    home = world["home"].guideline

    report = services.request_report(campaign=world["campaign"], guideline=home, enqueue=False)

    assert report.guideline == home
    assert report.events.get().details["guideline"] == home.slug


def test_a_guideline_the_campaign_does_not_cover_is_refused(world):
    other = second_version(slug="privacy", title="Privacy").guideline

    with pytest.raises(services.ReportError):
        services.request_report(campaign=world["campaign"], guideline=other, enqueue=False)


def test_the_combined_status_is_signed_only_when_every_guideline_is_signed_or_exempt():
    signed_, exempt, open_, overdue = (
        data.Status.SIGNED,
        data.Status.EXEMPT,
        data.Status.NOT_STARTED,
        data.Status.OVERDUE,
    )

    assert data.combined_status(statuses=[signed_, signed_]) == signed_
    assert data.combined_status(statuses=[signed_, exempt]) == signed_
    assert data.combined_status(statuses=[signed_, open_]) == open_
    assert data.combined_status(statuses=[signed_, overdue]) == overdue
    assert data.combined_status(statuses=[exempt, exempt]) == exempt


def test_the_combined_csv_has_a_status_date_and_code_column_per_guideline(world):
    people = world["people"]
    social, home = world["social"], world["home"]

    table = csv_table(content(make(campaign=world["campaign"], format=Report.Format.CSV)))
    rows = {row["Employee number"]: row for row in table}

    assert list(table[0]) == [
        "Employee number",
        "Name",
        "Department code",
        "Department",
        f"Status: {SOCIAL}",
        f"Signed at: {SOCIAL}",
        f"Verification code: {SOCIAL}",
        f"Status: {HOME}",
        f"Signed at: {HOME}",
        f"Verification code: {HOME}",
        "Combined status",
    ]
    assert sorted(rows) == ["1001", "1002", "1003", "1004"]  # one row per employee
    anna, bert, cees, dirk = (rows[n] for n in ("1001", "1002", "1003", "1004"))
    assert anna[f"Status: {HOME}"] == "Signed"
    assert anna[f"Verification code: {HOME}"] == code_of(people["1001"], home)
    assert anna[f"Verification code: {SOCIAL}"] == code_of(people["1001"], social)
    assert anna[f"Signed at: {HOME}"] != ""
    assert anna["Combined status"] == "Signed"
    assert bert[f"Status: {SOCIAL}"] == "Signed"
    assert bert[f"Status: {HOME}"] == "Not started"
    assert bert[f"Verification code: {HOME}"] == ""
    assert bert["Combined status"] == "Not started"
    assert cees[f"Status: {HOME}"] == "Exempt"
    assert cees["Combined status"] == "Signed"
    assert dirk[f"Status: {HOME}"] == "Not asked"
    assert dirk["Combined status"] == "Not started"


def test_a_csv_on_one_guideline_keeps_todays_layout_with_only_its_assignments(world):
    report = make(
        campaign=world["campaign"], guideline=world["home"].guideline, format=Report.Format.CSV
    )

    table = csv_table(content(report))
    statuses = {row["Employee number"]: row["Status"] for row in table}

    assert statuses == {"1001": "Signed", "1002": "Not started", "1003": "Exempt"}
    assert "Reason for the exemption" in table[0]


def test_the_combined_workbook_has_the_guideline_columns_and_figures_per_guideline(world):
    report = make(campaign=world["campaign"], format=Report.Format.XLSX)

    book = load_workbook(io.BytesIO(content(report)))
    people = list(book["People"].iter_rows(values_only=True))
    header, rows = people[0], {row[0]: row for row in people[1:]}
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if any(row)]
    facts = {row[0]: row[1] for row in summary if row[0] and row[1]}

    status_home = header.index(f"Status: {HOME}")
    combined = header.index("Combined status")
    assert rows["1001"][status_home] == "Signed"
    assert rows["1003"][status_home] == "Exempt"
    assert rows["1004"][status_home] == "Not asked"
    assert [rows[n][combined] for n in ("1001", "1002", "1003", "1004")] == [
        "Signed",
        "Not started",
        "Signed",
        "Not started",
    ]
    assert SOCIAL in facts["Scope"] and HOME in facts["Scope"]
    per_guideline = {row[0]: row for row in summary if row[0] in (SOCIAL, HOME)}
    # Guideline, -, total, signed, not signed, overdue, exempt, share.
    assert per_guideline[SOCIAL][2:7] == (4, 3, 1, 0, 0)
    assert per_guideline[HOME][2:7] == (3, 1, 1, 0, 1)


@override_settings(REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True)
def test_the_combined_pdf_names_both_guidelines_with_a_column_each(world):
    report = make(campaign=world["campaign"], format=Report.Format.PDF)

    reader = PdfReader(io.BytesIO(content(report)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "all guidelines combined" in text
    assert f"{SOCIAL} (version 1)" in text
    assert f"{HOME} (version 1)" in text
    assert "Combined status" in text
    assert "Per guideline" in text
    assert "Not asked" in text  # Dirk, in the second guideline's column
    assert "thuiswerken" in text  # the appendix names the guideline of each hash


@override_settings(REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True)
def test_the_combined_pdf_of_many_guidelines_is_turned_to_landscape(world):
    for slug in ("privacy", "integriteit"):
        with_guideline(world["campaign"], second_version(slug=slug, title=slug.title(), tips=1))

    report = make(campaign=world["campaign"], format=Report.Format.PDF)

    page = PdfReader(io.BytesIO(content(report))).pages[0]
    assert page.mediabox.width > page.mediabox.height


def test_the_form_refuses_a_guideline_of_another_campaign(world):
    other = second_version(slug="privacy", title="Privacy")
    launched_campaign(other, name="Privacyronde")
    form = ReportRequestForm(
        data={
            "basis": "campaign",
            "campaign": world["campaign"].pk,
            "guideline": "privacy",
            "as_of": "2026-01-01",
            "format": "csv",
            "language": "en",
            "delimiter": ";",
        }
    )

    assert not form.is_valid()
    assert "guideline" in form.errors


def test_the_form_asks_for_one_guideline_or_all(world):
    form = ReportRequestForm(
        data={
            "basis": "campaign",
            "campaign": world["campaign"].pk,
            "guideline": "thuiswerken",
            "as_of": "2026-01-01",
            "format": "csv",
            "language": "en",
            "delimiter": ";",
        }
    )

    assert form.is_valid(), form.errors
    assert form.service_arguments()["guideline"] == world["home"].guideline


def test_the_command_makes_a_report_on_one_guideline_or_all(tmp_path, world):
    one, everything = tmp_path / "one.csv", tmp_path / "all.csv"
    common = ["--campaign", str(world["campaign"].pk), "--format", "csv", "--language", "en"]

    call_command(
        "export_compliance_report",
        *common,
        "--guideline",
        "thuiswerken",
        "--output",
        str(one),
        stdout=io.StringIO(),
    )
    call_command(
        "export_compliance_report",
        *common,
        "--guideline",
        "all",
        "--output",
        str(everything),
        stdout=io.StringIO(),
    )

    assert [row["Employee number"] for row in csv_table(one.read_bytes())] == [
        "1001",
        "1002",
        "1003",
    ]
    assert "Combined status" in csv_table(everything.read_bytes())[0]
    assert list(Report.objects.order_by("pk").values_list("guideline__slug", flat=True)) == [
        "thuiswerken",
        None,
    ]


def test_the_command_refuses_an_unknown_guideline(tmp_path, world):
    with pytest.raises(CommandError, match="no guideline"):
        call_command(
            "export_compliance_report",
            "--campaign",
            str(world["campaign"].pk),
            "--guideline",
            "bestaat-niet",
            "--output",
            str(tmp_path / "x.csv"),
        )


def test_the_command_needs_the_guideline_when_two_have_that_version_number(tmp_path, world):
    with pytest.raises(CommandError, match="--guideline"):
        call_command(
            "export_compliance_report", "--version", "1", "--output", str(tmp_path / "x.csv")
        )


@override_settings(
    REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True, REPORTS_PDF_PART_ROWS=2
)
def test_a_combined_pdf_made_in_parts_lists_everyone_with_both_guidelines(world):
    from reports.pdf import render

    with render.pdf_method(render.PARTS):
        report = make(campaign=world["campaign"], format=Report.Format.PDF)

    reader = PdfReader(io.BytesIO(content(report)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert all(number in text for number in ("1001", "1002", "1003", "1004"))
    assert f"{SOCIAL} (version 1)" in text and f"{HOME} (version 1)" in text
    assert "Combined status" in text


def test_the_report_pages_say_which_guideline_a_report_is_on(client, world, settings):
    settings.PORTAL_MFA_REQUIRED = False
    combined = services.request_report(campaign=world["campaign"], enqueue=False)
    one = services.request_report(
        campaign=world["campaign"], guideline=world["home"].guideline, enqueue=False
    )
    Report.objects.filter(pk=one.pk).update(status=Report.Status.REMOVED)  # "request again"
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    combined_page = client.get(reverse("reports:detail", args=[combined.pk]))
    one_page = client.get(reverse("reports:detail", args=[one.pk]))

    assert "all guidelines combined" in text_of(parse(combined_page), "#report-scope")
    assert HOME in text_of(parse(one_page), "#report-scope")
    again = one_element(parse(one_page), "#request-again").attributes["href"]
    assert again.endswith(f"?campagne={world['campaign'].pk}&handreiking=thuiswerken")
    form = client.get(again).context["form"]
    assert form.initial["guideline"] == "thuiswerken"
