"""Reports in a real browser: HR asks for a compliance report from the campaign
dashboard, corrects the form, sees it made and downloads it; the status page follows a
report that is being made by itself; HR asks for one employee's file. Every page passes
axe-core (WCAG 2.1 AA).

The UI is Dutch by default and the report texts are being translated: the journeys find
things by id and compare numbers, not sentences.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import axe_check, click_and_follow, login, path_of, visit
from reports.models import Report, ReportEvent

pytestmark = pytest.mark.e2e


@pytest.fixture
def version(transactional_db):
    from quizzes.tests.factories import quiz_version

    return quiz_version(tips=2)


@pytest.fixture
def campaign(transactional_db, version, employee, hr_with_totp):
    from campaigns.tests.factories import launched_campaign

    hr, _secret = hr_with_totp
    return launched_campaign(version, by=hr, name="Bevestiging 2026")


def _login_hr(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)
    return hr


def test_hr_requests_a_csv_report_from_the_dashboard_and_downloads_it(
    page, live_server, hr_with_totp, campaign
):
    hr = _login_hr(page, live_server, hr_with_totp)
    visit(page, reverse("campaigns:detail", args=[campaign.pk]))
    click_and_follow(page, "#compliance-report-link")
    assert path_of(page) == reverse("reports:create")
    expect(page.locator("#id_campaign")).to_have_value(str(campaign.pk))

    # A date in the future is refused; the summary takes the keyboard to the field.
    page.locator("#id_as_of").fill("2999-01-01")
    page.locator("#id_format_1").check()
    click_and_follow(page, "#request-report")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_as_of"]')).to_have_count(1)
    assert not Report.objects.exists()

    page.locator("#id_as_of").fill(timezone.localdate().isoformat())
    page.locator("#id_format_1").check()
    click_and_follow(page, "#request-report")
    report = Report.objects.get()
    assert path_of(page) == reverse("reports:detail", args=[report.pk])
    expect(page.locator("#download-link")).to_be_visible()
    expect(page.locator("#file-sha256")).to_have_text(report.file_sha256)

    with page.expect_download() as download:
        page.locator("#download-link").click()
    with open(download.value.path(), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert len(raw.decode("utf-8-sig").splitlines()) == 1 + campaign.assignments.count()
    event = report.events.get(kind=ReportEvent.Kind.DOWNLOADED)
    assert event.actor == hr

    visit(page, reverse("reports:list"))
    expect(page.locator(f"#report-{report.pk}")).to_be_visible()
    visit(page, reverse("reports:log"))


def test_the_status_page_follows_a_report_being_made(
    page, live_server, hr_with_totp, version, employee
):
    from reports import services
    from reports.services import generation

    hr = _login_hr(page, live_server, hr_with_totp)
    report = services.request_report(version=version, format="xlsx", by=hr, enqueue=False)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, progress_done=1, progress_total=4
    )
    visit(page, reverse("reports:detail", args=[report.pk]))
    expect(page.locator("#progress-bar")).to_have_attribute("aria-valuenow", "25")
    expect(page.locator("#report-status")).to_have_attribute("aria-live", "polite")

    Report.objects.filter(pk=report.pk).update(progress_done=3)
    expect(page.locator("#progress-bar")).to_have_attribute("aria-valuenow", "75", timeout=10_000)

    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED, progress_done=0)
    generation.generate(report_id=report.pk)
    expect(page.locator("#download-link")).to_be_visible(timeout=15_000)
    axe_check(page)


def test_hr_requests_an_individual_file_after_a_search(page, live_server, hr_with_totp, employee):
    employee.employee_number = "4711"
    employee.save()
    _login_hr(page, live_server, hr_with_totp)
    visit(page, reverse("reports:list"))
    click_and_follow(page, "#new-individual-file")
    page.locator("#id_q").fill(employee.last_name)
    click_and_follow(page, "#employee-search button[type=submit]")
    click_and_follow(page, '#search-results a[href*="personeelsnummer=4711"]')
    expect(page.locator("#id_employee_number")).to_have_value("4711")
    click_and_follow(page, "#request-file")
    report = Report.objects.get(kind=Report.Kind.INDIVIDUAL)
    assert report.employee == employee
    assert path_of(page) == reverse("reports:detail", args=[report.pk])
