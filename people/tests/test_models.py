"""The Employee model: names with tussenvoegsels, unique e-mail, dates that make sense."""

import datetime

import pytest
from django.db import IntegrityError

from people.models import Employee
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_full_name_puts_the_name_prefix_between_first_and_last_name():
    employee = Employee(first_name="Jan", name_prefix="van der", last_name="Berg")

    assert employee.full_name == "Jan van der Berg"


def test_sort_name_puts_the_last_name_first():
    employee = Employee(first_name="Jan", name_prefix="van der", last_name="Berg")

    assert employee.sort_name == "Berg, Jan van der"


def test_full_name_without_a_prefix_has_no_double_space():
    assert Employee(first_name="Zoë", last_name="Visser").full_name == "Zoë Visser"


def test_create_user_stores_the_email_address_in_lower_case():
    employee = Employee.objects.create_user("Jan.Jansen@Voorbeeldstad.NL", first_name="Jan")

    assert employee.email == "jan.jansen@voorbeeldstad.nl"


def test_the_email_address_is_unique_regardless_of_case():
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    with pytest.raises(IntegrityError):
        Employee.objects.create(
            email="Jan.Jansen@voorbeeldstad.nl", first_name="Jan", last_name="Jansen"
        )


def test_finding_a_user_by_email_ignores_case():
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    assert Employee.objects.get_by_natural_key("JAN.Jansen@voorbeeldstad.nl") == employee


def test_an_end_date_before_the_start_date_is_refused():
    with pytest.raises(IntegrityError):
        EmployeeFactory(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 30))


def test_an_end_date_on_the_start_date_is_allowed():
    day = datetime.date(2024, 5, 1)

    employee = EmployeeFactory(start_date=day, end_date=day)

    assert employee.end_date == day


def test_an_end_date_without_a_start_date_is_allowed():
    employee = EmployeeFactory(start_date=None, end_date=datetime.date(2024, 5, 1))

    assert employee.pk is not None


def test_the_employee_number_is_unique():
    EmployeeFactory(employee_number="300001")

    with pytest.raises(IntegrityError):
        EmployeeFactory(employee_number="300001")
