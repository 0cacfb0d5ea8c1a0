"""The ledger as a file for auditors: JSON Lines that ``scripts/verify-ledger-export.py``
checks without the portal (the format: docs/ledger-format.md).

One header line (the format version, when, the head), then the canonical text of
every version the chain refers to, then every entry in sequence order with its
content as hashed (``null`` once erased). The values are the ones the hashes cover,
in their canonical forms (``ledger.canonical_json``), so that a verifier needs no
knowledge of the database.

The lines are made while they are read: a chunk of entries and its contents are two
queries (the entry it refers to is joined in), and nothing grows with the chain but
the output. On PostgreSQL the export reads one snapshot (REPEATABLE READ), so an entry
appended or a content erased meanwhile does not tear it; the head is read first and
nothing after it is exported.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections import namedtuple
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from handbook.models import GuidelineVersion, Tip
from handbook.selectors.canonical import canonical_text

# The file's layout (header, version lines, entry lines). A reader refuses a layout it
# does not know.
FORMAT_VERSION = 1
# The hashed fields of an entry and its content per entry format version: ledger.ENTRY_KEYS
# and ledger.CONTENT_KEYS_BY_FORMAT. Entries are never rewritten: each entry line carries
# the format its entry was hashed in (LedgerEntry.format_version): 1 for the old entries,
# 2 (with the campaign) for new ones.
VERSION_FORMAT_VERSION = 1
CHUNK_SIZE = 2000
# Bytes handed to the web server at a time.
STREAM_CHUNK_BYTES = 256 * 1024

_ENTRY_COLUMNS = (
    *ledger.ENTRY_COLUMNS,
    "refers_to__sequence",
    "previous_hash",
    "record_hash",
    "format_version",
)
_CONTENT_COLUMNS = ("entry__sequence", *ledger.CONTENT_COLUMNS)
# Their fields come from the column lists, which mypy cannot read (it wants a literal
# list): to mypy the rows are Any.
_EntryRow = namedtuple("_EntryRow", [c.replace("__", "_") for c in _ENTRY_COLUMNS])  # type: ignore[misc]
_ContentRow = namedtuple("_ContentRow", [c.replace("__", "_") for c in _CONTENT_COLUMNS])  # type: ignore[misc]
_Employee = namedtuple("_Employee", ["pk"])
_Version = namedtuple("_Version", ["pk", "number"])


def _canonical(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with the values the hashes cover (datetimes as canonical text)."""
    canonical: dict[str, Any] = json.loads(ledger.canonical_json(fields))
    return canonical


