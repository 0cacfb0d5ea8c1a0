"""Privileged roles are granted by an administrator only: in the admin's Employee form,
only someone with the administrator role can change groups or is_staff, only a superuser
makes a superuser (or changes one), and HR never reaches the form at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from people.models import Employee
from people.roles import Role
from people.tests.factories import EmployeeFactory

try:
    from people.tests.factories import login_with_second_factor
except ImportError:  # pragma: no cover - the two-factor work brings it
    login_with_second_factor = None

pytestmark = pytest.mark.django_db


def log_in(client, employee, settings) -> None:
    if login_with_second_factor is None:
        settings.PORTAL_MFA_REQUIRED = False
        client.force_login(employee)
    else:
        login_with_second_factor(client, employee)


def change_form(employee: Employee, **overrides) -> dict:
    data = {
        "employee_number": employee.employee_number or "",
        "email": employee.email,
        "first_name": employee.first_name,
        "name_prefix": employee.name_prefix,
        "last_name": employee.last_name,
        "job_title": employee.job_title,
        "department": employee.department_id or "",
        "manager": employee.manager_id or "",
        "start_date": "",
        "end_date": "",
        "preferred_language": employee.preferred_language,
        "is_active": "on",
        "groups": [],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not False}


def post_change(client, employee, **overrides):
    return client.post(
        reverse("admin:people_employee_change", args=[employee.pk]),
        change_form(employee, **overrides),
    )


def roles(employee: Employee) -> list[str]:
    return sorted(employee.groups.values_list("name", flat=True))


def test_an_administrator_grants_a_role_in_the_admin(client, settings):
    administrator = EmployeeFactory(administrator=True, totp=True)
    target = EmployeeFactory()
    log_in(client, administrator, settings)

    response = post_change(client, target, groups=[Group.objects.get(name=Role.EDITOR).pk])

    assert response.status_code == 302
    assert roles(target) == [Role.EDITOR]


def test_someone_with_change_employee_but_not_the_administrator_role_grants_nothing(
    client, settings
):
    """A stray permission (given by hand, or a future role) opens the form, not the
    roles: groups, is_staff and is_superuser stay as they were, for others and self."""
    insider = EmployeeFactory(hr=True, is_staff=True, totp=True)
    insider.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people", codename__in=["change_employee", "view_employee"]
        )
    )
    target = EmployeeFactory()
    administrators = Group.objects.get(name=Role.ADMINISTRATOR).pk
    log_in(client, insider, settings)

    client.get(reverse("admin:people_employee_change", args=[target.pk]))
    post_change(client, target, groups=[administrators], is_staff="on", is_superuser="on")
    post_change(client, insider, groups=[administrators], is_staff="on", is_superuser="on")

    target.refresh_from_db()
    insider.refresh_from_db()
    assert roles(target) == []
    assert (target.is_staff, target.is_superuser) == (False, False)
    assert roles(insider) == [Role.HR]
    assert insider.is_superuser is False


def test_an_administrator_who_is_not_a_superuser_cannot_make_a_superuser(client, settings):
    administrator = EmployeeFactory(administrator=True, totp=True)
    log_in(client, administrator, settings)

    post_change(
        client,
        administrator,
        groups=[Group.objects.get(name=Role.ADMINISTRATOR).pk],
        is_staff="on",
        is_superuser="on",
    )

    administrator.refresh_from_db()
    assert administrator.is_superuser is False
    assert roles(administrator) == [Role.ADMINISTRATOR]


def test_an_administrator_who_is_not_a_superuser_cannot_take_over_a_superuser(client, settings):
    administrator = EmployeeFactory(administrator=True, totp=True)
    superuser = EmployeeFactory(is_staff=True, is_superuser=True)
    log_in(client, administrator, settings)

    post_change(client, superuser, email="overgenomen@voorbeeldstad.nl", is_staff="on")
    password = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "Overgenomen-2026!x", "password2": "Overgenomen-2026!x"},
    )

    superuser.refresh_from_db()
    assert superuser.email != "overgenomen@voorbeeldstad.nl"
    assert password.status_code == 403
    assert not superuser.check_password("Overgenomen-2026!x")


def test_hr_does_not_reach_the_admins_employee_form(client, settings):
    hr = EmployeeFactory(hr=True, totp=True)
    target = EmployeeFactory()
    log_in(client, hr, settings)

    page = client.get(reverse("admin:people_employee_change", args=[target.pk]))
    post_change(client, target, groups=[Group.objects.get(name=Role.ADMINISTRATOR).pk])

    assert page.status_code in (302, 403)
    assert roles(target) == []


def test_an_administrator_cannot_change_the_role_groups_themselves(client, settings):
    """The groups' permissions are fixed in code (people.roles); the administrator role
    has no permission on groups, so it cannot widen a role either."""
    administrator = EmployeeFactory(administrator=True, totp=True)
    log_in(client, administrator, settings)
    group = Group.objects.get(name=Role.HR)

    response = client.get(reverse("admin:auth_group_change", args=[group.pk]))

    assert response.status_code == 403
