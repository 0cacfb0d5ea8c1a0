"""Against a real SMTP server (aiosmtpd, started by the test): the mails arrive as
plain text and HTML with a stable Message-ID; a server that refuses for a while, or is
down, makes the worker retry with back-off, and in the end each mail arrives once."""

import pytest

from campaigns.models import Campaign, Reminder
from campaigns.services import delivery, mails, reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from campaigns.tests.smtp import PERMANENT_RCPT
from people.models import Employee
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse

pytestmark = pytest.mark.django_db

REMINDER_DAY = 16


@pytest.fixture(autouse=True)
def _backoff(settings):
    settings.CAMPAIGN_REMINDER_FIRST_BACKOFF = 60
    settings.CAMPAIGN_REMINDER_MAX_BACKOFF = 3600
    settings.CAMPAIGN_REMINDER_MAX_ATTEMPTS = 10


def planned(version, count=1, **employee):
    people = [EmployeeFactory(**employee) for _ in range(count)]
    launched_campaign(
        version,
        audience=Campaign.Audience.EMPLOYEES,
        employees=people,
        deadline=day(30),
        now=at(0),
    )
    reminders.plan_reminders(now=at(REMINDER_DAY))
    return people, list(Reminder.objects.order_by("pk").values_list("pk", flat=True))


def test_the_mail_arrives_at_the_smtp_server(version, smtp_server, run_at, settings):
    settings.DEFAULT_FROM_EMAIL = "portal@voorbeeldstad.nl"
    settings.PORTAL_BASE_URL = "https://richtlijnen.voorbeeldstad.nl"
    employee = EmployeeFactory(first_name="Anna", preferred_language="en")
    launched_campaign(version, deadline=day(30), now=at(0))

    run_at(at(REMINDER_DAY))

    [received] = smtp_server.messages
    reminder = Reminder.objects.get()
    assert received.mail_from == "portal@voorbeeldstad.nl"
    assert received.rcpt_tos == [employee.email]
    assert received.message["To"] == employee.email
    assert received.message["Subject"].startswith("Reminder: please sign")
    assert received.message_id == f"<{reminder.message_id_local_part}@voorbeeldstad.nl>"
    assert received.message.get_content_type() == "multipart/alternative"
    page = mails.signing_url(guideline=version.guideline)
    assert page.startswith("https://richtlijnen.voorbeeldstad.nl/")
    assert "Dear Anna," in received.text and page in received.text
    assert page in links(parse(received.html))
    assert reminder.status == Reminder.Status.SENT


def test_one_connection_carries_a_whole_batch(version, smtp_server):
    _people, ids = planned(version, count=3)

    outcome = delivery.deliver(reminder_ids=ids, now=at(REMINDER_DAY))

    assert outcome.sent == 3
    assert len(smtp_server.messages) == 3
    assert len({m.message_id for m in smtp_server.messages}) == 3
    assert len({m.peer for m in smtp_server.messages}) == 1


def test_a_server_that_refuses_first_and_accepts_later(version, smtp_server):
    (employee,), [pk] = planned(version)
    smtp_server.refuse_data(2)  # "451 4.3.0 Try again later", twice
    t0 = at(REMINDER_DAY)

    first = delivery.deliver(reminder_ids=[pk], now=t0)

    reminder = Reminder.objects.get(pk=pk)
    assert (first.retrying, first.sent) == (1, 0)
    assert first.retry_at == t0 + delivery.backoff(attempts=1)
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1
    assert reminder.next_attempt_at == t0 + delivery.backoff(attempts=1)  # one minute
    assert "451" in reminder.last_error

    # Not before its time.
    assert delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 0, 59)).skipped == 1

    second = delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 1))
    reminder.refresh_from_db()
    assert second.retrying == 1
    assert reminder.attempts == 2
    assert reminder.next_attempt_at == at(REMINDER_DAY, 9, 3)  # then two minutes

    third = delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 3))
    reminder.refresh_from_db()
    assert third.sent == 1
    assert (reminder.status, reminder.attempts, reminder.last_error) == (
        Reminder.Status.SENT,
        3,
        "",
    )
    assert delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 10)).skipped == 1

    assert [m.rcpt_tos for m in smtp_server.messages] == [[employee.email]]
    assert len(smtp_server.refused) == 2


def test_a_busy_mailbox_451_on_rcpt_is_tried_again_not_given_up(version, smtp_server):
    (employee,), [pk] = planned(version)
    smtp_server.refuse_rcpt(1)  # "451 4.3.0 Mailbox busy"

    outcome = delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY))

    assert (outcome.retrying, outcome.failed) == (1, 0)
    assert Reminder.objects.get(pk=pk).status == Reminder.Status.PENDING
    delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 1))
    assert Reminder.objects.get(pk=pk).status == Reminder.Status.SENT
    assert [m.rcpt_tos for m in smtp_server.messages] == [[employee.email]]


