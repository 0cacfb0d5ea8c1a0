"""Records changed behind the portal's back (triggers dropped, raw SQL) are found.

These tests commit (transaction=True): dropping and restoring the triggers happens in
a schema editor, which SQLite does not allow inside the test's transaction.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from acknowledgements.selectors import code_check as code_check_module
from acknowledgements.selectors.code_check import code_check
from acknowledgements.selectors.verification import verify_chain, verify_entry
from acknowledgements.tests.factories import (
    behind_the_portals_back,
    ready_to_sign,
    signed,
    signed_in_format_1,
)
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the message ids)."""
    with translation.override("en"):
        yield


def _three_records():
    employees = [EmployeeFactory() for _ in range(3)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def test_changed_content_is_found():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", records[1].pk],
    )

    result = verify_chain()

    assert not result.ok
    assert result.first_problem[0] == records[1].entry.sequence
    assert "content" in result.first_problem[1]
    assert result.checked == 1


def test_a_changed_entry_is_found():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET verification_code = %s WHERE id = %s",
        ["ZZZZ-ZZZZ-ZZZZ", records[1].pk],
    )

    result = verify_chain()

    assert result.first_problem == (
        records[1].entry.sequence,
        "entry hash does not match its fields",
    )


def test_content_removed_without_an_erasure_entry_is_found():
    records = _three_records()
    behind_the_portals_back(
        "DELETE FROM acknowledgements_acknowledgement WHERE entry_id = %s", [records[2].pk]
    )

    result = verify_chain()

    assert result.first_problem == (records[2].entry.sequence, "content missing")


def test_the_command_exits_non_zero_and_names_the_entry(capsys):
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET statement = %s WHERE entry_id = %s",
        ["Niets gelezen.", records[1].pk],
    )

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger")

    assert excinfo.value.returncode != 0
    assert f"entry {records[1].entry.sequence} " in str(excinfo.value)


def test_verify_entry_reports_a_changed_record_but_not_the_ones_before_it():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", records[1].pk],
    )

    assert verify_entry(code=records[0].entry.verification_code).intact
    assert not verify_entry(code=records[1].entry.verification_code).intact
    assert not verify_entry(code=records[2].entry.verification_code).intact


def test_a_gap_in_the_sequence_is_found():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET sequence = 4 WHERE id = %s", [records[2].pk]
    )

    result = verify_chain()

    assert result.first_problem == (4, "sequence gap: expected 3")


# --- entry format 2: the campaign a signature answers -----------------------------------


def _signed_for_a_campaign():
    """Three records of one version: the middle one signed for a campaign (format 2)."""
    from campaigns.tests.factories import launched_campaign

    employees = [EmployeeFactory() for _ in range(3)]
    version = ready_to_sign(employees[0])
    campaign = launched_campaign(version, audience="employees", employees=[employees[1]])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    assert (records[1].campaign_id, records[1].entry.format_version) == (campaign.pk, 2)
    return records, campaign


@pytest.mark.parametrize("claimed", ["another campaign", "a campaign on an unclaimed one"])
def test_a_changed_campaign_on_a_format_2_entry_is_found(claimed):
    records, campaign = _signed_for_a_campaign()
    record = records[1] if claimed == "another campaign" else records[2]
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET campaign_id = %s WHERE entry_id = %s",
        [campaign.pk + 1, record.pk],
    )

    result = verify_chain()

    assert result.first_problem == (record.entry.sequence, "content does not match its digest")
    check = code_check(code=record.entry.verification_code)
    assert check.problem == code_check_module.CONTENT_CHANGED


def test_a_campaign_put_on_a_format_1_entry_which_its_digest_does_not_cover_is_found():
    old = signed_in_format_1()
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET campaign_id = %s WHERE entry_id = %s",
        [42, old.pk],
    )

    result = verify_chain()

    assert result.first_problem == (old.entry.sequence, "content does not match its digest")
    check = code_check(code=old.entry.verification_code)
    assert check.problem == code_check_module.CONTENT_CHANGED


def test_an_entry_passed_off_as_format_1_is_found():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET format_version = 1 WHERE id = %s",
        [records[1].pk],
    )

    result = verify_chain()

    assert result.first_problem == (
        records[1].entry.sequence,
        "content does not match its digest",
    )
    check = code_check(code=records[1].entry.verification_code)
    assert check.problem == code_check_module.CONTENT_CHANGED


def test_an_entry_of_a_format_the_portal_does_not_know_is_found():
    records = _three_records()
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET format_version = 9 WHERE id = %s",
        [records[1].pk],
    )

    result = verify_chain()

    assert result.first_problem == (
        records[1].entry.sequence,
        "the entry's format version is unknown",
    )
    check = code_check(code=records[1].entry.verification_code)
    assert check.problem == code_check_module.CONTENT_CHANGED
