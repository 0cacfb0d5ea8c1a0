"""Reports across two yearly rounds of one version.

2025: a campaign asks who has not signed version 1 (Signing.MISSING); Anna, Bert and
Cees sign it, Dirk does not. 2026: a round where everyone signs the same version again
(Signing.AGAIN); Anna and Bert read, pass the quiz and sign again, Cees and Dirk do
not. A campaign's report counts the signatures made for that campaign (the
assignment's own), so last year's report made again after this year's round has the
same rows and row hashes; a version's report shows each person's latest signature.
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign, signed_in_format_1
from campaigns import services as campaign_services
from campaigns.models import Campaign
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import at, day
from campaigns.tests.multi_guideline import second_version
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.models import Attempt
from quizzes.tests.factories import quiz_version
from reports import selectors as data
from reports import services
from reports.models import Report
from reports.services import generation
from reports.tests.yearly_support import signed_again, signed_last_year

pytestmark = pytest.mark.django_db

NUMBERS = ("1001", "1002", "1003", "1004")


def make(*, now=None, **kwargs) -> Report:
    """A report asked for and made at ``now`` (default: now)."""
    report = services.request_report(enqueue=False, language="en", now=now, **kwargs)
    report = generation.generate(report_id=report.pk, now=now)
    assert report.status == Report.Status.DONE, report.error
    return report


def content(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def csv_table(report: Report) -> list[dict[str, str]]:
    text = content(report).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def by_number(table: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Employee number"]: row for row in table}


def people_sheet(report: Report) -> list[tuple]:
    book = load_workbook(io.BytesIO(content(report)))
    return list(book["People"].iter_rows(values_only=True))


def pdf_text(report: Report) -> str:
    reader = PdfReader(io.BytesIO(content(report)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def local(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


@pytest.fixture
def story(db):
    """The two rounds, with last year's reports made before this year's round."""
    version = quiz_version(tips=2, effective_date=day(-500))
    department = DepartmentFactory(code="AFD", name="Afdeling")
    anna, bert, cees, dirk = (
        EmployeeFactory(
            employee_number=number, first_name=name, last_name="Test", department=department
        )
        for number, name in zip(NUMBERS, ("Anna", "Bert", "Cees", "Dirk"), strict=True)
    )
    everyone = [anna, bert, cees, dirk]
    last_year = launched_campaign(
        version,
        name="Jaarlijkse bevestiging 2025",
        start_date=day(-400),
        deadline=day(-370),
        audience="employees",
        employees=everyone,
        now=at(-400),
    )
    first = {
        person.employee_number: signed_last_year(person, version, moment=at(-390 + n))
        for n, person in enumerate((anna, bert, cees))
    }
    before = SimpleNamespace(
        csv=make(campaign=last_year, format=Report.Format.CSV, now=at(-360)),
        xlsx=make(campaign=last_year, format=Report.Format.XLSX, now=at(-360)),
    )
    campaign_services.close_campaign(campaign=last_year, by=None)
    this_year = launched_campaign(
        version,
        name="Jaarlijkse bevestiging 2026",
        start_date=day(-30),
        deadline=day(14),
        audience="employees",
        employees=everyone,
        signing=Campaign.Signing.AGAIN,
        now=at(-30),
    )
    again = {person.employee_number: signed_again(person, version) for person in (anna, bert)}
    return SimpleNamespace(
        version=version,
        last_year=last_year,
        this_year=this_year,
        first=first,
        again=again,
        before=before,
    )


def test_the_story_signs_each_round_for_its_own_campaign(story):
    """The setting the other tests rely on: each signature names its round."""
    rounds = {
        (record.employee_number, record.campaign_id)
        for record in Acknowledgement.objects.filter(version=story.version)
    }

    assert rounds == {
        ("1001", story.last_year.pk),
        ("1002", story.last_year.pk),
        ("1003", story.last_year.pk),
        ("1001", story.this_year.pk),
        ("1002", story.this_year.pk),
    }


def test_last_years_csv_made_again_after_this_years_round_has_the_same_rows(story):
    again = make(campaign=story.last_year, format=Report.Format.CSV)

    assert csv_table(again) == csv_table(story.before.csv)
    assert again.ledger_head_sequence != story.before.csv.ledger_head_sequence


def test_last_years_csv_keeps_last_years_dates_and_row_hashes(story):
    rows = by_number(csv_table(make(campaign=story.last_year, format=Report.Format.CSV)))

    for number, record in story.first.items():
        assert rows[number]["Status"] == "Signed"
        assert rows[number]["Signed at"] == local(record.signed_at)
        assert rows[number]["Record hash"] == record.entry.record_hash
    assert rows["1004"]["Status"] == "Overdue"
    assert rows["1004"]["Record hash"] == ""


def test_last_years_workbook_made_again_after_this_years_round_has_the_same_people(story):
    again = make(campaign=story.last_year, format=Report.Format.XLSX)

    people = people_sheet(again)
    assert people == people_sheet(story.before.xlsx)
    hashes = {row[0]: row[people[0].index("Record hash")] for row in people[1:]}
    assert hashes == {
        "1001": story.first["1001"].entry.record_hash,
        "1002": story.first["1002"].entry.record_hash,
        "1003": story.first["1003"].entry.record_hash,
        "1004": None,
    }


def test_last_years_report_made_again_for_its_own_date_has_the_same_rows(story):
    as_of = timezone.localdate(at(-360))

    again = make(campaign=story.last_year, format=Report.Format.CSV, as_of=as_of)

    assert csv_table(again) == csv_table(story.before.csv)


def test_this_years_csv_counts_only_the_signatures_made_for_this_round(story):
    rows = by_number(csv_table(make(campaign=story.this_year, format=Report.Format.CSV)))

    for number, record in story.again.items():
        assert rows[number]["Status"] == "Signed"
        assert rows[number]["Signed at"] == local(record.signed_at)
        assert rows[number]["Record hash"] == record.entry.record_hash
    # Cees signed the version last year only: not for this round.
    assert rows["1003"]["Status"] == "Not started"  # this round's reading and quiz
    assert rows["1003"]["Signed at"] == ""
    assert rows["1003"]["Record hash"] == ""
    assert rows["1004"]["Status"] == "Not started"


def test_this_years_figures_count_only_the_signatures_made_for_this_round(story):
    report = services.request_report(campaign=story.this_year, enqueue=False)

    figures = data.summary(scope=data.scope_of(report=report)).overall

    assert (figures.total, figures.signed, figures.overdue, figures.exempt) == (4, 2, 0, 0)


@override_settings(REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True)
def test_last_years_pdf_made_again_names_last_years_hashes_only(story):
    report = make(campaign=story.last_year, format=Report.Format.PDF)
    # The cover names the ledger's head (this year's last signature): not a row.
    text = pdf_text(report).replace(" ", "").replace(report.ledger_head_hash, "")

    for record in story.first.values():
        assert record.entry.record_hash in text
    for record in story.again.values():
        assert record.entry.record_hash not in text


@override_settings(REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True)
def test_this_years_pdf_names_this_years_hashes_only(story):
    text = pdf_text(make(campaign=story.this_year, format=Report.Format.PDF)).replace(" ", "")

    for record in story.again.values():
        assert record.entry.record_hash in text
    for record in story.first.values():
        assert record.entry.record_hash not in text


def test_the_version_csv_shows_each_persons_latest_signature(story):
    rows = by_number(csv_table(make(version=story.version, format=Report.Format.CSV)))

    latest = {**story.first, **story.again}
    for number, record in latest.items():
        assert rows[number]["Status"] == "Signed"
        assert rows[number]["Signed at"] == local(record.signed_at)
        assert rows[number]["Record hash"] == record.entry.record_hash
    assert rows["1004"]["Status"] == "Not signed"


def test_the_version_csv_says_how_many_times_each_person_signed(story):
    rows = by_number(csv_table(make(version=story.version, format=Report.Format.CSV)))

    assert {number: rows[number]["Times signed"] for number in NUMBERS} == {
        "1001": "2",
        "1002": "2",
        "1003": "1",
        "1004": "0",
    }


def test_the_version_workbook_shows_this_years_date_for_who_signed_again(story):
    people = people_sheet(make(version=story.version, format=Report.Format.XLSX))

    header = people[0]
    signed_on = {row[0]: row[header.index("Signed at")] for row in people[1:]}
    assert signed_on["1001"].year == timezone.localtime(story.again["1001"].signed_at).year
    assert signed_on["1001"].date() == timezone.localdate(story.again["1001"].signed_at)
    assert signed_on["1003"].date() == timezone.localdate(story.first["1003"].signed_at)
    assert signed_on["1004"] is None


def test_a_version_report_for_a_date_before_this_years_round_shows_last_years_signature(story):
    rows = by_number(
        csv_table(
            make(
                version=story.version,
                format=Report.Format.CSV,
                as_of=timezone.localdate(at(-360)),
            )
        )
    )

    assert rows["1001"]["Signed at"] == local(story.first["1001"].signed_at)
    assert rows["1001"]["Times signed"] == "1"


def test_the_rows_stay_one_query_across_rounds(story, django_assert_num_queries):
    scopes = [
        data.scope_of(report=services.request_report(enqueue=False, **kwargs))
        for kwargs in (
            {"campaign": story.last_year},
            {"campaign": story.this_year},
            {"version": story.version},
        )
    ]

    for scope in scopes:
        with django_assert_num_queries(1):
            assert len(list(data.rows(scope=scope))) == 4


def test_last_years_report_for_its_own_date_ignores_a_first_signature_this_year(story):
    """Dirk never signed last year; his first signature, this year, completes last
    year's open assignment (any signature does there) from its date on: the report for
    last year's date does not change."""
    signed_again(Employee.objects.get(employee_number="1004"), story.version)

    again = make(
        campaign=story.last_year,
        format=Report.Format.CSV,
        as_of=timezone.localdate(at(-360)),
    )

    assert csv_table(again) == csv_table(story.before.csv)


