"""Campaigns in a real browser: HR sets one up and launches it, a manager reminds a team
member, the dashboard follows an employee who signs, and HR's other campaign pages.
Every page passes axe-core (WCAG 2.1 AA); the manager's reminder is done by keyboard.

The UI is Dutch by default and its campaign texts are being translated: the journeys
find things by id, ARIA role and data attribute, and compare numbers, not sentences.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Assignment, Campaign, CampaignEvent, Reminder
from e2e.helpers import (
    axe_check,
    click_and_follow,
    login,
    login_by_keyboard,
    path_of,
    press_and_follow,
    read_pass_and_sign,
    tab_to,
    visit,
)

pytestmark = pytest.mark.e2e


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def version(transactional_db):
    """A published version in force since 60 days ago (before the campaign of three weeks
    ago: a campaign asks nothing before its version is in force): three tips, three
    questions, options in bank order (the quiz can be passed by reading the right
    answers from the database)."""
    from quizzes.tests.factories import quiz_version

    return quiz_version(
        tips=3, questions_per_attempt=3, shuffle_options=False, effective_date=_days(-60)
    )


@pytest.fixture
def colleagues(transactional_db):
    from people.tests.factories import EmployeeFactory

    return [
        EmployeeFactory(first_name="Piet", last_name="Pieters"),
        EmployeeFactory(first_name="Sara", last_name="Smit"),
    ]


ALERT_OF_MESSAGE = {"success": "ok", "info": "info", "warning": "warning", "danger": "error"}


def _messages(page, kind: str):
    """The flash messages of one kind (success, info, danger) in the status region."""
    return page.locator(f".portal-messages[role=status] .utrecht-alert--{ALERT_OF_MESSAGE[kind]}")


# --------------------------------------------------------------------------- HR sets up


def test_hr_sets_up_and_launches_a_campaign_and_sees_nobody_signed_yet(
    page, live_server, hr_with_totp, employee, colleagues, version
):
    hr, secret = hr_with_totp
    in_scope = 1 + len(colleagues) + 1  # the employee, the colleagues and HR herself
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("campaigns:list"))
    expect(page.locator("#no-campaigns")).to_be_visible()
    click_and_follow(page, "#new-campaign")
    assert path_of(page) == reverse("campaigns:create")

    # The form starts with the only guideline ticked, everyone and today.
    expect(page.locator(f"input[name=versions][value='{version.pk}']")).to_be_checked()
    expect(page.locator("input[name=audience][value=all]")).to_be_checked()
    expect(page.locator("#id_start_date")).to_have_value(_days(0).isoformat())

    # A deadline before the start date: a focused error summary, nothing saved.
    page.locator("#id_name").fill("Jaarlijkse bevestiging")
    page.locator("#id_start_date").fill(_days(10).isoformat())
    page.locator("#id_deadline").fill(_days(5).isoformat())
    page.locator("#id_reminder_days").fill("14, 3")
    click_and_follow(page, "#save-campaign")
    assert path_of(page) == reverse("campaigns:create")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    link = summary.locator('a[href="#id_deadline"]')
    expect(link).to_have_count(1)
    expect(page.locator("#id_deadline")).to_have_attribute("aria-invalid", "true")
    assert not Campaign.objects.filter(kind=Campaign.Kind.CAMPAIGN).exists()
    # The link takes the keyboard to the field; what was typed is kept.
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.locator("#id_deadline")).to_be_focused()
    expect(page.locator("#id_name")).to_have_value("Jaarlijkse bevestiging")

    page.locator("#id_start_date").fill(_days(0).isoformat())
    page.locator("#id_deadline").fill(_days(30).isoformat())
    click_and_follow(page, "#save-campaign")
    campaign = Campaign.objects.get(kind=Campaign.Kind.CAMPAIGN)
    assert path_of(page) == reverse("campaigns:detail", args=[campaign.pk])
    assert (campaign.status, campaign.audience) == (Campaign.Status.DRAFT, Campaign.Audience.ALL)
    assert (campaign.start_date, campaign.deadline) == (_days(0), _days(30))
    assert campaign.reminder_days == [14, 3]
    assert list(campaign.subjects.values_list("version", flat=True)) == [version.pk]
    expect(_messages(page, "success")).to_have_count(1)
    expect(page.locator("#not-launched")).to_contain_text(str(in_scope))
    assert not Assignment.objects.exists()

    # The confirmation page gives the number of employees; launching asks them all.
    click_and_follow(page, "#launch-link")
    assert path_of(page) == reverse("campaigns:launch", args=[campaign.pk])
    expect(page.locator("#launch-summary li").first).to_have_text(re.compile(rf"\b{in_scope}\b"))
    expect(page.locator("#empty-audience")).to_have_count(0)
    assert not Assignment.objects.exists()
    tab_to(page, "#launch-button")
    press_and_follow(page, "Enter")

    assert path_of(page) == reverse("campaigns:detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    assert Assignment.objects.filter(campaign=campaign).count() == in_scope
    expect(_messages(page, "success")).to_contain_text(str(in_scope))
    expect(page.locator("#launch-link")).to_have_count(0)
    expect(page.locator("#count-in-scope")).to_have_text(str(in_scope))
    expect(page.locator("#count-signed")).to_have_text("0")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    done_text = page.locator("#done-text")
    expect(done_text).to_have_text(re.compile(r"(^|\D)0\s?%"))
    expect(done_text).to_have_text(re.compile(rf"\b{in_scope}\b"))
    expect(page.locator("#department-table tbody tr")).not_to_have_count(0)
    expect(page.locator("#completion-chart")).to_be_visible()


# --------------------------------------------------------------------------- the manager


@pytest.fixture
def team(transactional_db):
    """(manager, member, signed_member): a manager who reads the portal in English, with
    two reports; the second has signed already."""
    from people.tests.factories import EmployeeFactory

    boss = EmployeeFactory(first_name="Mark", last_name="de Baas", preferred_language="en")
    member = EmployeeFactory(
        first_name="Tessa", last_name="Teunissen", manager=boss, preferred_language="en"
    )
    done = EmployeeFactory(first_name="Daan", last_name="Dekker", manager=boss)
    return boss, member, done


def test_manager_reminds_a_team_member_by_keyboard_once_a_day(page, live_server, team, version):
    from django.utils import translation

    from acknowledgements.tests.factories import ready_to_sign, signed
    from campaigns.tests.factories import launched_campaign

    boss, member, done = team
    signed(done, ready_to_sign(done, version))
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging", deadline=_days(30))
    assignment = Assignment.objects.get(campaign=campaign, employee=member)
    done_assignment = Assignment.objects.get(campaign=campaign, employee=done)

    # By keyboard only: log in, then the "My team" link in the main menu.
    login_by_keyboard(page, live_server, boss)
    tab_to(page, f'header nav a[href="{reverse("campaigns_team:team")}"]')
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("campaigns_team:team")

    row = page.locator(f"#assignment-{assignment.pk}")
    with translation.override(boss.preferred_language):
        not_started = str(Assignment.Status.NOT_STARTED.label)
        signed_label = str(Assignment.Status.SIGNED.label)
    expect(row.locator(".assignment-status")).to_have_text(not_started)
    expect(row.locator("th")).to_contain_text("Teunissen")
    done_row = page.locator(f"#assignment-{done_assignment.pk}")
    expect(done_row.locator(".assignment-status")).to_have_text(signed_label)
    expect(done_row.locator("button")).to_have_count(0)
    expect(page.locator("#team-count-signed td")).to_have_text("1")
    expect(page.locator("#team-count-not_started td")).to_have_text("1")
    last_reminded = row.locator("td").nth(6)
    never = last_reminded.inner_text()

    # Remind: a confirmation, and the mail arrives with a link to the guideline's signing
    # page (which says what is left: the tips, the quiz).
    remind = row.locator("form button[type=submit]")
    expect(remind).to_have_accessible_name(re.compile(r"Tessa Teunissen"))
    mail.outbox.clear()
    tab_to(page, remind)
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("campaigns_team:team")
    expect(_messages(page, "success")).to_contain_text("Tessa Teunissen")
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert boss.full_name in message.subject
    assert reverse("signing:sign", kwargs={"guideline": "sociale-media"}) in message.body
    assert [mimetype for _content, mimetype in message.alternatives] == ["text/html"]
    reminder = Reminder.objects.get(assignment=assignment)
    assert (reminder.kind, reminder.status, reminder.requested_by_id) == (
        Reminder.Kind.MANUAL,
        Reminder.Status.SENT,
        boss.pk,
    )
    expect(row.locator("td").nth(6)).not_to_have_text(never)

    # Pressing again the same day says so and sends nothing.
    tab_to(page, row.locator("form button[type=submit]"))
    press_and_follow(page, "Enter")
    expect(_messages(page, "info")).to_contain_text("Tessa Teunissen")
    expect(_messages(page, "success")).to_have_count(0)
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(assignment=assignment).count() == 1


# --------------------------------------------------------------------------- the employee


def test_dashboard_shows_the_signature_after_the_employee_signs_from_the_due_block(
    page, second_page, live_server, hr_with_totp, employee, version
):
    from django.utils import translation
    from django.utils.formats import date_format

    from campaigns.tests.factories import launched_campaign

    hr, secret = hr_with_totp
    campaign = launched_campaign(version, name="Jaarlijkse bevestiging", deadline=_days(30))
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    dashboard = reverse("campaigns:detail", args=[campaign.pk])

    # HR's dashboard before: two in scope (the employee and HR herself), nobody signed.
    login(page, live_server, hr, totp_secret=secret)
    visit(page, dashboard)
    expect(page.locator("#count-in-scope")).to_have_text("2")
    expect(page.locator("#count-signed")).to_have_text("0")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    department_row = page.locator(
        f'#department-table tr[data-department="{employee.department_id}"]'
    )
    expect(department_row.locator("td").nth(1)).to_have_text("0")

    # The employee (in a browser of their own) sees what is due and follows it.
    employee_page = second_page
    login(employee_page, live_server, employee)
    due = employee_page.locator(f"#home-due #due-{assignment.pk}")
    expect(due).to_be_visible()
    with translation.override(employee.preferred_language):
        expect(due).to_contain_text(date_format(campaign.deadline, "DATE_FORMAT"))
    tab_to(employee_page, due.get_by_role("link"))
    press_and_follow(employee_page, "Enter")
    read_pass_and_sign(employee_page, employee)
    visit(employee_page, reverse("home"))
    expect(employee_page.locator("#home-due")).to_have_count(0)
    expect(employee_page.locator("#home-guideline-sociale-media .home-signed")).to_be_visible()

    # HR reloads: one of two signed, 50 %; the department's row and the chart follow.
    visit(page, dashboard)
    expect(page.locator("#count-signed")).to_have_text("1")
    expect(page.locator("#count-in-scope")).to_have_text("2")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    expect(page.locator("#done-text")).to_have_text(re.compile(r"(^|\D)50\s?%"))
    expect(department_row.locator("td").nth(1)).to_have_text("1")
    expect(department_row.locator("td.done")).to_have_text("100%")
    expect(page.locator("#completion-data tbody tr").last).to_contain_text("50%")
    # The chart's figures as a table, opened by keyboard, pass axe-core too.
    tab_to(page, "#completion-data summary", max_presses=80)
    page.keyboard.press("Enter")
    expect(page.locator("#completion-data table")).to_be_visible()
    axe_check(page, include="#completion-data")

    # The people list, filtered on "signed" with its form, shows the employee.
    click_and_follow(
        page, page.locator(f'nav a[href="{reverse("campaigns:people", args=[campaign.pk])}"]')
    )
    page.locator("#filter-form select[name=status]").select_option("signed")
    click_and_follow(page, page.locator("#filter-form button[type=submit]"))
    assert "status=signed" in page.url
    rows = page.locator("#assignment-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_id(f"assignment-{assignment.pk}")
    expect(rows.first).to_have_attribute("data-status", "signed")


# --------------------------------------------------------------------------- HR's other pages


@pytest.fixture
def overdue_campaign(transactional_db, hr_with_totp, employee, colleagues, version):
    """A campaign launched three weeks ago whose deadline passed five days ago: all four
    (the employee, two colleagues, HR) are overdue. Sara's last reminder failed."""
    from campaigns.tests.factories import launched_campaign

    hr, _secret = hr_with_totp
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    campaign = launched_campaign(
        version,
        by=hr,
        now=three_weeks_ago,
        name="Bevestiging 2025",
        start_date=_days(-21),
        deadline=_days(-5),
    )
    sara = Assignment.objects.get(campaign=campaign, employee=colleagues[1])
    Reminder.objects.create(
        assignment=sara,
        kind=Reminder.Kind.REMINDER,
        step="before-3",
        status=Reminder.Status.FAILED,
        attempts=5,
        created_at=timezone.now() - datetime.timedelta(days=8),
        next_attempt_at=timezone.now() - datetime.timedelta(days=8),
        last_error="SMTPRecipientsRefused: mailbox unavailable",
    )
    return campaign


