"""The demo seeded once per test module (manage.py seed_demo takes a second or two)."""

import io

import pytest
from django.core.management import call_command


def seed() -> str:
    """Run manage.py seed_demo; its printed output."""
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module; each test then runs in a savepoint inside this
    transaction, and everything is rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    """The seeded demo; the value is seed_demo's printed output."""
    return _seeded_once
