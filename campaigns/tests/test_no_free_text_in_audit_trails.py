"""The audit trails (handbook, quiz, campaign and report events) hold no free text about
a person, so that they can stay append-only while personal data is erased: reasons live
on their erasable rows (an exemption's on its Exemption and the assignment, an on-behalf
record's on the ledger content), the events name those rows by id, and erasing a person
(by request or by retention) clears the reasons. Tried with a person whose history
leaves text in every place it could go."""

import datetime
import json

import pytest
from django.utils import timezone

from acknowledgements import services as ledger_services
from acknowledgements.models import Acknowledgement
from acknowledgements.selectors.personal_data import personal_data_export
from acknowledgements.services import corrections
from acknowledgements.services.retention import due_for_destruction
from acknowledgements.tests.destruction_support import carried_out
from campaigns import services
from campaigns.models import Assignment, CampaignEvent, Exemption, Reminder
from campaigns.services import reminders
from campaigns.tests.factories import launched_campaign
from handbook.models import Guideline, HandbookEvent
from handbook.services import retirement
from handbook.services.reviews import send_review_reminders
from handbook.tests.factories import published_version
from people.models import Employee
from people.tests.factories import EmployeeFactory
from quizzes.models import QuizEvent
from reports.models import ReportEvent

pytestmark = pytest.mark.django_db

EMAIL = "zwaantje.quispel@voorbeeldstad.nl"
FIRST_EXEMPTION = "Zwangerschapsverlof tot maart"
SECOND_EXEMPTION = "Chemokuur, terug na de zomer"
ON_BEHALF = "Tekende op papier in de buitendienst, kan niet inloggen"
RETIREMENT = "Versie 1 noemt Zwaantje Quispel als contactpersoon"
SMTP_ERROR = f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'5.1.1 unknown user')}}"
TEXTS = [EMAIL, "Quispel", FIRST_EXEMPTION, SECOND_EXEMPTION, ON_BEHALF, "Chemokuur"]


def audit_trails_text() -> str:
    """Every audit-trail row's details, as the JSON they are stored as."""
    return "\n".join(
        json.dumps(details, ensure_ascii=False)
        for model in (HandbookEvent, QuizEvent, CampaignEvent, ReportEvent)
        for details in model.objects.values_list("details", flat=True)
    )


def found_in_trails() -> list[str]:
    text = audit_trails_text()
    return [needle for needle in TEXTS if needle.lower() in text.lower()]


@pytest.fixture
def hr():
    return EmployeeFactory(hr=True)


@pytest.fixture
def person(hr):
    """An employee exempted twice (once lifted), with a failed reminder tried again, a
    record on their behalf, the owner of a guideline due for review, and named in a
    request to retire a version."""
    person = EmployeeFactory(first_name="Zwaantje", last_name="Quispel", email=EMAIL)
    today = timezone.localdate()
    version = published_version(effective_date=today - datetime.timedelta(days=10))
    campaign = launched_campaign(version, by=hr)
    assignment = Assignment.objects.get(campaign=campaign, employee=person)
    services.exempt(assignment=assignment, reason=FIRST_EXEMPTION, by=hr)
    services.lift_exemption(assignment=assignment, by=hr)
    services.exempt(assignment=assignment, reason=SECOND_EXEMPTION, by=hr)
    now = timezone.now()
    failed = Reminder.objects.create(
        assignment=assignment,
        kind=Reminder.Kind.REMINDER,
        step="before-14",
        status=Reminder.Status.FAILED,
        created_at=now,
        next_attempt_at=now,
        attempts=10,
        last_error=SMTP_ERROR,
    )
    reminders.retry_failed(reminder=failed, by=hr)
    ledger_services.record_on_behalf(
        employee=person,
        version=version,
        recorded_by=hr,
        reason=ON_BEHALF,
        signed_at=now - datetime.timedelta(hours=1),
    )
    Guideline.objects.filter(pk=version.guideline_id).update(
        owner=person, review_date=today + datetime.timedelta(days=5)
    )
    send_review_reminders(today=today)
    published_version(version.guideline, number=2, effective_date=today)
    retirement.request_retirement(
        version=version, actor=EmployeeFactory(editor=True), reason=RETIREMENT
    )
    return person


def _left_long_ago(person) -> None:
    Employee.objects.filter(pk=person.pk).update(
        end_date=timezone.localdate() - datetime.timedelta(days=365 * 30), is_active=False
    )


def test_the_history_wrote_no_free_text_about_the_person_into_any_audit_trail(person):
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTED).count() == 2
    assert HandbookEvent.objects.filter(kind=HandbookEvent.Kind.REVIEW_REMINDER_SENT).exists()

    assert found_in_trails() == []
    assert "Zwaantje" not in audit_trails_text()


