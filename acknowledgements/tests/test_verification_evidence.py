"""What verification holds the ledger to, tried as someone with direct database access
would: the versions' texts recomputed from their tips, earlier checks and anchors that
an emptied or cut ledger cannot meet, and the nightly mail of the head.

These tests commit (transaction=True): dropping and restoring the triggers happens in a
schema editor, which SQLite does not allow inside the test's transaction.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from acknowledgements import triggers as ledger_triggers
from acknowledgements.models import LedgerEntry
from acknowledgements.selectors.anchors import Anchor
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.services import ledger_checks
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook import triggers as handbook_triggers
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER_TABLES = (
    "acknowledgements_acknowledgement",
    "acknowledgements_ledgerentry",
    "acknowledgements_ledgerhead",
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the message ids)."""
    with translation.override("en"):
        yield


def _no_op(apps, schema_editor) -> None:
    pass


# Every trigger the two apps' migrations put on: the row triggers, and the statement and
# replace triggers where the installed modules have them.
TRIGGER_SETS = [
    (
        getattr(module, f"{prefix}install{suffix}", _no_op),
        getattr(module, f"{prefix}uninstall{suffix}", _no_op),
    )
    for module in (ledger_triggers, handbook_triggers)
    for prefix, suffix in (("", ""), ("", "_evidence"))
]


def as_the_database_owner(*statements: tuple[str, list]) -> None:
    """Run SQL with the ledger's and the handbook's triggers set aside, as the owner of
    the tables (a database administrator) could."""
    with connection.schema_editor() as editor:
        for _install, uninstall in reversed(TRIGGER_SETS):
            uninstall(None, editor)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    with connection.schema_editor() as editor:
        for install, _uninstall in TRIGGER_SETS:
            install(None, editor)


def empty_the_ledger() -> None:
    """TRUNCATE on PostgreSQL (row triggers do not see it), DELETE on SQLite."""
    if connection.vendor == "postgresql":
        as_the_database_owner((f"TRUNCATE {', '.join(LEDGER_TABLES)} CASCADE", []))
    else:
        as_the_database_owner(*((f"DELETE FROM {table}", []) for table in LEDGER_TABLES))  # noqa: S608


def cut_the_tail(*, keep: int) -> None:
    """Remove the entries after ``keep`` and set the head back, as if they never were."""
    last = LedgerEntry.objects.get(sequence=keep)
    as_the_database_owner(
        (
            "DELETE FROM acknowledgements_acknowledgement WHERE entry_id IN "
            "(SELECT id FROM acknowledgements_ledgerentry WHERE sequence > %s)",
            [keep],
        ),
        ("DELETE FROM acknowledgements_ledgerentry WHERE sequence > %s", [keep]),
        (
            "UPDATE acknowledgements_ledgerhead SET sequence = %s, record_hash = %s",
            [keep, last.record_hash],
        ),
    )


def _signed_records(count: int, *, version=None, language: str = "nl"):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0], version)
    records = [signed(employees[0], version, language=language)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version), language=language))
    return records


def _hash_of(sequence: int) -> str:
    return LedgerEntry.objects.get(sequence=sequence).record_hash


# The versions' texts ------------------------------------------------------------------


def test_a_reworded_tip_fails_verification_naming_the_version():
    records = _signed_records(2)
    version = records[0].version
    as_the_database_owner(
        (
            "UPDATE handbook_tip SET text = %s WHERE version_id = %s AND number = 1",
            ["Alles mag.", version.pk],
        )
    )

    result = verify_chain()

    assert not result.ok
    assert result.first_problem == (
        records[0].entry.sequence,
        f"the Dutch text of version {version.number} of {version.title} no longer matches its hash",
    )


def test_a_reworded_english_tip_fails_verification_also_for_dutch_signatures():
    records = _signed_records(1)
    version = records[0].version
    as_the_database_owner(
        (
            "UPDATE handbook_tip SET text_en = %s WHERE version_id = %s",
            ["Anything goes.", version.pk],
        )
    )

    result = verify_chain()

    assert result.first_problem == (
        records[0].entry.sequence,
        f"the English text of version {version.number} of {version.title} no longer matches "
        "its hash",
    )


def test_a_version_whose_stored_hash_was_rewritten_with_its_text_still_fails():
    """Rewording a tip and storing the new text's hash on the version: the signatures
    still hold the hash of the text they signed."""
    records = _signed_records(1)
    version = records[0].version
    as_the_database_owner(
        ("UPDATE handbook_tip SET text = %s WHERE version_id = %s", ["Alles mag.", version.pk])
    )
    from handbook.selectors.canonical import version_hashes

    dutch, english = version_hashes(version=version)
    as_the_database_owner(
        (
            "UPDATE handbook_guidelineversion SET content_hash = %s, content_hash_en = %s "
            "WHERE id = %s",
            [dutch, english, version.pk],
        )
    )

    result = verify_chain()

    assert result.first_problem == (
        records[0].entry.sequence,
        "the text hash does not match the version's text",
    )


