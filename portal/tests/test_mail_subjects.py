"""E-mail subjects are plain text: a name is written as it is, never HTML-escaped
("O'Brien & Zoon <x>", not "O&#x27;Brien &amp; Zoon &lt;x&gt;"); the HTML part of the
same mail still escapes it."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from campaigns.models import Reminder
from campaigns.services import mails
from campaigns.tests.conftest import at
from campaigns.tests.test_mails import reminder_for, text_and_html
from people.services.invitations import build_invitation
from people.tests.factories import EmployeeFactory
from portal.mail import render_subject
from quizzes.tests.factories import quiz_version

NAME = "O'Brien & Zoon <x>"
SUBJECT_TEMPLATES = sorted(
    path.relative_to(settings.BASE_DIR / "templates").as_posix()
    for path in Path(settings.BASE_DIR / "templates").glob("**/*_subject.txt")
)


class Anything(SimpleNamespace):
    """Whatever a subject template asks of it (a name, a title, a number) is NAME."""

    def __getattr__(self, name):
        return NAME

    def __str__(self):
        return NAME


@pytest.mark.parametrize("template_name", SUBJECT_TEMPLATES)
def test_every_subject_template_writes_a_name_as_plain_text(template_name):
    context = {
        key: Anything()
        for key in (
            "employee",
            "requested_by",
            "campaign",
            "guideline",
            "version",
            "guideline_title",
        )
    } | {
        "municipality_name": NAME,
        "reminder": SimpleNamespace(kind="manual"),
        "items": [Anything()],
        "people": [Anything()],
    }
    with translation.override("en"):
        subject = render_subject(template_name, context)

    # A subject that names something (a person, a campaign, the municipality) writes it
    # as plain text; one that names only a month or a count has no name to write.
    text = (settings.BASE_DIR / "templates" / template_name).read_text()
    if re.search(rf"\b({'|'.join(context)})\b", text):
        assert NAME in subject
    assert "&#" not in subject and "&amp;" not in subject and "&lt;" not in subject


def test_the_subject_templates_are_all_found():
    assert "people/email/invitation_subject.txt" in SUBJECT_TEMPLATES
    assert "campaigns/email/reminder_subject.txt" in SUBJECT_TEMPLATES
    assert len(SUBJECT_TEMPLATES) >= 7


@pytest.mark.django_db
def test_a_manual_reminder_names_the_manager_exactly_in_its_subject():
    manager = EmployeeFactory(first_name="Jan", last_name=NAME, preferred_language="en")
    employee = EmployeeFactory(preferred_language="en", manager=manager)
    reminder = reminder_for(
        quiz_version(tips=3),
        employee,
        kind=Reminder.Kind.MANUAL,
        step="manual-x",
        requested_by=manager,
    )

    message = mails.build(reminder=reminder)

    title = reminder.assignment.version.guideline.title_in("en")
    assert message.subject == f"Jan {NAME} asks you to sign “{title}”"
    _text, html = text_and_html(message)
    assert "O&#x27;Brien &amp; Zoon &lt;x&gt;" in html
    assert "<x>" not in html


@pytest.mark.django_db
def test_a_manager_escalation_names_the_employee_exactly_in_its_subject():
    manager = EmployeeFactory(preferred_language="en")
    employee = EmployeeFactory(first_name="Jan", last_name=NAME, manager=manager)

    reminder = reminder_for(
        quiz_version(tips=3), employee, kind=Reminder.Kind.MANAGER, step="manager-7"
    )

    message = mails.build(reminder=reminder, now=at(37))

    title = reminder.assignment.version.guideline.title_in("en")
    assert message.subject == f"Jan {NAME} has not yet signed “{title}”"


@pytest.mark.django_db
def test_the_invitation_names_the_municipality_exactly_in_its_subject(settings):
    settings.PORTAL_MUNICIPALITY_NAME = NAME
    employee = EmployeeFactory(preferred_language="en")

    message = build_invitation(employee=employee)

    assert message.subject == f"Welcome to the guideline portal of {NAME}: set your password"
