import pytest
from django.test import Client

from people.tests.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    """Editors must set up TOTP in real life; these tests are about the handbook."""
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory()


@pytest.fixture
def other_editor(db):
    return EmployeeFactory(editor=True, first_name="Olaf", last_name="Controleur")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def employee_client(employee):
    return _client_for(employee)


@pytest.fixture
def other_editor_client(other_editor):
    return _client_for(other_editor)


@pytest.fixture
def english_client(db):
    return _client_for(EmployeeFactory(preferred_language="en"))