def test_a_problem_found_while_reading_ahead_stops_the_reading_and_the_connection_works_on():
    records = _signed_records(7)
    as_the_database_owner(
        (
            "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
            ["Iemand Anders", records[2].pk],
        )
    )

    result = verify_chain(chunk_size=2)

    assert result.first_problem == (3, "content does not match its digest")
    assert verify_chain(chunk_size=2).first_problem == result.first_problem
    assert LedgerEntry.objects.count() == 7


# Earlier checks ------------------------------------------------------------------------


def test_an_emptied_ledger_fails_against_the_stored_check_naming_what_is_missing():
    _signed_records(3)
    check = ledger_checks.run_system_check()
    empty_the_ledger()

    result = verify_chain()

    assert (result.ok, result.checked) == (False, 0)
    assert result.first_problem == (
        1,
        f"entries 1–3 are missing; the check of {check.finished_at.date().isoformat()} "
        f"counted 3 entries, ending in {check.head_hash[:16]}…",
    )


def test_a_cut_tail_fails_against_the_stored_check():
    _signed_records(3)
    ledger_checks.run_system_check()
    cut_the_tail(keep=2)

    result = verify_chain()

    assert result.first_problem[0] == 3
    assert result.first_problem[1].startswith("entry 3 is missing; the check of ")


def test_a_chain_rebuilt_with_other_hashes_fails_against_the_stored_check():
    records = _signed_records(2)
    check = ledger_checks.run_system_check()
    # Rebuilt from scratch: every hash recomputed, so the chain itself verifies.
    empty_the_ledger()
    _signed_records(2, version=records[0].version)
    assert _hash_of(2) != check.head_hash

    result = verify_chain()

    assert result.first_problem == (
        2,
        f"entry 2 has another hash than at the check of "
        f"{check.finished_at.date().isoformat()} ({check.head_hash[:16]}…)",
    )


def test_a_check_that_found_a_problem_still_holds_the_chain_to_what_it_saw():
    records = _signed_records(3)
    as_the_database_owner(
        (
            "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
            ["Iemand Anders", records[2].pk],
        )
    )
    broken = ledger_checks.run_system_check()
    assert (broken.ok, broken.head_sequence, broken.head_hash) == (False, 2, _hash_of(2))
    empty_the_ledger()

    result = verify_chain()

    assert result.first_problem[1].startswith("entries 1–2 are missing; the check of ")


def test_the_stored_check_of_an_emptied_ledger_fails_and_is_not_intact_with_0_entries():
    _signed_records(2)
    ledger_checks.run_system_check()
    empty_the_ledger()

    check = ledger_checks.run_system_check()

    assert (check.ok, check.entries_checked, check.problem_sequence) == (False, 0, 1)
    assert check.problem_reason.startswith("entries 1–2 are missing")


def test_the_ledger_page_does_not_call_an_emptied_ledger_intact(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    _signed_records(2)
    ledger_checks.run_system_check()
    empty_the_ledger()
    ledger_checks.run_system_check()
    client.force_login(EmployeeFactory(auditor=True, preferred_language="en"))

    html = client.get("/grootboek/").content.decode()

    assert "the ledger was intact" not in html
    assert "entries 1–2 are missing" in html


# Anchors -------------------------------------------------------------------------------


def test_the_chain_verifies_against_anchors_it_still_contains():
    _signed_records(3)

    result = verify_chain(anchors=[Anchor(1, _hash_of(1)), Anchor(3, _hash_of(3))])

    assert (result.ok, result.checked) == (True, 3)


def test_a_cut_tail_fails_against_an_anchor():
    _signed_records(3)
    anchor = Anchor(3, _hash_of(3))
    cut_the_tail(keep=1)

    result = verify_chain(anchors=[anchor])

    assert result.first_problem == (
        2,
        f"entries 2–3 are missing; an anchor names entry 3, with hash {anchor.record_hash[:16]}…",
    )


def test_an_anchor_with_another_hash_fails():
    _signed_records(3)

    result = verify_chain(anchors=[Anchor(2, "ab" * 32)])

    assert result.first_problem == (
        2,
        "entry 2 has another hash than its anchor (abababababababab…)",
    )
    assert (result.checked, result.head_sequence, result.head_hash) == (1, 1, _hash_of(1))


def test_the_command_confirms_its_anchors(capsys):
    _signed_records(2)

    call_command("verify_ledger", anchor=[f"1:{_hash_of(1)}", f" 2 : {_hash_of(2).upper()} "])

    out = capsys.readouterr().out
    assert "Anchor 1: entry present with that hash." in out
    assert "Anchor 2: entry present with that hash." in out


def test_the_command_exits_non_zero_when_an_anchor_is_missing():
    _signed_records(2)
    anchor = f"2:{_hash_of(2)}"
    cut_the_tail(keep=1)

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", anchor=[anchor])

    assert excinfo.value.returncode == 1
    assert "Ledger entry 2 does not match: entry 2 is missing; an anchor names it" in str(
        excinfo.value
    )


@pytest.mark.parametrize("anchor", ["12", "12:abc", "x:" + "a" * 64, "0:" + "a" * 64, "-1:ab"])
def test_the_command_refuses_a_malformed_anchor_clearly(anchor):
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", anchor=[anchor])

    assert excinfo.value.returncode == 2
    assert f"{anchor!r} is not an anchor: expected SEQ:HASH" in str(excinfo.value)
