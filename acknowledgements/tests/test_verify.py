"""Checking the chain (verify_chain, verify_entry) and the verify_ledger command."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from acknowledgements import ledger
from acknowledgements.ledger import rows
from acknowledgements.selectors.verification import verify_chain, verify_entry
from acknowledgements.services import corrections, ledger_checks
from acknowledgements.tests.factories import (
    move_head_behind_the_portals_back,
    ready_to_sign,
    signed,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the message ids)."""
    with translation.override("en"):
        yield


def _signed_records(count: int):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def test_an_empty_ledger_verifies():
    result = verify_chain()

    assert (result.ok, result.checked, result.first_problem) == (True, 0, None)


def test_a_chain_of_records_verifies():
    _signed_records(3)

    result = verify_chain()

    assert (result.ok, result.checked) == (True, 3)


@pytest.mark.parametrize("count", [1, 5])
def test_the_chain_is_checked_with_the_same_number_of_queries_however_long(
    count, django_assert_num_queries
):
    records = _signed_records(count)
    corrections.erase_personal_data(
        entry=records[0].entry, recorded_by=EmployeeFactory(hr=True), reason="AVG"
    )

    # The versions, their tips, the erasures, the earlier checks, the head, and the
    # entries with their contents in one query (streamed in chunks of 2).
    with django_assert_num_queries(6):
        result = verify_chain(chunk_size=2)

    assert (result.ok, result.checked) == (True, count + 1)


def test_a_head_that_does_not_match_the_last_entry_is_found():
    _signed_records(2)
    move_head_behind_the_portals_back(sequence=3)

    result = verify_chain()

    assert not result.ok
    assert "head" in result.first_problem[1]


def test_a_corrected_and_an_erased_record_still_verify():
    first, second = _signed_records(2)
    hr = EmployeeFactory(hr=True)
    corrections.correct(entry=first.entry, recorded_by=hr, reason="Naam", typed_name="J. Jansen")
    corrections.erase_personal_data(entry=second.entry, recorded_by=hr, reason="AVG")

    assert verify_chain().ok


def test_the_command_reports_an_intact_ledger(capsys):
    _signed_records(2)

    call_command("verify_ledger")

    assert "2 entries checked" in capsys.readouterr().out


def test_verify_entry_finds_an_intact_record():
    record = signed()

    check = verify_entry(code=record.entry.verification_code.lower().replace("-", " "))

    assert (check.found, check.intact, check.entry) == (True, True, record.entry)


def test_verify_entry_does_not_find_an_unknown_code():
    signed()

    assert not verify_entry(code="AAAA-BBBB-CCCC").found


def test_verify_entry_says_when_a_record_was_corrected():
    record = signed()
    correction = corrections.correct(
        entry=record.entry, recorded_by=EmployeeFactory(hr=True), reason="x", typed_name="J"
    )

    check = verify_entry(code=record.entry.verification_code)

    assert check.corrected_by == [correction.entry.sequence]


def test_the_command_fails_when_the_head_does_not_match():
    _signed_records(1)
    move_head_behind_the_portals_back(record_hash="f" * 64)

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger")

    assert excinfo.value.returncode != 0


def test_a_name_change_after_signing_keeps_the_chain_verifying():
    record = signed()
    record.employee.last_name = "Getrouwd"
    record.employee.save()

    assert verify_chain().ok


def test_the_command_shows_an_entrys_hash_for_comparison_with_an_earlier_audit(capsys):
    first, _second = _signed_records(2)

    call_command("verify_ledger", entry=1)

    output = capsys.readouterr().out
    assert f"Entry 1: hash {first.entry.record_hash}." in output
    assert "Last entry: 2" in output


# The canonical forms, written directly for speed, are ledger's ----------------------


