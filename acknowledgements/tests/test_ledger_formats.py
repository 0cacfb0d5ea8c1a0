"""Entry format 2 (acknowledgements.ledger): a signature's content names the campaign it
answers. Entries recorded before keep format 1 and verify as they were hashed; the chain
check and the code check read each entry under its own format."""

import pytest

from acknowledgements import ledger
from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.code_check import code_check
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services import corrections
from acknowledgements.tests.factories import ready_to_sign, signed, signed_in_format_1
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _fields(record, format_version):
    return ledger.content_fields(record, format_version=format_version)


def test_format_2_hashes_format_1_s_keys_and_the_campaign():
    assert ledger.CONTENT_KEYS_BY_FORMAT[2] == (*ledger.CONTENT_KEYS_BY_FORMAT[1], "campaign_id")
    assert len(ledger.CONTENT_KEYS_BY_FORMAT[1]) == 19
    assert ledger.FORMAT_VERSION == 2


def test_a_new_signature_is_an_entry_of_format_2_whose_digest_covers_the_campaign():
    record = signed()

    entry = LedgerEntry.objects.get(pk=record.pk)
    fields = _fields(record, 2)
    assert entry.format_version == 2
    assert fields["campaign_id"] is None
    assert entry.content_digest == ledger.content_digest(fields, format_version=2)


def test_the_same_content_has_another_digest_in_each_format():
    record = signed()
    format_1 = ledger.content_digest(_fields(record, 1), format_version=1)
    format_2 = ledger.content_digest(_fields(record, 2), format_version=2)

    assert format_1 != format_2


def test_an_entry_of_format_1_made_by_the_old_code_still_verifies_beside_format_2_entries():
    anna, bram = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(anna)
    old = signed_in_format_1(anna, version)
    new = signed(bram, ready_to_sign(bram, version))

    result = verify_chain()

    assert result.ok, result.first_problem
    assert result.checked == 2
    assert [e.format_version for e in LedgerEntry.objects.order_by("sequence")] == [1, 2]
    assert old.entry.content_digest == ledger.content_digest(_fields(old, 1), format_version=1)
    for record in (old, new):
        check = code_check(code=record.entry.verification_code)
        assert check.own_hash_ok and check.link_ok, check.problem


def test_a_correction_of_a_format_1_entry_is_a_format_2_entry_and_the_chain_verifies():
    hr = EmployeeFactory(hr=True)
    old = signed_in_format_1()

    correction = corrections.correct(
        entry=old.entry, recorded_by=hr, reason="Typfout", typed_name="J. Jansen"
    )

    assert correction.entry.format_version == 2
    assert correction.campaign_id is None
    assert verify_chain().ok


def test_content_digest_refuses_a_format_it_does_not_know():
    with pytest.raises(ValueError, match="Unknown entry format version: 3"):
        ledger.content_digest({}, format_version=3)


def test_content_digest_refuses_format_2_keys_under_format_1():
    record = signed()

    with pytest.raises(ValueError, match="campaign_id"):
        ledger.content_digest(_fields(record, 2), format_version=1)


@pytest.fixture
def admin_client(settings):
    from django.test import Client

    settings.PORTAL_MFA_REQUIRED = False
    client = Client()
    client.force_login(EmployeeFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_shows_an_entry_s_format_and_a_signature_s_campaign(admin_client):
    from django.urls import reverse

    record = signed()

    entry_page = admin_client.get(
        reverse("admin:acknowledgements_ledgerentry_change", args=[record.pk])
    )
    content_page = admin_client.get(
        reverse("admin:acknowledgements_acknowledgement_change", args=[record.pk])
    )

    assert "field-format_version" in entry_page.content.decode()
    assert "field-campaign_id" in content_page.content.decode()