def test_a_mailbox_that_does_not_exist_fails_for_good_and_the_rest_still_go(version, smtp_server):
    _people, ids = planned(version, count=3)
    smtp_server.refuse_rcpt(1, reply=PERMANENT_RCPT)  # the first recipient: 550

    outcome = delivery.deliver(reminder_ids=ids, now=at(REMINDER_DAY))

    assert (outcome.failed, outcome.sent) == (1, 2)
    first = Reminder.objects.get(pk=ids[0])
    assert first.status == Reminder.Status.FAILED
    assert "550" in first.last_error
    assert [Reminder.objects.get(pk=pk).status for pk in ids[1:]] == [Reminder.Status.SENT] * 2
    assert len(smtp_server.messages) == 2


def test_a_message_refused_for_good_fails_and_the_rest_still_go(version, smtp_server):
    _people, ids = planned(version, count=2)
    smtp_server.refuse_data(1, reply="554 5.7.1 Message rejected")

    outcome = delivery.deliver(reminder_ids=ids, now=at(REMINDER_DAY))

    assert (outcome.failed, outcome.sent) == (1, 1)
    assert Reminder.objects.get(pk=ids[0]).status == Reminder.Status.FAILED
    assert len(smtp_server.messages) == 1


def test_an_address_that_cannot_be_sent_to_fails_and_the_rest_still_go(version, smtp_server):
    (broken, fine), ids = planned(version, count=2)
    Employee.objects.filter(pk=broken.pk).update(email="geen adres <a@b@c>")

    outcome = delivery.deliver(reminder_ids=ids, now=at(REMINDER_DAY))

    assert (outcome.failed, outcome.sent) == (1, 1)
    failed = Reminder.objects.get(assignment__employee=broken)
    assert failed.status == Reminder.Status.FAILED
    assert "Invalid address" in failed.last_error
    assert [m.rcpt_tos for m in smtp_server.messages] == [[fine.email]]


def test_a_server_that_is_down_makes_the_whole_batch_wait_and_then_each_goes_once(
    version, smtp_down
):
    people, ids = planned(version, count=3)
    t0 = at(REMINDER_DAY)

    outcome = delivery.deliver(reminder_ids=ids, now=t0)

    assert (outcome.retrying, outcome.skipped, outcome.sent, outcome.failed) == (1, 2, 0, 0)
    assert outcome.retry_at == t0 + delivery.backoff(attempts=1)
    rows = Reminder.objects.filter(pk__in=ids)
    assert {r.status for r in rows} == {Reminder.Status.PENDING}
    assert {r.next_attempt_at for r in rows} == {outcome.retry_at}  # all wait for the retry
    assert "ConnectionRefusedError" in Reminder.objects.get(pk=ids[0]).last_error

    smtp_down.start()
    retry = delivery.deliver(reminder_ids=ids, now=outcome.retry_at)

    assert retry.sent == 3
    assert sorted(m.rcpt_tos[0] for m in smtp_down.messages) == sorted(p.email for p in people)
    assert delivery.deliver(reminder_ids=ids, now=at(REMINDER_DAY, 10)).skipped == 3
    assert len(smtp_down.messages) == 3


def test_the_periodic_command_hands_waiting_mails_over_again_when_the_server_is_back(
    version, smtp_down, run_at, settings
):
    settings.CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800
    people = [EmployeeFactory() for _ in range(2)]
    launched_campaign(version, deadline=day(30), now=at(0))

    run_at(at(REMINDER_DAY))  # the server is down: nothing sent
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 2
    smtp_down.start()

    run_at(at(REMINDER_DAY, 9, 15))  # within the timeout: the worker's retry is awaited
    assert smtp_down.messages == []
    run_at(at(REMINDER_DAY, 9, 31))
    run_at(at(REMINDER_DAY, 10))

    assert sorted(m.rcpt_tos[0] for m in smtp_down.messages) == sorted(p.email for p in people)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_after_the_last_attempt_the_mail_is_failed_for_hr_to_see(
    version, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_REMINDER_MAX_ATTEMPTS = 3
    _people, [pk] = planned(version)
    moment = at(REMINDER_DAY)
    for _attempt in range(3):
        outcome = delivery.deliver(reminder_ids=[pk], now=moment)
        moment = outcome.retry_at or moment

    reminder = Reminder.objects.get(pk=pk)
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 3)
    assert "ConnectionRefusedError" in reminder.last_error

    smtp_down.start()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.retry_failed(reminder=reminder, by=EmployeeFactory(hr=True), now=moment)

    assert Reminder.objects.get(pk=pk).status == Reminder.Status.SENT
    assert len(smtp_down.messages) == 1


def test_the_same_mail_sent_again_keeps_its_message_id(version, smtp_server):
    """In the one window where a resend can happen (the server accepted, the worker died
    before marking it sent) the copy has the same Message-ID, so it can be dropped."""
    _people, [pk] = planned(version)
    delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY))
    Reminder.objects.filter(pk=pk).update(
        status=Reminder.Status.SENDING, claimed_until=at(REMINDER_DAY, 9, 10), claimed_by="x"
    )

    delivery.deliver(reminder_ids=[pk], now=at(REMINDER_DAY, 9, 11))

    first, second = smtp_server.messages
    local_part = Reminder.objects.get(pk=pk).message_id_local_part
    assert first.message_id == second.message_id == f"<{local_part}@voorbeeldstad.nl>"
