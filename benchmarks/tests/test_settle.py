"""Vacuuming before the timed steps (benchmarks.measure.settle). A module of its own: a
transactional test must not share a module with the module-scoped scale data."""

import pytest
from django.db import connection, transaction

from benchmarks.measure.settle import settle


@pytest.mark.django_db(transaction=True)
def test_settling_vacuums_a_postgresql_database_and_leaves_sqlite_alone():
    seconds = settle()

    if connection.vendor == "postgresql":
        assert seconds is not None and seconds >= 0
    else:
        assert seconds is None


@pytest.mark.django_db(transaction=True)
def test_settling_inside_a_transaction_does_nothing():
    with transaction.atomic():
        assert settle() is None
