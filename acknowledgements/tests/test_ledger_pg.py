"""A signature in one statement on PostgreSQL (acknowledgements.ledger.postgres): the hash the
server computes is the ledger's, a refused statement writes nothing, and the statement
is prepared once it has run a few times."""

import datetime
import hashlib

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from acknowledgements import ledger, services
from acknowledgements.ledger import postgres as ledger_pg
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The one-statement signature is PostgreSQL's."
)

RECORDED_AT = datetime.datetime(2026, 11, 25, 12, 31, 49, 123456, tzinfo=datetime.UTC)


def _sign(employee, version):
    return services.sign_version(
        employee=employee,
        version=version,
        language="nl",
        typed_name=employee.full_name,
        confirmed=True,
    )


def test_the_parts_around_the_sequence_number_give_the_ledger_s_entry_hash():
    previous = "ab" * 32
    fields = {
        "kind": "acknowledgement",
        "version_id": 3,
        "refers_to_sequence": None,
        "recorded_at": RECORDED_AT,
        "verification_code": "ABCD-EFGH-JKMN",
        "content_digest": "cd" * 32,
    }
    before, after = ledger_pg.entry_hash_parts(
        kind="acknowledgement",
        version_id=3,
        recorded_at=RECORDED_AT,
        code="ABCD-EFGH-JKMN",
        digest="cd" * 32,
    )

    for sequence in (1, 9, 10, 100_001, 2**40):
        joined = previous.encode("ascii") + before + str(sequence).encode("ascii") + after
        assert hashlib.sha256(joined).hexdigest() == ledger.entry_hash(
            previous, {**fields, "sequence": sequence}
        )


def test_the_parts_are_refused_when_the_stand_in_number_occurs_elsewhere_in_the_entry():
    digest = str(ledger_pg._SEQUENCE_STAND_IN) + "0" * 46

    with pytest.raises(ValueError, match="not unique"):
        ledger_pg.entry_hash_parts(
            kind="acknowledgement",
            version_id=3,
            recorded_at=RECORDED_AT,
            code="ABCD-EFGH-JKMN",
            digest=digest,
        )


@postgresql_only
def test_a_signature_follows_the_head_and_the_chain_verifies():
    first = EmployeeFactory()
    version = ready_to_sign(first)
    signed(first, version)  # the head exists
    employee = EmployeeFactory()
    ready_to_sign(employee, version)
    head = LedgerHead.objects.get()

    ack = _sign(employee, version)

    entry = LedgerEntry.objects.get(pk=ack.entry.pk)
    assert (entry.sequence, entry.previous_hash) == (head.sequence + 1, head.record_hash)
    assert (ack.entry.sequence, ack.entry.record_hash) == (entry.sequence, entry.record_hash)
    assert LedgerHead.objects.get().record_hash == entry.record_hash
    assert Acknowledgement.objects.get(pk=ack.pk).typed_name == employee.full_name
    assert verify_chain().ok


@postgresql_only
def test_signing_on_postgresql_is_one_statement_after_the_facts(django_assert_num_queries):
    first = EmployeeFactory()
    version = ready_to_sign(first)
    signed(first, version)
    employee = EmployeeFactory()
    ready_to_sign(employee, version)

    # signing_facts, the round it answers (acknowledgements.hooks), then the savepoint
    # (the test's transaction), the statement, its release
    with django_assert_num_queries(5):
        _sign(employee, version)


@postgresql_only
def test_a_refused_statement_writes_no_entry_and_leaves_the_head():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)
    first = _sign(employee, version)
    head = LedgerHead.objects.get()
    again, digest = services._build_acknowledgement(
        kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
        employee=employee,
        version=version,
        language="nl",
        signed_at=timezone.now(),
        method=Acknowledgement.Method.SELF,
        typed_name=employee.full_name,
        recorded_by=employee,
    )

    with pytest.raises(IntegrityError):
        ledger_pg.append_signature(
            again, digest, recorded_at=timezone.now(), code=ledger.random_verification_code()
        )

    assert LedgerEntry.objects.count() == 1
    assert LedgerHead.objects.get().sequence == head.sequence
    assert Acknowledgement.objects.get().pk == first.pk


@postgresql_only
def test_the_first_signature_ever_creates_the_head_the_general_way():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)
    assert not LedgerHead.objects.exists()

    ack = _sign(employee, version)

    assert ack.entry.sequence == 1
    assert LedgerHead.objects.get().sequence == 1
    assert verify_chain().ok


@postgresql_only
def test_the_statement_is_prepared_once_it_has_run_a_few_times():
    first = EmployeeFactory()
    version = ready_to_sign(first)
    signed(first, version)
    for _ in range(6):
        employee = EmployeeFactory()
        ready_to_sign(employee, version)
        _sign(employee, version)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%WITH head AS%"],
        )
        assert cursor.fetchone()[0] == 1
    assert verify_chain().ok


@postgresql_only
def test_the_one_statement_signature_is_of_format_2_and_holds_its_campaign():
    from campaigns.tests.factories import launched_campaign

    first = EmployeeFactory()
    version = ready_to_sign(first)
    signed(first, version)  # the first entry ever: the general way
    employee = EmployeeFactory()
    ready_to_sign(employee, version)
    campaign = launched_campaign(version, audience="employees", employees=[employee])

    ack = _sign(employee, version)

    entry = LedgerEntry.objects.get(pk=ack.pk)
    stored = Acknowledgement.objects.get(pk=ack.pk)
    assert (ack.entry.format_version, entry.format_version) == (2, 2)
    assert stored.campaign_id == campaign.pk
    fields = ledger.content_fields(stored, format_version=2)
    assert entry.content_digest == ledger.content_digest(fields, format_version=2)
    assert verify_chain().ok
