"""Planning runs at the same moment, with several guidelines: still one mail per person,
every bundled row pointing at the mail it went in, marked sent with it (SQLite and
PostgreSQL; the tests commit for real, each thread on its own connection)."""

from collections import Counter

import pytest

from campaigns.models import Campaign, Reminder
from campaigns.services import reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from campaigns.tests.threads import in_threads
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 6
GUIDELINES = 3


@pytest.fixture
def people(transactional_db):
    people = [EmployeeFactory() for _ in range(PEOPLE)]
    for n in range(GUIDELINES):
        version = quiz_version(
            tips=1, guideline=GuidelineFactory(slug=f"handreiking-{n}", title=f"Handreiking {n}")
        )
        launched_campaign(
            version,
            audience=Campaign.Audience.EMPLOYEES,
            employees=people,
            deadline=day(30),
            now=at(0),
        )
    return people


def received_per_address(smtp_server) -> Counter:
    return Counter(address for m in smtp_server.messages for address in m.rcpt_tos)


def assert_one_mail_per_person(people, smtp_server):
    assert received_per_address(smtp_server) == Counter({p.email: 1 for p in people})
    statuses = Counter(Reminder.objects.values_list("status", flat=True))
    assert statuses == {
        Reminder.Status.SENT: PEOPLE,
        Reminder.Status.BUNDLED: PEOPLE * (GUIDELINES - 1),
    }
    for row in Reminder.objects.filter(status=Reminder.Status.BUNDLED).select_related("bundle"):
        assert row.bundle.status == Reminder.Status.SENT
        assert row.bundle.assignment.employee_id == row.assignment.employee_id
        assert row.sent_at == row.bundle.sent_at is not None
    for message in smtp_server.messages:
        assert all(f"Handreiking {n}" in message.text for n in range(GUIDELINES))


def test_two_runs_at_the_same_moment_send_one_mail_per_person(people, smtp_server):
    results, errors = in_threads([lambda: reminders.run(now=at(16), clock=True)] * 2)

    assert errors == []
    assert_one_mail_per_person(people, smtp_server)


def test_four_runs_minutes_apart_send_one_mail_per_person(people, smtp_server):
    moments = [at(16, 9, minute) for minute in range(4)]

    _results, errors = in_threads(
        [lambda moment=moment: reminders.run(now=moment, clock=True) for moment in moments]
    )

    assert errors == []
    assert_one_mail_per_person(people, smtp_server)


def test_planning_and_bundling_while_another_run_hands_mails_over(people, smtp_server):
    _results, errors = in_threads(
        [
            lambda: reminders.plan_reminders(now=at(16)),
            lambda: reminders.plan_reminders(now=at(16)),
            lambda: reminders.dispatch(now=at(16), clock=True),
        ]
    )
    assert errors == []
    reminders.run(now=at(16, 9, 40), clock=True)

    received = received_per_address(smtp_server)
    assert set(received) == {p.email for p in people}
    # A mail handed over before a row was planned may leave that row a mail of its own,
    # but no row is lost: each is sent, or bundled into a mail that was sent.
    for row in Reminder.objects.select_related("bundle"):
        mail_row = row.bundle or row
        assert mail_row.status == Reminder.Status.SENT
        assert row.sent_at is not None
