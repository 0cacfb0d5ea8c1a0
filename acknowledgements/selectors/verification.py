"""Checking the ledger: does every entry still hash to what the chain says?

``verify_chain`` recomputes everything from the stored rows, in one pass:

- each published or retired version's text hashes from its title, introduction and
  tips, in Dutch and in English (handbook.selectors.canonical), once per version;
- each entry's hash from the previous entry's hash and its stored fields, each
  content row's digest under its entry's format version (acknowledgements.ledger:
  format 1 entries as they were hashed, format 2 with the campaign), that a column its
  format does not hash is empty, and that its text hash is the recomputed hash of its
  version in its language;
- that the head (LedgerHead) names the last entry;
- that the chain is no shorter, and has the same hash at their last entry, than every
  earlier stored check (LedgerCheck) and every anchor passed in (``Anchor``: a sequence
  number and hash kept outside the database): an emptied or cut ledger fails, naming
  the missing entries and the check or anchor that counted them (``anchors``).

It stops at the first problem. Entries and their contents are read as plain rows in
one query, streamed in chunks, and written as canonical JSON directly
(acknowledgements.ledger.rows); the versions, tips, erasures, earlier checks and head
in one query each: the same handful of queries however long the chain.

A problem's text is an English message id with values (``PROBLEMS`` lists those with
values): the ledger check stores it so and shows it in the reader's language
(acknowledgements.services.ledger_checks.problem_text).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from acknowledgements import ledger
from acknowledgements.ledger import rows
from acknowledgements.models import LedgerEntry, LedgerHead
from acknowledgements.selectors.anchors import PROBLEMS as ANCHOR_PROBLEMS
from acknowledgements.selectors.anchors import Anchor, expected_entries
from handbook.models import GuidelineVersion, Tip
from handbook.selectors.canonical import hashes_of_rows

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    first_problem: tuple[int, str] | None = None
    # The last entry checked and intact: the head when the chain verifies, else the
    # entry before the first problem. Written down or sent elsewhere now and then (an
    # anchor), it lets an auditor see later that the chain was not rebuilt from scratch
    # or cut (a chain alone cannot show that: whoever can write the database can
    # recompute every hash).
    head_sequence: int = 0
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


# Problems with values. Each gives its message for a count (the plural ones: of missing
# entries) in the active language; the stored message is the English one with its
# values filled in, read back by ledger_checks.problem_text.
def _sequence_gap(count: int) -> str:
    return _("sequence gap: expected %(expected)s")


def _dutch_text_changed(count: int) -> str:
    return _("the Dutch text of version %(number)s of %(title)s no longer matches its hash")


def _english_text_changed(count: int) -> str:
    return _("the English text of version %(number)s of %(title)s no longer matches its hash")


Problem = Callable[[int], str]
PROBLEMS: tuple[Problem, ...] = (
    _sequence_gap,
    *ANCHOR_PROBLEMS,
    _dutch_text_changed,
    _english_text_changed,
)


def problem_count(*, values: dict[str, str]) -> int:
    """The count a problem's message was chosen for (see PROBLEMS), from its values."""
    if "first" in values and "last" in values:
        return int(values["last"]) - int(values["first"]) + 1
    return 1


def _text_hashes() -> tuple[dict[int, tuple[str, str, int]], dict[int, tuple[str, str]]]:
    """Each published or retired version's text hashes recomputed from its rows, once:
    {version id: (Dutch hash, English hash, number)}; and the versions whose stored hash
    differs: {version id: (language, problem)}."""
    frozen = GuidelineVersion.objects.exclude(status=GuidelineVersion.Status.DRAFT)
    versions = frozen.values_list(
        "pk",
        "number",
        "title",
        "title_en",
        "introduction",
        "introduction_en",
        "content_hash",
        "content_hash_en",
    )
    tips: dict[int, list[tuple[int, str, str]]] = {}
    rows = (
        Tip.objects.filter(version__in=frozen.values("pk"))
        .order_by("version_id", "number")
        .values_list("version_id", "number", "text", "text_en")
    )
    for version_id, number, text, text_en in rows:
        tips.setdefault(version_id, []).append((number, text, text_en))
    hashes: dict[int, tuple[str, str, int]] = {}
    changed: dict[int, tuple[str, str]] = {}
    for pk, number, title, title_en, intro, intro_en, stored, stored_en in versions:
        dutch, english = hashes_of_rows(
            title=title,
            title_en=title_en,
            introduction=intro,
            introduction_en=intro_en,
            tips=tips.get(pk, []),
        )
        hashes[pk] = (dutch, english, number)
        values = {"number": number, "title": title[:120]}
        if dutch != stored:
            changed[pk] = ("nl", _dutch_text_changed(1) % values)
        elif english != stored_en:
            changed[pk] = ("en", _english_text_changed(1) % values)
    return hashes, changed


