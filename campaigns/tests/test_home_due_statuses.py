"""The home page's "What is due" says in words how far someone is, for the statuses of
issue 20: reading (some tips opened, or all) and a quiz not passed yet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from acknowledgements.tests.factories import read_all_tips, ready_to_sign
from campaigns.models import Campaign
from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from portal.testing.html import one, parse, text
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return quiz_version(tips=3)


@pytest.fixture
def employee():
    return EmployeeFactory(preferred_language="en")


def due_status(client, employee, version) -> tuple[str, str]:
    """The status sentence and the button's first word for the employee's one task."""
    launched_campaign(version, audience=Campaign.Audience.EMPLOYEES, employees=[employee])
    client.force_login(employee)
    section = one(parse(client.get(reverse("home"))), "section#home-due")
    return text(one(section, ".due-status")), text(one(section, "a.utrecht-button-link")).split()[0]


def test_one_tip_opened_says_reading_has_started_and_continue(client, employee, version):
    read_all_tips(employee, version, except_numbers=[2, 3])

    status, button = due_status(client, employee, version)

    assert status == "You have started reading. What is left is on the next page."
    assert button == "Continue"


def test_every_tip_opened_says_all_tips_were_read(client, employee, version):
    read_all_tips(employee, version)

    status, _button = due_status(client, employee, version)

    assert status == "You have read all the tips. What is left is on the next page."


def test_a_failed_quiz_says_it_is_not_passed_yet_and_continue(client, employee, version):
    ready_to_sign(employee, version, read=False, passed=False)

    status, button = due_status(client, employee, version)

    assert status == "You have not passed the quiz yet. What is left is on the next page."
    assert button == "Continue"


def test_the_dutch_status_is_natural_dutch(client, version):
    employee = EmployeeFactory(preferred_language="nl")
    ready_to_sign(employee, version, read=False, passed=False)

    status, button = due_status(client, employee, version)

    assert (
        status
        == "Je hebt de quiz nog niet gehaald. Wat je nog moet doen, staat op de volgende pagina."
    )
    assert button == "Verder"
