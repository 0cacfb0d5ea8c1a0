"""The mails: in the reader's language, plain text and HTML, naming the guidelines (never
"the social media guideline" for another one), listing everything open for the person
with a link to each guideline's signing page, and a stable Message-ID."""

import pytest
from django.utils import formats, translation

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.services import mails
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from handbook.models import Guideline
from handbook.tests.factories import GuidelineFactory
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, links, parse, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

BASE = "https://richtlijnen.voorbeeldstad.nl"
SOCIAL_NL = "Handreiking gebruik sociale media"
SOCIAL_EN = "Guidance on the use of social media"
PRIVACY_NL = "Privacyreglement"
PRIVACY_EN = "Privacy rules"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE + "/"
    settings.DEFAULT_FROM_EMAIL = "portal@voorbeeldstad.nl"


@pytest.fixture(autouse=True)
def _english_title(version):
    Guideline.objects.filter(pk=version.guideline_id).update(title_en=SOCIAL_EN)


@pytest.fixture
def privacy(db):
    """A second guideline, in force today."""
    return quiz_version(
        tips=2,
        guideline=GuidelineFactory(slug="privacy", title=PRIVACY_NL, title_en=PRIVACY_EN),
    )


@pytest.fixture
def manager(db):
    return EmployeeFactory(
        first_name="Marieke", last_name="Visser", preferred_language="en", email="m@x.nl"
    )


def campaign_of(version, people, deadline=None, name="Jaarlijkse bevestiging"):
    return launched_campaign(
        version,
        name=name,
        audience=Campaign.Audience.EMPLOYEES,
        employees=people,
        deadline=deadline or day(30),
    )


def reminder_for(version, employee, kind=Reminder.Kind.REMINDER, step="before-14", **extra):
    campaign = campaign_of(version, [employee])
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


def signing_page(version):
    return mails.signing_url(guideline=version.guideline)


def test_reminder_in_english_names_the_guideline_and_links_to_its_signing_page(version):
    employee = EmployeeFactory(first_name="Anna", preferred_language="en")
    message = mails.build(reminder=reminder_for(version, employee), now=at(16))
    text, html = text_and_html(message)

    assert message.to == [employee.email]
    assert message.from_email == "portal@voorbeeldstad.nl"
    assert message.subject == f"Reminder: please sign “{SOCIAL_EN}” by {due('en')}"
    for body in (text, html):
        assert "Dear Anna," in body
        assert SOCIAL_EN in body
        assert f"(version {version.number})" in body
        assert due("en") in body
        assert signing_page(version) in body
    assert signing_page(version) == f"{BASE}/handreikingen/sociale-media/bevestigen/"
    mail = parse(html)
    assert texts(mail, f'a[href="{signing_page(version)}"]') == ["Read and sign the guideline"]
    assert attribute(mail, "html", "lang") == "en"
    assert SOCIAL_NL not in text


def test_reminder_in_dutch_has_the_dutch_title_date_and_page_language(version):
    employee = EmployeeFactory(first_name="Daan", preferred_language="nl")

    message = mails.build(reminder=reminder_for(version, employee), now=at(16))
    text, html = text_and_html(message)

    assert attribute(parse(html), "html", "lang") == "nl"
    for body in (text, html):
        assert SOCIAL_NL in body
        assert due("nl") in body  # "25 december 2026": Dutch month names
        assert signing_page(version) in body
    assert due("nl") in message.subject
    assert SOCIAL_EN not in text


def test_reminder_in_dutch_is_written_in_dutch(version):
    employee = EmployeeFactory(first_name="Daan", preferred_language="nl")

    message = mails.build(reminder=reminder_for(version, employee), now=at(16))
    text, html = text_and_html(message)

    assert message.subject == f"Herinnering: onderteken “{SOCIAL_NL}” uiterlijk op {due('nl')}"
    for body in (text, html):
        assert "Beste Daan," in body
        assert f"(versie {version.number})" in body
        assert f"Doe dit uiterlijk op {due('nl')}." in body
        assert "Dear" not in body and "Please do so by" not in body
    assert "Hier lees en onderteken je de handreiking:" in text
    assert "Lees en onderteken de handreiking" in html


