"""Delivery of planned mails by the worker: claimed, checked, sent and marked once; a
mail that is no longer needed by the time it goes (signed, exempt, left, closed) is
cancelled; a worker that died with a claim is taken over when the claim runs out."""

import datetime

import pytest
from django.core import mail

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services
from campaigns.models import Campaign, CampaignEvent, Reminder
from campaigns.services import delivery, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.models import Employee
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

REMINDER_DAY = 16  # 14 days before the deadline on day 30


def campaign_for(version, people, **kwargs):
    kwargs.setdefault("deadline", day(30))
    return launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=people, now=at(0), **kwargs
    )


@pytest.fixture
def employee(db):
    return EmployeeFactory(preferred_language="en")


def test_a_due_reminder_is_sent_and_marked_sent(version, employee, run_at):
    campaign_for(version, [employee])

    counts = run_at(at(REMINDER_DAY))

    assert counts == {
        "joined": 0,
        "onboarded": 0,
        "repaired": 0,
        "planned": 1,
        "dispatched": 1,
    }
    [message] = mail.outbox
    assert message.to == [employee.email]
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.sent_at == reminder.dispatched_at == at(REMINDER_DAY)
    assert reminder.recipients == employee.email
    assert reminder.attempts == 1
    assert (reminder.claimed_until, reminder.last_error) == (None, "")


def test_running_again_sends_nothing_again(version, employee, run_at):
    campaign_for(version, [employee])
    run_at(at(REMINDER_DAY))

    assert run_at(at(REMINDER_DAY, 9, 15))["dispatched"] == 0
    assert run_at(at(REMINDER_DAY + 1))["dispatched"] == 0
    assert len(mail.outbox) == 1


def test_the_schedule_end_to_end_sends_each_mail_once(version, run_at, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    manager = EmployeeFactory(email="manager@voorbeeldstad.nl")
    employee = EmployeeFactory(manager=manager, email="piet@voorbeeldstad.nl")
    campaign_for(version, [employee])

    for n in range(0, 50):
        run_at(at(n))

    assert [message.to for message in mail.outbox] == [
        ["piet@voorbeeldstad.nl"],  # day 16
        ["piet@voorbeeldstad.nl"],  # day 27
        ["piet@voorbeeldstad.nl"],  # day 30, the due date
        ["manager@voorbeeldstad.nl"],  # day 37
        ["po@voorbeeldstad.nl"],  # day 44
    ]
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_a_mail_planned_but_signed_before_delivery_is_cancelled(version, employee, dispatch_at):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    signed(employee, ready_to_sign(employee, version))

    dispatch_at(at(REMINDER_DAY, 9, 1))

    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_a_mail_planned_but_exempted_before_delivery_is_cancelled(version, employee, dispatch_at):
    campaign = campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    services.exempt(assignment=campaign.assignments.get(), reason="Ziek", by=employee)

    dispatch_at(at(REMINDER_DAY, 9, 1))

    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_a_mail_planned_for_someone_who_left_before_delivery_is_cancelled(
    version, employee, dispatch_at
):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    Employee.objects.filter(pk=employee.pk).update(is_active=False)

    dispatch_at(at(REMINDER_DAY, 9, 1))

    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_a_mail_planned_in_a_campaign_closed_before_delivery_is_cancelled(
    version, employee, dispatch_at
):
    campaign = campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    services.close_campaign(campaign=campaign, by=None)

    dispatch_at(at(REMINDER_DAY, 9, 1))

    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_an_escalation_without_anyone_to_send_it_to_is_cancelled(version, dispatch_at):
    manager = EmployeeFactory()
    employee = EmployeeFactory(manager=manager)
    campaign_for(version, [employee], reminder_days=[], hr_escalation_days=None)
    reminders.plan_reminders(now=at(37))
    Employee.objects.filter(pk=manager.pk).update(is_active=False)

    dispatch_at(at(37, 9, 1))

    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.status) == (Reminder.Kind.MANAGER, Reminder.Status.CANCELLED)
    assert reminder.last_error == "no e-mail address to send to"
    assert mail.outbox == []


