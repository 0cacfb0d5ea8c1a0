"""notify_reacknowledgement: one e-mail per employee who must sign again, in their
language, once; nothing for anyone else."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import mailers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from acknowledgements.models import Notification
from acknowledgements.services.notifications import recipients, send_reacknowledgement_notices
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.models import Tip
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, links, parse
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

U, E, M = Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL


@pytest.fixture
def first():
    return quiz_version(tips=3, effective_date=datetime.date(2026, 1, 1))


def second_version(first, changes, *, requires=False):
    tips = list(first.tips.order_by("number"))
    pairs = zip(tips, changes, strict=True)
    return published_version(
        first.guideline,
        number=2,
        tips=[tip.text if change == U else f"{tip.text} Anders." for tip, change in pairs],
        lineages=[tip.lineage for tip in tips],
        changes=changes,
        based_on=first,
        effective_date=timezone.localdate(),
        requires_reacknowledgement=requires,
    )


def signer(version, **fields):
    employee = EmployeeFactory(**fields)
    ready_to_sign(employee, version)
    signed(employee, version)
    return employee


def test_each_resigner_gets_one_mail_in_their_language_and_nothing_on_a_second_run(first, settings):
    settings.PORTAL_BASE_URL = "https://portaal.example.nl/"
    dutch = signer(first, preferred_language="nl", email="an@example.nl", first_name="An")
    english = signer(first, preferred_language="en", email="bo@example.nl", first_name="Bo")
    second = second_version(first, [U, M, E])

    out = StringIO()
    call_command("notify_reacknowledgement", stdout=out)

    assert "sociale-media, version 2: 2 e-mail(s) sent." in out.getvalue()
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    link = "https://portaal.example.nl" + reverse(
        "signing:changes", kwargs={"guideline": "sociale-media"}
    )
    nl_mail, en_mail = by_address[dutch.email], by_address[english.email]
    assert nl_mail.body.startswith("Beste An,")  # an existing Dutch translation
    assert attribute(parse(nl_mail.alternatives[0][0]), "html", "lang") == "nl"
    assert en_mail.subject == (
        "Please sign “Handreiking gebruik sociale media” again: version 2 changed in meaning"
    )
    assert "Dear Bo," in en_mail.body and link in en_mail.body
    assert "read the tip that changed" in en_mail.body
    html, mimetype = en_mail.alternatives[0]
    assert mimetype == "text/html"
    assert link in links(parse(html)) and attribute(parse(html), "html", "lang") == "en"
    assert link in nl_mail.body
    kind = Notification.Kind.REACKNOWLEDGEMENT
    assert set(Notification.objects.values_list("employee_id", "version_id", "kind")) == {
        (dutch.pk, second.pk, kind),
        (english.pk, second.pk, kind),
    }

    call_command("notify_reacknowledgement", stdout=StringIO())

    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_who_never_signed_signed_the_current_version_or_cannot_be_mailed_gets_nothing(first):
    EmployeeFactory(email="nooit@example.nl")
    signer(first, email="weg@example.nl", is_active=False)
    signer(first, email="")
    current = signer(first, email="al@example.nl")
    second = second_version(first, [U, M, U])
    ready_to_sign(current, second)  # read everything and passed the whole quiz
    signed(current, second)

    result = send_reacknowledgement_notices(version=second)

    assert result.version == second
    assert result.sent == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_an_editorial_version_sends_nothing(first):
    signer(first, email="an@example.nl")
    second = second_version(first, [U, E, E])

    assert send_reacknowledgement_notices(version=second).sent == []
    assert mail.outbox == []


def test_the_flag_alone_asks_everyone_who_signed_to_sign_again(first):
    employee = signer(first, email="an@example.nl")
    second = second_version(first, [U, U, U], requires=True)

    assert send_reacknowledgement_notices(version=second).sent == [employee]
    assert len(mail.outbox) == 1


def test_recipients_cost_a_fixed_number_of_queries_and_one_connection(
    first, django_assert_num_queries
):
    for n in range(5):
        signer(first, email=f"p{n}@example.nl")
    second = second_version(first, [U, M, U])

    # People: 1; the versions they last signed: 1; per version: tips now, then, marks: 3.
    with django_assert_num_queries(5):
        assert len(recipients(version=second)) == 5

    opened = []

    class CountingMailers:
        @property
        def default(self):
            opened.append(1)
            return mailers.default

    with mock.patch("acknowledgements.services.notifications.mailers", CountingMailers()):
        send_reacknowledgement_notices(version=second)

    assert len(mail.outbox) == 5 and len(opened) == 1
