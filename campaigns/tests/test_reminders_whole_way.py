"""Reminders that follow the whole way: before the due date, one on the due date, and
to the employee on the days after it that HR chose (Campaign.reminder_after_days),
before and beside the escalations to the manager and HR. Day by day against a real
SMTP server: which mail goes on which day, each once, a rerun on the same day sends
nothing more; a killed or failed send goes once; the texts say plainly that today is
the last day or that the deadline has passed, and that a yearly round asks everyone
again; nobody is chased for a version not in force yet; the schedule page lists the
whole sequence with its dates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, translation

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.selectors import dashboard
from campaigns.selectors import reminders as reminder_selectors
from campaigns.services import delivery, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from people.models import Employee
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

SOCIAL = "Handreiking gebruik sociale media"
PRIVACY = "Privacyreglement"
# The campaign starts on day 0 and is due on day 15: the story runs from 15 days before
# to 12 days after the due date.
DUE = 15
SCHEDULE = {
    "reminder_days": [14, 3],
    "reminder_after_days": [3, 10],
    "manager_escalation_days": 5,
    "hr_escalation_days": 12,
}


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.CAMPAIGN_HR_EMAIL = "hr@voorbeeldstad.nl"
    settings.CAMPAIGN_REMINDER_FIRST_BACKOFF = 60
    settings.CAMPAIGN_REMINDER_MAX_BACKOFF = 3600
    settings.CAMPAIGN_REMINDER_MAX_ATTEMPTS = 10
    settings.CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
    settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800


@pytest.fixture
def version(db):
    return quiz_version(tips=1, guideline=GuidelineFactory(title=SOCIAL), effective_date=day(-30))


@pytest.fixture
def manager(db):
    return EmployeeFactory(email="marieke@voorbeeldstad.nl", preferred_language="nl")


@pytest.fixture
def employee(manager):
    return EmployeeFactory(
        first_name="Piet", email="piet@voorbeeldstad.nl", manager=manager, preferred_language="nl"
    )


def campaign_for(version, people, **kwargs):
    for key, value in SCHEDULE.items():
        kwargs.setdefault(key, value)
    kwargs.setdefault("deadline", day(DUE))
    return launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=people, now=at(0), **kwargs
    )


def dutch_date(date: datetime.date) -> str:
    with translation.override("nl"):
        return formats.date_format(date, "j F Y")


def story(smtp_server, run_at, days) -> dict[int, list[tuple[str, str]]]:
    """Run the periodic command on each day (twice: 09:00 and 15:00); return {day:
    [(recipient, subject)]} of what arrived at the SMTP server, and assert that the
    second run of a day sent nothing more."""
    arrived: dict[int, list[tuple[str, str]]] = {}
    for n in days:
        before = len(smtp_server.messages)
        run_at(at(n))
        new = smtp_server.messages[before:]
        run_at(at(n, 15))
        assert len(smtp_server.messages) == before + len(new), f"day {n}: rerun sent more"
        if new:
            arrived[n] = [(m.rcpt_tos[0], str(m.message["Subject"])) for m in new]
    return arrived


# Day by day --------------------------------------------------------------------------------


def test_day_by_day_each_mail_goes_once_on_its_day(version, employee, manager, smtp_server, run_at):
    campaign_for(version, [employee])

    arrived = story(smtp_server, run_at, range(0, DUE + 13))

    piet, marieke, hr = "piet@voorbeeldstad.nl", "marieke@voorbeeldstad.nl", "hr@voorbeeldstad.nl"
    due = dutch_date(day(DUE))
    assert {n: [to for to, _subject in mails] for n, mails in arrived.items()} == {
        DUE - 14: [piet],
        DUE - 3: [piet],
        DUE: [piet],
        DUE + 3: [piet],
        DUE + 5: [marieke],
        DUE + 10: [piet],
        DUE + 12: [hr],
    }
    assert arrived[DUE - 14][0][1] == f"Herinnering: onderteken “{SOCIAL}” uiterlijk op {due}"
    assert arrived[DUE][0][1] == f"Vandaag is de laatste dag: onderteken “{SOCIAL}” vandaag nog"
    passed = f"De termijn is verstreken: onderteken “{SOCIAL}” zo snel mogelijk"
    assert arrived[DUE + 3][0][1] == arrived[DUE + 10][0][1] == passed


def test_the_steps_of_the_whole_way_are_planned_once_each(version, employee, run_at):
    campaign = campaign_for(version, [employee])
    for n in range(0, DUE + 13):
        run_at(at(n))

    steps = Reminder.objects.filter(assignment__campaign=campaign)
    assert sorted(steps.values_list("step", "kind", "status")) == sorted(
        [
            ("before-14", Reminder.Kind.REMINDER, Reminder.Status.SENT),
            ("before-3", Reminder.Kind.REMINDER, Reminder.Status.SENT),
            ("due", Reminder.Kind.REMINDER, Reminder.Status.SENT),
            ("after-3", Reminder.Kind.REMINDER, Reminder.Status.SENT),
            ("manager-5", Reminder.Kind.MANAGER, Reminder.Status.SENT),
            ("after-10", Reminder.Kind.REMINDER, Reminder.Status.SENT),
            ("hr-12", Reminder.Kind.HR, Reminder.Status.SENT),
        ]
    )


def test_signed_exempt_and_leavers_get_no_mail_on_or_after_the_due_date(
    version, manager, smtp_server, run_at
):
    signer, exempt, leaver, late = (
        EmployeeFactory(manager=manager, email=f"{name}@voorbeeldstad.nl")
        for name in ("signer", "exempt", "leaver", "late")
    )
    campaign = campaign_for(version, [signer, exempt, leaver, late])
    signed(signer, ready_to_sign(signer, version))
    services.exempt(
        assignment=campaign.assignments.get(employee=exempt), reason="Verlof", by=manager
    )
    Employee.objects.filter(pk=leaver.pk).update(end_date=day(DUE - 1))

    story(smtp_server, run_at, range(DUE, DUE + 11))

    employees = {address for m in smtp_server.messages for address in m.rcpt_tos} - {
        manager.email,
        "hr@voorbeeldstad.nl",
    }
    assert employees == {"late@voorbeeldstad.nl"}


def test_someone_who_signs_after_the_due_date_gets_no_more_reminders(
    version, employee, smtp_server, run_at
):
    campaign_for(version, [employee])
    story(smtp_server, run_at, range(0, DUE + 4))
    signed(employee, ready_to_sign(employee, version))

    assert story(smtp_server, run_at, range(DUE + 4, DUE + 13)) == {}


def test_a_run_that_missed_the_due_date_sends_its_mail_once_the_next_day(version, employee):
    campaign_for(version, [employee], reminder_after_days=[])

    reminders.plan_reminders(now=at(DUE - 3))
    reminders.plan_reminders(now=at(DUE + 2))
    reminders.plan_reminders(now=at(DUE + 3))

    assert sorted(Reminder.objects.values_list("step", flat=True)) == ["before-3", "due"]


def test_a_run_that_missed_the_due_date_and_its_first_day_after_sends_only_the_later(
    version, employee
):
    campaign_for(version, [employee])

    reminders.plan_reminders(now=at(DUE - 3))
    reminders.plan_reminders(now=at(DUE + 4))

    assert sorted(Reminder.objects.values_list("step", flat=True)) == ["after-3", "before-3"]


def test_days_after_added_long_after_the_due_date_mail_nobody_who_is_long_overdue(
    version, employee
):
    campaign = campaign_for(
        version,
        [employee],
        reminder_after_days=[],
        manager_escalation_days=None,
        hr_escalation_days=None,
    )
    reminders.plan_reminders(now=at(DUE))
    Campaign.objects.filter(pk=campaign.pk).update(reminder_after_days=[3])

    reminders.plan_reminders(now=at(DUE + 3 + reminders.LATE_DAYS))

    assert list(Reminder.objects.values_list("step", flat=True)) == ["due"]


def test_mails_on_the_same_day_for_two_guidelines_go_as_one_naming_both(
    version, employee, smtp_server, run_at
):
    privacy = quiz_version(tips=1, guideline=GuidelineFactory(title=PRIVACY, slug="privacy"))
    campaign_for(version, [employee])  # due on day 15
    campaign_for(privacy, [employee], deadline=day(DUE - 3), reminder_after_days=[6])

    arrived = story(smtp_server, run_at, [DUE])  # due, and 3 days after the privacy rules

    [(to, subject)] = arrived[DUE]
    assert subject == "De termijn is verstreken: onderteken 2 handreikingen zo snel mogelijk"
    [received] = smtp_server.messages
    assert f"De termijn is verstreken voor “{PRIVACY}”." in received.text
    assert f"Vandaag is de laatste dag voor “{SOCIAL}”." in received.text
    assert "vandaag is de laatste dag" in received.text  # in the list, beside the title


# Delivered once -----------------------------------------------------------------------------


def test_a_due_date_mail_whose_worker_was_killed_goes_once(
    version, employee, smtp_server, dispatch_at
):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(DUE))
    assert reminders.dispatch(now=at(DUE), clock=True) == 1  # the task is lost
    [pk] = Reminder.objects.filter(step="due").values_list("pk", flat=True)
    assert delivery.claim(pk=pk, worker="killed", now=at(DUE)) is not None  # and died

    dispatch_at(at(DUE, 9, 5))  # the claim still runs: nobody takes over
    dispatch_at(at(DUE, 9, 11))  # it ran out: taken over, sent
    dispatch_at(at(DUE, 9, 40))
    dispatch_at(at(DUE + 1))

    assert [m.rcpt_tos for m in smtp_server.messages] == [[employee.email]]
    assert Reminder.objects.get(pk=pk).status == Reminder.Status.SENT


def test_a_due_date_mail_the_server_refused_once_is_sent_once_on_the_retry(
    version, employee, smtp_server, run_at, dispatch_at
):
    campaign_for(version, [employee])
    smtp_server.refuse_data(1)

    run_at(at(DUE))
    assert smtp_server.messages == []
    dispatch_at(at(DUE, 9, 2))  # after the back-off of one minute
    dispatch_at(at(DUE, 9, 30))
    run_at(at(DUE, 15))
    run_at(at(DUE + 1))

    assert len(smtp_server.messages) == 1
    reminder = Reminder.objects.get(step="due")
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 2)


# The texts ----------------------------------------------------------------------------------


def sent_on(n, run_at, smtp_server):
    before = len(smtp_server.messages)
    run_at(at(n))
    [received] = smtp_server.messages[before:]
    return received


def test_the_due_date_mail_says_today_is_the_last_day_naming_the_guideline(
    version, employee, smtp_server, run_at
):
    campaign_for(version, [employee])

    received = sent_on(DUE, run_at, smtp_server)

    expected = f"Vandaag is de laatste dag om “{SOCIAL}” (versie 1) te lezen en te bevestigen."
    assert expected in received.text
    assert expected in text_of(parse(received.html), "body")


def test_the_mail_after_the_due_date_says_the_deadline_has_passed(
    version, employee, smtp_server, run_at
):
    campaign_for(version, [employee])

    received = sent_on(DUE + 3, run_at, smtp_server)

    assert (
        f"De termijn voor “{SOCIAL}” (versie 1) is verstreken: de uiterste datum was "
        f"{dutch_date(day(DUE))}. Lees en bevestig de handreiking zo snel mogelijk."
    ) in received.text


def test_the_mails_say_so_in_english_for_who_reads_english(version, employee, smtp_server, run_at):
    Employee.objects.filter(pk=employee.pk).update(preferred_language="en")
    campaign_for(version, [employee])

    due = sent_on(DUE, run_at, smtp_server)
    after = sent_on(DUE + 3, run_at, smtp_server)

    assert str(due.message["Subject"]) == f"Today is the last day: please sign “{SOCIAL}” today"
    assert "has passed" in after.text


def test_a_yearly_round_says_it_is_the_yearly_confirmation_also_for_who_signed_before(
    version, employee, smtp_server, run_at
):
    signed(employee, ready_to_sign(employee, version))  # last year's signature
    campaign_for(version, [employee], signing=Campaign.Signing.AGAIN)

    received = sent_on(DUE, run_at, smtp_server)

    sentence = (
        "Dit is de jaarlijkse herbevestiging: iedereen bevestigt de handreiking opnieuw, ook "
        "als je hem eerder al hebt ondertekend."
    )
    assert sentence in received.text
    assert sentence in text_of(parse(received.html), "body")


def test_a_round_for_who_has_not_signed_says_nothing_about_a_yearly_confirmation(
    version, employee, smtp_server, run_at
):
    campaign_for(version, [employee], signing=Campaign.Signing.MISSING)

    received = sent_on(DUE, run_at, smtp_server)

    assert "herbevestiging" not in received.text
    assert "herbevestiging" not in received.html


def test_a_bundled_mail_marks_the_guideline_of_the_yearly_round(
    version, employee, smtp_server, run_at
):
    privacy = quiz_version(tips=1, guideline=GuidelineFactory(title=PRIVACY, slug="privacy"))
    campaign_for(version, [employee], signing=Campaign.Signing.AGAIN)
    campaign_for(privacy, [employee], signing=Campaign.Signing.MISSING)

    received = sent_on(DUE, run_at, smtp_server)

    lines = received.text.splitlines()
    assert any(SOCIAL in line and "(jaarlijkse herbevestiging)" in line for line in lines)
    assert not any(PRIVACY in line and "herbevestiging" in line for line in lines)
    assert "ook wie de handreiking eerder al heeft ondertekend" in received.text


# Not in force yet --------------------------------------------------------------------------


def started_before_its_version_is_in_force(version, people, **kwargs):
    """A campaign from before campaigns waited for their version (set up for the day the
    version comes in force, then its start moved back in the data)."""
    deadline = kwargs.pop("deadline")
    campaign = campaign_for(
        version,
        people,
        start_date=version.effective_date,
        deadline=version.effective_date + datetime.timedelta(days=30),
        **kwargs,
    )
    Campaign.objects.filter(pk=campaign.pk).update(start_date=day(0), deadline=deadline)
    campaign.assignments.update(due_date=deadline)
    return campaign


def test_nobody_is_reminded_of_a_version_not_in_force_yet(employee, smtp_server, run_at):
    later = quiz_version(
        tips=1,
        guideline=GuidelineFactory(title=PRIVACY, slug="privacy"),
        effective_date=day(DUE + 20),
    )
    started_before_its_version_is_in_force(later, [employee], deadline=day(DUE))

    assert story(smtp_server, run_at, range(0, DUE + 13)) == {}
    assert not Reminder.objects.exists()


def test_a_mail_for_another_guideline_does_not_list_a_version_not_in_force_yet(
    version, employee, smtp_server, run_at
):
    later = quiz_version(
        tips=1,
        guideline=GuidelineFactory(title=PRIVACY, slug="privacy"),
        effective_date=day(DUE + 20),
    )
    campaign_for(version, [employee])
    started_before_its_version_is_in_force(later, [employee], deadline=day(DUE + 40))

    received = sent_on(DUE, run_at, smtp_server)

    assert SOCIAL in received.text
    assert PRIVACY not in received.text


# Onboarding --------------------------------------------------------------------------------


def test_new_employees_get_the_due_date_and_after_due_reminders_too(version):
    rule = services.onboarding_rule(on=day(0))
    Campaign.objects.filter(pk=rule.pk).update(reminder_after_days=[2, 5])
    newcomer = EmployeeFactory(start_date=day(0), manager=EmployeeFactory())
    services.apply_onboarding_rule(now=at(0))  # due on day 14

    planned = {}
    for n in range(0, 30):
        for step in reminders_planned_on(n, newcomer):
            planned.setdefault(n, []).append(step)

    assert planned == {
        7: ["before-7"],
        12: ["before-2"],
        14: ["due"],
        16: ["after-2"],
        17: ["manager-3"],
        19: ["after-5"],
        24: ["hr-10"],
    }


def reminders_planned_on(n, employee) -> list[str]:
    before = set(Reminder.objects.values_list("pk", flat=True))
    reminders.plan_reminders(now=at(n))
    new = Reminder.objects.exclude(pk__in=before).filter(assignment__employee=employee)
    return sorted(new.values_list("step", flat=True))


# The schedule page -------------------------------------------------------------------------


def test_the_sequence_lists_every_mail_in_date_order(version):
    campaign = campaign_for(version, [EmployeeFactory()])

    steps = reminder_selectors.schedule(campaign=campaign, due_date=campaign.deadline)

    assert [(step.key, step.date) for step in steps] == [
        ("before-14", day(DUE - 14)),
        ("before-3", day(DUE - 3)),
        ("due", day(DUE)),
        ("after-3", day(DUE + 3)),
        ("manager-5", day(DUE + 5)),
        ("after-10", day(DUE + 10)),
        ("hr-12", day(DUE + 12)),
    ]


def test_on_the_same_day_the_employee_comes_before_the_manager_and_hr(version):
    campaign = campaign_for(
        version,
        [EmployeeFactory()],
        reminder_after_days=[7],
        manager_escalation_days=7,
        hr_escalation_days=8,
    )

    steps = reminder_selectors.schedule(campaign=campaign)

    assert [step.key for step in steps][-3:] == ["after-7", "manager-7", "hr-8"]
    assert steps[-1].date is None


def test_the_reminder_log_names_the_due_date_and_after_due_steps(version, employee):
    campaign = campaign_for(version, [employee])
    assignment = campaign.assignments.get()

    with translation.override("en"):
        labels = [
            dashboard.step_label(reminder=Reminder(assignment=assignment, step=step))
            for step in ("due", "after-3")
        ]

    assert labels == ["On the due date", "3 days after the due date"]