def test_one_mail_lists_every_open_guideline_nearest_due_date_first(version, privacy):
    employee = EmployeeFactory(preferred_language="en")
    reminder = reminder_for(version, employee)  # due on day 30
    campaign_of(privacy, [employee], deadline=day(20), name="Privacy 2026")

    message = mails.build(reminder=reminder, now=at(16))
    text, html = text_and_html(message)

    assert (
        message.subject == f"Reminder: please sign 2 guidelines, the first by {due('en', day(20))}"
    )
    for body in (text, html):
        assert body.index(PRIVACY_EN) < body.index(SOCIAL_EN)
        assert f"version {privacy.number}, by {due('en', day(20))}" in body
        assert f"version {version.number}, by {due('en')}" in body
    assert "We ask you to read these 2 guidelines" in text
    mail = parse(html)
    assert texts(mail, "li a") == [PRIVACY_EN, SOCIAL_EN]
    assert links(mail, "li") == [
        f"{BASE}/handreikingen/privacy/bevestigen/",
        f"{BASE}/handreikingen/sociale-media/bevestigen/",
    ]


def test_several_guidelines_in_dutch(version, privacy):
    employee = EmployeeFactory(preferred_language="nl")
    reminder = reminder_for(version, employee)
    campaign_of(privacy, [employee], deadline=day(20))

    message = mails.build(reminder=reminder, now=at(16))
    text, _html = text_and_html(message)

    assert message.subject == (
        f"Herinnering: onderteken 2 handreikingen, de eerste uiterlijk op {due('nl', day(20))}"
    )
    assert "We vragen je om deze 2 handreikingen te lezen en te bevestigen" in text
    assert f"“{PRIVACY_NL}”: versie {privacy.number}, uiterlijk op {due('nl', day(20))}" in text


def test_an_overdue_guideline_is_listed_as_overdue(version, privacy):
    employee = EmployeeFactory(preferred_language="en")
    reminder = reminder_for(version, employee)
    campaign_of(privacy, [employee], deadline=day(10))

    text, _html = text_and_html(mails.build(reminder=reminder, now=at(16)))

    assert f"“{PRIVACY_EN}”: version {privacy.number}, was due {due('en', day(10))}" in text


def test_a_signed_guideline_is_not_listed(version, privacy):
    employee = EmployeeFactory(preferred_language="en")
    reminder = reminder_for(version, employee)
    campaign_of(privacy, [employee], deadline=day(20))
    signed(employee, ready_to_sign(employee, privacy))

    message = mails.build(reminder=reminder, now=at(16))
    text, html = text_and_html(message)

    assert PRIVACY_EN not in text and PRIVACY_EN not in html
    assert message.subject == f"Reminder: please sign “{SOCIAL_EN}” by {due('en')}"


def test_an_exempted_guideline_and_a_closed_campaign_are_not_listed(version, privacy, manager):
    employee = EmployeeFactory(preferred_language="en")
    reminder = reminder_for(version, employee)
    exempted = campaign_of(privacy, [employee], deadline=day(20))
    services.exempt(assignment=exempted.assignments.get(), reason="Ziek", by=manager)
    other = quiz_version(tips=1, guideline=GuidelineFactory(slug="bio", title="BIO"))
    services.close_campaign(campaign=campaign_of(other, [employee]), by=None)

    text, _html = text_and_html(mails.build(reminder=reminder, now=at(16)))

    assert PRIVACY_EN not in text and "BIO" not in text
    assert SOCIAL_EN in text


def test_a_mail_about_another_guideline_never_says_social_media(privacy):
    for language in ("nl", "en"):
        employee = EmployeeFactory(preferred_language=language)
        message = mails.build(reminder=reminder_for(privacy, employee), now=at(16))
        text, html = text_and_html(message)

        for words in (message.subject, text, html):
            assert "social" not in words.lower() and "sociale" not in words.lower()
        assert (PRIVACY_NL if language == "nl" else PRIVACY_EN) in message.subject


