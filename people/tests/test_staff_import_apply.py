"""Applying a staff file: new, changed, leaving and returning people, all or nothing and
idempotent, in a bounded number of queries; leavers are deactivated, never deleted; the
run is logged; new people are invited once and fall under the onboarding rule."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from people.models import Employee, StaffImport
from people.services import import_staff
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv
from portal.testing.html import attribute, parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


def run(data: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("by", None)
    with translation.override("en"):
        return import_staff(data=data, filename="personeel.csv", **kwargs)


def row_of(employee: Employee, **values) -> dict:
    """The file's row for an employee as they are now, with changes."""
    current = {
        "voornaam": employee.first_name,
        "tussenvoegsel": employee.name_prefix,
        "achternaam": employee.last_name,
        "email": employee.email,
        "afdeling": employee.department.code if employee.department else "",
        "functie": employee.job_title,
        "leidinggevende": employee.manager.employee_number if employee.manager else "",
        "datum_in_dienst": employee.start_date.isoformat() if employee.start_date else "",
        "datum_uit_dienst": employee.end_date.isoformat() if employee.end_date else "",
        "taal": employee.preferred_language,
    }
    return person(employee.employee_number, **{**current, **values})


def employee_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(('INSERT INTO "people_employee"', 'UPDATE "people_employee"'))
    ]


# New and changed -------------------------------------------------------------------------


def test_new_people_are_added_with_their_manager_also_when_the_manager_comes_later_in_the_file(
    departments,
):
    rows = [
        person("1002", voornaam="Piet", achternaam="Bakker", leidinggevende="1001"),
        person(
            "1001",
            voornaam="Anna",
            tussenvoegsel="de",
            achternaam="Vries",
            email="a.devries@voorbeeldstad.nl",
            afdeling="DIR-RUI",
            functie="Directeur",
            datum_in_dienst="01-02-2019",
            taal="en",
        ),
    ]
    outcome = run(staff_csv(rows))
    assert outcome.applied
    assert outcome.plan.counts["new"] == 2
    anna = Employee.objects.get(employee_number="1001")
    piet = Employee.objects.get(employee_number="1002")
    assert piet.manager == anna
    assert (anna.full_name, anna.email, anna.job_title) == (
        "Anna de Vries",
        "a.devries@voorbeeldstad.nl",
        "Directeur",
    )
    assert anna.department == departments["DIR-RUI"]
    assert (anna.start_date, anna.preferred_language) == (datetime.date(2019, 2, 1), "en")
    assert anna.is_active and not anna.is_staff
    assert not anna.has_usable_password()
    assert {e.pk for e in outcome.added} == {anna.pk, piet.pk}


def test_a_manager_already_in_the_portal(departments):
    boss = EmployeeFactory(employee_number="0001")
    assert run(staff_csv([person("1001", leidinggevende="0001")])).applied
    assert Employee.objects.get(employee_number="1001").manager == boss


def test_changes_are_listed_per_field_with_old_and_new_values(departments):
    boss = EmployeeFactory(employee_number="0001", first_name="Bea", last_name="Baas")
    employee = EmployeeFactory(
        employee_number="1001",
        last_name="Jansen",
        department=departments["AFD-PO"],
        start_date=datetime.date(2020, 1, 1),
    )
    row = row_of(
        employee,
        achternaam="Jansen-de Boer",
        afdeling="TEAM-HAN",
        leidinggevende="0001",
        taal="en",
    )
    outcome = run(staff_csv([row]), dry_run=True)
    (entry,) = outcome.plan.of_kind("changed")
    with translation.override("en"):
        assert [(c.label, c.old, c.new) for c in entry.changes] == [
            ("last name", "Jansen", "Jansen-de Boer"),
            ("department", "Afdeling P&O (AFD-PO)", "Team Handhaving (TEAM-HAN)"),
            ("manager", "", "0001 Bea Baas"),
            ("preferred language", "Dutch", "English"),
        ]
    employee.refresh_from_db()
    assert employee.last_name == "Jansen"  # a dry run

    assert run(staff_csv([row])).applied
    employee.refresh_from_db()
    assert (employee.last_name, employee.department.code, employee.manager) == (
        "Jansen-de Boer",
        "TEAM-HAN",
        boss,
    )
    assert employee.preferred_language == "en"


def test_an_empty_cell_clears_the_field(departments):
    boss = EmployeeFactory(employee_number="0001")
    employee = EmployeeFactory(employee_number="1001", manager=boss, job_title="Jurist")
    assert run(staff_csv([row_of(employee, leidinggevende="", functie="", afdeling="")])).applied
    employee.refresh_from_db()
    assert (employee.manager, employee.job_title, employee.department) == (None, "", None)


