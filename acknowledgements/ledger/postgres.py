"""A signature appended to the ledger in one statement, on PostgreSQL.

Signing is the busiest write, and every signature waits for the ledger head's lock in
turn (see acknowledgements.ledger). The general way (``lock_head``, ``append_entry``,
saving the content) takes a transaction of six round trips. Here one statement does it
all: it locks the head, inserts the entry with its hash computed by the server, moves
the head and inserts the content; outside a transaction it is its own transaction, so
there is no BEGIN or COMMIT to send either.

The entry's hash is the one ``ledger.entry_hash`` defines: SHA-256 of the previous hash
followed by the canonical JSON of the entry. Only the sequence number and the previous
hash are known under the lock, so Python writes the canonical JSON around the sequence
number (the part before it and the part after it) and the server puts the previous hash,
the two parts and the number together. A decimal number is written the same way by
both. ``verify_chain`` recomputes every hash in Python.

Only for signatures: no correction (``refers_to``) and no paper form. The entry is of
the current format (``ledger.FORMAT_VERSION``), the one the caller hashed the content
in (services._build_acknowledgement); the content's columns are the model's, so the
campaign of format 2 is inserted with the rest.
"""

from __future__ import annotations

import contextlib
import datetime
import functools

from django.db import connection, transaction

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from portal.db import prepared_cursor

# Stands for the sequence number while the canonical JSON is written: far beyond any real
# one, so that it is found once, where the number goes.
_SEQUENCE_STAND_IN = 987_654_321_987_654_321


def supported() -> bool:
    return connection.vendor == "postgresql"


def entry_hash_parts(
    *, kind: str, version_id: int, recorded_at: datetime.datetime, code: str, digest: str
) -> tuple[bytes, bytes]:
    """The canonical JSON of an entry (no ``refers_to``) before and after its sequence
    number."""
    entry = LedgerEntry(
        sequence=_SEQUENCE_STAND_IN,
        kind=kind,
        version_id=version_id,
        recorded_at=recorded_at,
        verification_code=code,
        content_digest=digest,
    )
    canonical = ledger.canonical_json(ledger.entry_fields(entry, refers_to_sequence=None))
    before, *after = canonical.split(str(_SEQUENCE_STAND_IN).encode("ascii"))
    if len(after) != 1:
        raise ValueError("The sequence number's place in the entry is not unique.")
    return before, after[0]


@functools.cache
def _statement() -> tuple[list, str]:
    """The content row's fields but its key (the entry, which the statement inserts), and
    the statement; built once per process."""
    content_fields = [
        field for field in Acknowledgement._meta.concrete_fields if not field.primary_key
    ]
    quote = connection.ops.quote_name
    head = quote(LedgerHead._meta.db_table)
    entries = quote(LedgerEntry._meta.db_table)
    contents = quote(Acknowledgement._meta.db_table)
    content_columns = ", ".join(quote(field.column) for field in content_fields)
    content_values = ", ".join(["%s"] * len(content_fields))
    # Inserting with VALUES (not SELECT) gives each value its column's type. The head's
    # row is locked by the first part and updated by the third; the unique sequence
    # number stops any entry that did not follow the head it read.
    statement = f"""
        WITH head AS (
            SELECT sequence, record_hash FROM {head} WHERE id = %s FOR UPDATE
        ), entry AS (
            INSERT INTO {entries} (sequence, kind, version_id, recorded_at, verification_code,
                                   content_digest, format_version, previous_hash, record_hash)
            SELECT head.sequence + 1, %s, %s, %s, %s, %s, %s, head.record_hash,
                   encode(sha256(convert_to(head.record_hash, 'UTF8') || %s
                                 || convert_to((head.sequence + 1)::text, 'UTF8') || %s), 'hex')
            FROM head
            RETURNING id, sequence, previous_hash, record_hash
        ), moved AS (
            UPDATE {head} SET sequence = entry.sequence, record_hash = entry.record_hash
            FROM entry WHERE {head}.id = %s
        ), content AS (
            INSERT INTO {contents} (entry_id, {content_columns})
            VALUES ((SELECT id FROM entry), {content_values})
        )
        SELECT id, sequence, previous_hash, record_hash FROM entry
    """  # noqa: S608 (only our own tables and columns are named)
    return content_fields, statement


def append_signature(
    ack: Acknowledgement, digest: str, *, recorded_at: datetime.datetime, code: str
) -> Acknowledgement:
    """Append ``ack`` (unsaved, built by services._build_acknowledgement) and its entry.

    Raises IntegrityError, having written nothing, when the employee has signed the
    version already, when the code is taken, and when the head does not exist yet (the
    first entry ever): the caller takes the general way then.
    """
    fields, statement = _statement()
    before, after = entry_hash_parts(
        kind=ack.kind, version_id=ack.version_id, recorded_at=recorded_at, code=code, digest=digest
    )
    params = [
        ledger.HEAD_PK,
        ack.kind,
        ack.version_id,
        recorded_at,
        code,
        digest,
        ledger.FORMAT_VERSION,
        before,
        after,
        ledger.HEAD_PK,
        *(field.get_db_prep_save(field.pre_save(ack, True), connection) for field in fields),
    ]
    # Outside a transaction the statement is its own; inside one, a savepoint keeps the
    # caller's transaction usable when the statement fails.
    atomic = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with atomic, prepared_cursor(connection) as cursor:
        cursor.execute(statement, params)
        entry_id, sequence, previous_hash, record_hash = cursor.fetchone()
    entry = LedgerEntry(
        id=entry_id,
        sequence=sequence,
        kind=ack.kind,
        version_id=ack.version_id,
        recorded_at=recorded_at,
        verification_code=code,
        content_digest=digest,
        previous_hash=previous_hash,
        record_hash=record_hash,
        format_version=ledger.FORMAT_VERSION,
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    ack.entry = entry
    ack._state.adding = False
    ack._state.db = connection.alias
    return ack
