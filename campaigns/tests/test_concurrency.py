"""Two periodic runs, or two workers, at the same moment: each mail still arrives
exactly once at the (real) SMTP server, with one Reminder per assignment and step, and
each joiner or newcomer gets one assignment (SQLite and PostgreSQL).

The tests commit for real (transaction=True); each thread has its own connection and
closes it at its end (campaigns.tests.threads)."""

from collections import Counter

import pytest

from campaigns import services
from campaigns.models import Assignment, Campaign, CampaignEvent, Reminder
from campaigns.services import delivery, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import draft_campaign, launched_campaign
from campaigns.tests.threads import in_threads
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 8


@pytest.fixture
def version(transactional_db):
    return quiz_version(tips=2)


def received_per_address(smtp_server) -> Counter:
    return Counter(address for m in smtp_server.messages for address in m.rcpt_tos)


def test_two_runs_at_the_same_moment_send_each_reminder_once(version, smtp_server):
    people = [EmployeeFactory() for _ in range(PEOPLE)]
    launched_campaign(version, deadline=day(30), now=at(0))
    moment = at(16)

    results, errors = in_threads([lambda: reminders.run(now=moment, clock=True)] * 2)

    assert errors == []
    assert sum(r["planned"] for r in results) >= PEOPLE
    assert received_per_address(smtp_server) == Counter({p.email: 1 for p in people})
    assert Reminder.objects.count() == PEOPLE
    assert set(Reminder.objects.values_list("step", flat=True)) == {"before-14"}
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_two_runs_every_day_of_the_schedule_send_each_step_once(version, smtp_server, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    manager = EmployeeFactory(email="manager@voorbeeldstad.nl")
    people = [EmployeeFactory(manager=manager) for _ in range(3)]
    launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=people, deadline=day(30)
    )

    for n in (16, 27, 37, 44):
        _results, errors = in_threads([lambda n=n: reminders.run(now=at(n), clock=True)] * 2)
        assert errors == []

    steps = Counter(Reminder.objects.values_list("step", flat=True))
    assert steps == {"before-14": 3, "before-3": 3, "manager-7": 3, "hr-14": 3}
    received = received_per_address(smtp_server)
    assert received == {
        **{p.email: 2 for p in people},
        "manager@voorbeeldstad.nl": 3,
        # HR gets one e-mail listing the three, not three e-mails.
        "po@voorbeeldstad.nl": 1,
    }


def test_two_workers_given_the_same_mails_send_each_once(version, smtp_server):
    people = [EmployeeFactory() for _ in range(PEOPLE)]
    launched_campaign(version, deadline=day(30), now=at(0))
    reminders.plan_reminders(now=at(16))
    ids = list(Reminder.objects.values_list("pk", flat=True))

    results, errors = in_threads(
        [
            lambda: delivery.deliver(reminder_ids=ids, now=at(16)),
            lambda: delivery.deliver(reminder_ids=ids, now=at(16)),
        ]
    )

    assert errors == []
    assert sum(outcome.sent for outcome in results) == PEOPLE
    assert sum(outcome.skipped for outcome in results) == PEOPLE
    assert received_per_address(smtp_server) == Counter({p.email: 1 for p in people})


def test_two_runs_add_each_joiner_and_newcomer_once(version, smtp_server):
    EmployeeFactory()
    campaign = launched_campaign(version, deadline=day(30), now=at(0))
    services.onboarding_rule(on=day(0))
    joiners = [EmployeeFactory() for _ in range(3)]
    newcomers = [EmployeeFactory(start_date=day(1)) for _ in range(2)]

    _results, errors = in_threads([lambda: reminders.run(now=at(2), clock=True)] * 2)

    assert errors == []
    joined = Assignment.objects.filter(campaign=campaign, reason=Assignment.Reason.JOINED)
    # The newcomers sign the same version through onboarding: they do not join as well.
    assert set(joined.values_list("employee", flat=True)) == {e.pk for e in joiners}
    onboarding = Assignment.objects.filter(campaign__kind=Campaign.Kind.ONBOARDING)
    assert sorted(onboarding.values_list("employee", flat=True)) == sorted(e.pk for e in newcomers)
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.JOINED).count() == 1
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.ONBOARDING).count() == 1
    assert CampaignEvent.objects.get(kind=CampaignEvent.Kind.JOINED).details == {"assignments": 3}


def test_two_launches_at_the_same_moment_launch_once(version):
    [EmployeeFactory() for _ in range(PEOPLE)]
    campaign = draft_campaign(version, deadline=day(30))

    results, errors = in_threads([lambda: services.launch_campaign(campaign=campaign, by=None)] * 2)

    assert results == [PEOPLE]
    assert len(errors) == 1 and isinstance(errors[0], services.CampaignError)
    assert campaign.assignments.count() == PEOPLE
    assert campaign.events.filter(kind=CampaignEvent.Kind.LAUNCHED).count() == 1
