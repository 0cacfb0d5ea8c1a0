"""notify_reacknowledgement with several guidelines: each guideline's current version
asks its own signers again, and the mail names the guideline, in the reader's language,
with a link to that guideline's changes."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from acknowledgements.models import Notification
from acknowledgements.services.notifications import send_all_reacknowledgement_notices
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.models import Tip
from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

U, M = Tip.Change.UNCHANGED, Tip.Change.MATERIAL


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = "https://portaal.example.nl"


def _first(guideline=None):
    return quiz_version(guideline=guideline, tips=2, effective_date=datetime.date(2026, 1, 1))


def _material_change(first):
    tips = list(first.tips.order_by("number"))
    return published_version(
        first.guideline,
        number=2,
        tips=[tips[0].text, f"{tips[1].text} Anders."],
        lineages=[tip.lineage for tip in tips],
        changes=[U, M],
        based_on=first,
        effective_date=timezone.localdate(),
    )


def _signer(*versions, **fields):
    employee = EmployeeFactory(**fields)
    for version in versions:
        ready_to_sign(employee, version)
        signed(employee, version)
    return employee


@pytest.fixture
def privacy():
    return GuidelineFactory(slug="privacy", title="Privacyregels", title_en="Privacy rules")


def test_each_guideline_asks_its_own_signers_and_the_mail_names_it(privacy):
    social_first, privacy_first = _first(), _first(privacy)
    english = _signer(social_first, privacy_first, preferred_language="en", email="bo@x.nl")
    only_social = _signer(social_first, preferred_language="nl", email="an@x.nl")
    _material_change(social_first)
    privacy_second = _material_change(privacy_first)

    out = StringIO()
    call_command("notify_reacknowledgement", stdout=out)

    assert "privacy, version 2: 1 e-mail(s) sent." in out.getvalue()
    assert "sociale-media, version 2: 2 e-mail(s) sent." in out.getvalue()
    privacy_mails = [m for m in mail.outbox if "Privacy" in m.subject]
    assert [m.to for m in privacy_mails] == [[english.email]]
    [privacy_mail] = privacy_mails
    assert privacy_mail.subject == (
        "Please sign “Privacy rules” again: version 2 changed in meaning"
    )
    link = "https://portaal.example.nl" + reverse(
        "signing:changes", kwargs={"guideline": "privacy"}
    )
    assert "“Privacy rules”" in privacy_mail.body and link in privacy_mail.body
    assert link in links(parse(privacy_mail.alternatives[0][0]))
    assert not Notification.objects.filter(employee=only_social, version=privacy_second).exists()


def test_the_mail_names_the_guideline_in_the_readers_own_language(privacy):
    first = _first(privacy)
    dutch = _signer(first, preferred_language="nl", email="an@x.nl")
    _material_change(first)

    send_all_reacknowledgement_notices()

    [message] = mail.outbox
    assert message.to == [dutch.email]
    assert "“Privacyregels”" in message.subject
    assert "“Privacyregels”" in message.body


def test_a_guideline_without_a_version_in_force_sends_nothing(privacy):
    _first()

    results = send_all_reacknowledgement_notices()

    assert [result.version.guideline.slug for result in results] == ["sociale-media"]
    assert mail.outbox == []
