"""The monthly list of exemptions granted, mailed to the HR lead
(`manage.py mail_exemptions`, PORTAL_HR_LEAD_EMAIL; issue 21): nobody is left out of a
campaign unseen, also not by an exemption made without a second person."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns import services
from campaigns.services import exemptions as four_eyes
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import assignment_of, hr
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

LEAD = "hoofd-po@voorbeeldstad.nl"


@pytest.fixture(autouse=True)
def _lead(settings):
    settings.PORTAL_HR_LEAD_EMAIL = LEAD


def moment(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def people(version):
    staff = {
        name: EmployeeFactory(first_name=name, last_name="Test")
        for name in ("Ans", "Bram", "Cor", "Dirk")
    }
    campaign = launched_campaign(version)
    return {name: assignment_of(campaign, person) for name, person in staff.items()}


def approved_on(assignment, when: datetime.datetime, reason: str) -> None:
    with mock.patch("django.utils.timezone.now", return_value=when):
        exemption = four_eyes.request_exemption(assignment=assignment, reason=reason, by=hr())
        four_eyes.approve_exemption(
            exemption=exemption, by=hr(first_name="Greet", last_name="Goedkeur")
        )


def test_the_list_names_each_exemption_granted_that_month_with_reason_and_approver(people):
    approved_on(people["Ans"], moment(2026, 11, 3), "Langdurig verlof")
    approved_on(people["Bram"], moment(2026, 10, 31), "Ouderschapsverlof")
    four_eyes.request_exemption(assignment=people["Cor"], reason="Wacht nog", by=hr())

    call_command("mail_exemptions", "--month", "2026-11", stdout=mock.MagicMock())

    [message] = mail.outbox
    assert message.to == [LEAD]
    assert "Ans Test" in message.body and "Langdurig verlof" in message.body
    assert "Greet Goedkeur" in message.body
    assert "Bram Test" not in message.body  # granted in October
    assert "Cor Test" not in message.body  # not granted: waiting
    assert "1 verzoek" in message.body  # the one waiting, with the page's address


def test_the_list_says_when_an_exemption_had_no_second_person(people):
    with mock.patch("django.utils.timezone.now", return_value=moment(2026, 11, 5)):
        services.exempt(assignment=people["Dirk"], reason="Via de opdrachtregel", by=None)

    call_command("mail_exemptions", "--month", "2026-11", stdout=mock.MagicMock())

    body = mail.outbox[0].body
    assert "Dirk Test" in body
    assert "zonder goedkeuring van een tweede persoon" in body


def test_without_any_exemption_the_list_still_goes_so_the_lead_knows_it_ran(people):
    call_command("mail_exemptions", "--month", "2026-11", stdout=mock.MagicMock())

    assert "Niemand is deze maand vrijgesteld." in mail.outbox[0].body


def test_without_the_lead_address_the_command_refuses(settings, people):
    settings.PORTAL_HR_LEAD_EMAIL = ""

    with pytest.raises(CommandError, match="PORTAL_HR_LEAD_EMAIL"):
        call_command("mail_exemptions", stdout=mock.MagicMock())

    assert mail.outbox == []


def test_by_default_the_command_lists_last_month(people):
    approved_on(people["Ans"], moment(2026, 11, 30), "Langdurig verlof")

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 1)):
        call_command("mail_exemptions", stdout=mock.MagicMock())

    assert "Ans Test" in mail.outbox[0].body
