"""The ledger check a report was made with, phrased for the reader of its page.

The check is stored as one English line for the log (``Report.ledger_summary``, written
by reports.services.generation.ledger_check): "OK: 3 entries checked; last entry 3, hash
…" or "NOT OK: entry 7: <problem>", the problem being an English message id. The page
says it in the reader's language, as the report itself does (reports.pdf.render,
reports.tabular); a line in another form (a report made by an older release) is shown
as it is, marked as English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from reports.models import Report

_OK = re.compile(
    r"OK: (?P<checked>\d+) entries checked; last entry (?P<sequence>\d+), hash (?P<hash>\w+)"
)
_NOT_OK = re.compile(r"NOT OK: entry (?P<sequence>\d+): (?P<problem>.+)", re.DOTALL)


@dataclass(frozen=True)
class LedgerCheckLine:
    """The check's sentence, the ledger's last hash (shown apart, as code; "" when the
    check failed), and the sentence's language."""

    text: str
    hash: str
    language: str


def ledger_check_line(*, report: Report) -> LedgerCheckLine:
    """The ledger check when ``report`` was made, in the active language."""
    summary = report.ledger_summary
    if match := _OK.fullmatch(summary):
        text = gettext(
            "OK: %(checked)s entries checked; the last is entry %(sequence)s, with hash"
        ) % {"checked": match["checked"], "sequence": match["sequence"]}
        return LedgerCheckLine(text=text, hash=match["hash"], language=get_language())
    if match := _NOT_OK.fullmatch(summary):
        text = gettext("NOT OK: the ledger has a problem at entry %(sequence)s: %(problem)s") % {
            "sequence": match["sequence"],
            "problem": gettext(match["problem"]),
        }
        return LedgerCheckLine(text=text, hash="", language=get_language())
    return LedgerCheckLine(text=summary, hash="", language="en")