def test_handing_over_gives_each_mail_to_the_worker_once(version, employee):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))

    # The worker has not taken them yet (its tasks wait in the queue).
    assert reminders.dispatch(now=at(REMINDER_DAY)) == 1
    assert reminders.dispatch(now=at(REMINDER_DAY, 9, 15)) == 0


def test_mails_handed_over_but_never_taken_are_handed_over_again_later(version, employee, settings):
    settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    reminders.dispatch(now=at(REMINDER_DAY))  # the task was lost (the queue was wiped)

    assert reminders.dispatch(now=at(REMINDER_DAY, 9, 29)) == 0
    assert reminders.dispatch(now=at(REMINDER_DAY, 9, 31)) == 1


def test_handing_over_goes_in_batches(version, django_capture_on_commit_callbacks):
    people = [EmployeeFactory() for _ in range(reminders.DISPATCH_BATCH + 5)]
    campaign_for(version, people)
    reminders.plan_reminders(now=at(REMINDER_DAY))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reminders.dispatch(now=at(REMINDER_DAY)) == len(people)

    assert len(callbacks) == 2


def test_a_worker_given_a_mail_someone_else_took_sends_nothing(version, employee):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    reminder = Reminder.objects.get()
    assert delivery.claim(pk=reminder.pk, worker="other", now=at(REMINDER_DAY)) is not None

    outcome = delivery.deliver(reminder_ids=[reminder.pk], now=at(REMINDER_DAY, 9, 1))

    assert (outcome.sent, outcome.skipped) == (0, 1)
    assert mail.outbox == []


def test_a_mail_not_due_yet_is_not_taken(version, employee):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    reminder = Reminder.objects.get()

    assert delivery.claim(pk=reminder.pk, worker="w", now=at(REMINDER_DAY - 1)) is None


class TestCrashedWorker:
    """A worker that claimed a mail and died, in a batch whose first mails it sent."""

    @pytest.fixture
    def batch(self, version, smtp_server, settings):
        settings.CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
        settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800
        people = [EmployeeFactory() for _ in range(4)]
        campaign_for(version, people)
        reminders.plan_reminders(now=at(REMINDER_DAY))
        assert reminders.dispatch(now=at(REMINDER_DAY), clock=True) == 4  # task lost
        ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
        # The worker sent the first two, claimed the third and died while sending it.
        delivery.deliver(reminder_ids=ids[:2], now=at(REMINDER_DAY))
        assert delivery.claim(pk=ids[2], worker="crashed", now=at(REMINDER_DAY)) is not None
        assert len(smtp_server.messages) == 2
        return ids

    def status(self, ids):
        statuses = dict(Reminder.objects.values_list("pk", "status"))
        return [statuses[pk] for pk in ids]

    def test_nobody_takes_over_while_the_claim_runs(self, batch, smtp_server, dispatch_at):
        assert dispatch_at(at(REMINDER_DAY, 9, 9)) == 0
        assert len(smtp_server.messages) == 2
        S = Reminder.Status
        assert self.status(batch) == [S.SENT, S.SENT, S.SENDING, S.PENDING]

    def test_the_abandoned_mail_is_sent_once_when_the_claim_ran_out(
        self, batch, smtp_server, dispatch_at
    ):
        assert dispatch_at(at(REMINDER_DAY, 9, 11)) == 1

        recipients = [m.rcpt_tos for m in smtp_server.messages]
        assert len(recipients) == 3
        reminder = Reminder.objects.get(pk=batch[2])
        assert reminder.status == Reminder.Status.SENT
        assert reminder.attempts == 2
        assert reminder.recipients in recipients[2]

    def test_the_rest_of_the_batch_is_handed_over_again_after_the_timeout(
        self, batch, smtp_server, dispatch_at
    ):
        dispatch_at(at(REMINDER_DAY, 9, 11))
        assert dispatch_at(at(REMINDER_DAY, 9, 29)) == 0
        assert dispatch_at(at(REMINDER_DAY, 9, 31)) == 1

        assert self.status(batch) == [Reminder.Status.SENT] * 4
        rcpts = sorted(tuple(m.rcpt_tos) for m in smtp_server.messages)
        assert len(rcpts) == len(set(rcpts)) == 4  # nobody got a mail twice
        assert reminders.run(now=at(REMINDER_DAY + 1), clock=True)["dispatched"] == 0

    def test_handing_over_an_abandoned_mail_does_not_repeat_itself(self, batch, settings):
        # With a worker that only queues (the database backend), the abandoned row is
        # still "being sent" after it was handed over; it must be handed over once.
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

        assert reminders.dispatch(now=at(REMINDER_DAY, 9, 11), clock=True) == 1
        assert reminders.dispatch(now=at(REMINDER_DAY, 9, 12), clock=True) == 0

    def test_the_crashed_worker_cannot_finish_what_another_took_over(
        self, batch, smtp_server, dispatch_at
    ):
        dispatch_at(at(REMINDER_DAY, 9, 11))
        reminder = Reminder.objects.get(pk=batch[2])

        delivery._finish(reminder, "crashed", status=Reminder.Status.FAILED)

        assert Reminder.objects.get(pk=batch[2]).status == Reminder.Status.SENT


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.CAMPAIGN_REMINDER_FIRST_BACKOFF = 60
    settings.CAMPAIGN_REMINDER_MAX_BACKOFF = 600

    assert [delivery.backoff(attempts=n).total_seconds() for n in range(1, 7)] == [
        60,
        120,
        240,
        480,
        600,
        600,
    ]


