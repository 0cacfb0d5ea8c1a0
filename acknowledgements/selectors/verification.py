"""Checking the ledger: does every entry still hash to what the chain says?

``verify_chain`` walks the chain in sequence order, recomputing each entry's hash from
the previous entry's hash and the entry's stored fields, and each content row's digest;
the text hash a content row holds must still be its version's (handbook.selectors.canonical), so
the text signed can be shown and re-hashed from the frozen version.
Entries are streamed and their contents read in chunks: a handful of queries per 2,000
entries, however long the chain.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from handbook.models import GuidelineVersion

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    first_problem: tuple[int, str] | None = None
    head_sequence: int = 0
    # The last entry's hash: written down or sent elsewhere now and then, it lets an
    # auditor see later that the chain was not rebuilt from scratch (a chain alone
    # cannot show that: whoever can write the database can recompute every hash).
    head_hash: str = ""

    @property
    def problem_sequence(self) -> int | None:
        return self.first_problem[0] if self.first_problem else None


@dataclass(frozen=True)
class EntryCheck:
    """The answer for one verification code."""

    found: bool
    intact: bool = False
    entry: LedgerEntry | None = None
    erased: bool = False
    corrected_by: list[int] = field(default_factory=list)
    problem: str = ""


# The chain is read as plain rows, not model instances: 100,000 entries and their
# contents are 200,000 rows, and building a model object per row was most of the time.
# The hashed columns are ledger's (ENTRY_COLUMNS, CONTENT_COLUMNS); beside them, the keys
# that tie the rows together and the hashes that the chain checks.
ENTRY_COLUMNS = ("pk", *ledger.ENTRY_COLUMNS, "refers_to_id", "previous_hash", "record_hash")
CONTENT_COLUMNS = ("entry_id", *ledger.CONTENT_COLUMNS)
EntryRow = namedtuple("EntryRow", ENTRY_COLUMNS)
ContentRow = namedtuple("ContentRow", CONTENT_COLUMNS)
_Employee = namedtuple("_Employee", ["pk"])


def _chunks(size: int) -> Iterator[list[EntryRow]]:
    rows = LedgerEntry.objects.order_by("sequence").values_list(*ENTRY_COLUMNS)
    chunk: list[EntryRow] = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(EntryRow._make(row))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _contents(entries: list[EntryRow]) -> dict[int, ContentRow]:
    """The content rows of these entries (a range of sequence numbers: no long IN list)."""
    rows = Acknowledgement.objects.filter(
        entry__sequence__gte=entries[0].sequence, entry__sequence__lte=entries[-1].sequence
    ).values_list(*CONTENT_COLUMNS)
    return {row[0]: ContentRow._make(row) for row in rows}


def _entry_problem(
    entry,
    *,
    expected_sequence: int,
    previous_hash: str,
    sequences: dict[int, int],
    content,
    version,
    erased: bool,
) -> str | None:
    """What is wrong with an entry (a LedgerEntry or an EntryRow), or None. ``content``:
    its content (an Acknowledgement or a ContentRow) or None; ``version``: the content's
    version."""
    if entry.sequence != expected_sequence:
        return _("sequence gap: expected %(expected)s") % {"expected": expected_sequence}
    if entry.previous_hash != previous_hash:
        return _("previous hash does not match the entry before it")
    refers_to_sequence = sequences.get(entry.refers_to_id) if entry.refers_to_id else None
    if entry.refers_to_id and refers_to_sequence is None:
        return _("refers to an entry that is not before it in the chain")
    recomputed = ledger.entry_hash(
        previous_hash, ledger.entry_fields(entry, refers_to_sequence=refers_to_sequence)
    )
    if recomputed != entry.record_hash:
        return _("entry hash does not match its fields")
    if entry.kind == LedgerEntry.Kind.ERASURE:
        return None
    if content is None:
        return None if erased else _("content missing")
    corrects = refers_to_sequence if entry.kind == LedgerEntry.Kind.CORRECTION else None
    digest = ledger.content_digest(
        ledger.content_fields(
            content,
            employee=_Employee(content.employee_id),
            version=version,
            corrects_sequence=corrects,
        )
    )
    if digest != entry.content_digest or content.kind != entry.kind:
        return _("content does not match its digest")
    version_hash = version.content_hash if content.language == "nl" else version.content_hash_en
    if content.text_hash != version_hash:
        return _("the text hash does not match the version's text")
    return None


def _erasure_problem(entry: LedgerEntry, sequences: dict[int, int], digests: dict) -> str | None:
    """An erasure covers the erased entry's sequence and digest."""
    erased_sequence = sequences.get(entry.refers_to_id)
    if erased_sequence is None:
        return _("erasure refers to no earlier entry")
    expected = ledger.erasure_digest(
        erased_sequence=erased_sequence, erased_digest=digests[entry.refers_to_id]
    )
    if expected != entry.content_digest:
        return _("erasure does not match the entry it erased")
    return None