def _line(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _version_texts(version: GuidelineVersion) -> dict[str, dict[str, str]]:
    """The canonical text in each language, as handbook.selectors.canonical hashes it,
    beside the hash stored with the version (the one signatures point to)."""
    tips = list(version.tips.all())  # prefetched in number order
    dutch = canonical_text(
        title=version.title,
        introduction=version.introduction,
        tips=((t.number, t.text) for t in tips),
    )
    english = canonical_text(
        title=version.title_in("en"),
        introduction=version.introduction_in("en"),
        tips=((t.number, t.text_in("en")) for t in tips),
    )
    return {
        "nl": {"text": dutch, "text_hash": version.content_hash},
        "en": {"text": english, "text_hash": version.content_hash_en},
    }


def _versions(head_sequence: int) -> list[GuidelineVersion]:
    """Every version an exported entry or content refers to, with its tips."""
    in_entries = LedgerEntry.objects.filter(sequence__lte=head_sequence).values("version_id")
    in_contents = Acknowledgement.objects.filter(entry__sequence__lte=head_sequence).values(
        "version_id"
    )
    return list(
        GuidelineVersion.objects.filter(Q(pk__in=in_entries) | Q(pk__in=in_contents))
        .select_related("guideline")
        .prefetch_related(Prefetch("tips", queryset=Tip.objects.order_by("number")))
        .order_by("pk")
    )


def _entry_line(entry: Any, content: Any | None, numbers: dict[int, int]) -> bytes:
    refers_to = entry.refers_to_sequence
    data: dict[str, Any] = {"type": "entry", "format_version": entry.format_version}
    data.update(_canonical(ledger.entry_fields(entry, refers_to_sequence=refers_to)))
    data["previous_hash"] = entry.previous_hash
    data["record_hash"] = entry.record_hash
    if content is None:
        data["content"] = None
    else:
        corrects = refers_to if entry.kind == LedgerEntry.Kind.CORRECTION else None
        # A format this portal does not know (changed behind its back): the content as
        # the newest format has it; the verifier refuses the line's format by name.
        known = entry.format_version in ledger.FORMAT_VERSIONS
        format_version = entry.format_version if known else ledger.FORMAT_VERSION
        fields = ledger.content_fields(
            content,
            format_version=format_version,
            employee=_Employee(content.employee_id),
            version=_Version(content.version_id, numbers[content.version_id]),
            corrects_sequence=corrects,
        )
        fields["ip_address"] = ledger.canonical_ip(fields["ip_address"])
        # A value in a column its format does not hash (changed behind the portal's
        # back) is written too, so that the verifier finds a key its format lacks.
        fields.update(ledger.unhashed_values(content, format_version=format_version))
        data["content"] = _canonical(fields)
    return _line(data)


def _entries(head_sequence: int, chunk_size: int, numbers: dict[int, int]) -> Iterator[bytes]:
    after = 0
    while after < head_sequence:
        rows = (
            LedgerEntry.objects.filter(sequence__gt=after, sequence__lte=head_sequence)
            .order_by("sequence")
            .values_list(*_ENTRY_COLUMNS)[:chunk_size]
        )
        entries: list[Any] = [_EntryRow._make(row) for row in rows]
        if not entries:  # rows missing below the head: the verifier says so
            return
        first, last = entries[0].sequence, entries[-1].sequence
        contents = {
            row[0]: _ContentRow._make(row)
            for row in Acknowledgement.objects.filter(
                entry__sequence__gte=first, entry__sequence__lte=last
            ).values_list(*_CONTENT_COLUMNS)
        }
        for entry in entries:
            yield _entry_line(entry, contents.get(entry.sequence), numbers)
        after = last


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL, one consistent read of the whole ledger (unless the caller holds a
    transaction already: then the caller's). SQLite's transactions here take the write
    lock (IMMEDIATE), which would hold up every signature: there each chunk reads the
    ledger as it is then."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_lines(
    *, chunk_size: int = CHUNK_SIZE, now: datetime.datetime | None = None
) -> Iterator[bytes]:
    """The export, one line (UTF-8 JSON and a newline) at a time: the header, the
    versions, then the entries up to the head as it was when the export began."""
    with _snapshot():
        head = LedgerHead.objects.filter(pk=ledger.HEAD_PK).values_list(
            "sequence", "record_hash"
        ).first() or (0, ledger.GENESIS_HASH)
        head_sequence, head_hash = head
        yield _line(
            {
                "type": "header",
                "format_version": FORMAT_VERSION,
                "exported_at": _canonical({"at": now or timezone.now()})["at"],
                "head": {"sequence": head_sequence, "record_hash": head_hash},
            }
        )
        versions = _versions(head_sequence)
        for version in versions:
            yield _line(
                {
                    "type": "version",
                    "format_version": VERSION_FORMAT_VERSION,
                    "version_id": version.pk,
                    "guideline": version.guideline.slug,
                    "number": version.number,
                    "texts": _version_texts(version),
                }
            )
        numbers = {version.pk: version.number for version in versions}
        yield from _entries(head_sequence, chunk_size, numbers)


def in_chunks(*, lines: Iterable[bytes], size: int = STREAM_CHUNK_BYTES) -> Iterator[bytes]:
    """The lines joined into pieces of about ``size`` bytes, for a streamed response."""
    buffer: list[bytes] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def export_filename(*, at: datetime.datetime) -> str:
    """``grootboek-20261207-1455.jsonl``: the local time the export was made."""
    return f"grootboek-{timezone.localtime(at):%Y%m%d-%H%M}.jsonl"
