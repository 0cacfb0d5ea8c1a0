"""The code check (/bevestigen/controleren/): one entry, its link to the entry before it
and the last full check, in a fixed number of queries whatever the ledger's size."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerCheck, LedgerEntry
from acknowledgements.selectors import code_check as code_check_module
from acknowledgements.selectors.code_check import code_check
from acknowledgements.services import corrections, ledger_checks
from acknowledgements.tests.factories import behind_the_portals_back, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, parse, select, text_of

pytestmark = pytest.mark.django_db

VERIFY_URL = reverse("acknowledgements:verify")


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the message ids)."""
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reader() -> Client:
    return client_for(EmployeeFactory(preferred_language="en"))


def sign_more(count: int, version=None) -> list[Acknowledgement]:
    records = []
    for _ in range(count):
        employee = EmployeeFactory()
        version = ready_to_sign(employee, version)
        records.append(signed(employee, version))
    return records


def page_queries(client: Client, code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(VERIFY_URL, {"code": code})
    assert response.status_code == 200
    return len(queries)


# A fixed cost ------------------------------------------------------------------------------


def test_the_check_takes_three_queries_with_5_entries_and_with_50(django_assert_num_queries):
    records = sign_more(5)
    ledger_checks.run_system_check()
    with django_assert_num_queries(3):
        small = code_check(code=records[-1].entry.verification_code)

    records += sign_more(45, records[0].version)
    with django_assert_num_queries(3):
        large = code_check(code=records[-1].entry.verification_code)

    assert LedgerEntry.objects.count() == 50
    assert small.intact and large.intact


def test_the_page_takes_as_many_queries_with_50_entries_as_with_5(django_assert_num_queries):
    client = reader()
    records = sign_more(5)
    ledger_checks.run_system_check()
    at_five = page_queries(client, records[2].entry.verification_code)

    more = sign_more(45, records[0].version)
    with django_assert_num_queries(at_five):
        client.get(VERIFY_URL, {"code": more[40].entry.verification_code})


def test_an_unknown_code_takes_one_query(django_assert_num_queries):
    sign_more(2)

    with django_assert_num_queries(1):
        check = code_check(code="AAAA-BBBB-CCCC")

    assert not check.found


def test_a_malformed_code_is_refused_without_looking_it_up():
    client = reader()
    sign_more(1)
    client.get(VERIFY_URL)  # the session and the user, read once

    with CaptureQueriesContext(connection) as queries:
        page = parse(client.get(VERIFY_URL, {"code": "ABCD-EFGH"}))

    ledger_table = LedgerEntry._meta.db_table
    assert not [query for query in queries if ledger_table in query["sql"]]
    assert "This is not a verification code." in text_of(page, "#error-summary")
    assert not select(page, "#verify-result")


# What it says about the entry --------------------------------------------------------------


def test_an_intact_signature_is_in_order_typed_in_any_case_and_spacing():
    record = sign_more(1)[0]

    check = code_check(code=record.entry.verification_code.lower().replace("-", " "))

    assert (check.found, check.own_hash_ok, check.link_ok, check.problem) == (True, True, True, "")
    assert check.record == record


def test_the_page_says_an_intact_signature_is_in_order():
    record = sign_more(2)[1]

    page = parse(reader().get(VERIFY_URL, {"code": record.entry.verification_code}))

    assert attribute(page, "#verify-result", "data-result") == "intact"
    assert "This signature is in order" in text_of(page, "#entry-result")
    assert text_of(page, "#verified-name") == record.employee.full_name


def test_a_correction_is_named():
    record = sign_more(1)[0]
    correction = corrections.correct(
        entry=record.entry, recorded_by=EmployeeFactory(hr=True), reason="x", typed_name="J"
    )

    assert code_check(code=record.entry.verification_code).corrected_by == [
        correction.entry.sequence
    ]
    assert code_check(code=correction.entry.verification_code).intact


def test_an_erased_record_is_in_order_and_shows_no_personal_data():
    record = sign_more(1)[0]
    corrections.erase_personal_data(entry=record.entry, recorded_by=None, reason="Bewaartermijn")

    check = code_check(code=record.entry.verification_code)
    page = parse(reader().get(VERIFY_URL, {"code": record.entry.verification_code}))

    assert (check.erased, check.intact, check.record) == (True, True, None)
    assert attribute(page, "#verify-result", "data-result") == "erased"
    assert not select(page, "#verified-record")


# What it says about the last full check ----------------------------------------------------


def test_the_date_and_result_of_the_last_full_check_are_said_in_words():
    record = sign_more(2)[0]
    check = ledger_checks.run_system_check()
    LedgerCheck.objects.filter(pk=check.pk).update(
        finished_at=timezone.make_aware(datetime.datetime(2026, 12, 3, 2, 0))
    )

    page = parse(reader().get(VERIFY_URL, {"code": record.entry.verification_code}))

    at = timezone.make_aware(datetime.datetime(2026, 12, 3, 2, 0))
    when = f"{date_format(at, 'DATE_FORMAT')} at {date_format(at, 'TIME_FORMAT')}"
    assert attribute(page, "#last-check", "data-last-check") == "ok"
    assert f"The whole ledger was checked on {when}: in order." in text_of(page, "#last-check")
    assert "added after that check" not in text_of(page, "#last-check")


def test_the_dutch_page_says_it_in_dutch():
    record = sign_more(1)[0]
    check = ledger_checks.run_system_check()
    at = timezone.make_aware(datetime.datetime(2026, 12, 3, 2, 0))
    LedgerCheck.objects.filter(pk=check.pk).update(finished_at=at)

    client = client_for(EmployeeFactory(preferred_language="nl"))
    page = parse(client.get(VERIFY_URL, {"code": record.entry.verification_code}))

    assert "Deze handtekening is in orde" in text_of(page, "#entry-result")
    assert "Het hele grootboek is op 3 december 2026 om 02:00 gecontroleerd: in orde." in text_of(
        page, "#last-check"
    )


def test_a_signature_newer_than_the_last_check_says_so():
    first = sign_more(1)[0]
    ledger_checks.run_system_check()
    record = sign_more(1, first.version)[0]

    page = parse(reader().get(VERIFY_URL, {"code": record.entry.verification_code}))

    assert "This signature was added after that check" in text_of(page, "#last-check")


def test_a_ledger_never_checked_says_so():
    record = sign_more(1)[0]

    page = parse(reader().get(VERIFY_URL, {"code": record.entry.verification_code}))

    assert attribute(page, "#last-check", "data-last-check") == "never"
    assert "The whole ledger has not been checked yet." in text_of(page, "#last-check")


def test_a_check_still_running_is_not_taken_for_the_last_result():
    record = sign_more(1)[0]
    LedgerCheck.objects.create(requested_at=timezone.now(), state=LedgerCheck.State.RUNNING)

    assert code_check(code=record.entry.verification_code).last_check is None


# Tampering (triggers set aside, raw SQL: transactional) ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_changed_content_makes_the_page_say_the_signature_is_not_in_order():
    records = sign_more(3)
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        ["Iemand Anders", records[1].pk],
    )

    page = parse(reader().get(VERIFY_URL, {"code": records[1].entry.verification_code}))

    assert attribute(page, "#verify-result", "data-result") == "tampered"
    assert "This signature is not in order" in text_of(page, "#entry-result")
    assert code_check_module.CONTENT_CHANGED in text_of(page, "#entry-problem")
    assert not select(page, "#verified-record")
    assert code_check(code=records[0].entry.verification_code).intact