def verify_chain(*, chunk_size: int = CHUNK_SIZE) -> VerificationResult:
    """Recompute the whole chain; stop at the first entry that does not match."""
    previous_hash = ledger.GENESIS_HASH
    expected = 1
    checked = 0
    # id -> sequence and id -> digest of every entry seen: corrections and erasures
    # refer back. Two small values per entry: fine for millions of entries.
    sequences: dict[int, int] = {}
    digests: dict[int, str] = {}
    versions = GuidelineVersion.objects.in_bulk()
    # Erasures are few: which entries they erased, read once.
    erased = set(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ERASURE).values_list(
            "refers_to_id", flat=True
        )
    )
    for chunk in _chunks(chunk_size):
        contents = _contents(chunk)
        for entry in chunk:
            content = contents.get(entry.pk)
            problem = _entry_problem(
                entry,
                expected_sequence=expected,
                previous_hash=previous_hash,
                sequences=sequences,
                content=content,
                version=versions.get(content.version_id) if content is not None else None,
                erased=entry.pk in erased,
            )
            if problem is None and entry.kind == LedgerEntry.Kind.ERASURE:
                problem = _erasure_problem(entry, sequences, digests)
            if problem is not None:
                return VerificationResult(False, checked, (entry.sequence, problem), expected - 1)
            sequences[entry.pk] = entry.sequence
            digests[entry.pk] = entry.content_digest
            previous_hash = entry.record_hash
            expected += 1
            checked += 1
    head = LedgerHead.objects.filter(pk=ledger.HEAD_PK).first()
    head_sequence = head.sequence if head else 0
    head_hash = head.record_hash if head else ledger.GENESIS_HASH
    if head_sequence != checked or head_hash != previous_hash:
        return VerificationResult(
            False,
            checked,
            (head_sequence, _("the ledger head does not match the last entry")),
            head_sequence,
        )
    return VerificationResult(True, checked, None, head_sequence, head_hash)


def verify_entry(code: str) -> EntryCheck:
    """Whether a record with this verification code exists and is intact.

    Intact: the chain up to and including its entry verifies (its hash, its content's
    digest, and every entry before it). Runs the whole chain check for now.
    """
    normalised = ledger.normalise_code(code)
    entry = LedgerEntry.objects.filter(verification_code=normalised).first() if code else None
    if entry is None:
        return EntryCheck(found=False)
    result = verify_chain()
    problem_at = result.problem_sequence
    intact = problem_at is None or problem_at > entry.sequence
    erased = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ERASURE, refers_to=entry).exists()
    corrected_by = list(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.CORRECTION, refers_to=entry)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    return EntryCheck(
        found=True,
        intact=intact,
        entry=entry,
        erased=erased,
        corrected_by=corrected_by,
        problem="" if intact else result.first_problem[1],
    )
