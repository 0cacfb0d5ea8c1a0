"""Writes to the ledger: signing and recording on behalf (importing from an earlier
system: acknowledgements.services.importing; correcting and erasing:
acknowledgements.services.corrections).

Every function here is atomic and appends exactly one ledger entry (see
acknowledgements.ledger) with its content, in one transaction. Nothing is ever changed
in place: a correction is a new entry that refers to the old one, and an erasure is an
entry after which the content row may go (the database refuses anything else).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import unicodedata
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements import hooks, ledger
from acknowledgements.ledger import postgres as ledger_pg
from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.selectors import eligibility
from handbook.models import GuidelineVersion
from people.models import Employee

if TYPE_CHECKING:
    from acknowledgements.models import LedgerHead
    from quizzes.models import Attempt

LANGUAGES = ("nl", "en")
MANAGE_PERMISSION = "acknowledgements.add_acknowledgement"
USER_AGENT_LENGTH = 500
TYPED_NAME_LENGTH = 300
SIGN_ATTEMPTS = 3


class SigningRefused(Exception):
    """The employee cannot sign now; ``reasons`` say why, in the user's language."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = list(reasons)


def names_match(*, typed: str, full_name: str) -> bool:
    """Whether a typed name is the full name, ignoring case, accents and spacing."""
    return _comparable(typed) == _comparable(full_name) != ""


def _comparable(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.casefold().split())