def test_a_combined_report_gives_each_guideline_the_code_of_its_own_rounds_signature():
    """Two guidelines, two rounds: Eva signs both in 2025 and only the first again in
    2026. The 2026 combined report has the first's code of 2026 and the second open; the
    2025 one, made again, both codes of 2025."""
    social = quiz_version(tips=2, effective_date=day(-500))
    home = second_version(tips=2, effective_date=day(-500))
    eva = EmployeeFactory(employee_number="2001", first_name="Eva", last_name="Test")
    common = {"audience": "employees", "employees": [eva]}
    last_year = launched_campaign(
        [social, home], start_date=day(-400), deadline=day(-370), now=at(-400), **common
    )
    first = [signed_last_year(eva, version, moment=at(-390)) for version in (social, home)]
    campaign_services.close_campaign(campaign=last_year, by=None)
    this_year = launched_campaign(
        [social, home],
        start_date=day(-30),
        deadline=day(14),
        now=at(-30),
        signing=Campaign.Signing.AGAIN,
        **common,
    )
    again = signed_again(eva, social)

    def codes_and_statuses(campaign) -> list[str]:
        [row] = csv_table(make(campaign=campaign, format=Report.Format.CSV))
        return [
            value for key, value in row.items() if key.startswith(("Verification code:", "Status:"))
        ]

    social_status, social_code, home_status, home_code = codes_and_statuses(this_year)
    assert (social_status, social_code) == ("Signed", again.entry.verification_code)
    assert home_status == "Not started"  # signed in 2025 only
    assert home_code == ""
    assert codes_and_statuses(last_year) == [
        "Signed",
        first[0].entry.verification_code,
        "Signed",
        first[1].entry.verification_code,
    ]


