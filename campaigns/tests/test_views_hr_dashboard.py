"""HR's dashboards of a campaign: the overview, the people and the overdue list, the
overdue CSV and the log of reminders sent."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.tests.hr_support import (
    assignment_of,
    day,
    draft,
    launched,
    reminder,
    sign,
)
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, links, one, parse, select, text, text_of
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


@pytest.fixture
def organisation(db):
    """Dienstverlening > Burgerzaken > Team Balie, and Financiën beside it."""
    top = DepartmentFactory(code="DV", name="Dienstverlening")
    burgerzaken = DepartmentFactory(code="BZ", name="Burgerzaken", parent=top)
    balie = DepartmentFactory(code="BALIE", name="Team Balie", parent=burgerzaken)
    financien = DepartmentFactory(code="FIN", name="Financiën")
    return {"top": top, "burgerzaken": burgerzaken, "balie": balie, "financien": financien}


@pytest.fixture
def overdue_campaign(version, organisation):
    """Deadline passed: Anna signed, Bram and Cas overdue, Dirk exempt, Eva left."""
    manager = EmployeeFactory(first_name="Mila", last_name="Baas", department=None)
    people = {
        "anna": EmployeeFactory(first_name="Anna", last_name="Akker"),
        "bram": EmployeeFactory(
            first_name="Bram",
            last_name="Bos",
            employee_number="800002",
            email="bram@voorbeeldstad.nl",
            department=organisation["burgerzaken"],
            manager=manager,
        ),
        "cas": EmployeeFactory(
            first_name="Cas", last_name="Claes", department=organisation["balie"]
        ),
        "dirk": EmployeeFactory(first_name="Dirk", last_name="Dam"),
        "eva": EmployeeFactory(first_name="Eva", last_name="Eik"),
    }
    campaign = launched(
        version,
        name="Jaarronde 2026",
        audience=Campaign.Audience.EMPLOYEES,
        employees=list(people.values()),
        start_date=day(-30),
        deadline=day(0),
    )
    sign(people["anna"], version)
    services.exempt(
        assignment=assignment_of(campaign, people["dirk"]), reason="Langdurig verlof", by=None
    )
    people["eva"].end_date = day(-1)
    people["eva"].save()
    return campaign, people


def _on_day_after(campaign):
    """Move the deadline back a day, so that the open assignments are overdue today."""
    campaign.assignments.update(due_date=day(-3))


def _people_url(campaign, query=""):
    return reverse("campaigns:people", args=[campaign.pk]) + query


def _names(response):
    return [a.employee.first_name for a in response.context["assignments"]]


# The overview -----------------------------------------------------------------------------


def test_the_overview_shows_the_overall_figures_with_a_progress_bar(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    figures = response.context["figures"]
    assert (figures["in_scope"], figures["signed"], figures["overdue"], figures["exempt"]) == (
        3,
        1,
        2,
        1,
    )
    page = parse(response)
    assert "33% done: 1 of 3 employees in scope have signed." in text(page.body)
    assert attribute(page, "[role=progressbar]", "aria-valuenow") == "33"


def test_leavers_are_not_counted_on_the_overview(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    assert response.context["figures"]["total"] == 4
    assert sum(row["total"] for row in response.context["departments"]) == 4


def test_the_overview_links_to_the_lists_csv_log_and_schedule(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    hrefs = links(parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))))

    for url in (
        _people_url(campaign, "?status=overdue"),
        reverse("campaigns:overdue_csv", args=[campaign.pk]),
        reverse("campaigns:reminders", args=[campaign.pk]),
        reverse("campaigns:schedule", args=[campaign.pk]),
        reverse("campaigns:close", args=[campaign.pk]),
    ):
        assert url in hrefs
    assert reverse("campaigns:launch", args=[campaign.pk]) not in hrefs


def test_a_draft_offers_launching_and_says_how_many_are_in_the_audience(hr_client, version):
    EmployeeFactory()
    campaign = draft(version)

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    page = parse(response)
    assert reverse("campaigns:launch", args=[campaign.pk]) in links(page)
    # HR and the one employee.
    assert "2 employees are in the audience now" in text(page.body)
    assert not select(page, "#department-table")


def test_the_department_table_links_each_department_to_its_people(
    hr_client, overdue_campaign, organisation
):
    campaign, _people = overdue_campaign
    burgerzaken = organisation["burgerzaken"]

    page = parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk])))

    people = f"{_people_url(campaign)}?afdeling={burgerzaken.pk}&subafdelingen=nee"
    assert people in links(page, "#department-table")


def test_the_department_table_sorts_by_the_sorteer_parameter(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)
    url = reverse("campaigns:detail", args=[campaign.pk])

    by_name = hr_client.get(url).context["departments"]
    by_overdue = hr_client.get(url + "?sorteer=-overdue").context["departments"]

    assert [row["name"] for row in by_name] == sorted(row["name"] for row in by_name)
    assert [row["overdue"] for row in by_overdue] == sorted(
        (row["overdue"] for row in by_overdue), reverse=True
    )


def test_the_sorted_column_says_so_to_screen_readers(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    page = parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk]) + "?sorteer=-done"))

    assert [header.id for header in select(page, "th[aria-sort]")] == ["sort-done"]
    assert attribute(page, "th#sort-done", "aria-sort") == "descending"
    assert attribute(page, "th#sort-done", "scope") == "col"
    assert links(page, "th#sort-done") == ["?sorteer=done#per-department"]


def test_the_overview_shows_the_chart_of_completion_over_time(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    page = parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk])))

    assert attribute(page, "#completion-chart svg", "role") == "img"
    assert select(page, "#completion-data")
    # 31 days from the start to today; today 1 of 3 signed.
    points = attribute(page, "#completion-chart polyline.chart-line", "points").split()
    assert len(points) == 31
    assert points[-1] == "616,176"


def test_quiz_figures_of_a_small_department_say_too_few_to_show(
    hr_client, version, organisation, settings
):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    people = [EmployeeFactory(department=organisation["financien"]) for _ in range(4)]
    campaign = launched(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[organisation["financien"]]
    )
    for employee in people:
        submitted_attempt(employee=employee, version=version, right=True)

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    row = one(parse(response), f'tr.quiz-row[data-department="{organisation["financien"].pk}"]')
    assert text_of(row, "td.too-few") == "Too few to show"
    assert "%" not in text(row)
    assert "so that nobody's score can be singled out" in response.content.decode()


def test_quiz_figures_of_five_people_are_shown(hr_client, version, organisation, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    people = [EmployeeFactory(department=organisation["financien"]) for _ in range(5)]
    campaign = launched(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[organisation["financien"]]
    )
    for employee in people:
        submitted_attempt(employee=employee, version=version, right=True)

    page = parse(hr_client.get(reverse("campaigns:detail", args=[campaign.pk])))

    row = one(page, f'tr.quiz-row[data-department="{organisation["financien"].pk}"]')
    assert not select(row, "td.too-few")
    assert (text_of(row, "td.average"), text_of(row, "td.first-try")) == ("100%", "100%")


def test_the_overview_shows_the_latest_events(hr_client, hr_user, overdue_campaign):
    campaign, _people = overdue_campaign

    response = hr_client.get(reverse("campaigns:detail", args=[campaign.pk]))

    kinds = [event.kind for event in response.context["events"]]
    assert kinds == ["exempted", "launched", "created"]
    assert "Employee exempted" in response.content.decode()


def test_an_unknown_campaign_is_not_found(hr_client):
    assert hr_client.get(reverse("campaigns:detail", args=[999999])).status_code == 404


# The people list --------------------------------------------------------------------------


def test_the_people_list_shows_everyone_who_counts_with_their_status(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)

    response = hr_client.get(_people_url(campaign))

    statuses = {a.employee.first_name: a.status_label for a in response.context["assignments"]}
    assert statuses == {"Anna": "Signed", "Bram": "Overdue", "Cas": "Overdue", "Dirk": "Exempt"}


def test_the_overdue_list_is_the_people_list_filtered_on_overdue(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)

    response = hr_client.get(_people_url(campaign, "?status=overdue"))

    assert _names(response) == ["Bram", "Cas"]
    html = response.content.decode()
    assert "Overdue in “Jaarronde 2026”" in html
    assert "(3 days)" in html


def test_a_department_includes_its_sub_departments(hr_client, overdue_campaign, organisation):
    campaign, _people = overdue_campaign

    response = hr_client.get(_people_url(campaign, f"?afdeling={organisation['top'].pk}"))

    assert _names(response) == ["Bram", "Cas"]


def test_a_department_without_its_sub_departments(hr_client, overdue_campaign, organisation):
    campaign, _people = overdue_campaign

    response = hr_client.get(
        _people_url(campaign, f"?afdeling={organisation['burgerzaken'].pk}&subafdelingen=nee")
    )

    assert _names(response) == ["Bram"]


@pytest.mark.parametrize("query", ["bos", "BRAM@voorbeeldstad", "800002", "bram bos"])
def test_the_people_list_searches_name_email_and_employee_number(
    hr_client, overdue_campaign, query
):
    campaign, _people = overdue_campaign

    response = hr_client.get(_people_url(campaign), {"q": query})

    assert _names(response) == ["Bram"]


def test_an_unknown_filter_value_is_ignored(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    response = hr_client.get(_people_url(campaign, "?status=asleep&afdeling=abc"))

    assert len(response.context["assignments"]) == 4


def test_a_filter_that_matches_nobody_says_so(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    html = hr_client.get(_people_url(campaign, "?q=niemand")).content.decode()

    assert "Nobody matches these filters" in html


def test_the_people_list_is_paginated_with_pagina(hr_client, version):
    department = DepartmentFactory()
    for _ in range(26):
        EmployeeFactory(department=department)
    campaign = launched(version, audience=Campaign.Audience.DEPARTMENTS, departments=[department])

    first = hr_client.get(_people_url(campaign))
    second = hr_client.get(_people_url(campaign, "?pagina=2"))

    assert (len(first.context["assignments"]), len(second.context["assignments"])) == (25, 1)


def test_rows_offer_exempting_or_lifting_to_hr(hr_client, overdue_campaign):
    campaign, people = overdue_campaign

    page = parse(hr_client.get(_people_url(campaign)))

    bram = assignment_of(campaign, people["bram"])
    dirk = assignment_of(campaign, people["dirk"])
    exempt = reverse("campaigns:exempt", args=[bram.pk])
    lift = reverse("campaigns:lift_exemption", args=[dirk.pk])
    assert [href.split("?")[0] for href in links(page, f"#assignment-{bram.pk}")] == [exempt]
    assert [href.split("?")[0] for href in links(page, f"#assignment-{dirk.pk}")] == [lift]
    assert "Reason: Langdurig verlof" in text_of(page, f"#assignment-{dirk.pk} td.status")


def test_auditors_see_the_people_without_actions(client, overdue_campaign):
    from campaigns.tests.hr_support import auditor

    campaign, people = overdue_campaign
    client.force_login(auditor())

    page = parse(client.get(_people_url(campaign)))

    bram = assignment_of(campaign, people["bram"])
    assert "Bram" in text_of(page, f"#assignment-{bram.pk}")
    exempt = reverse("campaigns:exempt", args=[bram.pk])
    assert exempt not in [href.split("?")[0] for href in links(page)]


def test_the_signed_date_is_shown(hr_client, overdue_campaign):
    campaign, people = overdue_campaign

    response = hr_client.get(_people_url(campaign, "?status=signed"))

    (anna,) = response.context["assignments"]
    assert anna.signed_at is not None


# The overdue CSV --------------------------------------------------------------------------


def _csv(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_overdue_csv_is_utf8_with_bom_and_semicolons(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)

    response = hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk]))

    body, rows = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="te-laat-jaarronde-2026'
    )
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body
    assert rows[0] == [
        "Employee number",
        "Name",
        "E-mail address",
        "Department",
        "Manager",
        "Due date",
        "Days overdue",
        "Status",
        "Guideline",
    ]


def test_the_overdue_csv_lists_the_overdue_employees_only(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)

    _body, rows = _csv(hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk])))

    assert rows[1] == [
        "800002",
        "Bram Bos",
        "bram@voorbeeldstad.nl",
        "Burgerzaken",
        "Mila Baas",
        day(-3).isoformat(),
        "3",
        "Overdue",
        "Handreiking gebruik sociale media",
    ]
    assert [row[1] for row in rows[1:]] == ["Bram Bos", "Cas Claes"]


def test_the_overdue_csv_has_only_a_header_when_nobody_is_late(hr_client, overdue_campaign):
    campaign, _people = overdue_campaign

    _body, rows = _csv(hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk])))

    assert len(rows) == 1


def test_the_overdue_csv_does_not_let_excel_run_a_name_as_a_formula(hr_client, version):
    employee = EmployeeFactory(first_name="=HYPERLINK(1)", last_name="X")
    campaign = launched(version, audience=Campaign.Audience.EMPLOYEES, employees=[employee])
    _on_day_after(campaign)

    _body, rows = _csv(hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk])))

    assert rows[1][1] == "'=HYPERLINK(1) X"


def test_the_overdue_csv_is_built_from_one_query(
    hr_client, overdue_campaign, django_assert_num_queries
):
    campaign, _people = overdue_campaign
    _on_day_after(campaign)
    response = hr_client.get(reverse("campaigns:overdue_csv", args=[campaign.pk]))

    with django_assert_num_queries(1):
        b"".join(response.streaming_content)


# The reminder log -------------------------------------------------------------------------


@pytest.fixture
def log(version):
    employee = EmployeeFactory(first_name="Jan", last_name="Jansen")
    campaign = launched(version)
    assignment = assignment_of(campaign, employee)
    sent = reminder(
        assignment,
        step="before-14",
        status=Reminder.Status.SENT,
        attempts=1,
        recipients="jan@voorbeeldstad.nl",
    )
    failed = reminder(
        assignment,
        step="before-3",
        status=Reminder.Status.FAILED,
        attempts=10,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    return campaign, sent, failed


def test_the_reminder_log_shows_every_mail_newest_first(hr_client, log):
    campaign, sent, failed = log

    response = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk]))

    assert list(response.context["reminders"]) == [failed, sent]
    html = response.content.decode()
    assert "14 days before the due date" in html
    assert "jan@voorbeeldstad.nl" in html
    assert "550 mailbox unavailable" in html


def test_the_reminder_log_filters_by_status(hr_client, log):
    campaign, sent, _failed = log

    response = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk]) + "?status=sent")

    assert list(response.context["reminders"]) == [sent]


def test_only_failed_mails_have_a_try_again_button(hr_client, log):
    campaign, sent, failed = log

    html = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk])).content.decode()

    assert reverse("campaigns:reminder_retry", args=[failed.pk]) in html
    assert reverse("campaigns:reminder_retry", args=[sent.pk]) not in html


def test_the_reminder_log_leaves_out_other_campaigns(hr_client, log, version):
    campaign, _sent, _failed = log
    other = launched(version)
    reminder(other.assignments.first(), step="before-14")

    response = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk]))

    assert len(response.context["reminders"]) == 2


def test_an_empty_reminder_log_says_when_mails_are_planned(hr_client, version):
    campaign = launched(version)

    html = hr_client.get(reverse("campaigns:reminders", args=[campaign.pk])).content.decode()

    assert "No reminders have been planned for this campaign yet" in html
