"""Checking the ledger: does every entry still hash to what the chain says?

``verify_chain`` recomputes everything from the stored rows, in one pass:

- each published or retired version's text hashes from its title, introduction and
  tips, in Dutch and in English (handbook.selectors.canonical), once per version;
- each entry's hash from the previous entry's hash and its stored fields, each
  content row's digest, and that its text hash is the recomputed hash of its version
  in its language;
- that the head (LedgerHead) names the last entry;
- that the chain is no shorter, and has the same hash at their last entry, than every
  earlier stored check (LedgerCheck) and every anchor passed in (``Anchor``: a sequence
  number and hash kept outside the database): an emptied or cut ledger fails, naming
  the missing entries and the check or anchor that counted them.

It stops at the first problem. Entries and their contents are read as plain rows in
one query, streamed in chunks; the versions, tips, erasures, earlier checks and head in
one query each: the same handful of queries however long the chain.

A problem's text is an English message id with values (``PROBLEMS`` lists those with
values): the ledger check stores it so and shows it in the reader's language
(acknowledgements.services.ledger_checks.problem_text).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from django.db import connection, models
from django.db.models import Func, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerCheck, LedgerEntry, LedgerHead
from handbook.models import GuidelineVersion, Tip
from handbook.selectors.canonical import hashes_of_rows

CHUNK_SIZE = 2000
# How much of a hash a problem's text shows (the full hash is in the check and anchor).
SHOWN_HASH = 16


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


@dataclass(frozen=True)
class Anchor:
    """An entry's sequence number and hash, kept outside the database (noted from a
    signed report, the ledger page or the nightly mail)."""

    sequence: int
    record_hash: str

    def __str__(self) -> str:
        return f"{self.sequence}:{self.record_hash}"


class MalformedAnchor(ValueError):
    pass


_ANCHOR = re.compile(r"\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*")


def parse_anchor(*, text: str) -> Anchor:
    """``SEQ:HASH`` (a sequence number from 1, a colon, the entry's 64-digit hex hash) as
    an Anchor; MalformedAnchor (in English, for the command line) otherwise."""
    match = _ANCHOR.fullmatch(text)
    if match is None or int(match[1]) < 1:
        raise MalformedAnchor(
            f"{text!r} is not an anchor: expected SEQ:HASH, an entry's sequence number "
            "(from 1), a colon and its hash (64 hexadecimal digits), e.g. "
            f"20000:{'ab12' * 16}."
        )
    return Anchor(sequence=int(match[1]), record_hash=match[2].lower())


# Problems with values. Each gives its message for a count (the plural ones: of missing
# entries) in the active language; the stored message is the English one with its
# values filled in, read back by ledger_checks.problem_text.
def _sequence_gap(count: int) -> str:
    return _("sequence gap: expected %(expected)s")


def _missing_since_check(count: int) -> str:
    return ngettext(
        "entry %(first)s is missing; the check of %(date)s counted %(last)s entries, "
        "ending in %(hash)s…",
        "entries %(first)s–%(last)s are missing; the check of %(date)s counted %(last)s "
        "entries, ending in %(hash)s…",
        count,
    )


def _missing_since_anchor(count: int) -> str:
    return ngettext(
        "entry %(first)s is missing; an anchor names it, with hash %(hash)s…",
        "entries %(first)s–%(last)s are missing; an anchor names entry %(last)s, with hash "
        "%(hash)s…",
        count,
    )


def _changed_since_check(count: int) -> str:
    return _("entry %(sequence)s has another hash than at the check of %(date)s (%(hash)s…)")


def _changed_since_anchor(count: int) -> str:
    return _("entry %(sequence)s has another hash than its anchor (%(hash)s…)")


def _dutch_text_changed(count: int) -> str:
    return _("the Dutch text of version %(number)s of %(title)s no longer matches its hash")


def _english_text_changed(count: int) -> str:
    return _("the English text of version %(number)s of %(title)s no longer matches its hash")


Problem = Callable[[int], str]
PROBLEMS: tuple[Problem, ...] = (
    _sequence_gap,
    _missing_since_check,
    _missing_since_anchor,
    _changed_since_check,
    _changed_since_anchor,
    _dutch_text_changed,
    _english_text_changed,
)


def problem_count(*, values: dict[str, str]) -> int:
    """The count a problem's message was chosen for (see PROBLEMS), from its values."""
    if "first" in values and "last" in values:
        return int(values["last"]) - int(values["first"]) + 1
    return 1


# Canonical JSON, written directly -------------------------------------------------------
#
# ledger.canonical_json through json.dumps costs most of the check at 100,000 entries:
# a new encoder per call, a Python callback per datetime. The keys are fixed, so the
# JSON is a format string with the values in sorted key order, each value written as
# json.dumps(..., ensure_ascii=False) writes it; anything but text, whole numbers, None
# and datetimes in UTC goes through ledger.canonical_json itself. The tests compare both
# ways on awkward values (test_verify: the canonical forms written directly).

_UTC = datetime.UTC
# A dotted IPv4 address in its compressed form (no leading zeros): already canonical.
_CANONICAL_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
)


