import pytest
from django.test import Client

from people.tests.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    """Editors must set up TOTP in real life; these tests are about the quiz."""
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory(first_name="Jan", last_name="Jansen")


@pytest.fixture
def other_employee(db):
    return EmployeeFactory(first_name="Piet", last_name="Pietersen")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def employee_client(employee):
    return client_for(employee)


@pytest.fixture
def english_employee(db):
    return EmployeeFactory(preferred_language="en")


@pytest.fixture
def english_client(english_employee):
    return client_for(english_employee)
