"""What the chain is held to besides its own hashes: the last entry of every earlier
stored check (LedgerCheck) and every anchor passed in (``Anchor``: a sequence number
and hash kept outside the database). An emptied or cut ledger fails against them,
naming the missing entries and the check or anchor that counted them
(``acknowledgements.selectors.verification.verify_chain`` walks the chain).

The problems found here have values; their messages are among
``acknowledgements.selectors.verification.PROBLEMS`` (``PROBLEMS`` here, in that order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acknowledgements.models import LedgerCheck

# How much of a hash a problem's text shows (the full hash is in the check and anchor).
SHOWN_HASH = 16


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


PROBLEMS: tuple[Callable[[int], str], ...] = (
    _missing_since_check,
    _missing_since_anchor,
    _changed_since_check,
    _changed_since_anchor,
)


@dataclass(frozen=True)
class Expected:
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


def expected_entries(*, anchors: Sequence[Anchor]) -> dict[int, list[Expected]]:
    """Every entry an earlier check ended at or an anchor names, by sequence number."""
    ends = (
        LedgerCheck.objects.filter(state=LedgerCheck.State.DONE, head_sequence__gt=0)
        .exclude(head_hash="")
        .values_list("head_sequence", "head_hash")
        .annotate(last=Max("finished_at"))
        .order_by()
    )
    expected: dict[int, list[Expected]] = {}
    for sequence, record_hash, finished_at in ends:
        date = finished_at.date().isoformat() if finished_at else "?"
        expected.setdefault(sequence, []).append(Expected(sequence, record_hash, date))
    for anchor in anchors:
        expected.setdefault(anchor.sequence, []).append(
            Expected(anchor.sequence, anchor.record_hash)
        )
    return expected