@pytest.mark.django_db(transaction=True)
def test_a_changed_entry_fails_its_own_hash():
    records = sign_more(2)
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET recorded_at = %s WHERE id = %s",
        [timezone.now() - datetime.timedelta(days=400), records[1].pk],
    )

    check = code_check(code=records[1].entry.verification_code)

    assert (check.own_hash_ok, check.problem) == (False, code_check_module.ENTRY_CHANGED)


@pytest.mark.django_db(transaction=True)
def test_a_version_whose_text_hash_was_changed_is_found():
    from handbook import triggers as handbook_triggers

    records = sign_more(1)
    with connection.schema_editor() as editor:
        handbook_triggers.uninstall(None, editor)
    try:
        behind_the_portals_back(
            "UPDATE handbook_guidelineversion SET content_hash = %s WHERE id = %s",
            ["0" * 64, records[0].version_id],
        )
    finally:
        with connection.schema_editor() as editor:
            handbook_triggers.install(None, editor)

    check = code_check(code=records[0].entry.verification_code)

    assert check.problem == code_check_module.TEXT_CHANGED


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_entry_before_it_breaks_the_link():
    records = sign_more(2)
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET record_hash = %s WHERE id = %s",
        ["f" * 64, records[0].pk],
    )

    check = code_check(code=records[1].entry.verification_code)
    page = parse(reader().get(VERIFY_URL, {"code": records[1].entry.verification_code}))

    assert (check.own_hash_ok, check.link_ok) == (True, False)
    assert check.problem == code_check_module.LINK_BROKEN
    assert attribute(page, "#entry-result", "data-link") == "wrong"
    assert "The link to the entry before it is broken" in text_of(page, "#entry-problem")