def text_hash_for(*, version: GuidelineVersion, language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language: %(language)s.") % {"language": language})
    text_hash = version.content_hash if language == "nl" else version.content_hash_en
    if not text_hash:
        raise ValidationError(_("Only a published or retired version can be acknowledged."))
    return text_hash


def existing_acknowledgement(
    *, employee: Employee, version: GuidelineVersion, round: hooks.SigningRound | None = None
) -> Acknowledgement | None:
    """The employee's latest acknowledgement of the version; in a round where everyone
    signs again (``round``), the one that names that round."""
    records = Acknowledgement.objects.select_related("entry").filter(
        employee=employee, version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    )
    if round is not None and round.signs_again:
        records = records.filter(campaign_id=round.campaign_id)
    return records.order_by("-signed_at", "-entry_id").first()


def _file_hash(paper_form: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in File(paper_form).chunks():  # chunks() starts at the beginning
        digest.update(chunk)
    paper_form.seek(0)
    return digest.hexdigest()


def _ip_or_none(value: str | None) -> str | None:
    """The address in the ledger's form; None when it is missing or not an address."""
    try:
        return ledger.canonical_ip(value)
    except ValueError:
        return None


def _append_acknowledgement(
    *,
    head: LedgerHead,
    refers_to: LedgerEntry | None = None,
    now: datetime.datetime | None = None,
    verification_code: str | None = None,
    **content: Any,
) -> Acknowledgement:
    """Build the content, append its entry and store the content (head already locked)."""
    ack, digest = _build_acknowledgement(refers_to=refers_to, **content)
    return _store_acknowledgement(
        ack,
        digest,
        head=head,
        refers_to=refers_to,
        verification_code=verification_code,
        recorded_at=now or timezone.now(),
    )


def _build_acknowledgement(
    *,
    kind: str,
    employee: Employee,
    version: GuidelineVersion,
    language: str,
    signed_at: datetime.datetime,
    method: str,
    typed_name: str = "",
    quiz_attempt: Attempt | None = None,
    quiz_attempt_id: int | None = None,
    recorded_by: Employee | None = None,
    reason: str = "",
    paper_form: IO[bytes] | None = None,
    paper_form_name: str = "",
    paper_form_hash: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    campaign_id: int | None = None,
    refers_to: LedgerEntry | None = None,
) -> tuple[Acknowledgement, str]:
    """The content row (unsaved) and its digest under the current entry format
    (ledger.FORMAT_VERSION, which ledger.append_entry and ledger_pg record with the
    entry); ``quiz_attempt_id`` may stand for ``quiz_attempt``; ``campaign_id``: the
    round it answers (hooks.signing_round). Needs no lock: nothing here depends on the
    chain."""
    ack = Acknowledgement(
        kind=kind,
        employee=employee,
        employee_number=employee.employee_number or "",
        employee_name=employee.full_name,
        version=version,
        language=language,
        text_hash=text_hash_for(version=version, language=language),
        statement=eligibility.statement_for(version=version, language=language),
        typed_name=typed_name.strip(),
        signed_at=signed_at,
        quiz_attempt=quiz_attempt,
        method=method,
        recorded_by=recorded_by,
        reason=reason.strip(),
        paper_form_hash=paper_form_hash,
        ip_address=_ip_or_none(ip_address),
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        campaign_id=campaign_id,
    )
    if quiz_attempt is None and quiz_attempt_id is not None:
        ack.quiz_attempt_id = quiz_attempt_id
    if paper_form is not None:
        ack.paper_form_hash = _file_hash(paper_form)
        name = os.path.basename(getattr(paper_form, "name", None) or "") or "formulier"
        ack.paper_form.save(name, File(paper_form), save=False)
    elif paper_form_name:
        ack.paper_form.name = paper_form_name
    digest = ledger.content_digest(
        ledger.content_fields(
            ack,
            format_version=ledger.FORMAT_VERSION,
            employee=employee,
            version=version,
            corrects_sequence=refers_to.sequence if refers_to else None,
        ),
        format_version=ledger.FORMAT_VERSION,
    )
    return ack, digest


def _store_acknowledgement(
    ack: Acknowledgement,
    digest: str,
    *,
    head: LedgerHead,
    recorded_at: datetime.datetime,
    refers_to: LedgerEntry | None = None,
    verification_code: str | None = None,
) -> Acknowledgement:
    """Append the content's entry and store the content (head already locked);
    ``verification_code`` defaults to a new one checked against the ledger."""
    ack.entry = ledger.append_entry(
        kind=ack.kind,
        version=ack.version,
        content_digest=digest,
        refers_to=refers_to,
        verification_code=verification_code or ledger.new_verification_code(),
        recorded_at=recorded_at,
        head=head,
        format_version=ledger.FORMAT_VERSION,
    )
    ack.save(force_insert=True)
    return ack


def _record_once(
    *, employee: Employee, version: GuidelineVersion, answers_round: bool = True, **content: Any
) -> Acknowledgement:
    """Append an acknowledgement unless the employee has one of this version already
    (in a round where everyone signs again: one naming that round). ``answers_round``:
    whether it answers the employee's open round (hooks.signing_round); an import of a
    signature from an earlier system answers none.

    The head is locked before the check, so concurrent calls wait for each other; the
    unique constraint is the last resort (the savepoint keeps the transaction usable).
    """
    head = ledger.lock_head()
    round = hooks.signing_round(employee=employee, version=version) if answers_round else None
    existing = existing_acknowledgement(employee=employee, version=version, round=round)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _append_acknowledgement(
                head=head,
                kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
                employee=employee,
                version=version,
                campaign_id=round.campaign_id if round else None,
                **content,
            )
    except IntegrityError:
        existing = existing_acknowledgement(employee=employee, version=version, round=round)
        if existing is None:
            raise
        return existing


def sign_version(
    *,
    employee: Employee,
    version: GuidelineVersion,
    language: str,
    typed_name: str,
    confirmed: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime.datetime | None = None,
    facts: eligibility.SigningFacts | None = None,
) -> Acknowledgement:
    """The employee signs the version they read. Returns the acknowledgement.

    Idempotent: a second call (double click, second tab) returns the first record.
    Raises SigningRefused with the reasons when the employee cannot sign. ``facts``:
    the employee's signing_facts for this version when the caller read them already
    (eligibility.current_version_for_signing).
    """
    round = hooks.signing_round(employee=employee, version=version)
    if facts is None:
        facts = eligibility.signing_facts(employee=employee, version=version)
    # In a round where everyone signs again, only that round's own facts count.
    facts = eligibility.in_round(facts=facts, round=round)
    if facts.signed:
        existing = existing_acknowledgement(employee=employee, version=version, round=round)
        assert existing is not None  # facts.signed: there is one
        return existing
    reasons = []
    if not confirmed:
        reasons.append(_("Tick the box to confirm that you have read and understood the text."))
    typed_name = (typed_name or "").strip()
    if len(typed_name) > TYPED_NAME_LENGTH or not names_match(
        typed=typed_name, full_name=employee.full_name
    ):
        reasons.append(
            _(
                "The name you typed does not match the name we know you by "
                "(%(name)s). Please type your full name as written here."
            )
            % {"name": employee.full_name}
        )
    if not (facts.prepared and version.status == version.Status.PUBLISHED):
        reasons.extend(
            eligibility.signing_blockers(employee=employee, version=version, round=round)
        )
    if language not in LANGUAGES:
        reasons.append(_("Choose Dutch or English."))
    if reasons:
        raise SigningRefused(reasons)
    now = now or timezone.now()
    ack, digest = _build_acknowledgement(
        kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
        employee=employee,
        version=version,
        language=language,
        signed_at=now,
        method=Acknowledgement.Method.SELF,
        typed_name=typed_name,
        quiz_attempt_id=facts.quiz_attempt_id,
        recorded_by=employee,
        ip_address=ip_address,
        user_agent=user_agent,
        campaign_id=round.campaign_id if round else None,
    )
    # Everyone's signatures wait for the ledger lock in turn, so as little as can be
    # happens under it: the content is built before, and nothing is checked under it
    # (unlike _record_once). The unique constraint (one acknowledgement per employee and
    # version) and the code's unique index decide, in the same transaction as the entry,
    # so a refused insert leaves no entry behind.
    if ledger_pg.supported():
        try:
            return ledger_pg.append_signature(
                ack, digest, recorded_at=now, code=ledger.random_verification_code()
            )
        except IntegrityError:
            existing = existing_acknowledgement(employee=employee, version=version, round=round)
            if existing is not None:  # a concurrent request signed first
                return existing
            # else the code was taken, or this is the first entry ever: the general way
    for attempt in range(1, SIGN_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _store_acknowledgement(
                    ack,
                    digest,
                    head=ledger.lock_head(),
                    recorded_at=now,
                    verification_code=ledger.random_verification_code(),
                )
        except IntegrityError:
            existing = existing_acknowledgement(employee=employee, version=version, round=round)
            if existing is not None:  # a concurrent request signed first
                return existing
            if attempt == SIGN_ATTEMPTS:
                raise
            # else the random code was taken (about 1 in 10^13): try another
    raise AssertionError("unreachable")


def may_record_for(*, recorder: Employee | None, employee: Employee) -> bool:
    """HR (or whoever may add acknowledgements) for anyone; an HR adviser for the people
    of their part of the organisation; a manager for their team."""
    from people.selectors import scope_of, team_of

    if recorder is None or not recorder.is_active:
        return False
    scope = scope_of(user=recorder, perm=MANAGE_PERMISSION)
    if scope is not None and scope.covers_employee(employee=employee):
        return True
    return team_of(manager=recorder).filter(pk=employee.pk).exists()


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason: the ledger keeps it."))


def _require_past(signed_at: datetime.datetime, now: datetime.datetime) -> None:
    if timezone.is_naive(signed_at):
        raise ValidationError(_("The date of signing needs a time zone."))
    if signed_at > now:
        raise ValidationError(_("The date of signing cannot be in the future."))


@transaction.atomic
def record_on_behalf(
    *,
    employee: Employee,
    version: GuidelineVersion,
    recorded_by: Employee,
    reason: str,
    signed_at: datetime.datetime,
    paper_form: IO[bytes] | None = None,
    language: str = "nl",
    now: datetime.datetime | None = None,
) -> Acknowledgement:
    """HR or the employee's manager records that the employee signed (on paper, say).

    No reading or quiz checks: this is for staff who do not work at a computer. The
    scanned form, if given, is stored and its SHA-256 is part of the record, and so is
    the round it answers (hooks.signing_round), as when the employee signs.
    """
    if not may_record_for(recorder=recorded_by, employee=employee):
        raise PermissionDenied(_("You may not record acknowledgements for this employee."))
    _require_reason(reason)
    now = now or timezone.now()
    _require_past(signed_at, now)
    return _record_once(
        employee=employee,
        version=version,
        language=language,
        signed_at=signed_at,
        now=now,
        method=Acknowledgement.Method.ON_BEHALF,
        recorded_by=recorded_by,
        reason=reason,
        paper_form=paper_form,
    )
