"""A campaign's compliance report breaks the figures down as the dashboards do (not
started, reading, quiz not passed yet, quiz passed, signed, overdue, exempt), as they
stood on the report's date, and they add up to the total: the summary, each row's
status in CSV, Excel and PDF, on the data set counted by hand in
campaigns.tests.hand_counted."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import Assignment
from campaigns.selectors import today, with_status
from campaigns.tests.hand_counted import (
    BY_NAME,
    HAND_COUNTED,
    IN_PROGRESS,
    TOTAL,
    hand_counted_world,
)
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt
from reports import selectors as data
from reports import services
from reports.models import Report
from reports.services import generation

pytestmark = pytest.mark.django_db

Status = Assignment.Status


@pytest.fixture
def world(db):
    return hand_counted_world(quiz_version(tips=3))


def scope(campaign, **kwargs) -> data.Scope:
    kwargs.setdefault("as_of", today())
    return data.Scope(
        version=None, campaign=campaign, subjects=data.subjects_of(campaign=campaign), **kwargs
    )


def make(campaign, report_format: str) -> bytes:
    report = services.request_report(
        enqueue=False, language="en", campaign=campaign, format=report_format
    )
    report = generation.generate(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def label(status: str) -> str:
    """A status as an English report names it."""
    with translation.override("en"):
        return str(data.Status.LABELS[status])


def test_the_summary_has_the_hand_counted_numbers_and_they_add_up(world):
    campaign, _people = world

    overall = data.summary(scope=scope(campaign)).overall

    found = {status: getattr(overall, status) for status in HAND_COUNTED}
    assert found == HAND_COUNTED
    assert overall.total == TOTAL == sum(found.values())
    assert overall.open == IN_PROGRESS


def test_a_report_on_one_guideline_counts_the_same(world):
    campaign, _people = world
    subject = data.subjects_of(campaign=campaign)[0]
    one_guideline = data.Scope(
        version=subject.version,
        campaign=campaign,
        guideline=subject.guideline,
        subjects=(subject,),
        as_of=today(),
    )

    summary = data.summary(scope=one_guideline)

    assert {status: getattr(summary.overall, status) for status in HAND_COUNTED} == HAND_COUNTED
    assert [d.total for d in summary.departments] == [TOTAL]


def test_each_rows_status_is_the_dashboards(world):
    campaign, _people = world

    rows = {row["first_name"]: row["status"] for row in data.rows(scope=scope(campaign))}
    dashboard = dict(
        with_status(assignments=campaign.assignments.all(), on=today()).values_list(
            "employee__first_name", "status"
        )
    )

    assert rows == dashboard == BY_NAME


def test_a_report_on_an_earlier_date_shows_the_progress_of_that_date(world):
    """The facts count as they stood at the end of the date: a quiz failed today is not
    there in yesterday's report (last year's report made again stays the same)."""
    campaign, people = world
    Assignment.objects.filter(campaign=campaign).update(
        added_at=timezone.now() - datetime.timedelta(days=3)
    )
    yesterday = today() - datetime.timedelta(days=1)
    late = EmployeeFactory(first_name="Mia", department=people["Anna"].department)
    Assignment.objects.create(
        campaign=campaign,
        employee=late,
        guideline=campaign.subjects.get().guideline,
        version=campaign.subjects.get().version,
        due_date=today() + datetime.timedelta(days=30),
        reason=Assignment.Reason.JOINED,
        added_at=timezone.now() - datetime.timedelta(days=3),
    )
    submitted_attempt(employee=late, version=campaign.subjects.get().version, right=False)

    then = {r["first_name"]: r["status"] for r in data.rows(scope=scope(campaign, as_of=yesterday))}
    now = {r["first_name"]: r["status"] for r in data.rows(scope=scope(campaign))}

    assert (then["Mia"], now["Mia"]) == (data.Status.NOT_STARTED, data.Status.QUIZ_FAILED)
    assert then["Frank"] == data.Status.NOT_STARTED  # failed today too
    assert now["Frank"] == data.Status.QUIZ_FAILED


def test_a_combined_row_is_its_guidelines_least_progress():
    combine = data.combined_status

    assert combine(statuses=[data.Status.SIGNED, data.Status.QUIZ_FAILED]) == "quiz_failed"
    assert combine(statuses=[data.Status.QUIZ_PASSED, data.Status.READING]) == "reading"
    assert combine(statuses=[data.Status.QUIZ_FAILED, data.Status.OVERDUE]) == "overdue"
    assert combine(statuses=[data.Status.EXEMPT, data.Status.NOT_STARTED]) == "not_started"
    assert combine(statuses=[data.Status.EXEMPT, data.Status.SIGNED]) == "signed"


def test_the_csv_status_column_has_the_hand_counted_numbers(world):
    campaign, _people = world

    text = make(campaign, Report.Format.CSV).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))

    assert Counter(row["Status"] for row in table) == {
        label(status): number for status, number in HAND_COUNTED.items()
    }
    assert len(table) == TOTAL


def test_the_excel_summary_breaks_the_open_ones_down(world):
    campaign, _people = world

    book = load_workbook(io.BytesIO(make(campaign, Report.Format.XLSX)))
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if any(row)]
    header = next(row for row in summary if row[0] == "Department code")
    department = dict(zip(header, next(row for row in summary if row[0] == "BZ"), strict=True))
    people = list(book["People"].iter_rows(values_only=True))

    expected = {label(status): number for status, number in HAND_COUNTED.items()}
    assert {name: department[name] for name in expected} == expected
    assert department["Total"] == TOTAL
    assert Counter(row[4] for row in people[1:]) == {
        label(status): number for status, number in HAND_COUNTED.items()
    }


@override_settings(REPORTS_SIGNING_CERTIFICATE="", REPORTS_SELF_SIGNED=True)
def test_the_pdf_summary_breaks_the_open_ones_down(world):
    campaign, _people = world

    reader = PdfReader(io.BytesIO(make(campaign, Report.Format.PDF)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "Not yet signed, not yet due 7 63.6" in text
    assert "– Not started 2 18.2 – Reading 2 18.2" in text
    assert "– Quiz not passed yet 2 18.2 – Quiz passed 1 9.1" in text
    assert text.count("Quiz not passed yet") == 1 + 2  # the summary and two rows


def test_with_two_guidelines_the_report_dashboard_and_people_list_agree(world, hr_client):
    """A second guideline asked of everyone, with its own progress: each employee's
    combined status is the same in the report, the combined rule and the dashboard's
    counts, and every count adds up to the total."""
    from django.urls import reverse

    from acknowledgements.tests.factories import read_all_tips, ready_to_sign
    from campaigns import services as campaign_services
    from campaigns.selectors import combined
    from campaigns.tests.hr_support import sign
    from campaigns.tests.multi_guideline import second_version, with_guideline

    campaign, people = world
    home = second_version(tips=2)
    with_guideline(campaign, home)
    sign(people["Anna"], home)
    ready_to_sign(people["Cor"], home, passed=False)
    read_all_tips(people["Dirk"], home, except_numbers=[2])
    sign(people["Ilse"], home)
    sign(people["Jan"], home)
    campaign_services.exempt(
        assignment=campaign.assignments.get(employee=people["Karin"], guideline=home.guideline),
        reason="Verlof",
        by=EmployeeFactory(hr=True),
    )

    report = {row["first_name"]: row["status"] for row in data.rows(scope=scope(campaign))}
    rule = {
        row["employee__first_name"]: row["status"]
        for row in combined.combined_status(
            assignments=campaign.assignments.all(), on=today()
        ).values("employee__first_name", "status")
    }
    figures = hr_client.get(reverse("campaigns:detail", args=[campaign.pk])).context["figures"]
    url = reverse("campaigns:people", args=[campaign.pk])
    listed = {
        status: hr_client.get(url, {"status": status}).context["paginator"].count
        for status in Status.values
    }

    assert report == rule
    assert rule["Anna"] == Status.NOT_STARTED  # signed the second, nothing of the first
    assert rule["Cor"] == Status.READING  # reading the first, failed the second's quiz
    assert rule["Hans"] == Status.NOT_STARTED  # passed the first quiz, nothing of the second
    assert rule["Ilse"] == Status.SIGNED and rule["Karin"] == Status.EXEMPT
    counted = Counter(rule.values())
    assert {status: figures[status] for status in Status.values} == {
        status: counted.get(status, 0) for status in Status.values
    }
    assert listed == {status: counted.get(status, 0) for status in Status.values}
    assert figures["total"] == sum(listed.values()) == TOTAL
    summary = data.summary(scope=scope(campaign)).overall
    assert {status: getattr(summary, status) for status in Status.values} == listed