def rewrite_with_recomputed_hashes(record: Acknowledgement, typed_name: str) -> None:
    """What someone with database access and the ledger's code could do: change a record
    and recompute its digest and its entry's hash (the entries after it stay)."""
    entry = record.entry
    record.typed_name = typed_name
    fields = ledger.content_fields(record, format_version=entry.format_version)
    digest = ledger.content_digest(fields, format_version=entry.format_version)
    entry.content_digest = digest
    record_hash = ledger.entry_hash(
        entry.previous_hash, ledger.entry_fields(entry, refers_to_sequence=None)
    )
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET typed_name = %s WHERE entry_id = %s",
        [typed_name, record.pk],
    )
    behind_the_portals_back(
        "UPDATE acknowledgements_ledgerentry SET content_digest = %s, record_hash = %s "
        "WHERE id = %s",
        [digest, record_hash, entry.pk],
    )


@pytest.mark.django_db(transaction=True)
def test_an_entry_rewritten_with_its_hash_recomputed_is_caught_by_the_next_link():
    records = sign_more(3)
    rewrite_with_recomputed_hashes(records[1], "Iemand Anders")

    check = code_check(code=records[1].entry.verification_code)

    assert check.own_hash_ok
    assert (check.link_ok, check.problem) == (False, code_check_module.NEXT_LINK_BROKEN)


@pytest.mark.django_db(transaction=True)
def test_the_last_entry_rewritten_with_its_hash_recomputed_is_caught_by_the_head():
    records = sign_more(2)
    rewrite_with_recomputed_hashes(records[1], "Iemand Anders")

    check = code_check(code=records[1].entry.verification_code)

    assert (check.link_ok, check.problem) == (False, code_check_module.NEXT_LINK_BROKEN)


@pytest.mark.django_db(transaction=True)
def test_a_removed_entry_before_it_is_reported_missing():
    records = sign_more(2)
    behind_the_portals_back(
        "DELETE FROM acknowledgements_acknowledgement WHERE entry_id = %s", [records[0].pk]
    )
    behind_the_portals_back(
        "DELETE FROM acknowledgements_ledgerentry WHERE id = %s", [records[0].pk]
    )

    check = code_check(code=records[1].entry.verification_code)

    assert check.problem == code_check_module.PREVIOUS_MISSING


@pytest.mark.django_db(transaction=True)
def test_a_last_check_that_found_a_problem_is_said_with_the_entry_and_the_reason():
    records = sign_more(3)
    behind_the_portals_back(
        "UPDATE acknowledgements_acknowledgement SET statement = %s WHERE entry_id = %s",
        ["Niets gelezen.", records[1].pk],
    )
    ledger_checks.run_system_check()

    page = parse(reader().get(VERIFY_URL, {"code": records[0].entry.verification_code}))

    said = text_of(page, "#last-check")
    assert attribute(page, "#verify-result", "data-result") == "intact"
    assert attribute(page, "#last-check", "data-last-check") == "problem"
    assert f"not in order. The check found a problem at entry {records[1].entry.sequence}" in said
    assert "content does not match its digest" in said
