"""HR's campaign pages: who may see and change what, the list, launching, closing, the
schedule, the onboarding rule, exemptions and trying a failed mail again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignEvent, Reminder
from campaigns.tests.hr_support import (
    assignment_of,
    auditor,
    day,
    draft,
    launched,
    reminder,
)
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import links, parse, select, text, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


def _pages(campaign, assignment, failed):
    """(url, method) of every page, the managing ones marked."""
    return {
        "list": (reverse("campaigns:list"), "get", False),
        "create": (reverse("campaigns:create"), "get", True),
        "onboarding": (reverse("campaigns:onboarding"), "get", False),
        "detail": (reverse("campaigns:detail", args=[campaign.pk]), "get", False),
        "launch": (reverse("campaigns:launch", args=[campaign.pk]), "get", True),
        "close": (reverse("campaigns:close", args=[campaign.pk]), "get", True),
        "schedule": (reverse("campaigns:schedule", args=[campaign.pk]), "get", True),
        "people": (reverse("campaigns:people", args=[campaign.pk]), "get", False),
        "csv": (reverse("campaigns:overdue_csv", args=[campaign.pk]), "get", False),
        "reminders": (reverse("campaigns:reminders", args=[campaign.pk]), "get", False),
        "retry": (reverse("campaigns:reminder_retry", args=[failed.pk]), "post", True),
        "exempt": (reverse("campaigns:exempt", args=[assignment.pk]), "get", True),
        "lift": (reverse("campaigns:lift_exemption", args=[assignment.pk]), "get", True),
    }


@pytest.fixture
def pages(version):
    employee = EmployeeFactory()
    campaign = launched(version)
    assignment = assignment_of(campaign, employee)
    failed = reminder(assignment, status=Reminder.Status.FAILED, last_error="550 no such user")
    return _pages(campaign, assignment, failed)


# session, user, permissions (2), count, page, the campaigns' guidelines, completion,
# roles for the menu (2)
LIST_QUERIES = 10

PAGE_NAMES = [
    "list",
    "create",
    "onboarding",
    "detail",
    "launch",
    "close",
    "schedule",
    "people",
    "csv",
    "reminders",
    "retry",
    "exempt",
    "lift",
]


def _assignment(version, **employee):
    """An employee's assignment in a campaign launched for everyone."""
    employee = EmployeeFactory(**employee)
    return assignment_of(launched(version), employee)


def _request(client, url, method):
    return client.post(url) if method == "post" else client.get(url)


# Who may do what --------------------------------------------------------------------------


def test_the_campaign_pages_live_under_campagnes():
    assert reverse("campaigns:list") == "/campagnes/"
    assert reverse("campaigns:create") == "/campagnes/nieuw/"
    assert reverse("campaigns:onboarding") == "/campagnes/inwerken/"
    assert reverse("campaigns:overdue_csv", args=[3]) == "/campagnes/3/te-laat.csv"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, pages, name):
    url, method, _manage = pages[name]

    response = _request(client, url, method)

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("role", [{}, {"editor": True}])
def test_employees_and_editors_may_not_open_any_campaign_page(client, pages, name, role):
    client.force_login(EmployeeFactory(**role))
    url, method, _manage = pages[name]

    assert _request(client, url, method).status_code == 403


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("role", ["auditor", "administrator"])
def test_auditors_and_administrators_see_the_dashboards_but_change_nothing(
    client, pages, name, role
):
    client.force_login(EmployeeFactory(**{role: True}))
    url, method, manage = pages[name]

    response = _request(client, url, method)

    assert response.status_code == (403 if manage else 200)


def test_an_auditor_may_not_change_the_onboarding_schedule(client, version):
    client.force_login(auditor())

    response = client.post(reverse("campaigns:onboarding"), {"reminder_days": "5"})

    assert response.status_code == 403


def test_an_auditor_sees_no_buttons_to_change_anything(client, version):
    campaign = draft(version)
    client.force_login(auditor())

    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert reverse("campaigns:launch", args=[campaign.pk]) not in html
    assert reverse("campaigns:schedule", args=[campaign.pk]) not in html


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_hr_may_open_every_campaign_page(hr_client, pages, name):
    url, method, _manage = pages[name]

    response = _request(hr_client, url, method)

    assert response.status_code in (200, 302)


