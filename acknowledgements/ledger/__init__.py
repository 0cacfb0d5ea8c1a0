"""The ledger's hashing: canonical content, digests, the chain, and appending to it.

An auditor must be able to recompute, years from now and from the stored rows alone,
that an entry was not changed since it was recorded. So the forms hashed here are
fixed:

- ``canonical_json(data)``: JSON with sorted keys, no whitespace, UTF-8 (non-ASCII
  written as is), datetimes as ISO-8601 in UTC with microseconds
  (``2026-11-25T12:31:49.123456+00:00``), IP addresses in their compressed form.
- ``content_digest(fields, format_version=...)``: SHA-256 (hex) of the canonical JSON
  of an acknowledgement's content, with exactly the keys of its entry's format version
  in ``CONTENT_KEYS_BY_FORMAT``.
- ``entry_hash(previous_hash, fields)``: SHA-256 (hex) of the previous entry's hash
  (64 hex digits; 64 zeros before the first entry) followed by the canonical JSON of
  the entry's keys in ``ENTRY_KEYS``.
- An erasure entry has no content row; its digest is ``erasure_digest``: the canonical
  JSON of the erased entry's sequence and content digest.

THE CANONICAL FORMS MUST NEVER CHANGE: every stored hash would stop matching. A change
that is really needed means a new, versioned form, with the old one kept for old
entries.

Entry format versions (``LedgerEntry.format_version``, not itself hashed: each format's
content has other keys, so a changed number no longer matches the content's digest):

- 1: the first 19 content keys; every entry recorded before format 2.
- 2 (``FORMAT_VERSION``, new entries): format 1's keys and ``campaign_id``, the
  campaign (round) the signature answers, or null. A yearly round asks people to sign
  a version they signed before: the ledger tells those signatures apart by it.

The entry's keys (``ENTRY_KEYS``) are the same in both formats.

``append_entry`` adds an entry in the caller's transaction: it locks the single
LedgerHead row, so that entries are numbered one after another under concurrency.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
import operator
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64
HEAD_PK = 1

# Entry format 1's content keys. Never changed: entries recorded under it keep them.
_CONTENT_KEYS_1 = (
    "kind",
    "employee_id",
    "employee_number",
    "employee_name",
    "version_id",
    "version_number",
    "language",
    "text_hash",
    "statement",
    "typed_name",
    "signed_at",
    "quiz_attempt_id",
    "method",
    "recorded_by_id",
    "reason",
    "paper_form_hash",
    "ip_address",
    "user_agent",
    "corrects_sequence",
)
# The hashed content keys per entry format version (LedgerEntry.format_version).
CONTENT_KEYS_BY_FORMAT: dict[int, tuple[str, ...]] = {
    1: _CONTENT_KEYS_1,
    2: (*_CONTENT_KEYS_1, "campaign_id"),
}
# The format new entries are written in.
FORMAT_VERSION = 2
FORMAT_VERSIONS = tuple(CONTENT_KEYS_BY_FORMAT)
ENTRY_KEYS = (
    "sequence",
    "kind",
    "version_id",
    "refers_to_sequence",
    "recorded_at",
    "verification_code",
    "content_digest",
)
# The two lists above are the only lists of hashed fields: the columns below,
# content_fields, entry_fields, ledger.rows, ledger.postgres and the benchmarks' bulk loader
# derive from them.
# Keys that come from other rows, not the content row: the version's number and the
# sequence of the entry a correction corrects.
_FROM_OTHER_ROWS = ("version_number", "corrects_sequence")


def _columns(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(key for key in keys if key not in _FROM_OTHER_ROWS)


# The content row's hashed columns, of every format (the newest format's, which holds
# every earlier one's): all keys but the two from other rows.
CONTENT_COLUMNS = _columns(CONTENT_KEYS_BY_FORMAT[max(FORMAT_VERSIONS)])
assert all(  # noqa: S101 (a later format only adds keys)
    set(keys) <= set(CONTENT_KEYS_BY_FORMAT[max(FORMAT_VERSIONS)])
    for keys in CONTENT_KEYS_BY_FORMAT.values()
)
# Per format: its hashed columns, and the columns of other formats, which must be empty
# on its content rows (nothing hashes them: a value there would be unprotected).
CONTENT_COLUMNS_BY_FORMAT = {
    version: _columns(keys) for version, keys in CONTENT_KEYS_BY_FORMAT.items()
}
UNHASHED_COLUMNS_BY_FORMAT = {
    version: tuple(c for c in CONTENT_COLUMNS if c not in columns)
    for version, columns in CONTENT_COLUMNS_BY_FORMAT.items()
}
# The entry's hashed columns: all keys but the sequence of the entry it refers to.
ENTRY_COLUMNS = tuple(key for key in ENTRY_KEYS if key != "refers_to_sequence")


def _row_reader(columns: tuple[str, ...]) -> tuple[tuple[str, ...], Any]:
    """The columns read from the content row itself (its employee and version may be
    passed in), and a getter of them."""
    own = tuple(column for column in columns if column not in ("employee_id", "version_id"))
    return own, operator.attrgetter(*own)


_read_content = {
    version: _row_reader(columns) for version, columns in CONTENT_COLUMNS_BY_FORMAT.items()
}
_read_entry = operator.attrgetter(*ENTRY_COLUMNS)

# Unambiguous for people reading it aloud or typing it: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ValueError("The ledger hashes aware datetimes only.")
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    raise TypeError(f"{type(value).__name__} has no canonical form in the ledger.")


def canonical_json(data: dict[str, Any]) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_ip(value: str | None) -> str | None:
    """An IP address in one form, however the database returns it (None stays None)."""
    if not value:
        return None
    address = ipaddress.ip_address(str(value).split("/")[0])
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        # Spelled out: newer Pythons write these as ::ffff:192.0.2.7, which would change
        # the hashes of stored signatures (docs/ledger-format.md fixes the hex form).
        packed = mapped.packed
        return f"::ffff:{int.from_bytes(packed[:2]):x}:{int.from_bytes(packed[2:]):x}"
    return address.compressed


def content_keys(format_version: int) -> tuple[str, ...]:
    """The content keys of an entry format version (ValueError for an unknown one)."""
    try:
        return CONTENT_KEYS_BY_FORMAT[format_version]
    except KeyError:
        raise ValueError(f"Unknown entry format version: {format_version!r}") from None


def content_digest(ack_fields: dict[str, Any], *, format_version: int) -> str:
    """SHA-256 of an acknowledgement's content (keys: exactly those of its entry's
    format version, CONTENT_KEYS_BY_FORMAT)."""
    expected = set(content_keys(format_version))
    keys = set(ack_fields)
    if keys != expected:
        raise ValueError(f"Content keys differ: {sorted(keys ^ expected)}")
    data = dict(ack_fields)
    data["ip_address"] = canonical_ip(data["ip_address"])
    return _sha256(canonical_json(data))


def erasure_digest(*, erased_sequence: int, erased_digest: str) -> str:
    """The digest an erasure entry covers: which entry it erased and that entry's digest."""
    return _sha256(
        canonical_json(
            {"kind": "erasure", "erases_sequence": erased_sequence, "erased_digest": erased_digest}
        )
    )