def json_value(value: Any) -> str:
    """``value`` as ledger.canonical_json writes it inside an object."""
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is datetime.datetime and value.tzinfo is _UTC:
        return '"' + str(value.isoformat(timespec="microseconds")) + '"'
    written: str = ledger.canonical_json({"v": value}).decode("utf-8")[5:-1]
    return written


def canonical_ip(value: Any) -> str | None:
    """ledger.canonical_ip, without parsing an address that is canonical already."""
    if value.__class__ is str and _CANONICAL_IPV4.fullmatch(value):
        return value
    return ledger.canonical_ip(value)


def _object_format(keys: Iterable[str]) -> str:
    """A %-format for a JSON object with these keys, sorted, and one value each."""
    items = []
    for key in sorted(keys):
        assert encode_basestring(key) == f'"{key}"', key  # noqa: S101 (plain names)
        items.append(f'"{key}":%s')
    return "{" + ",".join(items) + "}"


def canonical_json(data: dict[str, Any]) -> bytes:
    """ledger.canonical_json, written directly (for the tests)."""
    return (_object_format(data) % tuple(json_value(data[key]) for key in sorted(data))).encode()


# The chain is read as plain rows, not model instances: one query, the entries with
# their contents (a left join: erasures and erased entries have none). The hashed
# columns are ledger's (ENTRY_COLUMNS, CONTENT_COLUMNS); beside them, the keys that tie
# the rows together and the hashes that the chain checks.
ENTRY_COLUMNS = ("pk", *ledger.ENTRY_COLUMNS, "refers_to_id", "previous_hash", "record_hash")
CONTENT_COLUMNS = ledger.CONTENT_COLUMNS
_COLUMNS = (
    *ENTRY_COLUMNS,
    "acknowledgement__pk",
    *(f"acknowledgement__{name}" for name in CONTENT_COLUMNS),
)
_AT = {name: index for index, name in enumerate(ENTRY_COLUMNS)}


def _is_moment(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name.removesuffix("_id")), models.DateTimeField)


# The hashed datetime columns (read as text on PostgreSQL: MomentText).
_MOMENTS = (
    *(name for name in ledger.ENTRY_COLUMNS if _is_moment(LedgerEntry, name)),
    *(f"acknowledgement__{name}" for name in CONTENT_COLUMNS if _is_moment(Acknowledgement, name)),
)
_HAS_CONTENT = len(ENTRY_COLUMNS)
_CONTENT = slice(_HAS_CONTENT + 1, len(_COLUMNS))
_IN_CONTENT = {name: index for index, name in enumerate(CONTENT_COLUMNS)}
# The entry's hashed values: its columns (in ledger.ENTRY_COLUMNS order) followed by
# the sequence of the entry it refers to; the content's: its columns followed by the
# version's number and the sequence of the entry a correction corrects.
_ENTRY_VALUES = (*ledger.ENTRY_COLUMNS, "refers_to_sequence")
_CONTENT_VALUES = (*CONTENT_COLUMNS, "version_number", "corrects_sequence")
assert set(_ENTRY_VALUES) == set(ledger.ENTRY_KEYS)  # noqa: S101
assert set(_CONTENT_VALUES) == set(ledger.CONTENT_KEYS)  # noqa: S101