# Menu -------------------------------------------------------------------------------------


def test_the_menu_shows_campaigns_to_hr(hr_client):
    page = parse(hr_client.get("/"))

    assert reverse("campaigns:list") in links(page, "nav.portal-nav")


def test_the_menu_shows_campaigns_to_auditors(client, db):
    client.force_login(auditor())

    page = parse(client.get("/"))

    assert reverse("campaigns:list") in links(page, "nav.portal-nav")


def test_the_menu_hides_campaigns_from_employees(client, db):
    client.force_login(EmployeeFactory(preferred_language="en"))

    page = parse(client.get("/"))

    assert select(page, "nav.portal-nav")
    assert reverse("campaigns:list") not in links(page)


# The list ---------------------------------------------------------------------------------


def test_the_empty_list_says_what_to_do(hr_client):
    response = hr_client.get(reverse("campaigns:list"))

    page = parse(response)
    assert select(page, "#no-campaigns")
    assert "Set up a campaign" in text(page.body)
    assert reverse("campaigns:create") in links(page, "main")
    assert reverse("campaigns:onboarding") in links(page, "main")


def test_the_list_shows_status_guidelines_deadline_and_completion(hr_client, version):
    from acknowledgements.tests.factories import ready_to_sign, signed

    department = DepartmentFactory()
    first = EmployeeFactory(department=department)
    EmployeeFactory(department=department)
    campaign = launched(
        version,
        name="Jaarronde 2026",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[department],
        deadline=day(20),
    )
    signed(first, ready_to_sign(first, version))

    page = parse(hr_client.get(reverse("campaigns:list")))

    row = text_of(page, f"tr#campaign-{campaign.pk}")
    assert "Jaarronde 2026" in row
    assert "Running" in row
    assert f"Handreiking gebruik sociale media (version {version.number})" in row
    assert "50%" in row


def test_the_list_leaves_out_the_onboarding_rule(hr_client):
    from campaigns import services

    services.onboarding_rule()

    response = hr_client.get(reverse("campaigns:list"))

    assert list(response.context["campaigns"]) == []


def test_the_list_is_paginated_with_pagina(hr_client, version):
    for number in range(21):
        draft(version, name=f"Campagne {number}")

    first = hr_client.get(reverse("campaigns:list"))
    second = hr_client.get(reverse("campaigns:list") + "?pagina=2")

    assert len(first.context["campaigns"]) == 20
    assert len(second.context["campaigns"]) == 1
    assert "?pagina=2" in first.content.decode()


def test_the_list_computes_completion_in_one_query_for_all_campaigns(
    hr_client, version, django_assert_num_queries
):
    for _ in range(3):
        launched(version)
    hr_client.get(reverse("campaigns:list"))  # warm the session
    with django_assert_num_queries(LIST_QUERIES):
        hr_client.get(reverse("campaigns:list"))
    for _ in range(5):
        launched(version)
    with django_assert_num_queries(LIST_QUERIES):
        hr_client.get(reverse("campaigns:list"))


# Launching --------------------------------------------------------------------------------


def test_the_launch_page_says_how_many_employees_get_an_assignment(hr_client, version):
    department = DepartmentFactory()
    for _ in range(3):
        EmployeeFactory(department=department)
    campaign = draft(version, audience=Campaign.Audience.DEPARTMENTS, departments=[department])

    response = hr_client.get(reverse("campaigns:launch", args=[campaign.pk]))

    assert response.context["audience_count"] == 3
    assert "3 employees get an assignment" in response.content.decode()
    assert "Reminders and escalations start" in response.content.decode()


def test_launching_gives_everyone_in_the_audience_an_assignment(hr_client, hr_user, version):
    department = DepartmentFactory()
    for _ in range(3):
        EmployeeFactory(department=department)
    campaign = draft(version, audience=Campaign.Audience.DEPARTMENTS, departments=[department])

    response = hr_client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    assert campaign.launched_by == hr_user
    assert campaign.assignments.count() == 3
    assert "3 employees got an assignment" in response.content.decode()


def test_launching_twice_launches_once(hr_client, version):
    campaign = draft(version)
    url = reverse("campaigns:launch", args=[campaign.pk])

    hr_client.post(url)
    response = hr_client.post(url, follow=True)

    assert CampaignEvent.objects.filter(campaign=campaign, kind="launched").count() == 1
    assert "launched already" in response.content.decode()


