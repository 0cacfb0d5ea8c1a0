"""Checking the chain (verify_chain, verify_entry) and the verify_ledger command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from acknowledgements.models import LedgerHead
from acknowledgements.selectors.verification import verify_chain, verify_entry
from acknowledgements.services import corrections
from acknowledgements.tests.factories import ready_to_sign, signed
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


def test_the_chain_is_checked_in_chunks_with_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    _signed_records(5)

    # Per chunk of 2 entries: contents and erasures; plus the entries and the head.
    with django_assert_max_num_queries(3 * 2 + 2):
        result = verify_chain(chunk_size=2)

    assert (result.ok, result.checked) == (True, 5)


def test_a_head_that_does_not_match_the_last_entry_is_found():
    _signed_records(2)
    LedgerHead.objects.update(sequence=3)

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

    check = verify_entry(record.entry.verification_code.lower().replace("-", " "))

    assert (check.found, check.intact, check.entry) == (True, True, record.entry)


def test_verify_entry_does_not_find_an_unknown_code():
    signed()

    assert not verify_entry("AAAA-BBBB-CCCC").found


def test_verify_entry_says_when_a_record_was_corrected():
    record = signed()
    correction = corrections.correct(
        entry=record.entry, recorded_by=EmployeeFactory(hr=True), reason="x", typed_name="J"
    )

    check = verify_entry(record.entry.verification_code)

    assert check.corrected_by == [correction.entry.sequence]


def test_the_command_fails_when_the_head_does_not_match():
    _signed_records(1)
    LedgerHead.objects.update(record_hash="f" * 64)

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
