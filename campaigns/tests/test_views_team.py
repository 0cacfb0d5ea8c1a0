"""The manager's side of campaigns: the team page's statuses and the remind buttons."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from campaigns import services
from campaigns.models import Assignment, Reminder
from campaigns.tests.factories import launched_campaign
from people.models import Employee
from people.tests.factories import EmployeeFactory
from portal.testing.html import Element, one, parse, select, text, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

TEAM_URL = reverse("campaigns_team:team")
REMIND_ALL_URL = reverse("campaigns_team:remind_all")


def remind_one_url(assignment: Assignment) -> str:
    return reverse("campaigns_team:remind_one", args=[assignment.pk])


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version():
    return quiz_version(tips=3)


@pytest.fixture
def boss():
    return EmployeeFactory(preferred_language="en", first_name="Bea", last_name="Baas")


def assignment_of(employee, campaign) -> Assignment:
    return Assignment.objects.get(employee=employee, campaign=campaign)


def row_element(html: str, assignment: Assignment) -> Element:
    """The team table's row for one assignment."""
    return one(parse(html), f"tr#assignment-{assignment.pk}")


def row_of(html: str, assignment: Assignment) -> str:
    """The text of the team table's row for one assignment."""
    return text(row_element(html, assignment))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The team page


def test_team_page_shows_each_team_members_status_in_words(client, boss, version):
    waiting = EmployeeFactory(manager=boss)
    reader = EmployeeFactory(manager=boss)
    done = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    read_all_tips(reader, version)
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    html = client.get(TEAM_URL).content.decode()

    assert "Not started" in row_of(html, assignment_of(waiting, campaign))
    assert "Reading" in row_of(html, assignment_of(reader, campaign))
    assert "Signed" in row_of(html, assignment_of(done, campaign))


def test_team_page_shows_the_campaign_and_due_date(client, boss, version):
    member = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging 2026")
    client.force_login(boss)

    row = row_of(client.get(TEAM_URL).content.decode(), assignment_of(member, campaign))

    assert "Jaarlijkse bevestiging 2026" in row
    with translation.override("en"):
        assert date_format(campaign.deadline, "DATE_FORMAT") in row


def test_team_page_shows_an_exempt_team_member_as_exempt(client, boss, version):
    member = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    assignment = assignment_of(member, campaign)
    services.exempt(assignment=assignment, reason="Langdurig verlof", by=EmployeeFactory(hr=True))
    client.force_login(boss)

    row = row_of(client.get(TEAM_URL).content.decode(), assignment)

    assert "Exempt" in row


def test_team_page_leaves_out_people_outside_the_team(client, boss, version):
    EmployeeFactory(manager=boss)
    outsider = EmployeeFactory(last_name="Buitenstaander")
    campaign = launched_campaign(version)
    client.force_login(boss)

    page = parse(client.get(TEAM_URL))

    assert not select(page, f"#assignment-{assignment_of(outsider, campaign).pk}")


def test_team_page_shows_the_teams_counts_per_status(client, boss, version):
    EmployeeFactory(manager=boss)
    EmployeeFactory(manager=boss)
    done = EmployeeFactory(manager=boss)
    launched_campaign(version)
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    counts = client.get(TEAM_URL).context["counts"]

    assert (counts["total"], counts["signed"], counts["not_started"]) == (3, 1, 2)


def test_team_page_says_how_much_of_the_team_has_signed(client, boss, version):
    EmployeeFactory(manager=boss)
    done = EmployeeFactory(manager=boss)
    launched_campaign(version)
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    html = client.get(TEAM_URL).content.decode()

    assert "1 of 2 assignments signed (50%)." in html


def test_team_page_does_not_show_quiz_scores(client, boss, version):
    member = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    ready_to_sign(member, version)
    client.force_login(boss)

    row = row_of(client.get(TEAM_URL).content.decode(), assignment_of(member, campaign))

    assert "Quiz passed" in row and "%" not in row


def test_team_page_offers_a_remind_button_naming_the_person(client, boss, version):
    member = EmployeeFactory(manager=boss, first_name="Jan", last_name="Jansen")
    campaign = launched_campaign(version, name="Ronde 2026")
    assignment = assignment_of(member, campaign)
    client.force_login(boss)

    row = row_element(client.get(TEAM_URL).content.decode(), assignment)

    form = one(row, "form")
    assert form.attributes["method"] == "post"
    assert form.attributes["action"] == remind_one_url(assignment)
    assert text_of(form, "button[type=submit]") == "Remind Jan Jansen about Ronde 2026"
    assert text_of(form, "button .visually-hidden") == "Jan Jansen about Ronde 2026"


