"""The report pages: who may open them, asking for a report (and what is refused), the
background task and the status page, the download and its log, one employee's file."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from campaigns.models import Campaign
from campaigns.tests.factories import draft_campaign, launched_campaign
from handbook.models import GuidelineVersion
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, error_summary, links, parse, select, text
from quizzes.tests.factories import quiz_version
from reports import services
from reports.models import Report, ReportEvent
from reports.services import generation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=2)


def made(format=Report.Format.CSV, **kwargs) -> Report:
    report = services.request_report(format=format, enqueue=False, **kwargs)
    return generation.generate(report_id=report.pk)


def form_data(**overrides) -> dict:
    data = {
        "basis": "version",
        "campaign": "",
        "version": "",
        "as_of": TODAY.isoformat(),
        "format": "csv",
        "language": "en",
        "delimiter": ";",
    }
    data.update(overrides)
    return data


# Who may open the pages -------------------------------------------------------------------


def test_the_report_pages_live_under_rapportages():
    assert reverse("reports:list") == "/rapportages/"
    assert reverse("reports:create") == "/rapportages/nieuw/"
    assert reverse("reports:individual") == "/rapportages/dossier/"
    assert reverse("reports:log") == "/rapportages/logboek/"
    assert reverse("reports:detail", args=[4]) == "/rapportages/4/"
    assert reverse("reports:status", args=[4]) == "/rapportages/4/status/"
    assert reverse("reports:download", args=[4]) == "/rapportages/4/download/"


@pytest.fixture
def urls(version):
    EmployeeFactory()
    report = made(version=version)
    return [
        reverse("reports:list"),
        reverse("reports:create"),
        reverse("reports:individual"),
        reverse("reports:log"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:status", args=[report.pk]),
        reverse("reports:download", args=[report.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/account/login/" in response["Location"]
    assert client.post(reverse("reports:create"), form_data()).status_code == 302
    assert not ReportEvent.objects.filter(kind=ReportEvent.Kind.DOWNLOADED).exists()


def _manager():
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    return manager


@pytest.mark.parametrize("role", ["employee", "manager", "editor"])
def test_employees_managers_and_editors_are_refused_everywhere(client, urls, version, role):
    user = {
        "employee": EmployeeFactory,
        "manager": _manager,
        "editor": lambda: EmployeeFactory(editor=True),
    }[role]()
    client.force_login(user)

    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:create"), form_data(version=version.pk)).status_code == 403
    assert Report.objects.count() == 1
    assert not ReportEvent.objects.filter(kind=ReportEvent.Kind.DOWNLOADED).exists()


@pytest.mark.parametrize("role", ["hr", "auditor", "administrator"])
def test_hr_auditors_and_administrators_may_open_every_page(client, urls, role):
    client.force_login(EmployeeFactory(**{role: True}))

    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_menu_links_to_the_reports_for_those_who_may_export(client, hr_client):
    page = parse(hr_client.get(reverse("home")))
    assert reverse("reports:list") in links(page, "nav.portal-nav")

    client.force_login(EmployeeFactory())
    assert reverse("reports:list") not in links(parse(client.get(reverse("home"))))


def test_the_campaign_dashboard_links_to_a_report_on_the_campaign(hr_client, version):
    EmployeeFactory()
    campaign = launched_campaign(version)

    page = parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk])))

    link = f"{reverse('reports:create')}?campagne={campaign.pk}"
    assert link in links(page)
    form = hr_client.get(link).context["form"]
    assert form.initial["basis"] == "campaign"
    assert form.initial["campaign"] == campaign.pk


# The list ---------------------------------------------------------------------------------


def test_the_list_says_when_there_are_no_reports(hr_client):
    response = hr_client.get(reverse("reports:list"))

    assert 'id="no-reports"' in response.content.decode()


def test_the_list_shows_reports_newest_first_with_status_and_scope(hr_client, version, hr_user):
    EmployeeFactory()
    older = made(version=version, by=hr_user, now=timezone.now() - datetime.timedelta(hours=1))
    waiting = services.request_report(
        version=version, by=hr_user, departments=[DepartmentFactory(name="Burgerzaken")]
    )

    response = hr_client.get(reverse("reports:list"))

    assert [report.pk for report in response.context["reports"]] == [waiting.pk, older.pk]
    page = response.content.decode()
    assert "Ready" in page and "Waiting" in page
    assert "0% done" in page
    assert "Burgerzaken" in page
    assert f"Guideline version {version.number}" in page
    assert escape(hr_user.full_name) in page  # a name may hold an apostrophe


def _reports(count: int, version, campaign, by) -> None:
    departments = [DepartmentFactory(), DepartmentFactory()]
    for index in range(count):
        services.request_report(
            version=version if index % 2 else None,
            campaign=None if index % 2 else campaign,
            departments=departments,
            format=Report.Format.CSV,
            by=by,
            enqueue=False,
        )


# session, user, permissions (2), count, page, the page's departments, the menu's roles (2)
LIST_QUERIES = 9


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_the_same_queries_whatever_the_number_of_reports(
    hr_client, hr_user, version, count, django_assert_num_queries
):
    EmployeeFactory()
    _reports(count, version, launched_campaign(version), hr_user)

    with django_assert_num_queries(LIST_QUERIES):
        response = hr_client.get(reverse("reports:list"))

    assert response.status_code == 200
    assert len(response.context["reports"]) == min(count, 20)


def test_the_list_is_paginated_with_pagina(hr_client, hr_user, version):
    _reports(25, version, launched_campaign(version), hr_user)

    response = hr_client.get(reverse("reports:list"), {"pagina": 2})

    assert len(response.context["reports"]) == 5
    assert "Page 2 of 2" in response.content.decode()


# Asking for a report ----------------------------------------------------------------------


def test_the_form_offers_running_and_closed_campaigns_and_published_or_retired_versions(
    hr_client, version
):
    running = launched_campaign(version, name="Loopt")
    closed = launched_campaign(version, name="Dicht")
    Campaign.objects.filter(pk=closed.pk).update(status=Campaign.Status.CLOSED)
    draft = draft_campaign(version, name="Concept")

    form = hr_client.get(reverse("reports:create")).context["form"]

    campaigns = set(form.fields["campaign"].queryset)
    assert {running, closed} <= campaigns
    assert draft not in campaigns
    assert not any(campaign.is_onboarding for campaign in campaigns)
    statuses = {v.status for v in form.fields["version"].queryset}
    assert GuidelineVersion.Status.DRAFT not in statuses
    assert form.initial["as_of"] == TODAY


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"basis": "version", "version": ""}, "version"),
        ({"basis": "campaign", "campaign": ""}, "campaign"),
        ({"basis": ""}, "basis"),
        ({"version": "999999"}, "version"),
        ({"as_of": (TODAY + datetime.timedelta(days=1)).isoformat()}, "as_of"),
        ({"as_of": "31-31-2026"}, "as_of"),
        ({"as_of": ""}, "as_of"),
        ({"format": "docx"}, "format"),
        ({"language": "de"}, "language"),
        ({"delimiter": "|"}, "delimiter"),
        ({"departments": ["999999"]}, "departments"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_saved(
    hr_client, version, overrides, field, django_capture_on_commit_callbacks
):
    data = form_data(version=version.pk)
    data.update(overrides)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = hr_client.post(reverse("reports:create"), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    targets = [error["target"] for error in response.context["error_summary"]]
    bound = response.context["form"][field]
    assert (bound.id_for_label or f"{bound.auto_id}_0") in targets
    assert all(targets)
    assert 'id="error-summary"' in response.content.decode()
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()
    assert callbacks == []


def test_the_error_summary_follows_the_order_of_the_fields(hr_client):
    response = hr_client.post(reverse("reports:create"), {"basis": "campaign"})

    targets = [error["target"] for error in response.context["error_summary"]]
    assert targets == ["id_campaign", "id_as_of", "id_format_0", "id_language_0", "id_delimiter_0"]
    page = parse(response)
    assert [target for target, _ in error_summary(page)][2] == "#id_format_0"
    assert attribute(page, "#id_format_0", "type") == "radio"


def test_a_draft_campaign_cannot_be_chosen(hr_client, version):
    draft = draft_campaign(version)

    response = hr_client.post(
        reverse("reports:create"), form_data(basis="campaign", campaign=draft.pk)
    )

    assert response.status_code == 400
    assert "campaign" in response.context["form"].errors
    assert not Report.objects.exists()


def test_a_report_is_made_in_the_background_and_offered_for_download(
    hr_client, hr_user, version, django_capture_on_commit_callbacks
):
    department = DepartmentFactory(code="DIR")
    EmployeeFactory(department=department)
    EmployeeFactory(department=DepartmentFactory(parent=department))
    EmployeeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            reverse("reports:create"),
            form_data(version=version.pk, departments=[department.pk], delimiter=","),
        )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.status == Report.Status.DONE
    assert (report.requested_by, report.format, report.delimiter) == (hr_user, "csv", ",")
    assert list(report.departments.all()) == [department]
    assert report.progress_total == 2  # the department with its sub-department
    page = parse(hr_client.get(response["Location"]))
    assert reverse("reports:download", args=[report.pk]) in links(page, "#report-status")
    assert report.file_sha256 in text(page.body)
    assert attribute(page, "#report-status", "aria-live") == "polite"
    assert [e.kind for e in report.events.order_by("pk")] == ["requested", "generated"]


def test_a_waiting_report_shows_its_progress_and_can_be_refreshed(hr_client, hr_user, version):
    report = services.request_report(version=version, by=hr_user)  # not yet handed over
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, progress_done=30, progress_total=120
    )

    page = parse(hr_client.get(reverse("reports:detail", args=[report.pk])))
    part = hr_client.get(reverse("reports:status", args=[report.pk]))

    assert "25% done (30 of 120 people)." in text(page.body)
    assert attribute(page, "#progress-bar[role=progressbar]", "aria-valuenow") == "25"
    assert select(page, "#refresh-link")
    assert select(page, 'script[src$="portal/js/report-status.js"]')
    assert not select(page, "meta[http-equiv=refresh]")
    assert reverse("reports:download", args=[report.pk]) not in links(page)
    assert part.status_code == 200
    assert attribute(parse(part), "#report-status-part", "data-working") == "true"
    assert "<html" not in part.content.decode()  # a part of the page, not a page


def test_a_failed_report_says_so_in_plain_words(hr_client, hr_user, version):
    report = services.request_report(version=version, by=hr_user, enqueue=False)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, error="OSError: disk full"
    )

    page = hr_client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "The report could not be made." in page
    assert "disk full" in page
    assert 'id="request-again"' in page


# Download ---------------------------------------------------------------------------------


def test_the_download_streams_the_file_and_logs_who_with_the_hash(hr_client, hr_user, version):
    EmployeeFactory()
    report = made(format=Report.Format.XLSX, version=version)

    response = hr_client.get(reverse("reports:download", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{report.number}.xlsx" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert len(body) == report.file_size
    event = report.events.get(kind=ReportEvent.Kind.DOWNLOADED)
    assert event.actor == hr_user
    assert event.details == {"sha256": report.file_sha256}


def test_a_csv_download_says_it_is_csv(hr_client, version):
    EmployeeFactory()
    report = made(version=version)

    response = hr_client.get(reverse("reports:download", args=[report.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_there_is_nothing_to_download_before_the_report_is_ready(hr_client, version):
    report = services.request_report(version=version, enqueue=False)

    response = hr_client.get(reverse("reports:download", args=[report.pk]))

    assert response.status_code == 404
    assert not report.events.filter(kind=ReportEvent.Kind.DOWNLOADED).exists()


def test_the_log_pages_show_who_asked_and_who_downloaded(hr_client, hr_user, version):
    EmployeeFactory()
    report = made(version=version, by=hr_user)
    auditor = EmployeeFactory(auditor=True, first_name="Ida", last_name="Controle")
    services.record_download(report=report, by=auditor)

    detail = hr_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    log = hr_client.get(reverse("reports:log")).content.decode()

    for page in (detail, log):
        assert "Ida Controle" in page
        assert escape(hr_user.full_name) in page
        assert report.file_sha256 in page
        assert "Report downloaded" in page
    assert report.number in log


# One employee's file ----------------------------------------------------------------------


def test_the_individual_file_form_finds_employees_also_former_ones(hr_client):
    EmployeeFactory(employee_number="7001", last_name="Verbeek", is_active=False)
    EmployeeFactory(employee_number="7002", last_name="Verbeek")
    EmployeeFactory(employee_number="7003", last_name="Jansen")

    response = hr_client.get(reverse("reports:individual"), {"q": "verbeek"})

    numbers = [employee.employee_number for employee in response.context["results"]]
    assert sorted(numbers) == ["7001", "7002"]
    assert "?personeelsnummer=7001" in response.content.decode()
    chosen = hr_client.get(reverse("reports:individual"), {"personeelsnummer": "7001"})
    assert chosen.context["form"].initial["employee_number"] == "7001"


def test_an_individual_file_is_requested_as_pdf_by_employee_number(hr_client, hr_user):
    employee = EmployeeFactory(employee_number="7001")

    response = hr_client.post(
        reverse("reports:individual"), {"employee_number": " 7001 ", "language": "nl"}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.kind, report.format, report.employee) == ("individual", "pdf", employee)
    assert report.requested_by == hr_user
    assert report.events.get().details["employee"] == "7001"


def test_an_unknown_employee_number_is_refused(hr_client):
    response = hr_client.post(
        reverse("reports:individual"), {"employee_number": "0000", "language": "nl"}
    )

    assert response.status_code == 400
    assert "employee_number" in response.context["form"].errors
    assert not Report.objects.exists()
