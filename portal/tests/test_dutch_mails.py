"""Every kind of e-mail the portal sends, made in Dutch, is wholly Dutch: each message
looked up while its subject and bodies are made has a Dutch translation
(portal.testing.translations), no date is written the English way, no setting is named,
and the campaign's last day is "uiterste datum".

The mails are made as the portal makes them (the services, allauth's password reset);
what goes out is read from Django's test outbox.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Reminder
from campaigns.services import mails
from campaigns.tests.conftest import at, day
from campaigns.tests.test_mails import campaign_of, reminder_for
from people.tests.factories import EmployeeFactory
from portal.testing.translations import (
    english_dates,
    page_text,
    setting_names,
    untranslated_messages,
)
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.PORTAL_BASE_URL = "https://portaal.example.nl/"
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    settings.PORTAL_HR_LEAD_EMAIL = "hoofd-po@voorbeeldstad.nl"


@pytest.fixture
def version():
    return quiz_version(tips=3)


def _english_in(message) -> list[str]:
    """What is not Dutch in a mail's subject, text and HTML."""
    parts = [message.subject, message.body] + [
        page_text(content) for content, _mimetype in getattr(message, "alternatives", [])
    ]
    found = []
    for part in parts:
        found += english_dates(part) + setting_names(part)
        if "deadline" in part.lower():
            found.append("deadline")
    return found


def _assert_dutch(make):
    with untranslated_messages("nl") as missing:
        message = make()
    assert message is not None
    assert not missing, missing.report()
    assert not _english_in(message), _english_in(message)


REMINDERS = {
    # kind, step, the day it is made (the deadline is day 30)
    "reminder before the due date": (Reminder.Kind.REMINDER, "before-14", 16),
    "reminder on the due date": (Reminder.Kind.REMINDER, "due", 30),
    "reminder after the due date": (Reminder.Kind.REMINDER, "after-3", 33),
    "to the manager": (Reminder.Kind.MANAGER, "manager-7", 37),
    "to HR": (Reminder.Kind.HR, "hr-14", 44),
}


@pytest.mark.parametrize("what", REMINDERS)
def test_a_campaigns_mail_is_wholly_dutch(version, what):
    kind, step, on = REMINDERS[what]
    manager = EmployeeFactory(first_name="Marieke", last_name="Visser")
    employee = EmployeeFactory(first_name="Piet", last_name="de Boer", manager=manager)
    reminder = reminder_for(version, employee, kind=kind, step=step)

    _assert_dutch(lambda: mails.build(reminder=reminder, now=at(on)))


def test_a_managers_own_reminder_is_wholly_dutch(version):
    manager = EmployeeFactory(first_name="Marieke", last_name="Visser")
    employee = EmployeeFactory(manager=manager)
    reminder = reminder_for(
        version, employee, kind=Reminder.Kind.MANUAL, step="manual-x", requested_by=manager
    )

    _assert_dutch(lambda: mails.build(reminder=reminder, now=at(16)))


def test_hrs_list_of_everyone_late_is_wholly_dutch(version):
    people = [EmployeeFactory(), EmployeeFactory()]
    campaign = campaign_of(version, people)
    escalations = [
        Reminder.objects.create(
            assignment=assignment,
            kind=Reminder.Kind.HR,
            step="hr-14",
            created_at=at(44),
            next_attempt_at=at(44),
        )
        for assignment in campaign.assignments.order_by("pk")
    ]

    _assert_dutch(lambda: mails.build_hr_digest(reminders=escalations, now=at(44)))


def test_the_invitation_is_wholly_dutch():
    from people.services.invitations import build_invitation

    _assert_dutch(lambda: build_invitation(employee=EmployeeFactory()))


def test_the_request_to_sign_again_is_wholly_dutch():
    from acknowledgements.services.notifications import send_reacknowledgement_notices
    from acknowledgements.tests.test_notify import M, U, second_version, signer

    first = quiz_version(tips=3)
    signer(first, first_name="An")
    second = second_version(first, [U, M, U])

    def make():
        send_reacknowledgement_notices(version=second)
        [message] = mail.outbox
        return message

    _assert_dutch(make)


def test_the_review_reminder_is_wholly_dutch():
    from handbook.services.reviews import send_review_reminders
    from handbook.tests.factories import GuidelineFactory

    today = datetime.date(2026, 11, 1)
    GuidelineFactory(owner=EmployeeFactory(), review_date=today + datetime.timedelta(days=20))

    def make():
        send_review_reminders(today=today)
        [message] = mail.outbox
        return message

    _assert_dutch(make)


def test_the_monthly_list_of_exemptions_is_wholly_dutch(version):
    from campaigns import services as campaign_services
    from campaigns.models import Assignment
    from campaigns.services.exemptions import mail_monthly_list

    hr = EmployeeFactory(hr=True)
    campaign = campaign_of(version, [EmployeeFactory()])
    campaign_services.exempt(
        assignment=Assignment.objects.get(campaign=campaign), reason="langdurig verlof", by=hr
    )

    def make():
        mail_monthly_list(month=day(0))
        [message] = mail.outbox
        return message

    _assert_dutch(make)


def test_the_password_reset_mail_is_wholly_dutch(client):
    employee = EmployeeFactory(email="an@voorbeeldstad.nl")

    def make():
        client.post(
            reverse("account_reset_password"),
            {"email": employee.email},
            headers={"accept-language": "nl"},
        )
        [message] = mail.outbox
        return message

    _assert_dutch(make)


def test_the_request_to_sign_again_about_one_changed_tip_says_de_gewijzigde_tip():
    from acknowledgements.services.notifications import send_reacknowledgement_notices
    from acknowledgements.tests.test_notify import M, U, second_version, signer

    first = quiz_version(tips=3)
    signer(first)
    second = second_version(first, [U, M, U])

    send_reacknowledgement_notices(version=second)

    [message] = mail.outbox
    assert "Je hoeft alleen de gewijzigde tip te lezen" in message.body
    assert "de 1 gewijzigde tip" not in message.body
