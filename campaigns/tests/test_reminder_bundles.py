"""One mail per person: the steps of one employee and one kind planned together, across
guidelines and campaigns, go as one mail (the lowest row; the others "sent in another
mail"), which lists everything open for that person when it goes. Planning and
delivery take the same number of queries however many guidelines a person has."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.services import delivery, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from handbook.models import Guideline
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

SOCIAL = "Handreiking gebruik sociale media"
Status = Reminder.Status


def guideline_version(slug, title):
    return quiz_version(tips=1, guideline=GuidelineFactory(slug=slug, title=title))


@pytest.fixture
def privacy(db):
    return guideline_version("privacy", "Privacyreglement")


@pytest.fixture
def employee(db):
    return EmployeeFactory(preferred_language="nl", manager=EmployeeFactory())


def campaign_for(version, people, deadline=None, **kwargs):
    return launched_campaign(
        version,
        audience=Campaign.Audience.EMPLOYEES,
        employees=people,
        deadline=deadline or day(30),
        now=at(0),
        **kwargs,
    )


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_two_guidelines_with_steps_on_the_same_day_go_as_one_mail_listing_both(
    version, privacy, employee, run_at
):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])

    run_at(at(16))

    [message] = mail.outbox
    with translation.override("nl"):
        due = formats.date_format(day(30), "j F Y")
    assert (
        message.subject == f"Herinnering: onderteken 2 handreikingen, de eerste uiterlijk op {due}"
    )
    assert SOCIAL in message.body and "Privacyreglement" in message.body
    leader, bundled = Reminder.objects.order_by("pk")
    assert (leader.status, leader.bundle) == (Status.SENT, None)
    assert (bundled.status, bundled.bundle) == (Status.BUNDLED, leader)
    assert bundled.sent_at == leader.sent_at == at(16)
    assert bundled.recipients == leader.recipients == employee.email


def test_a_campaign_of_two_guidelines_sends_one_mail_listing_both(
    version, privacy, employee, run_at
):
    campaign_for([version, privacy], [employee])

    run_at(at(16))

    [message] = mail.outbox
    assert SOCIAL in message.body and "Privacyreglement" in message.body
    assert sorted(Reminder.objects.values_list("status", flat=True)) == [
        Status.BUNDLED,
        Status.SENT,
    ]


def test_planning_twice_still_sends_one_mail(version, privacy, employee, run_at):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])

    reminders.plan_reminders(now=at(16))
    reminders.plan_reminders(now=at(16, 10))
    run_at(at(16, 11))
    run_at(at(17))

    assert len(mail.outbox) == 1
    assert sorted(Reminder.objects.values_list("status", flat=True)) == [
        Status.BUNDLED,
        Status.SENT,
    ]


def test_a_row_planned_later_joins_a_mail_not_handed_over_yet(version, privacy, employee):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(16))
    first = Reminder.objects.get()
    campaign_for(privacy, [employee])

    reminders.plan_reminders(now=at(16, 10))

    later = Reminder.objects.exclude(pk=first.pk).get()
    assert (later.status, later.bundle) == (Status.BUNDLED, first)
    assert Reminder.objects.get(pk=first.pk).status == Status.PENDING


def test_a_mail_already_handed_over_takes_no_more_rows(version, privacy, employee, run_at):
    campaign_for(version, [employee])
    run_at(at(16))
    campaign_for(privacy, [employee], deadline=day(20))

    run_at(at(16, 10))

    assert Reminder.objects.filter(bundle__isnull=False).count() == 0
    assert len(mail.outbox) == 2


def test_the_mail_lists_an_open_guideline_whose_step_is_not_due_today(
    version, privacy, employee, run_at
):
    campaign_for(version, [employee], deadline=day(30))
    campaign_for(privacy, [employee], deadline=day(60))  # its first reminder: day 46

    run_at(at(16))

    [message] = mail.outbox
    assert "Privacyreglement" in message.body and SOCIAL in message.body
    assert Reminder.objects.count() == 1


def test_a_signed_guideline_is_not_in_the_mail(version, privacy, employee, run_at):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    signed(employee, ready_to_sign(employee, privacy))

    run_at(at(16))

    [message] = mail.outbox
    assert "Privacyreglement" not in message.body
    assert SOCIAL in message.subject


def test_the_mail_goes_when_its_own_guideline_was_signed_but_a_bundled_one_is_open(
    version, privacy, employee, dispatch_at
):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    reminders.plan_reminders(now=at(16))
    leader = Reminder.objects.get(bundle__isnull=True)
    signed(employee, ready_to_sign(employee, leader.assignment.version))

    dispatch_at(at(16, 10))

    [message] = mail.outbox
    assert Reminder.objects.get(pk=leader.pk).status == Status.SENT
    open_title = "Privacyreglement" if leader.assignment.version == version else SOCIAL
    assert open_title in message.subject


def test_a_mail_whose_guidelines_are_all_signed_is_cancelled_with_its_bundle(
    version, privacy, employee, dispatch_at
):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    reminders.plan_reminders(now=at(16))
    signed(employee, ready_to_sign(employee, version))
    signed(employee, ready_to_sign(employee, privacy))

    dispatch_at(at(16, 10))

    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Status.CANCELLED}


def test_different_people_and_different_kinds_get_mails_of_their_own(
    version, privacy, employee, run_at, settings
):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    colleague = EmployeeFactory(manager=employee.manager)
    # The manager is told about one campaign on the day the other reminds.
    campaign_for(version, [employee, colleague], deadline=day(30))  # manager told on day 37
    campaign_for(privacy, [employee, colleague], deadline=day(51))  # reminded on day 37

    run_at(at(37))

    assert len(mails_to(employee.email)) == 1
    assert len(mails_to(colleague.email)) == 1
    # One escalation per person to the manager (same manager, two people: two mails).
    assert len(mails_to(employee.manager.email)) == 2


def test_the_reminder_log_shows_which_mail_a_bundled_row_went_in(
    version, privacy, employee, run_at, hr_client
):
    campaign = campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    run_at(at(16))
    leader = Reminder.objects.get(bundle__isnull=True)
    bundled = Reminder.objects.get(bundle__isnull=False)

    html = hr_client.get(
        reverse("campaigns:reminders", args=[bundled.assignment.campaign_id])
    ).content.decode()

    # The HR user reads the portal in English.
    assert f"sent with mail #{leader.pk}" in html
    assert "Sent in another mail" in html
    assert campaign.pk in {leader.assignment.campaign_id, bundled.assignment.campaign_id}


def test_hr_can_try_a_failed_mail_again_and_its_bundle_is_marked_sent(
    version, privacy, employee, django_capture_on_commit_callbacks
):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    reminders.plan_reminders(now=at(16))
    leader = Reminder.objects.get(bundle__isnull=True)
    Reminder.objects.filter(pk=leader.pk).update(
        status=Status.FAILED, last_error="SMTPRecipientsRefused: 550", attempts=10
    )

    with django_capture_on_commit_callbacks(execute=True):
        reminders.retry_failed(reminder=leader, by=EmployeeFactory(hr=True), now=at(17))

    [message] = mail.outbox
    assert "Privacyreglement" in message.body and SOCIAL in message.body
    assert Reminder.objects.get(pk=leader.pk).status == Status.SENT
    assert Reminder.objects.get(bundle=leader).sent_at == at(17)


def test_a_crashed_workers_mail_is_sent_once_with_its_bundle(
    version, privacy, employee, smtp_server, dispatch_at, settings
):
    settings.CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    reminders.plan_reminders(now=at(16))
    leader = Reminder.objects.get(bundle__isnull=True)
    assert delivery.claim(pk=leader.pk, worker="crashed", now=at(16)) is not None

    assert dispatch_at(at(16, 9, 5)) == 0
    assert dispatch_at(at(16, 9, 11)) == 1

    [received] = smtp_server.messages
    assert "Privacyreglement" in received.text
    assert Reminder.objects.get(bundle=leader).sent_at == at(16, 9, 11)


def test_a_managers_reminder_is_one_mail_per_person(
    version, privacy, employee, django_capture_on_commit_callbacks
):
    manager = employee.manager
    first = campaign_for(version, [employee])
    second = campaign_for(privacy, [employee])
    assignments = first.assignments.all() | second.assignments.all()

    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.remind_now(assignments=assignments, by=manager, now=at(5))
        again = reminders.remind_now(assignments=assignments, by=manager, now=at(5, 16))

    assert (counts, again) == ((1, 0), (0, 1))
    [message] = mail.outbox
    assert "2 handreikingen" in message.subject
    assert Reminder.objects.filter(kind=Reminder.Kind.MANUAL).count() == 2


def test_bundling_takes_a_few_statements_whatever_the_number_of_rows(
    version, privacy, django_assert_max_num_queries
):
    people = [EmployeeFactory() for _ in range(10)]
    for campaign in (campaign_for(version, people), campaign_for(privacy, people)):
        ids = campaign.assignments.values_list("pk", flat=True)
        reminders._insert(ids, kind=Reminder.Kind.REMINDER, step="before-14", now=at(16))

    # Two updates; on PostgreSQL the lock; the savepoint and its release in a test.
    with django_assert_max_num_queries(5):
        assert reminders.bundle() == 10

    assert Reminder.objects.filter(status=Status.PENDING).count() == 10
    assert Reminder.objects.filter(status=Status.BUNDLED).count() == 10


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_planning_takes_the_same_queries_however_many_guidelines_and_people(version):
    versions = [version] + [guideline_version(f"g{n}", f"Handreiking {n}") for n in range(3)]

    def planned_for(guidelines, count):
        people = [EmployeeFactory() for _ in range(count)]
        campaign = campaign_for(versions[:guidelines], people)
        queries = _queries(lambda: reminders.plan_reminders(now=at(16)))
        assert Reminder.objects.filter(status=Status.PENDING).count() == count
        assert Reminder.objects.filter(status=Status.BUNDLED).count() == (guidelines - 1) * count
        services.close_campaign(campaign=campaign, by=None)
        Reminder.objects.update(status=Status.CANCELLED)
        return queries

    assert planned_for(1, 2) == planned_for(4, 12)


def test_delivering_a_mail_takes_the_same_queries_whatever_the_number_of_guidelines(
    version, settings
):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    one = EmployeeFactory()
    many = EmployeeFactory()
    campaign_for(version, [one, many])
    for n in range(1, 5):
        campaign_for(guideline_version(f"g{n}", f"Handreiking {n}"), [many])
    reminders.plan_reminders(now=at(16))
    mail_of = dict(
        Reminder.objects.filter(bundle__isnull=True).values_list("assignment__employee", "pk")
    )
    assert Reminder.objects.filter(bundle_id=mail_of[many.pk]).count() == 4

    single = _queries(lambda: delivery.deliver(reminder_ids=[mail_of[one.pk]], now=at(16)))
    bundled = _queries(lambda: delivery.deliver(reminder_ids=[mail_of[many.pk]], now=at(16)))

    assert single == bundled <= 10
    assert "5 handreikingen" in mail.outbox[1].subject
    assert Guideline.objects.count() == 5


def test_a_bundled_row_is_never_handed_to_a_worker_nor_tried_again_alone(
    version, privacy, employee
):
    campaign_for(version, [employee])
    campaign_for(privacy, [employee])
    reminders.plan_reminders(now=at(16))
    bundled = Reminder.objects.get(bundle__isnull=False)

    assert reminders.dispatch(now=at(16)) == 1
    assert Reminder.objects.get(pk=bundled.pk).dispatched_at is None
    assert delivery.claim(pk=bundled.pk, worker="w", now=at(16)) is None
    with pytest.raises(services.CampaignError):
        reminders.retry_failed(reminder=bundled, by=EmployeeFactory(hr=True))
