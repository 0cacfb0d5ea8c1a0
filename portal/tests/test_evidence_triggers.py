"""The database refuses every change to evidence, on SQLite and PostgreSQL.

Evidence: the ledger (entries, their contents, the head), published and retired
guideline versions and their tips, and the audit trails (handbook, quiz, campaign and
report events). Each statement is tried with raw SQL on each table, as someone with
direct database access would: UPDATE, DELETE, an upsert over a stored row, TRUNCATE on
PostgreSQL (row triggers do not fire on it) and INSERT OR REPLACE on SQLite (it deletes
the old row without firing delete triggers). See the apps' ``triggers`` modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from acknowledgements.services import corrections
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns.models import CampaignEvent
from campaigns.tests.factories import launched_campaign
from handbook.models import GuidelineVersion, HandbookEvent, Tip
from handbook.tests.factories import (
    GuidelineFactory,
    GuidelineVersionFactory,
    TipFactory,
    published_version,
    retire_at_once,
)
from people.tests.factories import EmployeeFactory
from quizzes.models import QuizEvent
from reports import services as reports
from reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRESQL = connection.vendor == "postgresql"
# What the triggers say (acknowledgements, handbook, quizzes, campaigns, reports).
REFUSED = re.compile(r"append-only|is frozen|only moves forward")


@dataclass
class Row:
    """A stored row of evidence, and a column of it to change (to ``value``)."""

    model: type[Model]
    pk: object
    column: str
    value: object

    @property
    def table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    @property
    def key(self) -> str:
        return self.model._meta.pk.column

    def columns(self) -> list[str]:
        return [field.column for field in self.model._meta.concrete_fields]

    def stored(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self.column} FROM {self.table} WHERE {self.key} = %s",  # noqa: S608
                [self.pk],
            )
            return cursor.fetchone()[0]


@pytest.fixture
def evidence():
    """One row of each kind of evidence, by name."""
    employee = EmployeeFactory()
    record = signed(employee)
    version = record.version
    retired = retire_at_once(published_version(GuidelineFactory(slug="thuiswerken"), number=1))
    quiz_event = QuizEvent.objects.create(kind=QuizEvent.Kind.SETTINGS_CHANGED, version=version)
    campaign = launched_campaign(version)
    reports.request_report(version=version, format=Report.Format.CSV, enqueue=False)
    return {
        "ledger entry": Row(LedgerEntry, record.pk, "record_hash", "0" * 64),
        "ledger content": Row(Acknowledgement, record.pk, "employee_name", "Iemand Anders"),
        "ledger head": Row(LedgerHead, LedgerHead.objects.get().pk, "record_hash", "f" * 64),
        "published version": Row(GuidelineVersion, version.pk, "title", "Anders"),
        "retired version": Row(GuidelineVersion, retired.pk, "title", "Anders"),
        "tip of a published version": Row(Tip, version.tips.first().pk, "text", "Anders."),
        "tip of a retired version": Row(Tip, retired.tips.first().pk, "text", "Anders."),
        "handbook event": Row(HandbookEvent, HandbookEvent.objects.first().pk, "kind", "x"),
        "quiz event": Row(QuizEvent, quiz_event.pk, "kind", "x"),
        "campaign event": Row(CampaignEvent, campaign.events.first().pk, "kind", "x"),
        "report event": Row(ReportEvent, ReportEvent.objects.get().pk, "kind", "x"),
    }


EVIDENCE = [
    "ledger entry",
    "ledger content",
    "ledger head",
    "published version",
    "retired version",
    "tip of a published version",
    "tip of a retired version",
    "handbook event",
    "quiz event",
    "campaign event",
    "report event",
]
each_kind_of_evidence = pytest.mark.parametrize("name", EVIDENCE)


def _run(statement: str, params: list | tuple = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement: str, params: list | tuple = ()) -> str:
    """The database's refusal of ``statement`` (which it must refuse)."""
    with pytest.raises(IntegrityError) as refusal:
        _run(statement, params)
    assert REFUSED.search(str(refusal.value)), refusal.value
    return str(refusal.value)


def _truncate(table: str) -> str:
    """PostgreSQL's TRUNCATE, with CASCADE (which empties the tables that refer to it
    too), after the test's pending foreign key checks (TRUNCATE refuses to run before)."""
    _run("SET CONSTRAINTS ALL IMMEDIATE")
    return f"TRUNCATE {table} CASCADE"


def _update(row: Row) -> tuple[str, list]:
    sql = f"UPDATE {row.table} SET {row.column} = %s WHERE {row.key} = %s"  # noqa: S608
    return sql, [row.value, row.pk]


def _the_row_again(row: Row, verb: str, *, value: object = None) -> tuple[str, list]:
    """``verb`` (INSERT, INSERT OR REPLACE) of the stored row with ``row.column`` changed."""
    columns = row.columns()
    chosen = ", ".join("%s" if column == row.column else column for column in columns)
    sql = (
        f"{verb} INTO {row.table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {chosen} FROM {row.table} WHERE {row.key} = %s"
    )
    return sql, [row.value if value is None else value, row.pk]


@each_kind_of_evidence
def test_evidence_cannot_be_updated(evidence, name):
    row = evidence[name]

    _refused(*_update(row))

    assert row.stored() != row.value


@each_kind_of_evidence
def test_evidence_cannot_be_deleted(evidence, name):
    row = evidence[name]

    _refused(f"DELETE FROM {row.table} WHERE {row.key} = %s", [row.pk])  # noqa: S608

    assert row.model.objects.filter(pk=row.pk).exists()


