"""The code check (/bevestigen/controleren/): one signature, in a fixed number of queries.

Checking the whole chain takes seconds at 100,000 entries, and anyone logged in can ask
for a code. So the code check looks at the one entry only, however long the ledger:

- its own hash: the entry's hash recomputed from its fields (acknowledgements.ledger),
  and its content's digest from the content row (with the version's number), and the
  text hash the content holds against its version's stored text hash;
- its links: the entry before it (by sequence) has, stored, the hash that this entry
  names as its previous hash (64 zeros for the first entry); and the entry after it
  names this entry's stored hash (the head does, for the last entry), so that an entry
  rewritten with its hash recomputed still shows;
- the last full check of the chain (``LedgerCheck``, stored by the nightly
  ``verify_ledger`` or the ledger page's button): when, and what it found.

Three queries when the code exists (the entry with its content, employee, version, the
entry it refers to, the hashes named before and after it and the head; the entries that
refer to it; the last finished check), one when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_noop

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerCheck, LedgerEntry, LedgerHead

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Links(TypedDict):
        """What code_check annotates on the entry: the hashes named before and after it."""

        stored_previous_hash: str | None
        next_previous_hash: str | None
        head_sequence: int | None
        head_hash: str | None


# The problems, as English message ids: translated where they are shown.
ENTRY_CHANGED = gettext_noop("The ledger entry was changed: its hash does not match its fields.")
CONTENT_CHANGED = gettext_noop("The signed record was changed: it does not match the ledger entry.")
TEXT_CHANGED = gettext_noop("The text hash of the record does not match the version's text.")
CONTENT_MISSING = gettext_noop("The signed record is missing, and no erasure entry says why.")
PREVIOUS_MISSING = gettext_noop("The entry before it is missing from the ledger.")
LINK_BROKEN = gettext_noop(
    "The link to the entry before it is broken: that entry's hash is not the one this entry names."
)
NEXT_LINK_BROKEN = gettext_noop(
    "The entry after it names another hash for it: this entry may have been rewritten."
)


@dataclass(frozen=True)
class CodeCheck:
    """The answer for one verification code. ``problem``: the first thing found wrong
    (an English message id), empty when the entry and its link are in order."""

    found: bool
    entry: LedgerEntry | None = None
    record: Acknowledgement | None = None
    erased: bool = False
    corrected_by: list[int] = field(default_factory=list)
    own_hash_ok: bool = False
    link_ok: bool = False
    problem: str = ""
    last_check: LedgerCheck | None = None

    @property
    def intact(self) -> bool:
        return self.found and self.own_hash_ok and self.link_ok

    @property
    def after_last_check(self) -> bool:
        """The entry was added after the last full check, which therefore did not see it."""
        check = self.last_check
        return (
            check is not None
            and self.entry is not None
            and (self.entry.sequence > check.head_sequence)
        )


def last_full_check() -> LedgerCheck | None:
    """The newest finished check of the whole chain, in one query (the ledger page's
    order: newest request first)."""
    return (
        LedgerCheck.objects.filter(state=LedgerCheck.State.DONE)
        .order_by("-requested_at", "-pk")
        .first()
    )


def _own_problem(entry: LedgerEntry, record: Acknowledgement | None, erased: bool) -> str:
    """What is wrong with the entry's own fields or its content, or ""."""
    refers_to = entry.refers_to.sequence if entry.refers_to else None
    recomputed = ledger.entry_hash(
        entry.previous_hash, ledger.entry_fields(entry, refers_to_sequence=refers_to)
    )
    if recomputed != entry.record_hash:
        return ENTRY_CHANGED
    if entry.kind == LedgerEntry.Kind.ERASURE:
        return ""
    if record is None:
        return "" if erased else CONTENT_MISSING
    corrects = refers_to if entry.kind == LedgerEntry.Kind.CORRECTION else None
    if entry.format_version not in ledger.FORMAT_VERSIONS or ledger.unhashed_values(
        record, format_version=entry.format_version
    ):
        return CONTENT_CHANGED
    fields = ledger.content_fields(
        record, format_version=entry.format_version, corrects_sequence=corrects
    )
    digest = ledger.content_digest(fields, format_version=entry.format_version)
    if digest != entry.content_digest or record.kind != entry.kind:
        return CONTENT_CHANGED
    version = record.version
    text_hash = version.content_hash if record.language == "nl" else version.content_hash_en
    if record.text_hash != text_hash:
        return TEXT_CHANGED
    return ""


def _link_problem(entry: WithAnnotations[LedgerEntry, _Links]) -> str:
    """Whether the entry before it holds the hash this entry names, and the entry after
    it (or the head, for the last entry) names this entry's hash; or ""."""
    if entry.sequence == 1:
        if entry.previous_hash != ledger.GENESIS_HASH:
            return LINK_BROKEN
    elif entry.stored_previous_hash is None:
        return PREVIOUS_MISSING
    elif entry.stored_previous_hash != entry.previous_hash:
        return LINK_BROKEN
    # An entry rewritten with its hash recomputed passes its own check: the entry after
    # it (or the head) still names the old hash.
    named = entry.next_previous_hash
    if named is None and entry.head_sequence == entry.sequence:
        named = entry.head_hash
    if named is not None and named != entry.record_hash:
        return NEXT_LINK_BROKEN
    return ""


def code_check(*, code: str) -> CodeCheck:
    """Check the entry with this verification code (typed in any case or spacing), its
    link to the entry before it, and say what the last full check found."""
    normalised = ledger.normalise_code(code)
    if not normalised:
        return CodeCheck(found=False)
    before = LedgerEntry.objects.filter(sequence=OuterRef("sequence") - 1).values("record_hash")
    after = LedgerEntry.objects.filter(sequence=OuterRef("sequence") + 1).values("previous_hash")
    head = LedgerHead.objects.filter(pk=ledger.HEAD_PK)
    entry = (
        LedgerEntry.objects.select_related(
            "refers_to",
            "acknowledgement",
            "acknowledgement__employee",
            "acknowledgement__version",
        )
        .annotate(
            stored_previous_hash=Subquery(before[:1]),
            next_previous_hash=Subquery(after[:1]),
            head_sequence=Subquery(head.values("sequence")[:1]),
            head_hash=Subquery(head.values("record_hash")[:1]),
        )
        .filter(verification_code=normalised)
        .first()
    )
    if entry is None:
        return CodeCheck(found=False)
    try:
        record = entry.acknowledgement
    except Acknowledgement.DoesNotExist:
        record = None
    referring = list(
        LedgerEntry.objects.filter(refers_to=entry)
        .order_by("sequence")
        .values_list("kind", "sequence")
    )
    erased = any(kind == LedgerEntry.Kind.ERASURE for kind, _sequence in referring)
    corrected_by = [sequence for kind, sequence in referring if kind == LedgerEntry.Kind.CORRECTION]
    own = _own_problem(entry, record, erased)
    link = _link_problem(entry)
    return CodeCheck(
        found=True,
        entry=entry,
        record=None if erased else record,
        erased=erased,
        corrected_by=corrected_by,
        own_hash_ok=not own,
        link_ok=not link,
        problem=own or link,
        last_check=last_full_check(),
    )