def verify_chain(
    *, chunk_size: int = CHUNK_SIZE, anchors: Sequence[Anchor] = ()
) -> VerificationResult:
    """Recompute the whole chain and the versions' texts; stop at the first problem.
    ``anchors``: entries that must still be there with these hashes (besides the last
    entry of every earlier stored check)."""
    text_hashes, changed_texts = _text_hashes()
    # Erasures are few: which entries they erased, read once.
    erased = set(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ERASURE).values_list(
            "refers_to_id", flat=True
        )
    )
    expected = expected_entries(anchors=anchors)
    # id -> sequence and id -> digest of every entry seen: corrections and erasures
    # refer back. Two small values per entry: fine for millions of entries.
    sequences: dict[int, int] = {}
    digests: dict[int, str] = {}
    previous_hash = ledger.GENESIS_HASH
    checked = 0

    def broken(sequence: int, problem: str) -> VerificationResult:
        return VerificationResult(False, checked, (sequence, problem), checked, previous_hash)

    # Looked up once: the loop below runs for every entry.
    sha256 = hashlib.sha256
    chain, entry_json, content_writers = rows.read_chain(chunk_size=chunk_size)
    at, in_content = rows.AT, rows.IN_CONTENT
    pk_at, sequence_at, kind_at = at["pk"], at["sequence"], at["kind"]
    refers_at, previous_at, hash_at = at["refers_to_id"], at["previous_hash"], at["record_hash"]
    digest_at, format_at = at["content_digest"], at["format_version"]
    unhashed_by_format = rows.UNHASHED_BY_FORMAT
    hashed_entry = slice(1, 1 + len(ledger.ENTRY_COLUMNS))
    assert rows.ENTRY_COLUMNS[hashed_entry] == ledger.ENTRY_COLUMNS  # noqa: S101
    has_content, content_columns = rows.HAS_CONTENT, rows.CONTENT
    content_kind_at, language_at = in_content["kind"], in_content["language"]
    version_at, text_hash_at = in_content["version_id"], in_content["text_hash"]
    ip_at = in_content["ip_address"]
    canonical_ip = rows.canonical_ip
    erasure, correction = LedgerEntry.Kind.ERASURE.value, LedgerEntry.Kind.CORRECTION.value

    for row in chain:
        sequence = row[sequence_at]
        if sequence != checked + 1:
            return broken(sequence, _sequence_gap(1) % {"expected": checked + 1})
        if row[previous_at] != previous_hash:
            return broken(sequence, _("previous hash does not match the entry before it"))
        refers_to_id = row[refers_at]
        refers_to_sequence = None
        if refers_to_id is not None:
            refers_to_sequence = sequences.get(refers_to_id)
            if refers_to_sequence is None:
                return broken(sequence, _("refers to an entry that is not before it in the chain"))
        entry_values = (*row[hashed_entry], refers_to_sequence)
        canonical = entry_json(entry_values)
        record_hash = row[hash_at]
        if sha256((previous_hash + canonical).encode()).hexdigest() != record_hash:
            return broken(sequence, _("entry hash does not match its fields"))
        kind, pk, digest = row[kind_at], row[pk_at], row[digest_at]
        content_json = content_writers.get(row[format_at])
        if content_json is None:
            return broken(sequence, _("the entry's format version is unknown"))
        if kind == erasure:
            erased_sequence = sequences.get(refers_to_id)
            if erased_sequence is None:
                return broken(sequence, _("erasure refers to no earlier entry"))
            if digest != ledger.erasure_digest(
                erased_sequence=erased_sequence, erased_digest=digests[refers_to_id]
            ):
                return broken(sequence, _("erasure does not match the entry it erased"))
        elif row[has_content] is None:
            if pk not in erased:
                return broken(sequence, _("content missing"))
        else:
            content = row[content_columns]
            # A value in a column its format does not hash is unprotected: not allowed.
            for unhashed_at in unhashed_by_format[row[format_at]]:
                if content[unhashed_at] is not None:
                    return broken(sequence, _("content does not match its digest"))
            version_id = content[version_at]
            version = text_hashes.get(version_id)
            if version is None:
                return broken(sequence, _("the version it names is not a published version"))
            content_values = [
                *content,
                version[2],
                refers_to_sequence if kind == correction else None,
            ]
            content_values[ip_at] = canonical_ip(content_values[ip_at])
            canonical = content_json(content_values)
            if content[content_kind_at] != kind or (
                sha256(canonical.encode()).hexdigest() != digest
            ):
                return broken(sequence, _("content does not match its digest"))
            if version_id in changed_texts:
                return broken(sequence, changed_texts[version_id][1])
            if content[text_hash_at] != version[0 if content[language_at] == "nl" else 1]:
                return broken(sequence, _("the text hash does not match the version's text"))
        for earlier in expected.get(sequence, ()):
            if earlier.record_hash != record_hash:
                return broken(sequence, earlier.changed())
        sequences[pk] = sequence
        digests[pk] = digest
        previous_hash = record_hash
        checked += 1

    beyond = [
        earlier for ends in expected.values() for earlier in ends if earlier.sequence > checked
    ]
    if beyond:
        # The furthest; of those, a stored check's before an anchor's.
        furthest = max(beyond, key=lambda earlier: (earlier.sequence, earlier.date is not None))
        return broken(checked + 1, furthest.missing(checked))
    head = LedgerHead.objects.filter(pk=ledger.HEAD_PK).values_list("sequence", "record_hash")
    head_sequence, head_hash = head.first() or (0, ledger.GENESIS_HASH)
    if head_sequence != checked or head_hash != previous_hash:
        return broken(head_sequence, _("the ledger head does not match the last entry"))
    return VerificationResult(True, checked, None, head_sequence, head_hash)


def verify_entry(*, code: str) -> EntryCheck:
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
        problem="" if intact or not result.first_problem else result.first_problem[1],
    )