@each_kind_of_evidence
def test_evidence_cannot_be_overwritten_by_an_upsert(evidence, name):
    """INSERT ... ON CONFLICT DO UPDATE over a stored row (both databases have it)."""
    row = evidence[name]
    sql, params = _the_row_again(row, "INSERT")

    _refused(
        f"{sql} ON CONFLICT ({row.key}) DO UPDATE SET {row.column} = excluded.{row.column}", params
    )

    assert row.stored() != row.value


@pytest.mark.skipif(not ON_SQLITE, reason="INSERT OR REPLACE is SQLite's")
@each_kind_of_evidence
def test_evidence_cannot_be_replaced_on_sqlite(evidence, name):
    row = evidence[name]

    _refused(*_the_row_again(row, "INSERT OR REPLACE"))

    assert row.stored() != row.value


@pytest.mark.skipif(not ON_SQLITE, reason="INSERT OR REPLACE is SQLite's")
@pytest.mark.parametrize("name", ["tip of a published version", "tip of a retired version"])
def test_a_frozen_tip_cannot_be_replaced_by_one_in_a_draft_on_sqlite(evidence, name):
    """A tip may go into a draft: the replace would take it out of its frozen version."""
    draft = GuidelineVersionFactory(guideline=GuidelineFactory(slug="nieuw"))
    tip = evidence[name]
    moved = Row(Tip, tip.pk, "version_id", draft.pk)

    _refused(*_the_row_again(moved, "INSERT OR REPLACE"))

    assert moved.stored() != draft.pk


@pytest.mark.skipif(not ON_POSTGRESQL, reason="TRUNCATE is PostgreSQL's")
@each_kind_of_evidence
def test_evidence_cannot_be_truncated_on_postgresql(evidence, name):
    row = evidence[name]

    _refused(_truncate(row.table))

    assert row.model.objects.filter(pk=row.pk).exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="TRUNCATE is PostgreSQL's")
@pytest.mark.parametrize("model", [LedgerEntry, Acknowledgement, LedgerHead])
def test_a_ledger_table_cannot_be_truncated_even_when_empty(model):
    table = connection.ops.quote_name(model._meta.db_table)

    _refused(_truncate(table))


# The head: only forward.


def _another_signature(evidence) -> Acknowledgement:
    employee = EmployeeFactory()
    version = GuidelineVersion.objects.get(pk=evidence["published version"].pk)
    return signed(employee, ready_to_sign(employee, version))


def _head() -> Row:
    return Row(LedgerHead, LedgerHead.objects.get().pk, "sequence", 0)


def test_the_ledger_head_cannot_move_back(evidence):
    _another_signature(evidence)  # the head is at 2
    head = _head()

    message = _refused(*_update(head))

    assert "only moves forward" in message
    assert head.stored() == 2


def test_the_ledger_head_cannot_move_back_by_an_upsert(evidence):
    _another_signature(evidence)
    head = _head()
    sql, params = _the_row_again(head, "INSERT")

    _refused(f"{sql} ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence", params)

    assert head.stored() == 2


@pytest.mark.skipif(not ON_SQLITE, reason="INSERT OR REPLACE is SQLite's")
def test_the_ledger_head_cannot_move_back_by_a_replace_on_sqlite(evidence):
    _another_signature(evidence)
    head = _head()

    _refused(*_the_row_again(head, "INSERT OR REPLACE"))

    assert head.stored() == 2


def test_the_ledger_head_cannot_move_to_another_row(evidence):
    head = _head()

    _refused(f"UPDATE {head.table} SET id = id + 1")  # noqa: S608

    assert LedgerHead.objects.filter(pk=head.pk).exists()


def test_the_ledger_head_moves_forward_with_each_signature(evidence):
    before = LedgerHead.objects.get()

    record = _another_signature(evidence)

    after = LedgerHead.objects.get()
    assert (after.sequence, after.record_hash) == (before.sequence + 1, record.entry.record_hash)


# What stays allowed.


@pytest.mark.skipif(not ON_SQLITE, reason="INSERT OR REPLACE is SQLite's")
def test_a_draft_and_its_tips_may_still_be_replaced_on_sqlite(evidence):
    tip = TipFactory(version=GuidelineVersionFactory(guideline=GuidelineFactory(slug="nieuw")))
    draft = Row(GuidelineVersion, tip.version_id, "title", "Nieuwe titel")
    draft_tip = Row(Tip, tip.pk, "text", "Nieuwe tekst.")

    for row in (draft, draft_tip):
        _run(*_the_row_again(row, "INSERT OR REPLACE"))

    assert (draft.stored(), draft_tip.stored()) == ("Nieuwe titel", "Nieuwe tekst.")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="TRUNCATE is PostgreSQL's")
def test_tips_of_drafts_only_may_still_be_truncated_on_postgresql():
    TipFactory()
    table = connection.ops.quote_name(Tip._meta.db_table)

    _run(_truncate(table))

    assert not Tip.objects.exists()


def test_a_new_signature_after_an_erased_one_is_still_added(evidence):
    """The content of an erased entry may go (the one allowed delete); the employee may
    then sign the version again: a row with the erased one's employee and version."""
    record = Acknowledgement.objects.get()
    corrections.erase_personal_data(entry=record.entry, recorded_by=None, reason="Verzoek")

    again = signed(record.employee, record.version)

    assert again.entry.sequence == record.entry.sequence + 2
    assert not Acknowledgement.objects.filter(pk=record.pk).exists()