def entry_hash(previous_hash: str, entry_fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical entry (keys: ENTRY_KEYS, exactly)."""
    keys = set(entry_fields)
    if keys != set(ENTRY_KEYS):
        raise ValueError(f"Entry keys differ: {sorted(keys ^ set(ENTRY_KEYS))}")
    return _sha256(previous_hash.encode("ascii") + canonical_json(entry_fields))


def content_fields(
    ack: Acknowledgement,
    *,
    format_version: int,
    employee=None,
    version=None,
    corrects_sequence: int | None = None,
) -> dict[str, Any]:
    """The hashed fields of a content row (saved or about to be) under its entry's
    format version (``ledger.FORMAT_VERSION`` for a new one; a stored one's
    ``entry.format_version``).

    ``employee`` and ``version`` default to the row's own (select_related them when
    reading many); ``corrects_sequence`` is the sequence of the entry a correction
    corrects (None otherwise).
    """
    content_keys(format_version)  # refuses an unknown one
    employee = employee or ack.employee
    version = version or ack.version
    columns, read = _read_content[format_version]
    fields = dict(zip(columns, read(ack), strict=True))
    fields["employee_id"] = employee.pk
    fields["version_id"] = version.pk
    fields["version_number"] = version.number
    fields["corrects_sequence"] = corrects_sequence
    return fields


def entry_fields(entry: LedgerEntry, *, refers_to_sequence: int | None) -> dict[str, Any]:
    """The hashed fields of an entry (a LedgerEntry, or a row with its attributes)."""
    fields = dict(zip(ENTRY_COLUMNS, _read_entry(entry), strict=True))
    fields["refers_to_sequence"] = refers_to_sequence
    return fields


def random_verification_code() -> str:
    """A random code like ``ABCD-EFGH-JKMN`` (about 59 bits). It may be taken, about
    once in 10^13 at a million entries: the unique index refuses it (see signing)."""
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )


def new_verification_code() -> str:
    """A random code like ``ABCD-EFGH-JKMN`` (about 59 bits), not used before."""
    while True:
        code = random_verification_code()
        if not LedgerEntry.objects.filter(verification_code=code).exists():
            return code


def normalise_code(code: str) -> str:
    """What a person typed, as stored: upper case, grouped by hyphens."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(
        letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH)
    )


