import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from handbook.models import HandbookEvent
from handbook.services.reviews import send_review_reminders
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory

TODAY = datetime.date(2026, 11, 1)


def _guideline(review_date, **owner_fields):
    owner = EmployeeFactory(**owner_fields)
    return GuidelineFactory(owner=owner, review_date=review_date)


@pytest.mark.django_db
def test_the_owner_gets_one_mail_when_the_review_date_is_near(settings):
    settings.HANDBOOK_REVIEW_REMINDER_DAYS = 30
    guideline = _guideline(TODAY + datetime.timedelta(days=20))

    result = send_review_reminders(today=TODAY)

    assert result.sent == [guideline]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [guideline.owner.email]
    assert guideline.title in message.subject
    assert message.alternatives[0].mimetype == "text/html"
    assert "/handreikingen/sociale-media/redactie/" in message.body


@pytest.mark.django_db
def test_a_second_run_sends_nothing():
    _guideline(TODAY - datetime.timedelta(days=3))

    send_review_reminders(today=TODAY)
    result = send_review_reminders(today=TODAY + datetime.timedelta(days=1))

    assert result.sent == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_reminder_is_recorded_with_its_review_date():
    guideline = _guideline(TODAY)

    send_review_reminders(today=TODAY)

    event = HandbookEvent.objects.get(kind=HandbookEvent.Kind.REVIEW_REMINDER_SENT)
    assert event.guideline == guideline
    assert event.details["review_date"] == "2026-11-01"


@pytest.mark.django_db
def test_a_new_review_date_gets_its_own_reminder():
    guideline = _guideline(TODAY)
    send_review_reminders(today=TODAY)
    guideline.review_date = TODAY + datetime.timedelta(days=365)
    guideline.save()

    send_review_reminders(today=TODAY + datetime.timedelta(days=360))

    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_nothing_is_sent_when_the_review_date_is_far_away(settings):
    settings.HANDBOOK_REVIEW_REMINDER_DAYS = 30
    _guideline(TODAY + datetime.timedelta(days=31))

    send_review_reminders(today=TODAY)

    assert mail.outbox == []


@pytest.mark.django_db
def test_nothing_is_sent_without_an_active_owner():
    _guideline(TODAY, is_active=False)

    send_review_reminders(today=TODAY)

    assert mail.outbox == []


@pytest.mark.django_db
def test_the_mail_is_in_the_owners_language():
    _guideline(TODAY + datetime.timedelta(days=5), preferred_language="en")

    send_review_reminders(today=TODAY)

    body = mail.outbox[0].body
    assert "is due on" in body and "in 5 days" in body


@pytest.mark.django_db
def test_the_command_sends_once_and_reports(capsys):
    _guideline(TODAY)

    call_command("send_review_reminders", today="2026-11-01")
    call_command("send_review_reminders", today="2026-11-01")

    assert len(mail.outbox) == 1
    output = capsys.readouterr().out
    assert "Review reminders sent: 1" in output and "Review reminders sent: 0" in output


@pytest.mark.django_db
def test_each_guidelines_owner_gets_a_reminder_naming_that_guideline_and_its_editor_page(
    settings,
):
    settings.HANDBOOK_REVIEW_REMINDER_DAYS = 30
    privacy_owner = EmployeeFactory(preferred_language="en")
    social_owner = EmployeeFactory(preferred_language="nl")
    GuidelineFactory(
        slug="privacy",
        title="Privacyhandreiking",
        title_en="Privacy guide",
        owner=privacy_owner,
        review_date=TODAY + datetime.timedelta(days=10),
    )
    GuidelineFactory(owner=social_owner, review_date=TODAY + datetime.timedelta(days=10))

    send_review_reminders(today=TODAY)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    privacy_mail = by_recipient[privacy_owner.email]
    social_mail = by_recipient[social_owner.email]
    assert "Privacy guide" in privacy_mail.subject
    assert "/handreikingen/privacy/redactie/" in privacy_mail.body
    assert "sociale media" in social_mail.subject
    assert "/handreikingen/sociale-media/redactie/" in social_mail.body
    assert len(mail.outbox) == 2