def test_hr_can_try_a_failed_mail_again(version, employee, django_capture_on_commit_callbacks):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))
    reminder = Reminder.objects.get()
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.FAILED, last_error="SMTPRecipientsRefused: 550", attempts=10
    )
    hr = EmployeeFactory(hr=True)

    with django_capture_on_commit_callbacks(execute=True):
        reminders.retry_failed(reminder=reminder, by=hr, now=at(REMINDER_DAY + 1))

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 1
    assert len(mail.outbox) == 1
    event = CampaignEvent.objects.get(kind=CampaignEvent.Kind.REMINDER_RETRIED)
    assert event.actor == hr
    assert event.details == {
        "reminder": reminder.pk,
        "previous_error_kind": "SMTPRecipientsRefused",
    }


def test_only_a_failed_mail_can_be_tried_again(version, employee):
    campaign_for(version, [employee])
    reminders.plan_reminders(now=at(REMINDER_DAY))

    with pytest.raises(services.CampaignError):
        reminders.retry_failed(reminder=Reminder.objects.get(), by=employee)


def test_a_managers_reminder_goes_once_a_day(version, django_capture_on_commit_callbacks):
    manager = EmployeeFactory()
    team = [EmployeeFactory(manager=manager) for _ in range(2)]
    done = EmployeeFactory(manager=manager)
    campaign = campaign_for(version, [*team, done])
    signed(done, ready_to_sign(done, version))

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.remind_now(assignments=campaign.assignments.all(), by=manager, now=at(5))
        again = reminders.remind_now(
            assignments=campaign.assignments.all(), by=manager, now=at(5, 16)
        )
        next_day = reminders.remind_now(
            assignments=campaign.assignments.all(), by=manager, now=at(6)
        )

    assert (first, again, next_day) == ((2, 0), (0, 2), (2, 0))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [e.email for e in team] + [e.email for e in team]
    )
    assert set(Reminder.objects.values_list("kind", flat=True)) == {Reminder.Kind.MANUAL}
    assert Reminder.objects.filter(requested_by=manager).count() == 4


def test_sent_at_is_the_real_time_when_no_clock_is_given(version, employee):
    campaign_for(version, [employee], deadline=day(10))
    reminders.plan_reminders()
    before = datetime.datetime.now(datetime.UTC)

    delivery.deliver(reminder_ids=list(Reminder.objects.values_list("pk", flat=True)))

    assert Reminder.objects.get().sent_at >= before


def test_escalations_to_hr_in_one_batch_are_one_mail_and_all_marked_sent(version, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    people = [EmployeeFactory() for _ in range(3)]
    launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=people, deadline=day(30)
    )
    reminders.plan_reminders(now=at(44))
    ids = list(Reminder.objects.filter(kind=Reminder.Kind.HR).values_list("pk", flat=True))
    mail.outbox.clear()

    outcome = delivery.deliver(reminder_ids=ids, now=at(44))

    assert outcome.sent == 3
    assert [m.to for m in mail.outbox] == [["po@voorbeeldstad.nl"]]
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        Reminder.Status.SENT
    }