def lock_head() -> LedgerHead:
    """The chain's head, locked until the end of the caller's transaction.

    The row is created on first use; its fixed primary key makes concurrent first uses
    meet on one row (the loser's insert fails and get_or_create reads the winner's).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("Lock the ledger head inside a transaction.")
    # Plain SQL here and in _move_head: every signature runs both while others wait for
    # the lock, and the ORM's building costs more than the statements. (SQLite has no
    # FOR UPDATE; its IMMEDIATE transactions take the write lock at their start.)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = _head_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sequence, record_hash FROM {table} WHERE id = %s{lock}", [HEAD_PK])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # the first entry ever
        head, _created = LedgerHead.objects.select_for_update().get_or_create(pk=HEAD_PK)
        return head
    return LedgerHead(id=HEAD_PK, sequence=row[0], record_hash=row[1])


def _head_table(connection) -> str:
    """The head's table, quoted (the statements name only our own table and columns)."""
    return connection.ops.quote_name(LedgerHead._meta.db_table)


def _move_head(head: LedgerHead, entry: LedgerEntry) -> None:
    connection = transaction.get_connection()
    table = _head_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET sequence = %s, record_hash = %s WHERE id = %s",  # noqa: S608
            [entry.sequence, entry.record_hash, head.pk],
        )
    head.sequence = entry.sequence
    head.record_hash = entry.record_hash


def unhashed_values(ack: Any, *, format_version: int) -> dict[str, Any]:
    """The content row's values in columns its format does not hash, that are not empty
    (a format 1 row with a campaign): they would be unprotected, so a check fails."""
    return {
        column: value
        for column in UNHASHED_COLUMNS_BY_FORMAT[format_version]
        if (value := getattr(ack, column)) is not None
    }


def append_entry(
    *,
    kind: str,
    version,
    content_digest: str,
    refers_to: LedgerEntry | None = None,
    verification_code: str | None = None,
    recorded_at: datetime.datetime | None = None,
    head: LedgerHead | None = None,
    format_version: int | None = None,
) -> LedgerEntry:
    """Add an entry at the end of the chain, in the caller's transaction.

    Pass the ``head`` from ``lock_head()`` when the caller locked it already;
    ``content_digest`` is of the content under ``format_version`` (default: the
    current one, FORMAT_VERSION).
    """
    format_version = FORMAT_VERSION if format_version is None else format_version
    head = head or lock_head()
    recorded_at = recorded_at or timezone.now()
    entry = LedgerEntry(
        sequence=head.sequence + 1,
        kind=kind,
        version=version,
        refers_to=refers_to,
        recorded_at=recorded_at,
        verification_code=verification_code,
        content_digest=content_digest,
        previous_hash=head.record_hash,
        format_version=format_version,
    )
    entry.record_hash = entry_hash(
        head.record_hash,
        entry_fields(entry, refers_to_sequence=refers_to.sequence if refers_to else None),
    )
    entry.save(force_insert=True)
    _move_head(head, entry)
    return entry