def test_a_campaign_whose_deadline_passed_is_not_launched(hr_client, version):
    campaign = draft(version, start_date=day(-10), deadline=day(-1))

    response = hr_client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not campaign.assignments.exists()
    assert "The deadline has passed" in response.content.decode()


def test_the_launch_page_of_a_running_campaign_sends_back_to_the_dashboard(hr_client, version):
    campaign = launched(version)

    response = hr_client.get(reverse("campaigns:launch", args=[campaign.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])


# Closing ----------------------------------------------------------------------------------


def test_the_close_page_asks_for_confirmation(hr_client, version):
    campaign = launched(version)

    response = hr_client.get(reverse("campaigns:close", args=[campaign.pk]))

    assert response.status_code == 200
    assert "no more reminders" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING


def test_closing_stops_the_campaign(hr_client, version):
    campaign = launched(version)

    hr_client.post(reverse("campaigns:close", args=[campaign.pk]))

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.events.filter(kind=CampaignEvent.Kind.CLOSED).exists()


def test_a_draft_cannot_be_closed(hr_client, version):
    campaign = draft(version)

    response = hr_client.post(reverse("campaigns:close", args=[campaign.pk]), follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "Only a running campaign can be closed." in response.content.decode()


# Schedule ---------------------------------------------------------------------------------


def test_the_schedule_form_shows_the_current_schedule(hr_client, version):
    campaign = draft(version, reminder_days=[14, 3], manager_escalation_days=7)

    response = hr_client.get(reverse("campaigns:schedule", args=[campaign.pk]))

    assert response.context["form"]["reminder_days"].value() == "14, 3"
    assert response.context["form"]["manager_escalation_days"].value() == 7


def test_saving_the_schedule_changes_it_and_logs_it(hr_client, version):
    campaign = launched(version)

    response = hr_client.post(
        reverse("campaigns:schedule", args=[campaign.pk]),
        {"reminder_days": "3; 21,7", "manager_escalation_days": "5", "hr_escalation_days": ""},
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.reminder_days == [21, 7, 3]
    assert (campaign.manager_escalation_days, campaign.hr_escalation_days) == (5, None)
    assert campaign.events.filter(kind=CampaignEvent.Kind.SCHEDULE_CHANGED).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reminder_days": "14, drie"}, "reminder_days", "“drie” is not a number of days"),
        ({"reminder_days": "0"}, "reminder_days", "“0” is not a number of days"),
        ({"reminder_days": "400"}, "reminder_days", "“400” is not a number of days"),
        ({"manager_escalation_days": "0"}, "manager_escalation_days", "from 1 to 365"),
        ({"hr_escalation_days": "366"}, "hr_escalation_days", "from 1 to 365"),
        (
            {"manager_escalation_days": "7", "hr_escalation_days": "7"},
            "hr_escalation_days",
            "HR is told after the manager",
        ),
    ],
)
def test_a_bad_schedule_is_refused_with_a_message_and_nothing_saved(
    hr_client, version, data, field, message
):
    campaign = launched(version, reminder_days=[14, 3])

    response = hr_client.post(reverse("campaigns:schedule", args=[campaign.pk]), data)

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.reminder_days == [14, 3]


def test_a_closed_campaigns_schedule_cannot_be_changed(hr_client, version):
    from campaigns import services

    campaign = launched(version, reminder_days=[14, 3])
    services.close_campaign(campaign=campaign, by=None)

    response = hr_client.post(
        reverse("campaigns:schedule", args=[campaign.pk]), {"reminder_days": "5"}
    )

    assert response.status_code == 400
    assert "A closed campaign sends no more reminders." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.reminder_days == [14, 3]


# The onboarding rule ----------------------------------------------------------------------


def test_the_onboarding_page_shows_the_rule_and_links_to_its_dashboard(hr_client, settings):
    settings.CAMPAIGN_ONBOARDING_DAYS = 21

    response = hr_client.get(reverse("campaigns:onboarding"))

    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)
    html = response.content.decode()
    assert "unless set otherwise: within 21 days" in html
    assert reverse("campaigns:detail", args=[rule.pk]) in html
    assert response.context["form"]["reminder_days"].value() == "7, 2"