def test_two_people_may_swap_e_mail_addresses(departments):
    a = EmployeeFactory(employee_number="1001", email="a@voorbeeldstad.nl")
    b = EmployeeFactory(employee_number="1002", email="b@voorbeeldstad.nl")
    rows = [row_of(a, email="b@voorbeeldstad.nl"), row_of(b, email="a@voorbeeldstad.nl")]
    outcome = run(staff_csv(rows))
    assert outcome.applied, outcome.plan.problems
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.email, b.email) == ("b@voorbeeldstad.nl", "a@voorbeeldstad.nl")


def test_a_new_person_may_take_the_address_someone_else_gives_up(departments):
    old = EmployeeFactory(employee_number="1001", email="info@voorbeeldstad.nl")
    rows = [
        row_of(old, email="oud@voorbeeldstad.nl"),
        person("1002", email="info@voorbeeldstad.nl"),
    ]
    assert run(staff_csv(rows)).applied
    assert Employee.objects.get(email="info@voorbeeldstad.nl").employee_number == "1002"


# Idempotence ----------------------------------------------------------------------------


def test_the_same_file_twice_changes_nothing_the_second_time(departments):
    boss = EmployeeFactory(employee_number="0001")
    EmployeeFactory(employee_number="0002", is_active=True)
    rows = [
        person("1001", leidinggevende="0001", voornaam="Zoë", tussenvoegsel="van der"),
        person("1002", leidinggevende="1001", email="Hoofdletters@Voorbeeldstad.nl"),
        person("1003", datum_uit_dienst="01-01-2026"),  # already left
        person("0001", voornaam=boss.first_name, achternaam="Anders", email=boss.email),
    ]
    data = staff_csv(rows)
    first = run(data, full_export=True)
    assert first.applied
    assert first.plan.counts == {
        "new": 3,
        "changed": 1,
        "leaving": 1,  # 0002, missing from the full export
        "reactivated": 0,
        "unchanged": 0,
        "problems": 0,
    }
    with CaptureQueriesContext(connection) as queries:
        second = run(data, full_export=True)
    assert second.applied
    assert second.plan.counts["unchanged"] == 4
    assert not second.plan.has_changes
    assert employee_writes(queries.captured_queries) == []
    assert StaffImport.objects.filter(mode=StaffImport.Mode.APPLIED).count() == 2


# Leavers --------------------------------------------------------------------------------


def test_a_leaver_whose_end_date_passed_is_deactivated_not_deleted_and_keeps_their_acknowledgements(
    version_one,
):
    from acknowledgements.models import Acknowledgement
    from acknowledgements.services.importing import import_acknowledgement

    employee = EmployeeFactory(employee_number="1001", start_date=datetime.date(2015, 1, 1))
    import_acknowledgement(
        employee=employee,
        version=version_one,
        signed_at=timezone.now() - datetime.timedelta(days=30),
        recorded_by=None,
        reason="Overgenomen",
    )
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    outcome = run(staff_csv([row_of(employee, datum_uit_dienst=yesterday)]))
    assert outcome.applied
    (entry,) = outcome.plan.of_kind("leaving")
    assert [c.field for c in entry.changes] == ["end_date"]
    employee.refresh_from_db()
    assert not employee.is_active
    assert employee.end_date == TODAY - datetime.timedelta(days=1)
    assert Acknowledgement.objects.filter(employee=employee).count() == 1


def test_an_end_date_today_or_later_keeps_the_employee_active(departments):
    employee = EmployeeFactory(employee_number="1001")
    outcome = run(staff_csv([row_of(employee, datum_uit_dienst=TODAY.isoformat())]))
    assert outcome.plan.counts["changed"] == 1
    employee.refresh_from_db()
    assert employee.is_active and employee.end_date == TODAY


