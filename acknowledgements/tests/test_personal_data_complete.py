"""AVG art. 15, complete (issue 21): the export of one's own data has what campaigns,
reports, the security log, the staff import and the roles keep about the person, and
nothing about anyone else; the page shows all of it and the PDF has it too, in the
person's language."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from acknowledgements.models import DestructionList
from acknowledgements.selectors.personal_data import personal_data_export, readable_export
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.models import Assignment, Reminder
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from people.models import Invitation, ObjectRoleGrant, StaffImport
from people.roles import Role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal import personal_data as register
from quizzes.tests.factories import quiz_version
from reports import services as report_services
from reports.models import Report
from security.models import SecurityEvent
from security.services import record_event

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("acknowledgements:personal_data")
PDF_URL = reverse("acknowledgements:personal_data_pdf")
REASON = "Langdurig afwezig wegens zorgverlof"
OTHER_REASON = "Gedetacheerd bij de provincie"


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _done(report: Report) -> Report:
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DONE, finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report


def _reminder(assignment: Assignment, kind: str, step: str, **fields) -> Reminder:
    now = timezone.now()
    return Reminder.objects.create(
        assignment=assignment,
        kind=kind,
        step=step,
        created_at=now,
        next_attempt_at=now,
        status=Reminder.Status.SENT,
        sent_at=now,
        **fields,
    )


class World:
    """Two people in two directorates with the same kinds of data, and HR."""

    def __init__(self, versions: int = 1):
        self.ours = DepartmentFactory(code="DIR-A", name="Directie Ruimte", parent=None)
        self.team = DepartmentFactory(code="TEAM-A", name="Team Vergunningen", parent=self.ours)
        self.theirs = DepartmentFactory(code="DIR-B", name="Directie Sociaal", parent=None)
        self.hr = EmployeeFactory(hr=True, first_name="Henk", last_name="Hermans")
        self.manager = EmployeeFactory(department=self.team, first_name="Mira")
        self.employee = EmployeeFactory(
            department=self.team, manager=self.manager, first_name="Eva", last_name="Aalbers"
        )
        self.other = EmployeeFactory(
            department=self.theirs, first_name="Otto", last_name="Zwanenburg"
        )
        self.reports = []
        for number in range(1, versions + 1):
            self._round(number)
        self._elsewhere()

    def _round(self, number: int) -> None:
        guideline = GuidelineFactory(slug=f"richtlijn-{number}", title=f"Richtlijn {number}")
        version = quiz_version(tips=2, guideline=guideline)
        for person in (self.employee, self.other):
            ready_to_sign(person, version)
        campaign = launched_campaign(version, name=f"Ronde {number}", by=self.hr)
        mine = Assignment.objects.get(campaign=campaign, employee=self.employee)
        theirs = Assignment.objects.get(campaign=campaign, employee=self.other)
        campaign_services.exempt(assignment=mine, reason=REASON, by=self.hr)
        campaign_services.exempt(assignment=theirs, reason=OTHER_REASON, by=self.hr)
        _reminder(mine, Reminder.Kind.MANAGER, "after-7")
        _reminder(mine, Reminder.Kind.REMINDER, "before-3")
        _reminder(theirs, Reminder.Kind.HR, "after-14")
        _reminder(theirs, Reminder.Kind.MANUAL, "manual-1", requested_by=self.employee)
        self.reports.append(
            _done(report_services.request_report(campaign=campaign, by=self.hr, enqueue=False))
        )
        self.theirs_only = _done(
            report_services.request_report(
                campaign=campaign, departments=[self.theirs], by=self.hr, enqueue=False
            )
        )
        self.signature = signed(self.other, version)

    def _elsewhere(self) -> None:
        record_event(kind=SecurityEvent.Kind.LOGIN, actor=self.employee)
        record_event(kind=SecurityEvent.Kind.ROLE_GRANTED, actor=self.hr, subject=self.employee)
        record_event(kind=SecurityEvent.Kind.LOGIN, actor=self.other)
        record_event(kind=SecurityEvent.Kind.ROLE_GRANTED, actor=self.hr, subject=self.other)
        self.file_about_me = report_services.request_report(
            kind=Report.Kind.INDIVIDUAL, employee=self.employee, by=self.hr, enqueue=False
        )
        self.file_about_other = report_services.request_report(
            kind=Report.Kind.INDIVIDUAL, employee=self.other, by=self.hr, enqueue=False
        )
        log = StaffImport.objects.create(
            imported_by=self.hr,
            filename="hr-export.csv",
            file_sha256="0" * 64,
            mode=StaffImport.Mode.APPLIED,
            changes={
                "changed": [
                    {
                        "number": self.employee.employee_number,
                        "name": self.employee.full_name,
                        "line": 2,
                        "fields": ["job_title"],
                    },
                    {
                        "number": self.other.employee_number,
                        "name": self.other.full_name,
                        "line": 3,
                        "fields": ["department"],
                    },
                ]
            },
        )
        StaffImport.objects.create(
            filename="alleen-otto.csv",
            file_sha256="1" * 64,
            mode=StaffImport.Mode.APPLIED,
            changes={"new": [{"number": self.other.employee_number, "fields": []}]},
        )
        Invitation.objects.create(employee=self.employee, staff_import=log)
        Invitation.objects.create(employee=self.other, staff_import=log)
        today = timezone.localdate()
        DestructionList.objects.create(
            proposed_at=timezone.now(),
            proposed_by=self.hr,
            day=today,
            employment_ended_before=today,
            attempts_submitted_before=today,
            items=[
                {
                    "category": "Bevestiging",
                    "identifier": "1",
                    "employee_number": person.employee_number,
                    "description": f"Bevestiging van {person.full_name}",
                }
                for person in (self.employee, self.other)
            ],
        )
        for person, department in ((self.employee, self.ours), (self.other, self.theirs)):
            ObjectRoleGrant.objects.create(
                employee=person,
                role=Role.HR,
                content_type=ContentType.objects.get_for_model(department),
                object_id=department.pk,
                granted_by=self.hr,
            )


@pytest.fixture
def world():
    return World()


def export_of(person) -> dict:
    with translation.override("en"):
        return personal_data_export(employee=person)


# What is in it ----------------------------------------------------------------------


def test_the_assignments_carry_hrs_exemption_reason_and_who_exempted(world):
    [assignment] = export_of(world.employee)["assignments"]["assignments"]

    assert assignment["campaign"] == "Ronde 1"
    assert assignment["exempt_reason"] == REASON
    assert assignment["exempted_by"] == world.hr.full_name
    [exemption] = assignment["exemptions"]
    assert exemption["reason"] == REASON
    assert exemption["exempted_by"] == world.hr.full_name


def test_the_reminders_and_escalations_about_the_person_are_in_it(world):
    reminders = export_of(world.employee)["reminders"]

    assert sorted(r["kind"] for r in reminders["about_you"]) == ["manager", "reminder"]
    [sent] = reminders["requested_by_you"]
    assert sent["campaign"] == "Ronde 1"
    assert world.other.full_name not in json.dumps(sent)


def test_a_report_that_listed_the_person_is_in_it(world):
    reports = export_of(world.employee)["reports"]

    assert [r["report"] for r in reports["listed_you"]] == [world.reports[0].number]
    assert [r["report"] for r in reports["about_you"]] == [world.file_about_me.number]


def test_a_report_on_another_part_of_the_organisation_did_not_list_the_person(world):
    theirs = export_of(world.other)["reports"]["listed_you"]

    assert {r["report"] for r in theirs} == {world.reports[0].number, world.theirs_only.number}
    mine = export_of(world.employee)["reports"]["listed_you"]
    assert world.theirs_only.number not in {r["report"] for r in mine}


def test_a_report_made_before_the_person_was_assigned_did_not_list_them(world):
    report = world.reports[0]
    Assignment.objects.filter(employee=world.employee).update(
        added_at=timezone.now() + datetime.timedelta(days=2)
    )

    listed = export_of(world.employee)["reports"]["listed_you"]

    assert report.number not in {r["report"] for r in listed}


def test_a_report_not_made_yet_listed_nobody(world):
    Report.objects.filter(pk=world.reports[0].pk).update(status=Report.Status.QUEUED)

    assert export_of(world.employee)["reports"]["listed_you"] == []


def test_a_report_on_a_version_lists_everyone_employed_on_its_date(world):
    version = world.signature.version
    report = _done(report_services.request_report(version=version, enqueue=False))
    Report.objects.filter(pk=report.pk).update(as_of=timezone.localdate())
    world.employee.end_date = timezone.localdate() - datetime.timedelta(days=1)
    world.employee.save(update_fields=["end_date"])

    assert report.number in {r["report"] for r in export_of(world.other)["reports"]["listed_you"]}
    listed = export_of(world.employee)["reports"]["listed_you"]
    assert report.number not in {r["report"] for r in listed}


def test_the_security_events_by_and_about_the_person_are_in_it(world):
    events = export_of(world.employee)["security_events"]

    # Their log-in, the role given to them, and HR asking for a file about them.
    assert [(e["event"], e["by"], e["about"]) for e in events] == [
        ("login", world.employee.email, ""),
        ("role_granted", world.hr.email, world.employee.email),
        ("export", world.hr.email, world.employee.email),
    ]


def test_the_staff_imports_that_changed_the_person_are_in_it(world):
    imports = export_of(world.employee)["staff_imports"]

    [changed] = imports["about_you"]
    assert changed["file"] == "hr-export.csv"
    assert changed["changes"] == [{"change": "changed", "fields": ["job_title"]}]
    assert imports["run_by_you"] == []
    assert [r["file"] for r in export_of(world.hr)["staff_imports"]["run_by_you"]] == [
        "hr-export.csv"
    ]


def test_a_number_inside_another_number_is_not_taken_for_the_person(world):
    world.employee.employee_number = world.other.employee_number[:-1]
    world.employee.save(update_fields=["employee_number"])

    assert export_of(world.employee)["staff_imports"]["about_you"] == []


def test_invitations_and_roles_on_one_part_are_in_it(world):
    data = export_of(world.employee)

    assert [i["status"] for i in data["invitations"]] == ["queued"]
    [grant] = data["object_roles"]
    assert grant["role"] == "hr" and grant["on"] == "Directie Ruimte"
    assert grant["granted_by"] == world.hr.full_name


def test_a_destruction_list_that_names_the_person_is_in_it_with_only_their_items(world):
    lists = export_of(world.employee)["destruction_lists"]

    [listed] = lists["about_you"]
    assert listed["items"] == [
        {"category": "Bevestiging", "description": f"Bevestiging van {world.employee.full_name}"}
    ]
    assert lists["by_you"] == []
    [proposed] = export_of(world.hr)["destruction_lists"]["by_you"]
    assert proposed["your_part"] == ["proposed"]


def test_nothing_of_another_person_is_in_it(world):
    text = json.dumps(export_of(world.employee), ensure_ascii=False)

    for value in (
        world.other.email,
        world.other.employee_number,
        world.other.last_name,
        OTHER_REASON,
        world.signature.entry.verification_code,
        world.file_about_other.number,
        world.theirs_only.number,
        "alleen-otto.csv",
        "Directie Sociaal",
    ):
        assert value not in text


def test_what_hr_did_is_in_hrs_own_export(world):
    data = export_of(world.hr)

    by_hr = data["campaign_events"]["by_you"]
    assert {e["event"] for e in by_hr} >= {"created", "launched", "exempted"}
    assert {r["report"] for r in data["reports"]["requested_by_you"]} >= {
        world.file_about_me.number
    }
    assert [c["campaign"] for c in data["campaign_events"]["campaigns"]] == ["Ronde 1"]


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_export_costs_the_same_queries_however_much_there_is(django_assert_num_queries, rounds):
    world = World(versions=rounds)

    with django_assert_num_queries(37):
        data = personal_data_export(employee=world.employee)

    assert len(data["assignments"]["assignments"]) == rounds
    assert len(data["reports"]["listed_you"]) == rounds
    assert len(data["reminders"]["about_you"]) == 2 * rounds


# Readable: the page and the PDF -------------------------------------------------------


def test_the_page_costs_the_same_queries_however_much_there_is(world):
    client = client_for(world.employee)
    client.get(PAGE_URL)  # the session's first request reads more

    counts = []
    for more_rounds in ([], [2, 3]):
        for number in more_rounds:
            world._round(number)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE_URL)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert response.content.decode().count("Ronde ") >= 3


def test_every_key_the_page_shows_has_a_name_of_its_own(world):
    for person in (world.employee, world.hr):
        data = export_of(person)
        for category in register.categories():
            assert not register.unlabelled_keys(category=category, data=data[category.key]), (
                category.key
            )


def _reads(person, language: str) -> None:
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])


def test_the_page_shows_every_category_with_its_content(world):
    _reads(world.employee, "en")

    response = client_for(world.employee).get(PAGE_URL)
    html = response.content.decode()

    assert response.status_code == 200
    for category in register.categories():
        assert f'data-category="{category.key}"' in html
    assert REASON in html
    assert world.reports[0].number in html
    assert "Escalation to the manager" in html
    assert OTHER_REASON not in html and world.other.email not in html


def test_the_dutch_page_has_no_english(world):
    _reads(world.employee, "nl")
    with translation.override("nl"):
        sections = readable_export(data=personal_data_export(employee=world.employee))
    html = client_for(world.employee).get(PAGE_URL).content
    with translation.override("en"):
        english = readable_export(data=personal_data_export(employee=world.employee))

    text = html.decode()
    assert "Melding aan de leidinggevende" in text
    for section_nl, section_en in zip(sections, english, strict=True):
        for key in ("label",):
            assert section_nl[key] != section_en[key]
        for key in ("contains", "why", "kept_for"):
            assert section_nl["explanation"][key] != section_en["explanation"][key], (
                section_nl["key"],
                key,
            )
        for label in _labels(section_en["content"]) - _labels(section_nl["content"]):
            assert f">{label}</dt>" not in text, label
    assert ">Escalation" not in text
    assert "job_title" not in text  # the field the staff import changed, by its label
    assert "Functie" in text


def _labels(row) -> set[str]:
    found = {row.label}
    for child in row.rows:
        found |= _labels(child)
    for item in row.items:
        for child in item:
            found |= _labels(child)
    return found


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_has_every_category_and_its_content_in_the_persons_language(world):
    _reads(world.employee, "nl")

    response = client_for(world.employee).get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mijn-gegevens-{world.employee.employee_number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    with translation.override("nl"):
        labels = [str(category.label) for category in register.categories()]
    for label in labels:
        assert " ".join(label.split()) in text
    assert REASON in text
    assert "Melding aan de leidinggevende" in text
    assert OTHER_REASON not in text and world.other.last_name not in text


def test_the_pdf_in_english_for_someone_who_reads_english(world):
    _reads(world.employee, "en")

    response = client_for(world.employee).get(PDF_URL)

    text = pdf_text(response.content)
    assert "Reminders and escalations" in text
    assert "Escalation to the manager" in text


def test_each_download_is_recorded_in_the_security_log(world):
    client = client_for(world.employee)
    SecurityEvent.objects.all().delete()

    client.get(PDF_URL)
    client.get(reverse("acknowledgements:personal_data_download"))

    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).order_by("pk")
    assert [(e.actor_id, e.subject_id, e.details["what"], e.details["format"]) for e in events] == [
        (world.employee.pk, world.employee.pk, "personal_data", "pdf"),
        (world.employee.pk, world.employee.pk, "personal_data", "json"),
    ]


@pytest.mark.parametrize("url", [PAGE_URL, PDF_URL])
def test_a_query_string_never_shows_another_persons_data(world, url):
    response = client_for(world.employee).get(url, {"employee": world.other.pk})

    body = pdf_text(response.content) if url == PDF_URL else response.content.decode()
    assert OTHER_REASON not in body and world.other.last_name not in body
    assert world.employee.last_name in body


def test_anonymous_visitors_get_no_pdf():
    response = Client().get(PDF_URL)

    assert response.status_code == 302
