"""manage.py seed_demo on an empty database (the other tests share one seeded database)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.organisation import PEOPLE
from people.models import Employee

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not Employee.objects.exists()


def test_seed_demo_runs_with_debug_on(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=io.StringIO())

    assert Employee.objects.count() == len(PEOPLE)


def test_an_existing_account_with_a_capitalised_address_is_not_created_twice():
    Employee.objects.create(
        email="HR@Voorbeeldstad.nl", first_name="Eerder", last_name="Aangemaakt"
    )

    _seed()

    assert Employee.objects.filter(email__iexact="hr@voorbeeldstad.nl").count() == 1
    assert Employee.objects.count() == len(PEOPLE)