def test_the_ledger_still_verifies_after_both_rounds_and_their_reports(story):
    make(campaign=story.last_year, format=Report.Format.CSV)

    result = verify_chain()

    assert result.ok, result.first_problem
    assert result.checked == 5  # three signatures in 2025, two in 2026


def test_a_signature_from_before_rounds_were_recorded_still_counts_for_its_campaign():
    """Existing entries are never rewritten: a signature in the ledger's first format
    names no campaign, and the assignment it completed keeps it. Last year's report made
    again after this year's round still shows it; this year's does not."""
    version = quiz_version(tips=2, effective_date=day(-500))
    frank = EmployeeFactory(employee_number="3001", first_name="Frank", last_name="Test")
    common = {"audience": "employees", "employees": [frank]}
    # Signed under the code before rounds (no campaign in it); the campaign it answered
    # is launched afterwards here, so that the signing names none, as that code did.
    old = signed_in_format_1(frank, ready_to_sign(frank, version), now=at(-390))
    last_year = launched_campaign(
        version, start_date=day(-400), deadline=day(-370), now=at(-400), **common
    )
    hash_then = old.entry.record_hash
    TipRead.objects.filter(employee=frank).update(first_opened_at=at(-390), last_opened_at=at(-390))
    Attempt.objects.filter(employee=frank).update(started_at=at(-390), submitted_at=at(-390))
    campaign_services.close_campaign(campaign=last_year, by=None)
    this_year = launched_campaign(
        version,
        start_date=day(-30),
        deadline=day(14),
        now=at(-30),
        signing=Campaign.Signing.AGAIN,
        **common,
    )
    signed_again(frank, version)

    [last_row] = csv_table(make(campaign=last_year, format=Report.Format.CSV))
    [this_row] = csv_table(make(campaign=this_year, format=Report.Format.CSV))

    assert old.campaign_id is None
    assert (last_row["Status"], last_row["Record hash"]) == ("Signed", hash_then)
    assert this_row["Record hash"] not in ("", hash_then)
    assert LedgerEntry.objects.get(pk=old.pk).record_hash == hash_then