def test_the_language_follows_each_reader_not_the_active_language(version):
    english = EmployeeFactory(preferred_language="en")
    dutch = EmployeeFactory(preferred_language="nl")

    with translation.override("nl"):
        english_text, _ = text_and_html(
            mails.build(reminder=reminder_for(version, english), now=at(16))
        )
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
                ),
                now=at(16),
            )
        )

    assert SOCIAL_EN in english_text
    assert SOCIAL_NL in dutch_text


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


def test_manual_reminder_names_the_manager_who_asked_and_the_guideline(version, manager):
    employee = EmployeeFactory(preferred_language="en", manager=manager)

    message = mails.build(
        reminder=reminder_for(
            version, employee, kind=Reminder.Kind.MANUAL, step="manual-x", requested_by=manager
        )
    )
    text, html = text_and_html(message)

    assert message.subject == f"Marieke Visser asks you to sign “{SOCIAL_EN}”"
    assert "Your manager Marieke Visser asks you to finish this soon." in text
    assert "Marieke Visser" in html


def test_manual_reminder_about_several_guidelines_counts_them(version, privacy, manager):
    employee = EmployeeFactory(preferred_language="nl", manager=manager)
    reminder = reminder_for(
        version, employee, kind=Reminder.Kind.MANUAL, step="manual-x", requested_by=manager
    )
    campaign_of(privacy, [employee])

    message = mails.build(reminder=reminder)

    assert message.subject == "Marieke Visser vraagt je om 2 handreikingen te ondertekenen"


def test_manager_escalation_goes_to_the_manager_in_their_language(version, manager):
    employee = EmployeeFactory(
        first_name="Piet", last_name="de Boer", manager=manager, preferred_language="nl"
    )

    message = mails.build(
        reminder=reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7"),
        now=at(37),
    )
    text, html = text_and_html(message)

    assert message.to == ["m@x.nl"]
    assert message.subject == f"Piet de Boer has not yet signed “{SOCIAL_EN}”"
    for body in (text, html):
        assert "Dear Marieke," in body
        assert "Piet de Boer, who works in your team" in body
        assert SOCIAL_EN in body
        assert due("en") in body
        assert f"{BASE}/mijn-team/" in body
    assert attribute(parse(html), "html", "lang") == "en"


def test_manager_escalation_in_dutch_for_a_dutch_manager(version):
    manager = EmployeeFactory(first_name="Marieke", preferred_language="nl")
    employee = EmployeeFactory(first_name="Piet", last_name="de Boer", manager=manager)

    message = mails.build(
        reminder=reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7"),
        now=at(37),
    )
    text, html = text_and_html(message)

    assert message.subject == f"Piet de Boer heeft “{SOCIAL_NL}” nog niet ondertekend"
    for body in (text, html):
        assert "Beste Marieke," in body
        assert "Piet de Boer uit je team" in body
        assert due("nl") in body
        assert f"{BASE}/mijn-team/" in body
    assert "Naar je teampagina" in html
    assert attribute(parse(html), "html", "lang") == "nl"


def test_manager_escalation_lists_the_overdue_guidelines_only(version, privacy, manager):
    employee = EmployeeFactory(first_name="Piet", last_name="de Boer", manager=manager)
    reminder = reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7")
    campaign_of(privacy, [employee], deadline=day(20))
    later = quiz_version(tips=1, guideline=GuidelineFactory(slug="bio", title="BIO"))
    campaign_of(later, [employee], deadline=day(60))

    message = mails.build(reminder=reminder, now=at(37))
    text, html = text_and_html(message)

    assert message.subject == "Piet de Boer has not yet signed 2 guidelines"
    for body in (text, html):
        assert "was asked to read and confirm these guidelines" in body
        assert body.index(PRIVACY_EN) < body.index(SOCIAL_EN)
        assert "BIO" not in body
    assert links(parse(html), f'a[href="{signing_page(privacy)}"]') == []


