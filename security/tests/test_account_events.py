"""Roles granted and removed, accounts switched on and off, and admin changes."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Department
from people.roles import Role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def events(kind):
    return list(
        SecurityEvent.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("subject_id", "details__role")
    )


def test_a_role_granted_to_an_employee_is_recorded():
    employee = EmployeeFactory()

    employee.groups.add(Group.objects.get(name=Role.HR))

    assert events(Kind.ROLE_GRANTED) == [(employee.pk, "hr")]


def test_a_role_granted_from_the_groups_side_is_recorded_for_each_member():
    first, second = EmployeeFactory(), EmployeeFactory()

    Group.objects.get(name=Role.ADMINISTRATOR).user_set.add(first, second)

    assert sorted(events(Kind.ROLE_GRANTED)) == sorted(
        [(first.pk, "administrator"), (second.pk, "administrator")]
    )


def test_a_role_removed_is_recorded():
    employee = EmployeeFactory(hr=True)

    employee.groups.remove(Group.objects.get(name=Role.HR))

    assert events(Kind.ROLE_REMOVED) == [(employee.pk, "hr")]


def test_clearing_an_employees_roles_records_each_role_removed():
    employee = EmployeeFactory(roles=[Role.HR, Role.AUDITOR])

    employee.groups.clear()

    assert sorted(events(Kind.ROLE_REMOVED)) == [(employee.pk, "auditor"), (employee.pk, "hr")]


def test_clearing_a_groups_members_records_each_one():
    employee = EmployeeFactory(auditor=True)

    Group.objects.get(name=Role.AUDITOR).user_set.clear()

    assert events(Kind.ROLE_REMOVED) == [(employee.pk, "auditor")]


def test_a_role_granted_in_the_admin_names_the_administrator_and_the_address(admin_client):
    employee = EmployeeFactory()
    administrator = admin_client.session["_auth_user_id"]
    data = change_form(employee, groups=[Group.objects.get(name=Role.EDITOR).pk])

    response = admin_client.post(
        reverse("admin:people_employee_change", args=[employee.pk]), data, REMOTE_ADDR="192.0.2.9"
    )

    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.ROLE_GRANTED)
    assert (str(event.actor_id), event.subject, event.details) == (
        administrator,
        employee,
        {"role": "editor"},
    )
    assert event.ip_address == "192.0.2.9"


def test_an_account_switched_off_in_the_admin_is_recorded_with_who_and_from_where(admin_client):
    employee = EmployeeFactory()

    admin_client.post(
        reverse("admin:people_employee_change", args=[employee.pk]),
        change_form(employee, is_active=False),
        REMOTE_ADDR="192.0.2.9",
    )

    event = SecurityEvent.objects.get(kind=Kind.ACCOUNT_DEACTIVATED)
    assert event.subject == employee
    assert event.actor.is_superuser
    assert event.ip_address == "192.0.2.9"


def test_an_account_switched_on_again_is_recorded():
    employee = EmployeeFactory(is_active=False)

    employee.is_active = True
    employee.save()

    assert events(Kind.ACCOUNT_ACTIVATED) == [(employee.pk, None)]
    assert not SecurityEvent.objects.filter(kind=Kind.ACCOUNT_DEACTIVATED).exists()


def test_saving_an_employee_without_changing_is_active_records_nothing(django_assert_num_queries):
    employee = EmployeeFactory()
    employee.first_name = "Anders"
    employee.save()

    with django_assert_num_queries(1):  # the update: is_active not among the fields
        employee.save(update_fields=["first_name"])

    assert not SecurityEvent.objects.exists()


def test_a_change_in_the_admin_is_recorded(admin_client):
    employee = EmployeeFactory()

    admin_client.post(
        reverse("admin:people_employee_change", args=[employee.pk]),
        change_form(employee, job_title="Teamleider"),
    )

    event = SecurityEvent.objects.get(kind=Kind.ADMIN_CHANGE)
    assert event.subject == employee
    assert event.details == {
        "action": "changed",
        "model": "people.employee",
        "object": str(employee.pk),
    }


def test_several_deletions_at_once_in_the_admin_are_each_recorded(admin_client):
    # The admin writes these log entries with bulk_create, which sends no post_save.
    first, second = DepartmentFactory(), DepartmentFactory()

    admin_client.post(
        reverse("admin:people_department_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert not Department.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 2
    recorded = SecurityEvent.objects.filter(kind=Kind.ADMIN_CHANGE)
    assert sorted((e.details["action"], e.details["object"]) for e in recorded) == sorted(
        [("deleted", str(first.pk)), ("deleted", str(second.pk))]
    )


def change_form(employee, **overrides):
    data = {
        "employee_number": employee.employee_number or "",
        "email": employee.email,
        "first_name": employee.first_name,
        "name_prefix": employee.name_prefix,
        "last_name": employee.last_name,
        "job_title": employee.job_title,
        "department": employee.department_id or "",
        "manager": "",
        "start_date": "",
        "end_date": "",
        "preferred_language": employee.preferred_language,
        "is_active": "on",
        "groups": [],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    for key, value in overrides.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = value
    return data