def test_team_page_offers_no_remind_button_for_someone_who_signed(client, boss, version):
    done = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    row = row_element(client.get(TEAM_URL).content.decode(), assignment_of(done, campaign))

    assert not select(row, "form") and not select(row, "button")


def test_team_page_says_when_someone_was_last_reminded(
    client, boss, version, django_capture_on_commit_callbacks
):
    member = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    assignment = assignment_of(member, campaign)
    client.force_login(boss)
    assert "Not yet" in row_of(client.get(TEAM_URL).content.decode(), assignment)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_one_url(assignment))

    response = client.get(TEAM_URL)

    [row] = response.context["rows"][0][1]
    assert row.last_reminded_at == Reminder.objects.get().created_at
    assert "Not yet" not in row_of(response.content.decode(), assignment)


def test_team_page_shows_the_onboarding_campaign_too(client, boss, version):
    newcomer = EmployeeFactory(manager=boss)
    rule = services.onboarding_rule()
    Assignment.objects.create(
        campaign=rule,
        employee=newcomer,
        guideline=version.guideline,
        version=version,
        due_date=rule.start_date,
        reason=Assignment.Reason.ONBOARDING,
        added_at=rule.created_at,
    )
    client.force_login(boss)

    row = row_of(client.get(TEAM_URL).content.decode(), assignment_of(newcomer, rule))

    assert "Onboarding of new employees" in row


def test_team_page_leaves_out_closed_campaigns(client, boss, version):
    member = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    services.close_campaign(campaign=campaign, by=None)
    client.force_login(boss)

    response = client.get(TEAM_URL)
    html = response.content.decode()

    assert not select(parse(response), f"#assignment-{assignment_of(member, campaign).pk}")
    assert "Nothing asked in a running campaign" in html


def _bulk_team(boss, size: int) -> None:
    password = make_password(None)
    Employee.objects.bulk_create(
        Employee(
            email=f"lid{index}@voorbeeldstad.nl",
            first_name="Lid",
            last_name=f"Nummer {index:04d}",
            manager=boss,
            password=password,
        )
        for index in range(size)
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_team_page_uses_the_same_number_of_queries_for_10_and_1000_members(
    client, boss, version, django_assert_num_queries, size
):
    _bulk_team(boss, size)
    launched_campaign(version)
    client.force_login(boss)
    # session, user, roles (groups, reports), permissions (2), count, page, the page's
    # statuses, the team's counts (the team itself is walked inside those queries)
    with django_assert_num_queries(10):
        response = client.get(TEAM_URL)
    assert response.context["counts"]["total"] == size


# Reminding one person


def test_reminding_one_person_plans_one_reminder_and_sends_one_email(
    client, boss, version, django_capture_on_commit_callbacks
):
    member = EmployeeFactory(manager=boss, email="jan@voorbeeldstad.nl")
    EmployeeFactory(manager=boss)
    assignment = assignment_of(member, launched_campaign(version))
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_one_url(assignment))

    assert response.status_code == 302 and response["Location"] == TEAM_URL
    reminder = Reminder.objects.get()
    assert (reminder.assignment, reminder.kind, reminder.requested_by) == (
        assignment,
        Reminder.Kind.MANUAL,
        boss,
    )
    assert [message.to for message in mail.outbox] == [["jan@voorbeeldstad.nl"]]


def test_reminding_one_person_says_so(client, boss, version, django_capture_on_commit_callbacks):
    member = EmployeeFactory(manager=boss, first_name="Jan", last_name="Jansen")
    assignment = assignment_of(member, launched_campaign(version))
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_one_url(assignment), follow=True)

    assert messages_of(response) == ["Jan Jansen has been reminded by e-mail."]


def test_reminding_the_same_person_again_that_day_sends_nothing_and_says_so(
    client, boss, version, django_capture_on_commit_callbacks
):
    member = EmployeeFactory(manager=boss, first_name="Jan", last_name="Jansen")
    assignment = assignment_of(member, launched_campaign(version))
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_one_url(assignment), follow=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_one_url(assignment), follow=True)

    assert mail.outbox == []
    assert Reminder.objects.count() == 1
    assert messages_of(response) == [
        "Jan Jansen had been reminded today already and gets no second e-mail today."
    ]


def test_reminding_someone_who_signed_sends_nothing(
    client, boss, version, django_capture_on_commit_callbacks
):
    done = EmployeeFactory(manager=boss)
    assignment = assignment_of(done, launched_campaign(version))
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_one_url(assignment))

    assert (Reminder.objects.count(), mail.outbox) == (0, [])


def test_a_manager_may_remind_an_indirect_report(
    client, boss, version, django_capture_on_commit_callbacks
):
    lead = EmployeeFactory(manager=boss)
    indirect = EmployeeFactory(manager=lead)
    assignment = assignment_of(indirect, launched_campaign(version))
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_one_url(assignment))

    assert Reminder.objects.get().assignment == assignment


