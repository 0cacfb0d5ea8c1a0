"""The ledger's hashing and chain building (acknowledgements.ledger)."""

import datetime
import hashlib
import json

import pytest
from django.db import transaction

from acknowledgements import ledger
from acknowledgements.models import LedgerEntry, LedgerHead
from acknowledgements.tests.factories import signed
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = datetime.timezone(datetime.timedelta(hours=1))


def _content(**overrides):
    """A content of entry format 1 (the tests of the canonical form, which never changes)."""
    fields = dict.fromkeys(ledger.CONTENT_KEYS_BY_FORMAT[1], "")
    fields.update(
        employee_id=1,
        version_id=1,
        version_number=1,
        signed_at=datetime.datetime(2026, 11, 25, 13, 0, tzinfo=AMSTERDAM),
        quiz_attempt_id=None,
        recorded_by_id=None,
        ip_address=None,
        corrects_sequence=None,
    )
    fields.update(overrides)
    return fields


def test_canonical_json_sorts_keys_without_whitespace_in_utf8():
    assert ledger.canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_datetimes_are_hashed_in_utc_with_microseconds():
    moment = datetime.datetime(2026, 11, 25, 13, 0, tzinfo=AMSTERDAM)

    assert ledger.canonical_json({"t": moment}) == b'{"t":"2026-11-25T12:00:00.000000+00:00"}'


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        ledger.canonical_json({"t": datetime.datetime(2026, 11, 25, 12, 0)})


def test_content_digest_is_sha256_of_the_canonical_json():
    fields = _content(statement="Ik heb het gelezen.")
    expected = hashlib.sha256(
        json.dumps(
            {**fields, "signed_at": "2026-11-25T12:00:00.000000+00:00"},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
    ).hexdigest()

    assert ledger.content_digest(fields, format_version=1) == expected


def test_content_digest_changes_with_any_field():
    assert ledger.content_digest(
        _content(typed_name="Jan"), format_version=1
    ) != ledger.content_digest(_content(typed_name="Jan "), format_version=1)


def test_content_digest_needs_exactly_the_documented_keys():
    with pytest.raises(ValueError):
        ledger.content_digest({**_content(), "extra": 1}, format_version=1)


def test_ip_addresses_are_hashed_in_one_form():
    long_form = _content(ip_address="2001:0db8:0000:0000:0000:0000:0000:0001")
    short_form = _content(ip_address="2001:db8::1")

    assert ledger.content_digest(long_form, format_version=1) == ledger.content_digest(
        short_form, format_version=1
    )


def test_entry_hash_covers_the_previous_hash():
    fields = dict.fromkeys(ledger.ENTRY_KEYS, None)

    assert ledger.entry_hash("0" * 64, fields) != ledger.entry_hash("1" * 64, fields)
    assert (
        ledger.entry_hash("0" * 64, fields)
        == hashlib.sha256(b"0" * 64 + ledger.canonical_json(fields)).hexdigest()
    )


def test_verification_codes_are_grouped_and_unambiguous():
    code = ledger.new_verification_code()

    assert len(code) == 14
    assert code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set(ledger.CODE_ALPHABET)
    assert not set("01OIL") & set(code)


def test_a_typed_code_is_normalised():
    assert ledger.normalise_code(" abcd efgh-jkmn ") == "ABCD-EFGH-JKMN"


def test_the_first_entry_follows_the_genesis_hash_and_creates_the_head():
    version = published_version()
    with transaction.atomic():
        entry = ledger.append_entry(
            kind="acknowledgement", version=version, content_digest="a" * 64
        )

    assert entry.sequence == 1
    assert entry.previous_hash == ledger.GENESIS_HASH
    head = LedgerHead.objects.get()
    assert (head.sequence, head.record_hash) == (1, entry.record_hash)


def test_entries_are_numbered_one_after_another_and_chained():
    version = published_version()
    with transaction.atomic():
        first = ledger.append_entry(
            kind="acknowledgement", version=version, content_digest="a" * 64
        )
        second = ledger.append_entry(
            kind="acknowledgement", version=version, content_digest="b" * 64
        )

    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.record_hash


def test_a_signed_entry_hashes_its_content():
    employee = EmployeeFactory()
    ack = signed(employee)
    entry = LedgerEntry.objects.get(pk=ack.pk)

    fields = ledger.content_fields(ack, format_version=entry.format_version)
    assert entry.content_digest == ledger.content_digest(
        fields, format_version=entry.format_version
    )
    assert entry.record_hash == ledger.entry_hash(
        entry.previous_hash, ledger.entry_fields(entry, refers_to_sequence=None)
    )


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [
        ("::ffff:192.0.2.7", "::ffff:c000:207"),
        ("::ffff:c000:207", "::ffff:c000:207"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:0:0:0:0:0:1/128", "2001:db8::1"),
    ],
)
def test_an_ip_address_has_one_canonical_form_whatever_the_python_version(stored, canonical):
    assert ledger.canonical_ip(stored) == canonical
