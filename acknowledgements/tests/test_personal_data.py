"""AVG art. 15: an employee sees and downloads all the portal holds about them, and
nothing about anyone else, at a fixed cost in queries."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from acknowledgements.selectors.personal_data import personal_data_export
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.tests.factories import GuidelineFactory, HandbookEventFactory
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, parse, select
from quizzes.models import Answer, QuizEvent
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("acknowledgements:personal_data")
DOWNLOAD_URL = reverse("acknowledgements:personal_data_download")


@pytest.fixture(autouse=True)
def _no_two_factor_and_english(settings):
    settings.PORTAL_MFA_REQUIRED = False
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _active_employee(version=None, **fields):
    """An employee with a record, tips read, an attempt and audit events of their own."""
    manager = EmployeeFactory()
    employee = EmployeeFactory(manager=manager, **fields)
    version = ready_to_sign(employee, version)
    record = signed(employee, version, ip_address="192.0.2.7", user_agent="Firefox")
    HandbookEventFactory(guideline=version.guideline, actor=employee)
    QuizEvent.objects.create(kind=QuizEvent.Kind.SETTINGS_CHANGED, version=version, actor=employee)
    return employee, version, record


def test_the_export_holds_every_category_of_the_employee():
    employee, version, record = _active_employee(name_prefix="van der")

    data = personal_data_export(employee=employee)

    profile = data["profile"]
    assert profile["employee_number"] == employee.employee_number
    assert profile["name_prefix"] == "van der"
    assert profile["email"] == employee.email
    assert profile["department"] == [employee.department.name]
    assert profile["manager"] == employee.manager.full_name
    assert profile["active"] is True and profile["account_created"]
    assert data["roles"] == ["employee"]
    [ack] = data["acknowledgements"]
    assert ack["entry_sequence"] == record.entry.sequence
    assert ack["verification_code"] == record.entry.verification_code
    assert ack["record_hash"] == record.entry.record_hash
    assert ack["guideline_version"] == version.number
    assert ack["typed_name"] == employee.full_name
    assert ack["method"] == "self" and ack["recorded_by"] == employee.full_name
    assert ack["ip_address"] == "192.0.2.7" and ack["browser"] == "Firefox"
    assert ack["statement"] == record.statement
    assert {(r["guideline_version"], r["tip"]) for r in data["tips_read"]} == {
        (version.number, tip.number) for tip in version.tips.all()
    }
    [attempt] = data["quiz_attempts"]
    assert attempt["passed"] is True and attempt["score_percent"] == 100
    assert attempt["answers"] and all(a["answer_kept"] and a["right"] for a in attempt["answers"])
    assert all(a["chosen"] for a in attempt["answers"])
    assert len(data["audit_events"]["handbook"]) == 1
    assert len(data["audit_events"]["quiz"]) == 1
    assert set(data["why_kept"]) >= {  # format 1's categories, all still there
        "profile",
        "acknowledgements",
        "tips_read",
        "quiz_attempts",
        "audit_events",
    }
    assert data["format_version"] == 2
    own_grounds = {"security_events", "destruction_lists"}  # AVG art. 32; the Archiefwet
    staff_data = {key: why for key, why in data["why_kept"].items() if key not in own_grounds}
    assert all("Ambtenarenwet 2017" in why["legal_ground"] for why in staff_data.values())
    assert "AVG art. 32" in data["why_kept"]["security_events"]["legal_ground"]
    assert "10 years" in data["why_kept"]["acknowledgements"]["kept_for"]
    assert "5 years" in data["why_kept"]["quiz_attempts"]["kept_for"]


def test_the_department_path_is_given_by_name():
    directorate = DepartmentFactory(name="Directie Dienstverlening", parent=None)
    team = DepartmentFactory(name="Team Burgerzaken", parent=directorate)
    employee = EmployeeFactory(department=team)

    data = personal_data_export(employee=employee)

    assert data["profile"]["department"][-1] == "Team Burgerzaken"
    assert data["profile"]["department"][0] == "Directie Dienstverlening"


def test_answers_no_longer_kept_are_marked_so():
    employee = EmployeeFactory()
    attempt = submitted_attempt(employee=employee, version=quiz_version())
    Answer.chosen.through.objects.all().delete()
    Answer.objects.all().delete()

    data = personal_data_export(employee=employee)

    [exported] = data["quiz_attempts"]
    assert exported["id"] == attempt.pk
    assert all(not a["answer_kept"] and a["right"] is None for a in exported["answers"])


def test_the_export_holds_nothing_of_another_employee():
    employee, version, _record = _active_employee(last_name="Aalbers")
    other, _version, other_record = _active_employee(version, last_name="Zwanenburg")

    text = json.dumps(personal_data_export(employee=employee))

    for value in (
        other.email,
        other.employee_number,
        other.last_name,
        other_record.entry.verification_code,
        other_record.entry.record_hash,
    ):
        assert value not in text


def test_the_download_is_json_with_the_right_headers():
    employee, _version, record = _active_employee(first_name="Zoë")

    response = client_for(employee).get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="mijn-gegevens-{employee.employee_number}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    assert "Zoë" in text and '\n  "profile"' in text  # UTF-8 as such, indented
    data = json.loads(text)
    assert data["profile"]["first_name"] == "Zoë"
    assert data["acknowledgements"][0]["verification_code"] == record.entry.verification_code


def test_each_user_gets_their_own_data_only():
    employee, version, record = _active_employee()
    other, _version, other_record = _active_employee(version)

    mine = client_for(employee).get(DOWNLOAD_URL)
    theirs = client_for(other).get(DOWNLOAD_URL)

    assert json.loads(mine.content)["profile"]["email"] == employee.email
    assert json.loads(theirs.content)["profile"]["email"] == other.email
    assert other_record.entry.verification_code not in mine.content.decode()
    assert record.entry.verification_code not in theirs.content.decode()
    assert employee.employee_number in mine["Content-Disposition"]
    # Asking for someone else's data by a query string changes nothing.
    forged = client_for(employee).get(DOWNLOAD_URL, {"employee": other.pk, "id": other.pk})
    assert json.loads(forged.content)["profile"]["email"] == employee.email


@pytest.mark.parametrize("url", [PAGE_URL, DOWNLOAD_URL])
def test_anonymous_visitors_are_sent_to_log_in(url):
    response = Client().get(url)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_page_explains_and_links_to_the_download():
    employee = EmployeeFactory()

    response = client_for(employee).get(PAGE_URL)
    page = parse(response)

    assert len(select(page, "h1")) == 1
    assert attribute(page, "#personal-data-download", "href") == DOWNLOAD_URL
    assert "Ambtenarenwet 2017" in response.content.decode()


def test_the_overview_links_to_the_page():
    html = client_for(EmployeeFactory()).get(reverse("acknowledgements:overview")).content
    assert PAGE_URL in html.decode()


def _grow(employee, count: int):
    guideline = GuidelineFactory()
    for number in range(1, count + 1):
        version = quiz_version(guideline=guideline, number=number, tips=2)
        ready_to_sign(employee, version)
        signed(employee, version)
        HandbookEventFactory(guideline=guideline, actor=employee)
        QuizEvent.objects.create(
            kind=QuizEvent.Kind.SETTINGS_CHANGED, version=version, actor=employee
        )


# Format 1's twelve, and one or more per category added in format 2 (issue 21).
QUERIES = 35


@pytest.mark.parametrize("count", [1, 5])
def test_the_export_costs_a_fixed_number_of_queries(django_assert_num_queries, count):
    employee = EmployeeFactory(manager=EmployeeFactory())
    _grow(employee, count)

    with django_assert_num_queries(QUERIES):
        data = personal_data_export(employee=employee)

    assert len(data["acknowledgements"]) == count
    assert len(data["quiz_attempts"]) == count
    assert len(data["tips_read"]) == 2 * count


def test_the_export_holds_the_emails_the_portal_sent_about_signing_again():
    from django.utils import timezone

    from acknowledgements.models import Notification

    employee = EmployeeFactory()
    version = quiz_version(tips=1)
    Notification.objects.create(
        employee=employee,
        version=version,
        kind=Notification.Kind.REACKNOWLEDGEMENT,
        sent_at=timezone.now(),
    )

    data = personal_data_export(employee=employee)

    assert [n["guideline_version"] for n in data["notifications"]] == [version.number]