def test_reminding_someone_outside_the_team_is_not_found(client, boss, version):
    EmployeeFactory(manager=boss)
    outsider = EmployeeFactory()
    assignment = assignment_of(outsider, launched_campaign(version))
    client.force_login(boss)

    response = client.post(remind_one_url(assignment))

    assert response.status_code == 404
    assert not Reminder.objects.exists()


def test_an_employee_without_reports_may_not_remind_anyone(client, version):
    colleague = EmployeeFactory()
    assignment = assignment_of(colleague, launched_campaign(version))
    client.force_login(EmployeeFactory())

    assert client.post(remind_one_url(assignment)).status_code == 403
    assert client.post(REMIND_ALL_URL).status_code == 403
    assert not Reminder.objects.exists()


def test_the_remind_buttons_refuse_get(client, boss, version):
    member = EmployeeFactory(manager=boss)
    assignment = assignment_of(member, launched_campaign(version))
    client.force_login(boss)

    assert client.get(remind_one_url(assignment)).status_code == 405
    assert client.get(REMIND_ALL_URL).status_code == 405
    assert not Reminder.objects.exists()


def test_reminding_needs_a_log_in(client, version):
    response = client.post(REMIND_ALL_URL)

    assert response.status_code == 302 and "/account/" in response["Location"]


# Reminding everyone who is behind


def test_remind_all_reminds_everyone_in_the_team_who_has_not_signed(
    client, boss, version, django_capture_on_commit_callbacks
):
    lead = EmployeeFactory(manager=boss, email="lead@voorbeeldstad.nl")
    EmployeeFactory(manager=lead, email="indirect@voorbeeldstad.nl")
    EmployeeFactory(email="outsider@voorbeeldstad.nl")
    launched_campaign(version)
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND_ALL_URL)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "indirect@voorbeeldstad.nl",
        "lead@voorbeeldstad.nl",
    ]


def test_remind_all_skips_people_who_signed_or_are_exempt(
    client, boss, version, django_capture_on_commit_callbacks
):
    behind = EmployeeFactory(manager=boss)
    done = EmployeeFactory(manager=boss)
    excused = EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    signed(done, ready_to_sign(done, version))
    services.exempt(
        assignment=assignment_of(excused, campaign), reason="Verlof", by=EmployeeFactory(hr=True)
    )
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND_ALL_URL)

    assert [r.assignment.employee for r in Reminder.objects.all()] == [behind]
    assert [message.to for message in mail.outbox] == [[behind.email]]


def test_remind_all_says_how_many_were_reminded_and_how_many_had_been_already(
    client, boss, version, django_capture_on_commit_callbacks
):
    first = EmployeeFactory(manager=boss)
    EmployeeFactory(manager=boss)
    EmployeeFactory(manager=boss)
    campaign = launched_campaign(version)
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_one_url(assignment_of(first, campaign)), follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND_ALL_URL, follow=True)

    assert messages_of(response) == [
        "2 people have been reminded by e-mail.",
        "1 person had been reminded today already and gets no second e-mail today.",
    ]


def test_remind_all_when_everyone_is_done_says_nobody_needed_a_reminder(
    client, boss, version, django_capture_on_commit_callbacks
):
    done = EmployeeFactory(manager=boss)
    launched_campaign(version)
    signed(done, ready_to_sign(done, version))
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND_ALL_URL, follow=True)

    assert messages_of(response) == ["Nobody needed a reminder: everyone has signed or is exempt."]
    assert mail.outbox == []


def test_remind_all_leaves_closed_campaigns_alone(
    client, boss, version, django_capture_on_commit_callbacks
):
    EmployeeFactory(manager=boss)
    services.close_campaign(campaign=launched_campaign(version), by=None)
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND_ALL_URL)

    assert (Reminder.objects.count(), mail.outbox) == (0, [])


def test_the_team_table_scrolls_in_a_box_the_keyboard_reaches(client, boss, version):
    # /mijn-team/ scrolled sideways, also at 1280 px: the wide table had no box of its
    # own to scroll in. Now it sits in a container named by its caption and focusable.
    EmployeeFactory(manager=boss)
    launched_campaign(version)
    client.force_login(boss)
    page = parse(client.get(TEAM_URL))

    box = one(page, "#team-table").parent
    assert "utrecht-table-container" in box.attributes["class"]
    assert box.attributes.get("role") == "region"
    assert box.attributes.get("tabindex") == "0"
    assert (
        box.attributes.get("aria-labelledby") == one(page, "#team-table caption").attributes["id"]
    )
