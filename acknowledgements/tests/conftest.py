"""Fixtures shared by the ledger's tests (the root conftest.py has the portal-wide ones)."""

import pytest

from people.tests.factories import EmployeeFactory


@pytest.fixture
def hr():
    """An HR employee in a department, reading the portal in Dutch (the factory's
    defaults): who signs on behalf of others, corrects records and asks for checks."""
    return EmployeeFactory(hr=True)
