"""A leaver's employee row at the end of the retention period: pseudonymised, never
deleted (the ledger and the assignments refer to it), and the account unusable."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from people.models import Employee, StaffImport
from people.services.pseudonymisation import (
    REMOVED,
    pseudonymise_employee,
    pseudonymise_employees,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_the_names_email_number_and_job_title_are_gone():
    person = EmployeeFactory(
        first_name="Zwaantje",
        name_prefix="van der",
        last_name="Quispel",
        employee_number="P-4711",
        job_title="Boa",
    )

    pseudonymise_employee(employee=person, now=timezone.now())

    row = Employee.objects.get(pk=person.pk)
    assert (row.first_name, row.name_prefix, row.last_name) == (REMOVED, "", REMOVED)
    assert (row.employee_number, row.job_title) == (None, "")
    assert row.email == f"verwijderd-{person.pk}@verwijderd.invalid"


def test_two_pseudonymised_rows_keep_unique_addresses():
    people = [EmployeeFactory(), EmployeeFactory()]

    pseudonymise_employees(employees=people, now=timezone.now())

    assert Employee.objects.filter(email__endswith="@verwijderd.invalid").count() == 2


def test_the_account_can_no_longer_log_in_and_loses_its_roles():
    person = EmployeeFactory(hr=True, password="een-lang-wachtwoord-123")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    email = person.email

    pseudonymise_employee(employee=person, now=timezone.now())

    row = Employee.objects.get(pk=person.pk)
    assert not row.has_usable_password() and not row.is_active
    assert not row.groups.exists() and not EmailAddress.objects.filter(user=row).exists()
    assert not Client().login(username=email, password="een-lang-wachtwoord-123")


def test_the_staff_import_log_keeps_others_but_not_them():
    person = EmployeeFactory(first_name="Zwaantje", last_name="Quispel", employee_number="P-1")
    StaffImport.objects.create(
        filename="hr.csv",
        file_sha256="0" * 64,
        mode=StaffImport.Mode.APPLIED,
        changes={
            "new": [
                {"number": "P-1", "name": "Zwaantje Quispel", "line": 2},
                {"number": "P-2", "name": "Jan Jansen", "line": 3},
            ]
        },
        problems=[{"line": 4, "message": "Zwaantje Quispel (P-1): no e-mail address"}],
    )

    pseudonymise_employee(employee=person, now=timezone.now())

    log = StaffImport.objects.get()
    assert log.changes["new"] == [
        {"number": "", "name": REMOVED, "line": 2},
        {"number": "P-2", "name": "Jan Jansen", "line": 3},
    ]
    assert "Quispel" not in log.problems[0]["message"] and "P-1" not in log.problems[0]["message"]


def test_pseudonymising_twice_changes_nothing_the_second_time():
    person = EmployeeFactory()
    pseudonymise_employee(employee=person, now=timezone.now())

    assert pseudonymise_employee(employee=person, now=timezone.now()) is False