def test_a_full_export_makes_leavers_of_active_people_missing_from_it(departments):
    stays = EmployeeFactory(employee_number="1001")
    gone = EmployeeFactory(employee_number="1002", start_date=datetime.date(2010, 1, 1))
    gone_with_date = EmployeeFactory(employee_number="1003", end_date=datetime.date(2026, 7, 1))
    not_yet_started = EmployeeFactory(
        employee_number="1004", start_date=TODAY + datetime.timedelta(days=10)
    )
    left_before = EmployeeFactory(
        employee_number="1005", is_active=False, end_date=datetime.date(2020, 1, 1)
    )
    admin = EmployeeFactory(employee_number=None, administrator=True)

    partial = run(staff_csv([row_of(stays)]))
    assert partial.plan.counts["leaving"] == 0
    assert Employee.objects.filter(is_active=True).count() == 5

    outcome = run(staff_csv([row_of(stays)]), full_export=True)
    assert outcome.applied
    leaving = outcome.plan.of_kind("leaving")
    assert {entry.number for entry in leaving} == {"1002", "1003", "1004"}
    assert all(entry.line is None for entry in leaving)
    for employee in (stays, gone, gone_with_date, not_yet_started, left_before, admin):
        employee.refresh_from_db()
    assert stays.is_active and admin.is_active
    assert not gone.is_active and gone.end_date == TODAY
    assert not gone_with_date.is_active and gone_with_date.end_date == datetime.date(2026, 7, 1)
    assert not not_yet_started.is_active and not_yet_started.end_date is None
    assert left_before.end_date == datetime.date(2020, 1, 1)
    assert Employee.objects.count() == 6  # nobody deleted