def test_hr_changes_the_onboarding_schedule_on_its_page(hr_client):
    response = hr_client.post(
        reverse("campaigns:onboarding"),
        {"reminder_days": "5", "manager_escalation_days": "2", "hr_escalation_days": "9"},
    )

    assert response.status_code == 302
    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)
    assert (rule.reminder_days, rule.manager_escalation_days, rule.hr_escalation_days) == (
        [5],
        2,
        9,
    )


def test_a_bad_onboarding_schedule_is_refused_and_nothing_saved(hr_client):
    response = hr_client.post(
        reverse("campaigns:onboarding"),
        {"reminder_days": "7, zeven", "manager_escalation_days": "3", "hr_escalation_days": "1"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "“zeven” is not a number of days" in html
    assert "HR is told after the manager" in html
    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)
    assert rule.reminder_days == [7, 2]


def test_auditors_see_the_onboarding_schedule_without_a_form(client, db):
    client.force_login(auditor())

    response = client.get(reverse("campaigns:onboarding"))

    html = response.content.decode()
    assert 'id="schedule-summary"' in html
    assert 'name="reminder_days"' not in html


def test_the_onboarding_dashboard_works_without_version_or_deadline(hr_client, version):
    from campaigns import services

    EmployeeFactory(start_date=day(0))
    services.onboarding_rule()
    services.apply_onboarding_rule()
    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)

    response = hr_client.get(reverse("campaigns:detail", args=[rule.pk]))

    assert response.status_code == 200
    assert response.context["figures"]["total"] == 1
    assert reverse("campaigns:close", args=[rule.pk]) not in response.content.decode()


# Exemptions -------------------------------------------------------------------------------


def test_the_exempt_page_asks_for_a_reason(hr_client, version):
    employee = EmployeeFactory()
    assignment = assignment_of(launched(version), employee)

    response = hr_client.get(reverse("campaigns:exempt", args=[assignment.pk]))

    html = response.content.decode()
    assert 'name="reason"' in html
    assert 'for="id_reason"' in html


def test_exempting_without_a_reason_is_refused(hr_client, version):
    assignment = _assignment(version)

    response = hr_client.post(reverse("campaigns:exempt", args=[assignment.pk]), {"reason": "  "})

    assert response.status_code == 400
    assert "Give the reason for the exemption" in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.is_exempt


def test_asking_for_an_exemption_saves_the_reason_and_logs_it_but_exempts_nobody_yet(
    hr_client, hr_user, version
):
    assignment = _assignment(version)
    campaign = assignment.campaign

    response = hr_client.post(
        reverse("campaigns:exempt", args=[assignment.pk]), {"reason": "Langdurig verlof"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:people", args=[campaign.pk])
    exemption = assignment.exemptions.get()
    assert (exemption.reason, exemption.exempted_by) == ("Langdurig verlof", hr_user)
    assignment.refresh_from_db()
    assert not assignment.is_exempt  # four eyes: campaigns/tests/test_exemptions_four_eyes.py
    event = CampaignEvent.objects.get(kind=CampaignEvent.Kind.EXEMPTION_REQUESTED)
    assert event.details == {"exemption": exemption.pk}


def test_after_exempting_hr_returns_to_the_filtered_list(hr_client, version):
    assignment = _assignment(version)
    campaign = assignment.campaign
    back = reverse("campaigns:people", args=[campaign.pk]) + "?status=overdue"

    response = hr_client.post(
        reverse("campaigns:exempt", args=[assignment.pk]), {"reason": "Verlof", "next": back}
    )

    assert response["Location"] == back


def test_exempting_never_returns_to_another_site(hr_client, version):
    assignment = _assignment(version)
    campaign = assignment.campaign

    response = hr_client.post(
        reverse("campaigns:exempt", args=[assignment.pk]),
        {"reason": "Verlof", "next": "https://example.org/campagnes/"},
    )

    assert response["Location"] == reverse("campaigns:people", args=[campaign.pk])


def test_lifting_an_exemption_asks_for_confirmation_first(hr_client, hr_user, version):
    from campaigns import services

    assignment = _assignment(version)
    services.exempt(assignment=assignment, reason="Verlof", by=hr_user)

    response = hr_client.get(reverse("campaigns:lift_exemption", args=[assignment.pk]))

    assert "Verlof" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.is_exempt


def test_lifting_an_exemption_makes_the_employee_count_again(hr_client, hr_user, version):
    from campaigns import services

    assignment = _assignment(version)
    services.exempt(assignment=assignment, reason="Verlof", by=hr_user)

    hr_client.post(reverse("campaigns:lift_exemption", args=[assignment.pk]))

    assignment.refresh_from_db()
    assert not assignment.is_exempt
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTION_LIFTED).exists()


def test_lifting_the_exemption_of_someone_not_exempt_changes_nothing(hr_client, version):
    assignment = _assignment(version)

    response = hr_client.post(
        reverse("campaigns:lift_exemption", args=[assignment.pk]), follow=True
    )

    assert "This employee is not exempt." in response.content.decode()
    assert not CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTION_LIFTED).exists()


