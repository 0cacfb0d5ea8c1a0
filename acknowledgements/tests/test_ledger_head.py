"""The ledger's head (its last entry's sequence number and hash) as an anchor outside
the database: read by ledger_head, shown on the HR ledger page to copy."""

import pytest
from django.test import Client
from django.utils import translation

from acknowledgements import ledger
from acknowledgements.models import LedgerEntry
from acknowledgements.selectors import ledger_head
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse, select, text_of

pytestmark = pytest.mark.django_db

URL = "/grootboek/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def hr_client(language: str = "en") -> Client:
    client = Client()
    client.force_login(EmployeeFactory(hr=True, preferred_language=language))
    return client


def two_signatures():
    first, second = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(first)
    signed(first, version)
    return signed(second, ready_to_sign(second, version))


def test_the_head_is_the_last_entrys_sequence_and_hash():
    last = two_signatures()

    head = ledger_head()

    assert (head.sequence, head.record_hash) == (2, last.entry.record_hash)
    assert LedgerEntry.objects.order_by("-sequence").first() == last.entry


def test_before_the_first_entry_the_head_is_zero_and_the_genesis_hash():
    head = ledger_head()

    assert (head.sequence, head.record_hash) == (0, ledger.GENESIS_HASH)


def test_the_ledger_page_shows_the_head_in_full_to_copy():
    last = two_signatures()

    page = parse(hr_client().get(URL))

    full_hash = last.entry.record_hash
    assert text_of(page, "#head-sequence") == "2"
    assert text_of(page, "#head-hash") == full_hash
    assert attribute(page, "#head-anchor", "value") == f"2:{full_hash}"
    assert attribute(page, "#head-anchor", "readonly") is not None
    assert f"python manage.py verify_ledger --anchor 2:{full_hash}" in text_of(
        page, "#head-anchor-hint"
    )


def test_the_page_shows_the_head_now_not_at_the_last_check():
    from acknowledgements.services import ledger_checks

    two_signatures()
    ledger_checks.run_system_check()
    last = LedgerEntry.objects.order_by("-sequence").first()
    employee = EmployeeFactory()
    newest = signed(employee, ready_to_sign(employee, last.version))

    page = parse(hr_client().get(URL))

    assert text_of(page, "#head-sequence") == str(newest.entry.sequence)
    assert text_of(page, "#head-hash") == newest.entry.record_hash


def test_an_empty_ledger_says_it_has_no_entries():
    page = parse(hr_client().get(URL))

    assert not select(page, "#head-anchor")
    assert text_of(page, "#head-empty") == "The ledger has no entries yet."


def test_the_dutch_page_explains_the_anchor_in_dutch():
    two_signatures()

    with translation.override("nl"):
        page = parse(hr_client("nl").get(URL))

    assert "Auditors: bewaar deze regel buiten het portaal." in text_of(page, "#head-anchor-hint")
