"""Roles: who holds which, who must use two-factor, and what each role group may do."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from people.roles import GRANTED_ROLES, ROLE_PERMISSIONS, Role, sync_role_groups
from people.selectors import has_role, must_use_two_factor, roles_of
from people.services import grant_role
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_every_employee_has_the_employee_role():
    assert roles_of(user=EmployeeFactory()) == {Role.EMPLOYEE}


def test_an_anonymous_visitor_has_no_roles():
    assert roles_of(user=AnonymousUser()) == set()


def test_an_employee_with_an_active_report_is_a_manager():
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)

    assert Role.MANAGER in roles_of(user=manager)


def test_an_employee_whose_only_report_left_is_not_a_manager():
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager, is_active=False)

    assert Role.MANAGER not in roles_of(user=manager)


def test_a_report_does_not_make_its_manager_anything_else():
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)

    assert roles_of(user=manager) == {Role.EMPLOYEE, Role.MANAGER}


@pytest.mark.parametrize("role", GRANTED_ROLES)
def test_a_granted_role_comes_from_its_group(role):
    employee = EmployeeFactory(roles=[role])

    assert roles_of(user=employee) == {Role.EMPLOYEE, role}


def test_a_group_that_is_not_a_role_grants_nothing():
    employee = EmployeeFactory()
    employee.groups.add(Group.objects.create(name="koffieclub"))

    assert roles_of(user=employee) == {Role.EMPLOYEE}


def test_a_superuser_is_an_administrator():
    employee = EmployeeFactory(is_superuser=True)

    assert has_role(user=employee, role=Role.ADMINISTRATOR)


def test_grant_role_shows_at_once_on_the_same_object():
    employee = EmployeeFactory()
    assert not has_role(user=employee, role=Role.HR)  # fills the cache

    grant_role(employee=employee, role=Role.HR)

    assert has_role(user=employee, role=Role.HR)


def test_granting_the_administrator_role_opens_the_admin_site():
    employee = EmployeeFactory()

    grant_role(employee=employee, role=Role.ADMINISTRATOR)

    employee.refresh_from_db()
    assert employee.is_staff


def test_granting_a_role_twice_keeps_one_membership():
    employee = EmployeeFactory()

    grant_role(employee=employee, role=Role.EDITOR)
    grant_role(employee=employee, role=Role.EDITOR)

    assert list(employee.groups.values_list("name", flat=True)) == [Role.EDITOR]


@pytest.mark.parametrize("role", [Role.HR, Role.EDITOR, Role.AUDITOR, Role.ADMINISTRATOR])
def test_privileged_roles_must_use_two_factor(role):
    """The auditor too: they read all staff data, the ledger and every report."""
    assert must_use_two_factor(user=EmployeeFactory(roles=[role]))


def test_staff_must_use_two_factor_whatever_their_roles():
    assert must_use_two_factor(user=EmployeeFactory(is_staff=True))


def test_an_employee_need_not_use_two_factor():
    assert not must_use_two_factor(user=EmployeeFactory())


def test_a_manager_need_not_use_two_factor():
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)

    assert not must_use_two_factor(user=manager)


def test_every_granted_role_has_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(GRANTED_ROLES)


@pytest.mark.parametrize("role", ROLE_PERMISSIONS)
def test_each_role_group_has_exactly_its_permissions(role):
    assert _permissions_of(role) == set(ROLE_PERMISSIONS[role])


def test_the_auditor_may_not_add_change_or_delete_anything():
    writing = {
        p
        for p in _permissions_of(Role.AUDITOR)
        if p.split(".")[1].startswith(("add_", "change_", "delete_"))
    }

    assert writing == set()


def test_the_auditor_may_read_the_audit_trail_and_all_staff():
    assert {"handbook.view_handbookevent", "people.view_all_employees"} <= _permissions_of(
        Role.AUDITOR
    )


def test_no_role_may_delete_anything():
    for role in ROLE_PERMISSIONS:
        assert not [p for p in _permissions_of(role) if ".delete_" in p], role


def test_syncing_again_removes_a_permission_added_by_hand():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=Role.AUDITOR)
    group.permissions.add(Permission.objects.get(codename="change_employee"))

    sync_role_groups()

    assert _permissions_of(Role.AUDITOR) == set(ROLE_PERMISSIONS[Role.AUDITOR])
