"""The ledger in bulk: the hash chain computed in Python, entries and contents copied in.

Each signature becomes what acknowledgements.services.sign_version would have written:
an Acknowledgement (method "self", the attempt that qualified it, the statement and
text hash of the version in the language shown) and its LedgerEntry, chained in the
order of signing. The digests and hashes come from acknowledgements.ledger's own
canonical forms (content_fields, content_digest, entry_fields, entry_hash), fed with
light stand-ins for the rows, so that verify_chain recomputes exactly the same. They are
of the current entry format (ledger.FORMAT_VERSION); a signature made in this year's
campaign names it (``PlannedSignature.campaign_id``, hashed in format 2), as
campaigns' signing round would have.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace

from acknowledgements import ledger
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from acknowledgements.selectors import eligibility
from acknowledgements.services import text_hash_for
from benchmarks import bulk
from benchmarks.scale import names
from benchmarks.scale.activity import PlannedSignature

KIND = LedgerEntry.Kind.ACKNOWLEDGEMENT
METHOD = Acknowledgement.Method.SELF
FORMAT = ledger.FORMAT_VERSION
# The hashed columns are ledger's (of every format: a column the format does not hash is
# left empty); beside them the keys, the hashes, the format and the paper form.
ENTRY_COLUMNS = (
    "id",
    *ledger.ENTRY_COLUMNS,
    "refers_to_id",
    "previous_hash",
    "record_hash",
    "format_version",
)
CONTENT_COLUMNS = ("entry_id", *ledger.CONTENT_COLUMNS, "paper_form")


@dataclass(slots=True)
class _Entry:
    id: int
    sequence: int
    signature: PlannedSignature
    language: str
    code: str
    digest: str
    previous_hash: str
    record_hash: str
    ip_address: str
    user_agent: str


def _codes(rng: random.Random, count: int) -> list[str]:
    """Distinct verification codes in ledger.new_verification_code's form."""
    alphabet = ledger.CODE_ALPHABET
    size = ledger.CODE_GROUP_LENGTH
    starts = range(0, ledger.CODE_GROUPS * size, size)
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < count:
        letters = "".join(rng.choices(alphabet, k=len(starts) * size))
        code = "-".join(letters[start : start + size] for start in starts)
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


class Chain:
    """The signatures, in order of signing, as chained entries.

    The constructor reads where the chain stands; ``compute`` hashes (about 40 µs per
    entry, with no database access); ``insert`` copies the rows in.
    """

    def __init__(self, rng: random.Random, signatures: list[PlannedSignature], versions):
        self.rng = rng
        self.signatures = signatures
        self.versions = {version.pk: version for version in versions}
        self.statements = {
            (pk, language): eligibility.statement_for(version=version, language=language)
            for pk, version in self.versions.items()
            for language in ("nl", "en")
        }
        self.text_hashes = {
            (pk, language): text_hash_for(version=version, language=language)
            for pk, version in self.versions.items()
            for language in ("nl", "en")
        }
        self.first_id = bulk.next_id(LedgerEntry)
        head = LedgerHead.objects.filter(pk=ledger.HEAD_PK).first()
        self.head = (head.sequence, head.record_hash) if head else (0, ledger.GENESIS_HASH)
        self.entries: list[_Entry] = []

    def compute(self) -> None:
        rng = self.rng
        sequence, previous = self.head
        ordered = sorted(self.signatures, key=lambda s: (s.signed_at, s.person.id))
        codes = _codes(rng, len(ordered))
        for index, signature in enumerate(ordered):
            sequence += 1
            bits = rng.getrandbits(24)  # an address in the municipality's own network
            ip = f"10.{bits >> 16}.{bits >> 8 & 255}.{max(1, bits & 255)}"
            entry = _Entry(
                self.first_id + index,
                sequence,
                signature,
                signature.person.language,
                codes[index],
                "",
                previous,
                "",
                ip,
                rng.choice(names.USER_AGENTS),
            )
            entry.digest = ledger.content_digest(self._content(entry), format_version=FORMAT)
            entry.record_hash = ledger.entry_hash(
                previous, ledger.entry_fields(self._entry(entry), refers_to_sequence=None)
            )
            previous = entry.record_hash
            self.entries.append(entry)

    def _content(self, entry: _Entry) -> dict:
        signature, person = entry.signature, entry.signature.person
        version = self.versions[signature.version_id]
        key = (version.pk, entry.language)
        content = SimpleNamespace(
            kind=KIND,
            employee_number=person.number,
            employee_name=person.full_name,
            language=entry.language,
            text_hash=self.text_hashes[key],
            statement=self.statements[key],
            typed_name=person.full_name,
            signed_at=signature.signed_at,
            quiz_attempt_id=signature.attempt_id,
            method=METHOD,
            recorded_by_id=person.id,
            reason="",
            paper_form_hash="",
            ip_address=entry.ip_address,
            user_agent=entry.user_agent,
            campaign_id=signature.campaign_id,
        )
        return ledger.content_fields(
            content,
            format_version=FORMAT,
            employee=SimpleNamespace(pk=person.id),
            version=version,
        )

    def _entry(self, entry: _Entry) -> SimpleNamespace:
        return SimpleNamespace(
            sequence=entry.sequence,
            kind=KIND,
            version_id=entry.signature.version_id,
            recorded_at=entry.signature.signed_at,
            verification_code=entry.code,
            content_digest=entry.digest,
        )

    def insert(self) -> int:
        """Entries, contents, then the head; returns the number of entries."""
        bulk.insert_rows(LedgerEntry, ENTRY_COLUMNS, (self._entry_row(e) for e in self.entries))
        bulk.insert_rows(
            Acknowledgement, CONTENT_COLUMNS, (self._content_row(e) for e in self.entries)
        )
        if self.entries:
            last = self.entries[-1]
            LedgerHead.objects.update_or_create(
                pk=ledger.HEAD_PK,
                defaults={"sequence": last.sequence, "record_hash": last.record_hash},
            )
        return len(self.entries)

    def _entry_row(self, e: _Entry) -> tuple:
        fields = ledger.entry_fields(self._entry(e), refers_to_sequence=None)
        hashed = (fields[key] for key in ledger.ENTRY_COLUMNS)
        return (e.id, *hashed, None, e.previous_hash, e.record_hash, FORMAT)

    def _content_row(self, e: _Entry) -> tuple:
        fields = self._content(e)
        return (e.id, *(fields.get(key) for key in ledger.CONTENT_COLUMNS), "")