# Trying a failed mail again ---------------------------------------------------------------


def test_trying_a_failed_mail_again_puts_it_back_in_the_queue(hr_client, version):
    assignment = _assignment(version)
    failed = reminder(assignment, status=Reminder.Status.FAILED, attempts=10, last_error="550")

    response = hr_client.post(reverse("campaigns:reminder_retry", args=[failed.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:reminders", args=[assignment.campaign_id])
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Reminder.Status.PENDING, 0)
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.REMINDER_RETRIED).exists()


def test_trying_again_sends_the_mail(hr_client, version, django_capture_on_commit_callbacks):
    from django.core import mail

    employee = EmployeeFactory(email="jan@voorbeeldstad.nl")
    assignment = assignment_of(launched(version), employee)
    failed = reminder(assignment, status=Reminder.Status.FAILED, last_error="timeout")

    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("campaigns:reminder_retry", args=[failed.pk]))

    failed.refresh_from_db()
    assert failed.status == Reminder.Status.SENT
    assert mail.outbox[-1].to == ["jan@voorbeeldstad.nl"]


def test_a_mail_that_did_not_fail_cannot_be_tried_again(hr_client, version):
    assignment = _assignment(version)
    sent = reminder(assignment, status=Reminder.Status.SENT)

    response = hr_client.post(reverse("campaigns:reminder_retry", args=[sent.pk]), follow=True)

    assert "Only a failed mail can be tried again." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Reminder.Status.SENT


def test_trying_again_only_by_post(hr_client, version):
    assignment = _assignment(version)
    failed = reminder(assignment, status=Reminder.Status.FAILED)

    assert hr_client.get(reverse("campaigns:reminder_retry", args=[failed.pk])).status_code == 405


def test_an_unknown_assignment_is_not_found(hr_client):
    assert hr_client.get(reverse("campaigns:exempt", args=[999999])).status_code == 404


# Wide tables ------------------------------------------------------------------------------


def _table_box_problems(page) -> list[str]:
    """Each table's problem with its scroll box: none when the table sits in a
    utrecht-table-container that the keyboard reaches and its caption names."""
    problems = []
    for table in select(page, "table"):
        box, caption = table.parent, table.css_first("caption")
        if box is None or "utrecht-table-container" not in box.attributes.get("class", ""):
            problems.append(f"{table.attributes.get('id')}: not in a table container")
        elif box.attributes.get("tabindex") != "0" or box.attributes.get("role") != "region":
            problems.append(f"{table.attributes.get('id')}: its box takes no keyboard focus")
        elif caption is None or box.attributes.get("aria-labelledby") != caption.attributes.get(
            "id"
        ):
            problems.append(f"{table.attributes.get('id')}: its box is not named by the caption")
    return problems


@pytest.mark.parametrize(
    "name", ["list", "onboarding", "detail", "schedule", "people", "reminders"]
)
def test_every_table_scrolls_in_a_box_of_its_own_that_the_keyboard_reaches(hr_client, pages, name):
    # A wide table scrolls inside its container, never the page (WCAG 1.4.10), and the
    # container, being a scroll area, must take the focus for keyboard users (axe-core:
    # scrollable-region-focusable); position: relative in the container also keeps the
    # visually hidden text inside it.
    url, _method, _manage = pages[name]
    page = parse(hr_client.get(url))

    assert select(page, "table"), "the page shows no table to check"
    assert _table_box_problems(page) == []
