"""The mails: in the reader's language, plain text and HTML, with a link straight to
what is left to do (a tip, the quiz, the signing page), and a stable Message-ID."""

import pytest
from django.utils import formats, translation

from acknowledgements.tests.factories import read_all_tips
from campaigns.models import Campaign, Reminder
from campaigns.services import mails
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, links, parse, texts
from quizzes.tests.factories import submitted_attempt

pytestmark = pytest.mark.django_db

BASE = "https://richtlijnen.voorbeeldstad.nl"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE + "/"
    settings.DEFAULT_FROM_EMAIL = "portal@voorbeeldstad.nl"


@pytest.fixture
def manager(db):
    return EmployeeFactory(
        first_name="Marieke", last_name="Visser", preferred_language="en", email="m@x.nl"
    )


def reminder_for(version, employee, kind=Reminder.Kind.REMINDER, step="before-14", **extra):
    campaign = launched_campaign(
        version,
        name="Jaarlijkse bevestiging",
        audience=Campaign.Audience.EMPLOYEES,
        employees=[employee],
        deadline=day(30),
    )
    return Reminder.objects.create(
        assignment=campaign.assignments.get(),
        kind=kind,
        step=step,
        created_at=at(16),
        next_attempt_at=at(16),
        **extra,
    )


def text_and_html(message):
    assert message.content_subtype == "plain"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def due(language, date=None):
    with translation.override(language):
        return formats.date_format(date or day(30), "j F Y")


def test_reminder_in_english_says_what_is_left_and_links_to_the_first_tip(version):
    employee = EmployeeFactory(first_name="Anna", preferred_language="en")
    message = mails.build(reminder=reminder_for(version, employee))
    text, html = text_and_html(message)

    assert message.to == [employee.email]
    assert message.from_email == "portal@voorbeeldstad.nl"
    assert message.subject == f"Reminder: please sign the social media guideline by {due('en')}"
    tip = f"{BASE}/handreikingen/sociale-media/versies/{version.number}/tips/1/"
    for body in (text, html):
        assert "Dear Anna," in body
        assert "Guidance on the use of social media" in body  # the English title
        assert f"(version {version.number})" in body
        assert due("en") in body
        assert "read the tips" in body
        assert "pass the short quiz" in body
        assert tip in body
    mail = parse(html)
    assert texts(mail, f'a[href="{tip}"]') == ["Continue where you left off"]
    assert attribute(mail, "html", "lang") == "en"
    assert "Handreiking gebruik sociale media" not in text


def test_reminder_links_to_the_first_tip_not_opened_yet(version):
    employee = EmployeeFactory(preferred_language="en")
    read_all_tips(employee, version, except_numbers=[2, 3])

    text, _html = text_and_html(mails.build(reminder=reminder_for(version, employee)))

    assert f"{BASE}/handreikingen/sociale-media/versies/{version.number}/tips/2/" in text


def test_reminder_links_to_the_quiz_once_every_tip_is_read(version):
    employee = EmployeeFactory(preferred_language="en")
    read_all_tips(employee, version)

    text, html = text_and_html(mails.build(reminder=reminder_for(version, employee)))

    assert "read the tips" not in text
    assert "pass the short quiz" in text and "- sign" in text
    assert f"{BASE}/handreikingen/sociale-media/quiz/" in links(parse(html))


def test_reminder_links_to_the_signing_page_once_the_quiz_is_passed(version):
    employee = EmployeeFactory(preferred_language="en")
    read_all_tips(employee, version)
    submitted_attempt(employee=employee, version=version, right=True)

    text, html = text_and_html(mails.build(reminder=reminder_for(version, employee)))

    assert "pass the short quiz" not in text and "read the tips" not in text
    assert "- sign" in text
    assert f"{BASE}/handreikingen/sociale-media/bevestigen/" in links(parse(html))


def test_reminder_in_dutch_has_the_dutch_title_date_and_page_language(version):
    employee = EmployeeFactory(first_name="Daan", preferred_language="nl")

    message = mails.build(reminder=reminder_for(version, employee))
    text, html = text_and_html(message)

    assert attribute(parse(html), "html", "lang") == "nl"
    for body in (text, html):
        assert "Handreiking gebruik sociale media" in body
        assert due("nl") in body  # "25 december 2026": Dutch month names
        assert f"{BASE}/handreikingen/sociale-media/versies/{version.number}/tips/1/" in body
    assert due("nl") in message.subject
    assert "Guidance on the use of social media" not in text