def _login_hr(page, live_server, hr_with_totp) -> None:
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)


def test_hr_finds_the_overdue_and_exempts_one_with_a_reason_then_lifts_it(
    page, second_page, live_server, hr_with_totp, colleagues, overdue_campaign
):
    campaign = overdue_campaign
    piet = colleagues[0]
    piet_assignment = Assignment.objects.get(campaign=campaign, employee=piet)
    _login_hr(page, live_server, hr_with_totp)

    # The list, the dashboard, and the department table sorted by a column.
    visit(page, reverse("campaigns:list"))
    expect(page.locator(f"#campaign-{campaign.pk} .completion")).to_have_text("0%")
    click_and_follow(page, page.locator(f"#campaign-{campaign.pk} th a"))
    assert path_of(page) == reverse("campaigns:detail", args=[campaign.pk])
    expect(page.locator("#count-overdue")).to_have_text("4")
    click_and_follow(page, "#sort-overdue a")
    expect(page.locator("#sort-overdue")).to_have_attribute("aria-sort", "ascending")

    # The overdue list and its CSV (UTF-8 with BOM, ";").
    click_and_follow(page, "#overdue-link")
    expect(page.locator("#assignment-table tbody tr[data-status=overdue]")).to_have_count(4)
    with page.expect_download() as download:
        page.locator("#overdue-csv").click()
    with open(download.value.path(), "rb") as csv:
        lines = csv.read().decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeff") and ";" in lines[0]
    assert len(lines) == 1 + 4

    # Ask to exempt Piet: the reason is required; a second HR person approves (four
    # eyes), then the status shows "exempt" with it.
    click_and_follow(page, page.locator(f'#assignment-{piet_assignment.pk} a[href*="vrijstellen"]'))
    assert path_of(page) == reverse("campaigns:exempt", args=[piet_assignment.pk])
    click_and_follow(page, "#exempt-button")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_reason"]')).to_have_count(1)
    piet_assignment.refresh_from_db()
    assert not piet_assignment.is_exempt
    # The summary's link takes the keyboard to the field; the rest by keyboard too.
    tab_to(page, summary.locator('a[href="#id_reason"]'))
    page.keyboard.press("Enter")
    expect(page.locator("#id_reason")).to_be_focused()
    page.keyboard.type("Langdurig verlof")
    tab_to(page, "#exempt-button")
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("campaigns:people", args=[campaign.pk])
    assert "status=overdue" in page.url  # back to the list it came from
    expect(_messages(page, "success")).to_contain_text("Piet Pieters")
    # Asked for, not exempt yet: still overdue (and reminded) until someone else approves.
    expect(page.locator(f"#assignment-{piet_assignment.pk}")).to_have_attribute(
        "data-status", "overdue"
    )
    visit(page, reverse("campaigns:detail", args=[campaign.pk]))
    expect(page.locator("#count-exemptions-waiting")).to_have_text("1")
    visit(page, reverse("campaigns:exemptions_waiting"))
    exemption = piet_assignment.exemptions.get()
    expect(page.locator(f"#own-request-{exemption.pk}")).to_be_visible()
    expect(page.locator(f"#decide-{exemption.pk}")).to_have_count(0)

    # A second HR person approves it, by keyboard, with a note.
    from e2e.totp import activate_totp
    from people.tests.factories import EmployeeFactory

    colleague = EmployeeFactory(hr=True, first_name="Gerda", last_name="Tweede")
    login(second_page, live_server, colleague, totp_secret=activate_totp(colleague))
    visit(second_page, reverse("campaigns:list"))
    click_and_follow(second_page, "#exemptions-waiting-link")
    expect(second_page.locator(f"#exemption-{exemption.pk}")).to_contain_text("Langdurig verlof")
    click_and_follow(second_page, f"#decide-{exemption.pk}")
    assert path_of(second_page) == reverse("campaigns:exemption_decide", args=[exemption.pk])
    tab_to(second_page, "#id_note")
    second_page.keyboard.type("Akkoord, verlof bekend bij P&O")
    tab_to(second_page, "#approve-button")
    press_and_follow(second_page, "Enter")
    assert path_of(second_page) == reverse("campaigns:exemptions_waiting")
    expect(second_page.locator("#no-exemptions-waiting")).to_be_visible()

    visit(page, reverse("campaigns:people", args=[campaign.pk]) + "?status=overdue")
    expect(page.locator(f"#assignment-{piet_assignment.pk}")).to_have_count(0)
    page.locator("#filter-form select[name=status]").select_option("exempt")
    click_and_follow(page, "#filter-form button[type=submit]")
    piet_row = page.locator(f"#assignment-{piet_assignment.pk}")
    expect(piet_row).to_have_attribute("data-status", "exempt")
    expect(piet_row.locator(".status")).to_contain_text("Langdurig verlof")
    assert CampaignEvent.objects.filter(
        campaign=campaign, kind=CampaignEvent.Kind.EXEMPTED, assignment=piet_assignment
    ).exists()

    # Lift it again.
    click_and_follow(page, piet_row.locator('a[href*="vrijstelling-intrekken"]'))
    expect(page.locator("main dl")).to_contain_text("Langdurig verlof")
    click_and_follow(page, "#lift-button")
    expect(_messages(page, "success")).to_contain_text("Piet Pieters")
    piet_assignment.refresh_from_db()
    assert not piet_assignment.is_exempt


