"""The chain as plain rows, and their canonical JSON written directly, for
``acknowledgements.selectors.verification.verify_chain``.

ledger.canonical_json through json.dumps costs most of the check at 100,000 entries:
a new encoder per call, a Python callback per datetime. The keys are fixed, so the
JSON is a format string with the values in sorted key order, each value written as
json.dumps(..., ensure_ascii=False) writes it; anything but text, whole numbers, None
and datetimes in UTC goes through ledger.canonical_json itself. The tests compare both
ways on awkward values (test_verify: the canonical forms written directly).

The chain is read as plain rows, not model instances: one query, the entries with
their contents (a left join: erasures and erased entries have none), streamed in
chunks (on PostgreSQL read a chunk ahead by a thread). The hashed columns are
ledger's (ENTRY_COLUMNS, CONTENT_COLUMNS: those of every entry format); beside them,
the keys that tie the rows together, the hashes that the chain checks and the entry's
format version, which picks the content's writer (CONTENT_WRITERS: each format's keys).
"""

from __future__ import annotations

import contextlib
import datetime
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Func

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry

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


# A row: the entry's columns, whether it has content, the content's columns.
ENTRY_COLUMNS = (
    "pk",
    *ledger.ENTRY_COLUMNS,
    "refers_to_id",
    "previous_hash",
    "record_hash",
    "format_version",
)
CONTENT_COLUMNS = ledger.CONTENT_COLUMNS
COLUMNS = (
    *ENTRY_COLUMNS,
    "acknowledgement__pk",
    *(f"acknowledgement__{name}" for name in CONTENT_COLUMNS),
)
AT = {name: index for index, name in enumerate(ENTRY_COLUMNS)}


def _field(model: type[models.Model], name: str) -> Any:
    """The model field of a column: a foreign key's by its name without ``_id``."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return model._meta.get_field(name.removesuffix("_id"))


def _is_moment(model: type[models.Model], name: str) -> bool:
    return isinstance(_field(model, name), models.DateTimeField)


# The hashed datetime columns (read as text on PostgreSQL: MomentText).
_MOMENTS = (
    *(name for name in ledger.ENTRY_COLUMNS if _is_moment(LedgerEntry, name)),
    *(f"acknowledgement__{name}" for name in CONTENT_COLUMNS if _is_moment(Acknowledgement, name)),
)
HAS_CONTENT = len(ENTRY_COLUMNS)
CONTENT = slice(HAS_CONTENT + 1, len(COLUMNS))
IN_CONTENT = {name: index for index, name in enumerate(CONTENT_COLUMNS)}
# The entry's hashed values: its columns (in ledger.ENTRY_COLUMNS order) followed by
# the sequence of the entry it refers to; the content's: its columns (of every format)
# followed by the version's number and the sequence of the entry a correction corrects.
# Each format's writer writes its own keys of them.
ENTRY_VALUES = (*ledger.ENTRY_COLUMNS, "refers_to_sequence")
CONTENT_VALUES = (*CONTENT_COLUMNS, "version_number", "corrects_sequence")
assert set(ENTRY_VALUES) == set(ledger.ENTRY_KEYS)  # noqa: S101
assert all(set(keys) <= set(CONTENT_VALUES) for keys in ledger.CONTENT_KEYS_BY_FORMAT.values())  # noqa: S101
# Per format: the columns it does not hash (must be empty), by their place in a row's content.
UNHASHED_BY_FORMAT = {
    version: tuple(IN_CONTENT[column] for column in columns)
    for version, columns in ledger.UNHASHED_COLUMNS_BY_FORMAT.items()
}


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
    model_field = _field(model, name)
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
    model: type[models.Model],
    names: tuple[str, ...],
    *,
    keys: tuple[str, ...] | None = None,
    moments_as_text: bool = False,
) -> Writer:
    """A function that writes values (in the order of ``names``) as ledger's canonical
    JSON object with the keys ``keys`` (default: all of ``names``): one format string,
    filled with one expression per key (compiled once: a call per value was most of
    the check)."""
    keys = names if keys is None else keys
    order = [names.index(key) for key in sorted(keys)]
    expressions = [
        _expression(model, key, moments_as_text=moments_as_text).format(at=at)
        for key, at in zip(sorted(keys), order, strict=True)
    ]
    source = (
        "def write(v):\n"
        "    try:\n"
        f"        return form % ({', '.join(expressions)},)\n"
        "    except (TypeError, AttributeError):  # a value of an unexpected type\n"
        "        return form % tuple([value(v[at]) for at in order])\n"
    )
    namespace = {
        "form": _object_format(keys),
        "order": order,
        "text": encode_basestring,
        "number": int.__repr__,
        "moment": _datetime,
        "value": json_value,
    }
    exec(compile(source, f"<canonical {model.__name__}>", "exec"), namespace)  # noqa: S102
    write: Writer = namespace["write"]  # type: ignore[assignment]
    return write


ENTRY_WRITER = _writer(LedgerEntry, ENTRY_VALUES)
ENTRY_TEXT_WRITER = _writer(LedgerEntry, ENTRY_VALUES, moments_as_text=True)
# Per entry format version: the content's writer (of CONTENT_VALUES, writing that
# format's keys).
CONTENT_WRITERS = {
    version: _writer(Acknowledgement, CONTENT_VALUES, keys=keys)
    for version, keys in ledger.CONTENT_KEYS_BY_FORMAT.items()
}
CONTENT_TEXT_WRITERS = {
    version: _writer(Acknowledgement, CONTENT_VALUES, keys=keys, moments_as_text=True)
    for version, keys in ledger.CONTENT_KEYS_BY_FORMAT.items()
}


class MomentText(Func):
    """On PostgreSQL, a timestamp as ledger's canonical text (ISO 8601 in UTC with
    microseconds): reading a datetime and writing it back cost a fifth of the check."""

    template = (
        "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    )
    output_field = models.CharField()


def read_chain(*, chunk_size: int) -> tuple[Iterator[tuple[Any, ...]], Writer, dict[int, Writer]]:
    """The entries with their contents, in sequence order (one query, in chunks), and
    how to write each: the entry's hashed values (ENTRY_VALUES) and, per entry format
    version, the content's (CONTENT_VALUES). A row's columns are COLUMNS: AT and
    IN_CONTENT say where."""
    columns: list[Any] = list(COLUMNS)
    moments_as_text = connection.vendor == "postgresql"
    if moments_as_text:
        columns = [MomentText(column) if column in _MOMENTS else column for column in columns]
    rows = (
        LedgerEntry.objects.order_by("sequence")
        .values_list(*columns)
        .iterator(chunk_size=chunk_size)
    )
    if moments_as_text:
        return _read_ahead(rows, chunk_size), ENTRY_TEXT_WRITER, CONTENT_TEXT_WRITERS
    return rows, ENTRY_WRITER, CONTENT_WRITERS


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