def test_reminder_in_dutch_is_written_in_dutch(version):
    employee = EmployeeFactory(first_name="Daan", preferred_language="nl")

    message = mails.build(reminder=reminder_for(version, employee))
    text, html = text_and_html(message)

    assert message.subject == (
        f"Herinnering: onderteken de handreiking sociale media uiterlijk op {due('nl')}"
    )
    for body in (text, html):
        assert "Beste Daan," in body
        assert f"(versie {version.number})" in body
        assert f"Doe dit uiterlijk op {due('nl')}." in body
        assert "Nog te doen:" in body
        assert "de tips lezen" in body and "slagen voor de korte quiz" in body
        assert "ondertekenen" in body
        assert "Ga verder waar je was gebleven" in body
        assert "Dear" not in body and "Please do so by" not in body


def test_the_language_follows_each_reader_not_the_active_language(version):
    english = EmployeeFactory(preferred_language="en")
    dutch = EmployeeFactory(preferred_language="nl")

    with translation.override("nl"):
        english_text, _ = text_and_html(mails.build(reminder=reminder_for(version, english)))
        assert translation.get_language() == "nl"  # put back after building
    with translation.override("en"):
        dutch_text, _ = text_and_html(
            mails.build(
                reminder=Reminder.objects.create(
                    assignment=launched_campaign(
                        version, audience=Campaign.Audience.EMPLOYEES, employees=[dutch]
                    ).assignments.get(),
                    kind=Reminder.Kind.REMINDER,
                    step="before-3",
                    created_at=at(0),
                    next_attempt_at=at(0),
                )
            )
        )

    assert "Guidance on the use of social media" in english_text
    assert "Handreiking gebruik sociale media" in dutch_text


def test_the_message_id_is_stable_per_reminder(version):
    first = reminder_for(version, EmployeeFactory())
    second = Reminder.objects.create(
        assignment=first.assignment,
        kind=Reminder.Kind.REMINDER,
        step="before-3",
        created_at=at(27),
        next_attempt_at=at(27),
    )

    ids = [mails.build(reminder=first).extra_headers["Message-ID"] for _ in range(2)]
    rendered = mails.build(reminder=first).message()["Message-ID"]

    assert ids == [f"<{first.message_id_local_part}@voorbeeldstad.nl>"] * 2
    assert rendered == ids[0]
    expected = f"<{second.message_id_local_part}@voorbeeldstad.nl>"
    assert mails.build(reminder=second).message()["Message-ID"] == expected


def test_the_message_id_uses_the_senders_domain_also_when_it_has_a_name(version, settings):
    settings.DEFAULT_FROM_EMAIL = "Gemeente Voorbeeldstad <portal@voorbeeldstad.nl>"
    reminder = reminder_for(version, EmployeeFactory())

    message = mails.build(reminder=reminder)

    assert message.message()["Message-ID"] == f"<{reminder.message_id_local_part}@voorbeeldstad.nl>"
    assert message.from_email == "Gemeente Voorbeeldstad <portal@voorbeeldstad.nl>"


def test_manual_reminder_names_the_manager_who_asked(version, manager):
    employee = EmployeeFactory(preferred_language="en", manager=manager)

    message = mails.build(
        reminder=reminder_for(
            version, employee, kind=Reminder.Kind.MANUAL, step="manual-x", requested_by=manager
        )
    )
    text, html = text_and_html(message)

    assert message.subject == "Marieke Visser asks you to sign the social media guideline"
    assert "Your manager Marieke Visser asks you to finish this soon." in text
    assert "Marieke Visser" in html


def test_manager_escalation_goes_to_the_manager_in_their_language(version, manager):
    employee = EmployeeFactory(
        first_name="Piet", last_name="de Boer", manager=manager, preferred_language="nl"
    )

    message = mails.build(
        reminder=reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7")
    )
    text, html = text_and_html(message)

    assert message.to == ["m@x.nl"]
    assert message.subject == "Piet de Boer has not yet signed the social media guideline"
    for body in (text, html):
        assert "Dear Marieke," in body
        assert "Piet de Boer, who works in your team" in body
        assert "Guidance on the use of social media" in body
        assert due("en") in body
        assert f"{BASE}/mijn-team/" in body
    assert attribute(parse(html), "html", "lang") == "en"