AWKWARD_VALUES = [
    "plain",
    "ë ñ 漢字 🙂",
    'a "quote", a \\ backslash and a / slash',
    "tab\tnewline\ncontrol\x00\x1f line separator\u2028",
    "",
    None,
    0,
    12345678901234567890,
    -3,
    True,
    datetime.datetime(2026, 11, 25, 12, 31, 49, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2026, 11, 25, 12, 31, 49, tzinfo=datetime.UTC),
    datetime.datetime(2026, 6, 1, 2, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")),
]


@pytest.mark.parametrize("value", AWKWARD_VALUES)
def test_the_canonical_json_written_directly_is_ledgers(value):
    data = {"kind": "acknowledgement", "a": value, "z": [value]}
    simple = {key: data[key] for key in ("kind", "a")}

    assert rows.canonical_json(simple) == ledger.canonical_json(simple)


def test_a_naive_datetime_is_refused_as_ledger_refuses_it():
    with pytest.raises(ValueError, match="aware datetimes only"):
        rows.json_value(datetime.datetime(2026, 11, 25, 12, 0))


@pytest.mark.parametrize("format_version", ledger.FORMAT_VERSIONS)
@pytest.mark.parametrize("value", AWKWARD_VALUES)
def test_a_content_row_of_any_value_is_written_as_ledger_writes_it(value, format_version):
    """Also a value of a type its column should not hold (a database edited by hand); in
    each entry format, with that format's keys only."""
    fields = dict.fromkeys(ledger.CONTENT_KEYS_BY_FORMAT[format_version], value)
    values = [fields.get(name, "not hashed") for name in rows.CONTENT_VALUES]

    written = rows.CONTENT_WRITERS[format_version](values)

    assert written.encode() == ledger.canonical_json(fields)


@pytest.mark.parametrize("value", AWKWARD_VALUES)
def test_an_entry_row_of_any_value_is_written_as_ledger_writes_it(value):
    fields = dict.fromkeys(ledger.ENTRY_KEYS, value)
    values = [fields[name] for name in rows.ENTRY_VALUES]

    assert rows.ENTRY_WRITER(values).encode() == ledger.canonical_json(fields)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the moments")
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 11, 25, 12, 31, 49, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 25, 12, 31, 49, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 3, 0, 0, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")),
        datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ],
)
def test_postgresql_writes_a_moment_as_ledger_writes_it(moment):
    from django.db.models import DateTimeField, Value

    from acknowledgements.models import LedgerHead as AnyTable

    AnyTable.objects.get_or_create(pk=1)
    text = (
        AnyTable.objects.annotate(
            moment=rows.MomentText(Value(moment, output_field=DateTimeField()))
        )
        .values_list("moment", flat=True)
        .get()
    )

    assert f'"{text}"' == ledger.canonical_json({"v": moment}).decode()[5:-1]


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "255.255.255.255",
        "10.0.0.0",
        "::ffff:1.2.3.4",
        "2001:0DB8::0001",
        "10.0.0.1/32",
        None,
        "",
    ],
)
def test_ip_addresses_are_written_as_ledger_writes_them(address):
    assert rows.canonical_ip(address) == ledger.canonical_ip(address)


def test_a_chain_of_signatures_in_both_languages_with_odd_names_verifies():
    version = ready_to_sign(EmployeeFactory())
    for language, last_name in (("nl", "“Z” O'Brien-Ñúñez"), ("en", "李 \\ / \t")):
        employee = EmployeeFactory(first_name="Zoë", last_name=last_name)
        signed(employee, ready_to_sign(employee, version), language=language)

    assert verify_chain().ok


# Problems with values, stored in English and shown in Dutch ----------------------------


@pytest.mark.parametrize(
    ("stored", "dutch"),
    [
        (
            "entries 1–20000 are missing; the check of 2026-12-03 counted 20000 entries, "
            "ending in abcdef0123456789…",
            "regels 1–20000 ontbreken; de controle van 2026-12-03 telde 20000 regels, "
            "eindigend op abcdef0123456789…",
        ),
        (
            "entry 7 is missing; the check of 2026-12-03 counted 7 entries, ending in ab…",
            "regel 7 ontbreekt; de controle van 2026-12-03 telde 7 regels, eindigend op ab…",
        ),
        (
            "entry 7 is missing; an anchor names it, with hash ab…",
            "regel 7 ontbreekt; een anker noemt deze regel, met hash ab…",
        ),
        (
            "entries 5–9 are missing; an anchor names entry 9, with hash ab…",
            "regels 5–9 ontbreken; een anker noemt regel 9, met hash ab…",
        ),
        (
            "entry 4 has another hash than its anchor (ab…)",
            "regel 4 heeft een andere hash dan het anker (ab…)",
        ),
        (
            "the English text of version 2 of Sociale media: doen en laten no longer matches "
            "its hash",
            "de Engelse tekst van versie 2 van Sociale media: doen en laten klopt niet meer "
            "met de hash",
        ),
        ("sequence gap: expected 3", "gat in de nummering: 3 verwacht"),
        ("content missing", "inhoud ontbreekt"),
    ],
)
def test_a_stored_problem_is_shown_in_dutch(stored, dutch):
    with translation.override("nl"):
        assert ledger_checks.problem_text(reason=stored) == dutch
