"""The staff import and privileged accounts (the escalation path of issue 16): the import
never changes the e-mail address, password or roles of anyone holding a granted role
(or is_staff / is_superuser) and never reactivates one; other changes apply; a
privileged leaver is deactivated and the administrators are told; the preview and the
log say what was left alone and why."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation

from people.models import Employee, StaffImport
from people.roles import Role
from people.services import import_staff
from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

ATTACKER_ADDRESS = "hr.inbox@voorbeeldstad.nl"


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


def run(data: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("by", None)
    with translation.override("en"):
        return import_staff(data=data, filename="personeel.csv", **kwargs)


def row_of(employee: Employee, **values) -> dict:
    current = {
        "voornaam": employee.first_name,
        "achternaam": employee.last_name,
        "email": employee.email,
        "afdeling": employee.department.code if employee.department else "",
        "functie": employee.job_title,
        "datum_in_dienst": "",
        "taal": employee.preferred_language,
    }
    return person(employee.employee_number, **{**current, **values})


PRIVILEGED = {
    "hr": {"roles": [Role.HR]},
    "editor": {"roles": [Role.EDITOR]},
    "auditor": {"roles": [Role.AUDITOR]},
    "administrator": {"roles": [Role.ADMINISTRATOR], "is_staff": True},
    "staff": {"is_staff": True},
    "superuser": {"is_staff": True, "is_superuser": True},
}


@pytest.mark.parametrize("kind", PRIVILEGED)
def test_the_import_never_changes_the_email_address_of_a_privileged_account(departments, kind):
    target = EmployeeFactory(
        employee_number="2001", department=departments["AFD-PO"], **PRIVILEGED[kind]
    )
    original = target.email

    outcome = run(staff_csv([row_of(target, email=ATTACKER_ADDRESS)]))

    assert outcome.applied
    target.refresh_from_db()
    assert target.email == original
    assert not Employee.objects.filter(email=ATTACKER_ADDRESS).exists()
    [entry] = outcome.plan.left_alone
    assert [change.field for change in entry.left_alone] == ["email"]


def test_an_ordinary_employees_address_still_changes(departments):
    employee = EmployeeFactory(employee_number="2001", department=departments["AFD-PO"])
    run(staff_csv([row_of(employee, email="nieuw@voorbeeldstad.nl")]))
    employee.refresh_from_db()
    assert employee.email == "nieuw@voorbeeldstad.nl"


def test_other_changes_to_a_privileged_account_still_apply(departments):
    boss = EmployeeFactory(employee_number="2000", department=departments["AFD-PO"])
    admin = EmployeeFactory(
        employee_number="2001", administrator=True, department=departments["AFD-PO"]
    )
    rows = [
        row_of(boss),
        row_of(
            admin,
            email=ATTACKER_ADDRESS,
            achternaam="Nieuwenhuis",
            afdeling="AFD-VERG",
            functie="Teamleider ICT",
            leidinggevende="2000",
        ),
    ]
    outcome = run(staff_csv(rows))

    admin.refresh_from_db()
    assert (admin.last_name, admin.department.code, admin.job_title, admin.manager) == (
        "Nieuwenhuis",
        "AFD-VERG",
        "Teamleider ICT",
        boss,
    )
    assert admin.email != ATTACKER_ADDRESS
    [entry] = outcome.plan.of_kind("changed")
    assert "email" not in {change.field for change in entry.changes}


def test_the_import_never_touches_the_password_roles_or_admin_flags_of_a_privileged_account(
    departments,
):
    admin = EmployeeFactory(employee_number="2001", administrator=True, is_superuser=True)
    rows = [row_of(admin, email=ATTACKER_ADDRESS, achternaam="Anders")]

    run(staff_csv(rows), full_export=False)

    admin.refresh_from_db()
    assert admin.check_password(DEFAULT_PASSWORD)
    assert (admin.is_staff, admin.is_superuser, admin.is_active) == (True, True, True)
    assert list(admin.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR]


def test_a_role_column_in_the_file_is_refused_not_applied(departments):
    employee = EmployeeFactory(employee_number="2001", department=departments["AFD-PO"])
    rows = [{**row_of(employee), "rol": "administrator"}]
    columns = (*row_of(employee).keys(), "rol")

    outcome = run(staff_csv(rows, columns=columns))

    assert not outcome.applied
    assert any("rol" in str(problem) for problem in outcome.plan.problems)
    assert not employee.groups.exists()


def test_another_row_cannot_take_a_privileged_address_by_moving_it_away(departments):
    """The admin's row asks for a new address (left alone) so that an accomplice's row
    may take the admin's: the admin's address never moves, so the accomplice's row is a
    problem and nothing changes."""
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    accomplice = EmployeeFactory(employee_number="2002", department=departments["AFD-PO"])
    rows = [
        row_of(admin, email="elders@voorbeeldstad.nl"),
        row_of(accomplice, email=admin.email),
    ]

    outcome = run(staff_csv(rows))

    assert not outcome.applied
    assert any(problem.line == 3 for problem in outcome.plan.problems)
    accomplice.refresh_from_db()
    assert accomplice.email != admin.email


def test_a_deactivated_privileged_account_is_not_reactivated_by_the_import(departments):
    admin = EmployeeFactory(employee_number="2001", administrator=True, is_active=False)
    outcome = run(staff_csv([row_of(admin, datum_uit_dienst="")]))

    admin.refresh_from_db()
    assert not admin.is_active
    assert outcome.plan.of_kind("reactivated") == []
    assert [c.field for c in outcome.plan.left_alone[0].left_alone] == ["is_active"]


def test_a_privileged_leaver_missing_from_a_full_export_is_deactivated(departments):
    editor = EmployeeFactory(employee_number="2001", editor=True)
    stays = EmployeeFactory(employee_number="2002", department=departments["AFD-PO"])

    outcome = run(staff_csv([row_of(stays)]), full_export=True)

    editor.refresh_from_db()
    assert not editor.is_active
    assert [entry.number for entry in outcome.plan.privileged_leavers] == ["2001"]


def test_a_privileged_person_marked_as_leaving_is_deactivated(departments):
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    run(staff_csv([row_of(admin, datum_uit_dienst="01-06-2026")]))
    admin.refresh_from_db()
    assert not admin.is_active


def test_the_administrators_are_told_by_email_through_the_worker_about_privileged_leavers(
    departments, django_capture_on_commit_callbacks
):
    hr = EmployeeFactory(hr=True, employee_number=None)
    first = EmployeeFactory(administrator=True, employee_number=None, preferred_language="nl")
    second = EmployeeFactory(is_superuser=True, is_staff=True, employee_number=None)
    leaver = EmployeeFactory(employee_number="2001", administrator=True, first_name="Bas")
    stays = EmployeeFactory(employee_number="2002", department=departments["AFD-PO"])

    with django_capture_on_commit_callbacks(execute=True):
        run(staff_csv([row_of(stays)]), full_export=True, by=hr)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    dutch = next(m for m in mail.outbox if m.to == [first.email])
    assert dutch.subject == "Personeelsimport: accounts met beheerrechten vragen je aandacht"
    assert f"2001 {leaver.full_name} (Beheerder, toegang tot de beheeromgeving)" in dutch.body
    assert "Uitgeschakeld" in dutch.body


def test_the_administrators_are_told_about_privileged_fields_left_alone(
    departments, django_capture_on_commit_callbacks
):
    admin = EmployeeFactory(administrator=True, employee_number="2001", preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        run(staff_csv([row_of(admin, email=ATTACKER_ADDRESS)]))

    [message] = mail.outbox
    assert message.to == [admin.email]
    assert "Left alone" in message.body
    assert "e-mail address" in message.body
    assert ATTACKER_ADDRESS not in message.body


def test_an_import_without_privileged_changes_tells_nobody(
    departments, django_capture_on_commit_callbacks
):
    EmployeeFactory(administrator=True, employee_number=None)
    employee = EmployeeFactory(employee_number="2001", department=departments["AFD-PO"])
    with django_capture_on_commit_callbacks(execute=True):
        run(staff_csv([row_of(employee, achternaam="Anders")]))
    assert mail.outbox == []


def test_deactivations_and_fields_left_alone_go_to_the_security_event_log(departments):
    hr = EmployeeFactory(hr=True, employee_number=None)
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    leaver = EmployeeFactory(employee_number="2002", department=departments["AFD-PO"])

    run(staff_csv([row_of(admin, email=ATTACKER_ADDRESS)]), by=hr, full_export=True)

    deactivated = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_DEACTIVATED)
    assert (deactivated.actor, deactivated.subject) == (hr, leaver)
    assert deactivated.details["source"] == "staff_import"
    refused = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PRIVILEGED_CHANGE_REFUSED)
    assert (refused.actor, refused.subject) == (hr, admin)
    assert refused.details["fields"] == ["email"]
    assert refused.details["action"] == "privileged_fields_left_alone"


def test_an_account_the_import_switches_on_again_goes_to_the_security_event_log(departments):
    hr = EmployeeFactory(hr=True, employee_number=None)
    returner = EmployeeFactory(
        employee_number="2003", department=departments["AFD-PO"], is_active=False
    )

    run(staff_csv([row_of(returner, datum_uit_dienst="")]), by=hr)

    returner.refresh_from_db()
    assert returner.is_active
    activated = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_ACTIVATED)
    assert (activated.actor, activated.subject) == (hr, returner)
    assert activated.details["source"] == "staff_import"


def test_the_log_records_which_privileged_fields_were_left_alone(departments):
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    outcome = run(staff_csv([row_of(admin, email=ATTACKER_ADDRESS)]))
    log = StaffImport.objects.get(pk=outcome.log.pk)
    assert log.changes["left_alone"] == [
        {
            "number": "2001",
            "name": admin.full_name,
            "line": 2,
            "fields": ["email"],
            "privileged": [Role.ADMINISTRATOR, "is_staff"],
        }
    ]


def test_the_preview_says_in_dutch_which_privileged_fields_were_left_alone_and_why(
    client, departments, settings
):
    settings.PORTAL_MFA_REQUIRED = False
    hr = EmployeeFactory(hr=True, employee_number=None, preferred_language="nl")
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    client.force_login(hr)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = staff_csv([row_of(admin, email=ATTACKER_ADDRESS)])
    response = client.post(
        reverse("people:staff_import"),
        {"bestand": SimpleUploadedFile("personeel.csv", data, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="section-left-alone"' in html
    assert "Ongewijzigd gelaten: 1 account met beheerrechten" in html
    assert "E-mailadres" in html
    assert "Beheerder" in html
    assert "nooit het e-mailadres, wachtwoord of de rollen" in html
    assert f"blijft {admin.email} (in het bestand: {ATTACKER_ADDRESS})" in html

    detail = client.get(reverse("people:staff_import_detail", args=[StaffImport.objects.get().pk]))
    assert "Ongewijzigd gelaten: 1 account met beheerrechten" in detail.content.decode()


def test_granting_a_role_needs_an_administrator(departments):
    from django.core.exceptions import PermissionDenied

    from people.services import grant_role

    hr = EmployeeFactory(hr=True)
    target = EmployeeFactory()
    with pytest.raises(PermissionDenied):
        grant_role(employee=target, role=Role.ADMINISTRATOR, by=hr)
    assert not target.groups.exists()

    grant_role(employee=target, role=Role.EDITOR, by=EmployeeFactory(administrator=True))
    assert list(target.groups.all()) == [Group.objects.get(name=Role.EDITOR)]