def _datetime(value: Any) -> str:
    if value.tzinfo is _UTC:
        return '"' + str(value.isoformat(timespec="microseconds")) + '"'
    return json_value(value)


def _expression(model: type[models.Model], name: str, *, moments_as_text: bool) -> str:
    """How a hashed column's value ``v[{at}]`` is written, by its field's type: C
    functions where they can be (they raise TypeError for a value of another type, and
    the row is then written by json_value). ``moments_as_text``: the database gives
    datetimes as their canonical text already (MomentText)."""
    if name in ("version_number", "refers_to_sequence", "corrects_sequence"):
        return "('null' if v[{at}] is None else number(v[{at}]))"  # None for the last two
    model_field = model._meta.get_field(name.removesuffix("_id"))
    if isinstance(model_field, models.ForeignKey | models.IntegerField | models.AutoField):
        write = "number(v[{at}])"
    elif isinstance(model_field, models.DateTimeField):
        write = "text(v[{at}])" if moments_as_text else "moment(v[{at}])"
    elif isinstance(model_field, models.CharField | models.TextField):
        write = "text(v[{at}])"
    else:  # the IP address (canonical text or None) and anything else
        return "value(v[{at}])"
    return f"('null' if v[{{at}}] is None else {write})" if model_field.null else write


Writer = Callable[[Sequence[Any]], str]


def _writer(
    model: type[models.Model], names: tuple[str, ...], *, moments_as_text: bool = False
) -> Writer:
    """A function that writes values (in the order of ``names``) as ledger's canonical
    JSON object with those keys: one format string, filled with one expression per key
    (compiled once: a call per value was most of the check)."""
    order = [names.index(key) for key in sorted(names)]
    expressions = [
        _expression(model, key, moments_as_text=moments_as_text).format(at=at)
        for key, at in zip(sorted(names), order, strict=True)
    ]
    source = (
        "def write(v):\n"
        "    try:\n"
        f"        return form % ({', '.join(expressions)},)\n"
        "    except (TypeError, AttributeError):  # a value of an unexpected type\n"
        "        return form % tuple([value(v[at]) for at in order])\n"
    )
    namespace = {
        "form": _object_format(names),
        "order": order,
        "text": encode_basestring,
        "number": int.__repr__,
        "moment": _datetime,
        "value": json_value,
    }
    exec(compile(source, f"<canonical {model.__name__}>", "exec"), namespace)  # noqa: S102
    write: Writer = namespace["write"]  # type: ignore[assignment]
    return write


_ENTRY_WRITER = _writer(LedgerEntry, _ENTRY_VALUES)
_CONTENT_WRITER = _writer(Acknowledgement, _CONTENT_VALUES)
_ENTRY_TEXT_WRITER = _writer(LedgerEntry, _ENTRY_VALUES, moments_as_text=True)
_CONTENT_TEXT_WRITER = _writer(Acknowledgement, _CONTENT_VALUES, moments_as_text=True)