def test_someone_who_comes_back_is_reactivated(departments):
    employee = EmployeeFactory(
        employee_number="1001",
        is_active=False,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    outcome = run(staff_csv([row_of(employee, datum_in_dienst="01-06-2026", datum_uit_dienst="")]))
    assert outcome.plan.counts["reactivated"] == 1
    (entry,) = outcome.plan.of_kind("reactivated")
    assert {c.field for c in entry.changes} == {"start_date", "end_date"}
    employee.refresh_from_db()
    assert employee.is_active
    assert (employee.start_date, employee.end_date) == (datetime.date(2026, 6, 1), None)


def test_a_new_row_whose_end_date_passed_is_added_inactive_and_not_invited(
    departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(staff_csv([person("1001", datum_uit_dienst="01-01-2026")]))
    assert not Employee.objects.get(employee_number="1001").is_active
    assert mail.outbox == []


# The log ------------------------------------------------------------------------------


def test_each_run_is_logged_with_who_when_the_file_hash_and_the_counts(departments):
    import hashlib

    hr = EmployeeFactory(hr=True, employee_number=None)
    existing = EmployeeFactory(employee_number="1001")
    data = staff_csv([row_of(existing, achternaam="Anders"), person("1002")])
    before = timezone.now()
    dry = run(data, by=hr, dry_run=True)
    applied = run(data, by=hr, full_export=True)
    assert Employee.objects.get(employee_number="1002")
    dry.log.refresh_from_db()
    assert dry.log.mode == StaffImport.Mode.DRY_RUN
    log = StaffImport.objects.get(pk=applied.log.pk)
    assert log.mode == StaffImport.Mode.APPLIED
    assert log.imported_by == hr
    assert log.created_at >= before
    assert log.filename == "personeel.csv"
    assert log.file_sha256 == hashlib.sha256(data).hexdigest()
    assert log.full_export
    assert (log.new_count, log.changed_count, log.leaving_count) == (1, 1, 0)
    assert (log.unchanged_count, log.reactivated_count, log.problem_count) == (0, 0, 0)
    assert log.problems == []
    assert log.changes["changed"] == [
        {
            "number": "1001",
            "name": f"{existing.first_name} Anders",
            "line": 2,
            "fields": ["last_name"],
        }
    ]
    assert [entry["number"] for entry in log.changes["new"]] == ["1002"]


def test_someone_without_the_permission_may_not_import(departments):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(staff_csv([person("1001")]), by=EmployeeFactory(auditor=True))
    assert not Employee.objects.filter(employee_number="1001").exists()


# Invitations --------------------------------------------------------------------------


def test_new_people_are_invited_once_in_their_language_with_a_link_to_set_a_password(
    departments, django_capture_on_commit_callbacks, client, settings
):
    settings.PORTAL_BASE_URL = "https://portal.voorbeeldstad.nl"
    existing = EmployeeFactory(employee_number="1001")
    rows = [
        row_of(existing, achternaam="Anders"),
        person("1002", voornaam="Anna", taal="en"),
        person("1003", voornaam="Bram", taal="nl"),
    ]
    data = staff_csv(rows)
    with django_capture_on_commit_callbacks(execute=True):
        run(data, dry_run=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(data)
    assert len(callbacks) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "p1002@voorbeeldstad.nl",
        "p1003@voorbeeldstad.nl",
    ]
    english = next(m for m in mail.outbox if m.to == ["p1002@voorbeeldstad.nl"])
    assert english.subject == (
        "Welcome to the guideline portal of Gemeente Voorbeeldstad: set your password"
    )
    assert "Dear Anna," in english.body
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html"
    assert attribute(parse(html), "html", "lang") == "en"
    dutch = next(m for m in mail.outbox if m.to == ["p1003@voorbeeldstad.nl"])
    assert attribute(parse(dutch.alternatives[0][0]), "html", "lang") == "nl"

    # The link is the portal's set-password page, and it works.
    link = next(line for line in english.body.splitlines() if "/password/reset/key/" in line)
    assert link.startswith("https://portal.voorbeeldstad.nl/account/password/reset/key/")
    path = link.removeprefix("https://portal.voorbeeldstad.nl")
    response = client.get(path)
    assert response.status_code == 302
    response = client.post(
        response["Location"],
        {
            "password1": "Een-heel-sterk-wachtwoord-2026",
            "password2": "Een-heel-sterk-wachtwoord-2026",
        },
    )
    assert response.status_code == 302
    anna = Employee.objects.get(employee_number="1002")
    assert anna.check_password("Een-heel-sterk-wachtwoord-2026")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run(data)
    assert mail.outbox == []


def test_no_invitations_without_local_log_in(
    departments, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_LOCAL_LOGIN = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert run(staff_csv([person("1001")])).applied
    assert callbacks == []
    assert mail.outbox == []


def test_no_invitation_for_someone_who_already_has_a_password(departments):
    from people.models import Invitation
    from people.services.invitations import deliver

    employee = EmployeeFactory(employee_number="1001")
    log = run(staff_csv([person("1002")]), dry_run=True).log
    invitation = Invitation.objects.create(employee=employee, staff_import=log)
    assert deliver().cancelled == 1
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED


# Onboarding ---------------------------------------------------------------------------


def test_new_people_get_their_onboarding_assignment(version_one, settings):
    from campaigns.models import Assignment
    from campaigns.services import onboarding_rule

    today = timezone.localdate()
    rule = onboarding_rule(on=today - datetime.timedelta(days=60))
    started = today - datetime.timedelta(days=5)
    rows = [
        person("1001", datum_in_dienst=started.isoformat()),
        person("1002", datum_in_dienst=(today + datetime.timedelta(days=10)).isoformat()),
        person("1003", datum_in_dienst=(today - datetime.timedelta(days=400)).isoformat()),
    ]
    outcome = import_staff(data=staff_csv(rows), filename="nieuw.csv", by=None)
    assert outcome.applied
    assignment = Assignment.objects.get()
    assert assignment.employee.employee_number == "1001"
    assert assignment.campaign == rule
    assert assignment.version == version_one
    assert assignment.reason == Assignment.Reason.ONBOARDING
    assert assignment.due_date == started + datetime.timedelta(
        days=settings.CAMPAIGN_ONBOARDING_DAYS
    )


def test_a_failing_arrivals_receiver_undoes_the_whole_import():
    """people.signals' contract: receivers of employees_arrived run in the import's
    transaction, and an exception in one rolls the import back with its log row."""
    from people.signals import employees_arrived

    def refuse(sender, **kwargs):
        raise RuntimeError("onboarding failed")

    employees_arrived.connect(refuse, dispatch_uid="test.refuse_arrivals")
    try:
        with pytest.raises(RuntimeError, match="onboarding failed"):
            run(staff_csv([person("1001")]))
    finally:
        employees_arrived.disconnect(dispatch_uid="test.refuse_arrivals")
    assert not Employee.objects.filter(employee_number="1001").exists()
    assert not StaffImport.objects.exists()


# Speed --------------------------------------------------------------------------------


def test_three_thousand_people_in_a_bounded_number_of_queries(
    departments, django_assert_max_num_queries
):
    size = 3000
    rows = [
        person(
            f"{10000 + n}",
            # Managers are people earlier or later in the file: a tree of ten per manager.
            leidinggevende=f"{10000 + n // 10}" if n else "",
            afdeling=("AFD-VERG", "TEAM-HAN", "Afdeling P&O")[n % 3],
        )
        for n in range(size)
    ]
    data = staff_csv(rows)
    with django_assert_max_num_queries(60):
        first = run(data, full_export=True)
    assert first.applied
    assert Employee.objects.filter(manager__isnull=False).count() == size - 1

    changed = staff_csv([{**row, "functie": "Adviseur"} for row in rows])
    with django_assert_max_num_queries(60):
        second = run(changed, full_export=True)
    assert second.plan.counts["changed"] == size

    with django_assert_max_num_queries(60):
        third = run(changed, full_export=True)
    assert third.plan.counts["unchanged"] == size