def test_hr_tries_a_failed_reminder_again_from_the_reminder_log(
    page, live_server, hr_with_totp, colleagues, overdue_campaign
):
    campaign = overdue_campaign
    sara = colleagues[1]
    _login_hr(page, live_server, hr_with_totp)
    visit(page, reverse("campaigns:detail", args=[campaign.pk]))
    click_and_follow(page, "#reminder-log-link")
    assert path_of(page) == reverse("campaigns:reminders", args=[campaign.pk])
    failed = page.locator("#reminder-table tbody tr[data-status=failed]")
    expect(failed).to_have_count(1)
    expect(failed.locator("th")).to_contain_text("Smit")
    mail.outbox.clear()
    click_and_follow(page, failed.get_by_role("button"))
    assert path_of(page) == reverse("campaigns:reminders", args=[campaign.pk])
    expect(page.locator("#reminder-table tbody tr[data-status=sent]")).to_have_count(1)
    assert [m.to for m in mail.outbox] == [[sara.email]]
    page.locator("#filter-form select[name=status]").select_option("failed")
    click_and_follow(page, "#filter-form button[type=submit]")
    expect(page.locator("#no-reminders")).to_be_visible()


def test_hr_changes_the_schedule_sees_the_onboarding_rule_and_closes_the_campaign(
    page, live_server, hr_with_totp, overdue_campaign
):
    campaign = overdue_campaign
    _login_hr(page, live_server, hr_with_totp)

    # The schedule: a wrong entry is refused with a summary, a right one is saved.
    visit(page, reverse("campaigns:detail", args=[campaign.pk]))
    click_and_follow(page, "#schedule-link")
    assert path_of(page) == reverse("campaigns:schedule", args=[campaign.pk])
    page.locator("#id_reminder_days").fill("14, veertien")
    click_and_follow(page, "#save-schedule")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator('#error-summary a[href="#id_reminder_days"]')).to_have_count(1)
    page.locator("#id_reminder_days").fill("21, 7")
    click_and_follow(page, "#save-schedule")
    assert path_of(page) == reverse("campaigns:detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.reminder_days == [21, 7]

    # The onboarding rule, and its dashboard.
    visit(page, reverse("campaigns:list"))
    click_and_follow(page, "#onboarding-rule")
    assert path_of(page) == reverse("campaigns:onboarding")
    expect(page.locator("#onboarding-days")).to_have_text(str(settings.CAMPAIGN_ONBOARDING_DAYS))
    expect(page.locator("#save-schedule")).to_be_visible()
    click_and_follow(page, "#onboarding-dashboard")
    expect(page.locator("#close-link")).to_have_count(0)

    # Closing, after a confirmation page.
    visit(page, reverse("campaigns:detail", args=[campaign.pk]))
    click_and_follow(page, "#close-link")
    assert path_of(page) == reverse("campaigns:close", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    click_and_follow(page, "#close-button")
    assert path_of(page) == reverse("campaigns:detail", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    expect(page.locator("#close-link")).to_have_count(0)
    expect(page.locator("#schedule-link")).to_have_count(0)