class MomentText(Func):
    """On PostgreSQL, a timestamp as ledger's canonical text (ISO 8601 in UTC with
    microseconds): reading a datetime and writing it back cost a fifth of the check."""

    template = (
        "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    )
    output_field = models.CharField()


def _rows(chunk_size: int) -> tuple[Iterator[tuple[Any, ...]], Writer, Writer]:
    """The entries with their contents, in sequence order, and how to write each."""
    columns: list[Any] = list(_COLUMNS)
    moments_as_text = connection.vendor == "postgresql"
    if moments_as_text:
        columns = [MomentText(column) if column in _MOMENTS else column for column in columns]
    rows = (
        LedgerEntry.objects.order_by("sequence")
        .values_list(*columns)
        .iterator(chunk_size=chunk_size)
    )
    if moments_as_text:
        return _read_ahead(rows, chunk_size), _ENTRY_TEXT_WRITER, _CONTENT_TEXT_WRITER
    return rows, _ENTRY_WRITER, _CONTENT_WRITER


def _read_ahead(rows: Iterator[Any], chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """``rows``, read a chunk ahead by a thread: PostgreSQL finds and sends the next
    chunk while this one is hashed (waiting for it was a third of the check).

    The query runs here, on this thread's connection (and in its transaction); the
    thread only fetches from its cursor, while this thread uses the connection for
    nothing else. Stopping early (a problem found) stops the thread before returning.
    """
    first = next(rows, None)  # runs the query on this thread's connection
    if first is None:
        return
    yield first
    chunks: queue.Queue[list[tuple[Any, ...]] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        try:
            chunk: list[tuple[Any, ...]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == chunk_size:
                    if stop.is_set():
                        return
                    chunks.put(chunk)
                    chunk = []
            chunks.put(chunk)
            chunks.put(None)
        except BaseException as error:  # raised again in the reading thread
            chunks.put(error)

    reader = threading.Thread(target=read, name="ledger-read-ahead", daemon=True)
    reader.start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        stop.set()
        while reader.is_alive():  # let a reader blocked on a full queue finish
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        reader.join()
        rows.close()  # type: ignore[attr-defined]  # a generator: closes the cursor


# What the chain is held to -----------------------------------------------------------


@dataclass(frozen=True)
class _Expected:
    """An entry that must be in the chain with this hash: the last entry an earlier
    check saw intact (``date``: when it finished), or an anchor (``date`` None)."""

    sequence: int
    record_hash: str
    date: str | None = None

    def missing(self, checked: int) -> str:
        values = {
            "first": checked + 1,
            "last": self.sequence,
            "date": self.date,
            "hash": self.record_hash[:SHOWN_HASH],
        }
        count = self.sequence - checked
        text = _missing_since_anchor(count) if self.date is None else _missing_since_check(count)
        return text % values

    def changed(self) -> str:
        values = {
            "sequence": self.sequence,
            "date": self.date,
            "hash": self.record_hash[:SHOWN_HASH],
        }
        text = _changed_since_anchor(1) if self.date is None else _changed_since_check(1)
        return text % values


def _expected(anchors: Sequence[Anchor]) -> dict[int, list[_Expected]]:
    """Every entry an earlier check ended at or an anchor names, by sequence number."""
    ends = (
        LedgerCheck.objects.filter(state=LedgerCheck.State.DONE, head_sequence__gt=0)
        .exclude(head_hash="")
        .values_list("head_sequence", "head_hash")
        .annotate(last=Max("finished_at"))
        .order_by()
    )
    expected: dict[int, list[_Expected]] = {}
    for sequence, record_hash, finished_at in ends:
        date = finished_at.date().isoformat() if finished_at else "?"
        expected.setdefault(sequence, []).append(_Expected(sequence, record_hash, date))
    for anchor in anchors:
        expected.setdefault(anchor.sequence, []).append(
            _Expected(anchor.sequence, anchor.record_hash)
        )
    return expected


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
    expected = _expected(anchors)
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
    rows, entry_json, content_json = _rows(chunk_size)
    pk_at, sequence_at, kind_at = _AT["pk"], _AT["sequence"], _AT["kind"]
    refers_at, previous_at, hash_at = _AT["refers_to_id"], _AT["previous_hash"], _AT["record_hash"]
    digest_at = _AT["content_digest"]
    hashed_entry = slice(1, 1 + len(ledger.ENTRY_COLUMNS))
    assert ENTRY_COLUMNS[hashed_entry] == ledger.ENTRY_COLUMNS  # noqa: S101
    has_content, content_columns = _HAS_CONTENT, _CONTENT
    content_kind_at, language_at = _IN_CONTENT["kind"], _IN_CONTENT["language"]
    version_at, text_hash_at = _IN_CONTENT["version_id"], _IN_CONTENT["text_hash"]
    ip_at = _IN_CONTENT["ip_address"]
    erasure, correction = LedgerEntry.Kind.ERASURE.value, LedgerEntry.Kind.CORRECTION.value

    for row in rows:
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