def test_manager_escalation_needs_an_active_manager(version, manager):
    employee = EmployeeFactory(manager=manager)
    reminder = reminder_for(version, employee, kind=Reminder.Kind.MANAGER, step="manager-7")
    Employee.objects.filter(pk=manager.pk).update(is_active=False)
    reminder.refresh_from_db()

    assert mails.build(reminder=reminder, now=at(37)) is None


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
    message = mails.build(reminder=reminder, now=at(44))
    text, html = text_and_html(message)

    # HR reads the portal's language (Dutch).
    assert message.to == ["po@voorbeeldstad.nl"]
    assert message.subject == f"Te laat: Piet de Boer heeft “{SOCIAL_NL}” nog niet ondertekend"
    for body in (text, html):
        assert f"Piet de Boer (personeelsnummer 4711, Burgerzaken) heeft “{SOCIAL_NL}”" in body
        assert due("nl") in body
        assert "De leidinggevende is Marieke Visser." in body
        assert f"{BASE}/campagnes/{reminder.assignment.campaign_id}/" in body


def test_hr_escalation_about_several_guidelines_names_each_with_its_campaign(
    version, privacy, settings
):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    employee = EmployeeFactory(first_name="Piet", last_name="de Boer", employee_number="4711")
    reminder = reminder_for(version, employee, kind=Reminder.Kind.HR, step="hr-14")
    privacy_campaign = campaign_of(privacy, [employee], deadline=day(20), name="Privacy 2026")

    message = mails.build(reminder=reminder, now=at(44))
    text, html = text_and_html(message)

    assert message.subject == "Te laat: Piet de Boer heeft 2 handreikingen nog niet ondertekend"
    for body in (text, html):
        assert PRIVACY_NL in body and SOCIAL_NL in body
        assert "Privacy 2026" in body and "Jaarlijkse bevestiging" in body
        assert f"{BASE}/campagnes/{privacy_campaign.pk}/" in body


def test_hr_escalation_goes_to_everyone_with_the_hr_role_otherwise(version, settings):
    settings.CAMPAIGN_HR_EMAIL = ""
    first = EmployeeFactory(hr=True, email="b-hr@voorbeeldstad.nl")
    second = EmployeeFactory(hr=True, email="a-hr@voorbeeldstad.nl")
    EmployeeFactory(hr=True, email="gone-hr@voorbeeldstad.nl", is_active=False)
    EmployeeFactory(email="not-hr@voorbeeldstad.nl")

    message = mails.build(
        reminder=reminder_for(version, EmployeeFactory(), kind=Reminder.Kind.HR, step="hr-14"),
        now=at(44),
    )

    assert message.to == [second.email, first.email]


def test_hr_escalation_without_anyone_in_hr_has_nobody_to_go_to(version, settings):
    settings.CAMPAIGN_HR_EMAIL = ""

    assert (
        mails.build(
            reminder=reminder_for(version, EmployeeFactory(), kind=Reminder.Kind.HR, step="hr-14"),
            now=at(44),
        )
        is None
    )


def test_subject_is_one_line(version):
    employee = EmployeeFactory(preferred_language="en")

    subject = mails.build(reminder=reminder_for(version, employee)).subject

    assert "\n" not in subject and subject == subject.strip()


def test_hr_escalations_of_one_campaign_go_as_one_mail_listing_everyone(version, privacy, settings):
    settings.CAMPAIGN_HR_EMAIL = "po@voorbeeldstad.nl"
    piet = EmployeeFactory(first_name="Piet", last_name="de Boer", employee_number="4711")
    anna = EmployeeFactory(first_name="Anna", last_name="Aalders", employee_number="4712")
    campaign = campaign_of(version, [piet, anna])
    campaign_of(privacy, [anna], deadline=day(20))
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

    message = mails.build_hr_digest(reminders=escalations, now=at(44))
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
        # Anna's two guidelines, Piet's one.
        assert body.count(PRIVACY_NL) == 1 and body.count(SOCIAL_NL) == 2
        assert "sociale media," not in body
    assert "Deze 2 medewerkers hebben nog niet ondertekend" in text