def test_the_events_of_an_exemption_name_its_row_which_keeps_the_reason(person):
    first, second = Exemption.objects.filter(assignment__employee=person).order_by("pk")
    events = CampaignEvent.objects.filter(assignment__employee=person).order_by("pk")

    assert [(e.kind, e.details) for e in events if e.kind != "reminder_retried"] == [
        ("exempted", {"exemption": first.pk}),
        ("exemption_lifted", {"exemption": first.pk}),
        ("exempted", {"exemption": second.pk}),
    ]
    assert (first.reason, first.lifted_at is not None) == (FIRST_EXEMPTION, True)
    assert (second.reason, second.lifted_at) == (SECOND_EXEMPTION, None)
    assert Assignment.objects.get(employee=person).exempt_reason == SECOND_EXEMPTION


def test_a_retried_mail_keeps_the_kind_of_its_error_in_the_trail_and_the_text_on_the_reminder(
    person,
):
    event = CampaignEvent.objects.get(kind=CampaignEvent.Kind.REMINDER_RETRIED)

    assert event.details["previous_error_kind"] == "SMTPRecipientsRefused"
    assert Reminder.objects.get(pk=event.details["reminder"]).last_error == SMTP_ERROR


def test_a_review_reminder_names_its_recipient_by_id(person):
    event = HandbookEvent.objects.get(kind=HandbookEvent.Kind.REVIEW_REMINDER_SENT)

    assert event.details["recipient"] == person.pk


def test_after_erasing_the_person_no_free_text_about_them_is_left_anywhere_erasable(person, hr):
    corrections.erase_employee(employee=person, recorded_by=hr, reason="AVG-verzoek")

    assert found_in_trails() == []
    assert not Acknowledgement.objects.filter(employee=person).exists()
    assert list(
        Exemption.objects.filter(assignment__employee=person).values_list("reason", flat=True)
    ) == ["", ""]
    assert Exemption.objects.filter(reason_erased_at__isnull=True).count() == 0
    assert Assignment.objects.get(employee=person).exempt_reason == ""


def test_erasing_keeps_who_exempted_the_person_and_when(person, hr):
    corrections.erase_employee(employee=person, recorded_by=hr, reason="AVG-verzoek")

    exemption = Exemption.objects.filter(assignment__employee=person).latest("pk")
    assert (exemption.exempted_by, exemption.exempted_at is not None) == (hr, True)


def test_after_retention_no_free_text_about_a_leaver_is_left_anywhere_erasable(person):
    _left_long_ago(person)

    carried_out()

    assert found_in_trails() == []
    assert not Acknowledgement.objects.filter(employee=person).exists()
    assert set(
        Exemption.objects.filter(assignment__employee=person).values_list("reason", flat=True)
    ) == {""}
    assert Assignment.objects.get(employee=person).exempt_reason == ""


def test_retention_clears_the_exemption_reasons_of_a_leaver_who_never_signed(hr):
    leaver = EmployeeFactory()
    version = published_version(effective_date=timezone.localdate())
    campaign = launched_campaign(version, by=hr)
    assignment = Assignment.objects.get(campaign=campaign, employee=leaver)
    services.exempt(assignment=assignment, reason=SECOND_EXEMPTION, by=hr)
    _left_long_ago(leaver)

    carried_out()

    assert Exemption.objects.get(assignment=assignment).reason == ""
    assert Assignment.objects.get(pk=assignment.pk).exempt_reason == ""


def test_a_dry_run_of_retention_keeps_the_reasons(person):
    _left_long_ago(person)

    due_for_destruction()

    assert Assignment.objects.get(employee=person).exempt_reason == SECOND_EXEMPTION
    assert Exemption.objects.filter(assignment__employee=person, reason="").count() == 0


def test_erasing_someone_else_leaves_the_persons_reasons_alone(person, hr):
    other = EmployeeFactory()
    corrections.erase_employee(employee=other, recorded_by=hr, reason="AVG-verzoek")

    assert Assignment.objects.get(employee=person).exempt_reason == SECOND_EXEMPTION
    assert Exemption.objects.filter(assignment__employee=person, reason="").count() == 0


def test_the_personal_data_export_still_holds_the_on_behalf_reason(person):
    data = personal_data_export(employee=person)

    assert [record["reason"] for record in data["acknowledgements"]] == [ON_BEHALF]


def test_the_personal_data_export_gives_an_editors_retirement_reason_from_the_request(person):
    editor = HandbookEvent.objects.get(kind=HandbookEvent.Kind.RETIREMENT_REQUESTED).actor

    events = personal_data_export(employee=editor)["audit_events"]["handbook"]

    assert [event.get("retirement_reason") for event in events] == [RETIREMENT]