def test_manager_escalation_in_dutch_for_a_dutch_manager(version):
    manager = EmployeeFactory(first_name="Marieke", preferred_language="nl")
    employee = EmployeeFactory(first_name="Piet", last_name="de Boer", manager=manager)

    message = mails.build(
        reminder=reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7")
    )
    text, html = text_and_html(message)

    assert message.subject == "Piet de Boer heeft de handreiking sociale media nog niet ondertekend"
    for body in (text, html):
        assert "Beste Marieke," in body
        assert "Piet de Boer uit je team" in body
        assert due("nl") in body
        assert f"{BASE}/mijn-team/" in body
    assert "Naar je teampagina" in html
    assert attribute(parse(html), "html", "lang") == "nl"


def test_manager_escalation_needs_an_active_manager(version, manager):
    employee = EmployeeFactory(manager=manager)
    reminder = reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7")
    Employee.objects.filter(pk=manager.pk).update(is_active=False)
    reminder.refresh_from_db()

    assert mails.build(reminder=reminder) is None


def test_hr_escalation_goes_to_the_hr_mailbox_when_set(version, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    EmployeeFactory(hr=True)
    department = DepartmentFactory(name="Burgerzaken")
    employee = EmployeeFactory(
        first_name="Piet",
        last_name="de Boer",
        employee_number="4711",
        department=department,
        manager=EmployeeFactory(first_name="Marieke", last_name="Visser"),
    )

    reminder = reminder_for(version, employee, kind=Reminder.Kind.HR, step="hr-14")
    message = mails.build(reminder=reminder)
    text, html = text_and_html(message)

    # HR reads the portal's language (Dutch).
    assert message.to == ["po@voorbeeldstad.nl"]
    assert (
        message.subject
        == "Te laat: Piet de Boer heeft nog niet ondertekend (Jaarlijkse bevestiging)"
    )
    for body in (text, html):
        assert "Piet de Boer (personeelsnummer 4711, Burgerzaken)" in body
        assert due("nl") in body
        assert "De leidinggevende is Marieke Visser." in body
        assert f"{BASE}/campagnes/{reminder.assignment.campaign_id}/" in body


def test_hr_escalation_goes_to_everyone_with_the_hr_role_otherwise(version, settings):
    settings.CAMPAIGN_HR_EMAIL = ""
    first = EmployeeFactory(hr=True, email="b-hr@voorbeeldstad.nl")
    second = EmployeeFactory(hr=True, email="a-hr@voorbeeldstad.nl")
    EmployeeFactory(hr=True, email="gone-hr@voorbeeldstad.nl", is_active=False)
    EmployeeFactory(email="not-hr@voorbeeldstad.nl")

    message = mails.build(
        reminder=reminder_for(version, EmployeeFactory(), kind=Reminder.Kind.HR, step="hr-14")
    )

    assert message.to == [second.email, first.email]


def test_hr_escalation_without_anyone_in_hr_has_nobody_to_go_to(version, settings):
    settings.CAMPAIGN_HR_EMAIL = ""

    assert (
        mails.build(
            reminder=reminder_for(version, EmployeeFactory(), kind=Reminder.Kind.HR, step="hr-14")
        )
        is None
    )


def test_subject_is_one_line(version):
    employee = EmployeeFactory(preferred_language="en")

    subject = mails.build(reminder=reminder_for(version, employee)).subject

    assert "\n" not in subject and subject == subject.strip()


def test_hr_escalations_of_one_campaign_go_as_one_mail_listing_everyone(version, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    piet = EmployeeFactory(first_name="Piet", last_name="de Boer", employee_number="4711")
    anna = EmployeeFactory(first_name="Anna", last_name="Aalders", employee_number="4712")
    campaign = launched_campaign(
        version,
        name="Jaarlijkse bevestiging",
        audience=Campaign.Audience.EMPLOYEES,
        employees=[piet, anna],
        deadline=day(30),
    )
    escalations = [
        Reminder.objects.create(
            assignment=assignment,
            kind=Reminder.Kind.HR,
            step="hr-14",
            created_at=at(44),
            next_attempt_at=at(44),
        )
        for assignment in campaign.assignments.order_by("pk")
    ]

    message = mails.build_hr_digest(reminders=escalations)
    text, html = text_and_html(message)

    assert message.to == ["po@voorbeeldstad.nl"]
    assert message.subject == (
        "Te laat: 2 medewerkers hebben nog niet ondertekend (Jaarlijkse bevestiging)"
    )
    for body in (text, html):
        # Sorted by last name.
        assert body.index("Anna Aalders") < body.index("Piet de Boer")
        assert "4711" in body and "4712" in body
        assert f"{BASE}/campagnes/{campaign.pk}/medewerkers/?status=overdue" in body
