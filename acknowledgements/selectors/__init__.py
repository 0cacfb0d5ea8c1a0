"""Reads of the ledger for HR and auditors, and for the signing pages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from acknowledgements.ledger import (
    CODE_ALPHABET,
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    HEAD_PK,
    normalise_code,
)
from acknowledgements.models import Acknowledgement, LedgerEntry, LedgerHead
from handbook.models import GuidelineVersion
from people.models import Employee
from portal.search import search_words

if TYPE_CHECKING:
    from collections.abc import Iterable

    from acknowledgements.hooks import SigningRound
    from acknowledgements.selectors.reacknowledgement import Status

_GROUP = f"[{CODE_ALPHABET}]{{{CODE_GROUP_LENGTH}}}"
CODE = re.compile(f"{_GROUP}(?:-{_GROUP}){{{CODE_GROUPS - 1}}}")


def acknowledgement_list(*, query: str = "") -> QuerySet[Acknowledgement]:
    """Every stored record (acknowledgements and corrections), newest first, with what a
    list shows in the same query. ``query``: a verification code, or words that must
    each match part of the name or e-mail, the employee number or the version number."""
    records = Acknowledgement.objects.select_related(
        "entry", "entry__refers_to", "employee", "version"
    )
    query = query.strip()
    if CODE.fullmatch(normalise_code(query)):
        return records.filter(entry__verification_code=normalise_code(query))
    for term in search_words(query):
        condition = (
            Q(employee__first_name__icontains=term)
            | Q(employee__name_prefix__icontains=term)
            | Q(employee__last_name__icontains=term)
            | Q(employee__email__icontains=term)
            | Q(employee__employee_number__iexact=term)
        )
        if term.isdigit():
            condition |= Q(version__number=int(term))
        records = records.filter(condition)
    return records.order_by("-signed_at", "-entry__sequence")


def acknowledgement_of(
    *, employee: Employee, version: GuidelineVersion, round: SigningRound | None = None
) -> Acknowledgement | None:
    """The employee's latest acknowledgement of the version (not corrections), or None;
    in a round where everyone signs again (``round``), the one naming that round."""
    records = Acknowledgement.objects.select_related("entry").filter(
        employee=employee, version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    )
    if round is not None and round.signs_again:
        records = records.filter(campaign_id=round.campaign_id)
    return records.order_by("-signed_at", "-entry_id").first()


def has_acknowledged(*, employee: Employee, version: GuidelineVersion) -> bool:
    return Acknowledgement.objects.filter(
        employee=employee, version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    ).exists()


def ledger_head() -> LedgerHead:
    """The chain's head now: the last entry's sequence number and hash (0 and 64 zeros
    before the first entry). Printed on the ledger page and in every report as an anchor
    kept outside the database: ``verify_ledger --anchor SEQ:HASH`` later confirms that
    the ledger still holds that entry with that hash."""
    return LedgerHead.objects.filter(pk=HEAD_PK).first() or LedgerHead(pk=HEAD_PK)


def entry_by_code(*, code: str) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(verification_code=normalise_code(code)).first()


def status_for(*, employee: Employee, version: GuidelineVersion) -> Status:
    """Where the employee stands with the version: signed, up to date through an
    earlier version, must sign, or must sign again (with the tips that changed); see
    acknowledgements.selectors.reacknowledgement.Status."""
    from acknowledgements.selectors.reacknowledgement import status_for as _status_for

    return _status_for(employee=employee, version=version)


def statuses_for(*, employee: Employee, versions: Iterable[GuidelineVersion]) -> dict[int, Status]:
    """status_for of many versions (one per guideline), by version pk, in a fixed number
    of queries; see acknowledgements.selectors.reacknowledgement.statuses_for."""
    from acknowledgements.selectors.reacknowledgement import statuses_for as _statuses_for

    return _statuses_for(employee=employee, versions=versions)


def open_rounds(*, employee: Employee) -> dict[int, SigningRound]:
    """The yearly rounds in which the employee must sign a version again and has not yet,
    by version id (one query; acknowledgements.hooks.open_rounds)."""
    from acknowledgements.hooks import open_rounds as _open_rounds

    return _open_rounds(employee=employee)
