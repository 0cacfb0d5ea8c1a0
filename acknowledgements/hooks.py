"""What the ledger asks of an app above it, which that app answers.

A signature names the round it answers (``Acknowledgement.campaign_id``, hashed from
entry format 2 on: a yearly round asks people to sign a version they signed before,
and the ledger must tell those signatures apart). Which round that is, and what a round
asks, are rules of the campaigns, which sit above acknowledgements in the apps' layers
(docs/architecture.md, .importlinter) and use the ledger themselves. So
acknowledgements may not import them; campaigns registers the rules here in its
``AppConfig.ready()`` and signing asks through ``signing_round`` and ``round_names``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class SigningRound:
    """The round (campaign) a signature of a version by an employee answers now.

    ``counts_from`` is set in a round where everyone signs again: then only a signature
    naming this round completes it, and reading and the quiz count from that moment;
    ``signed``, ``read`` and ``quiz_passed`` are the round's own facts (the assignment's,
    kept by the database). None (a round where only who has not signed signs): the
    version's facts apply as outside any round."""

    campaign_id: int
    name: str
    counts_from: datetime.datetime | None = None
    signed: bool = False
    read: bool = False
    quiz_passed: bool = False
    # The tips that need not be read again this round (only its wrongly answered ones
    # are asked); read by signing_round, not by open_rounds.
    skipped_tip_ids: frozenset[int] = frozenset()

    @property
    def signs_again(self) -> bool:
        return self.counts_from is not None


SigningRoundRule = Callable[..., "SigningRound | None"]
RoundNamesRule = Callable[..., "dict[int, str]"]
OpenRoundsRule = Callable[..., "dict[int, SigningRound]"]

_signing_round_rule: SigningRoundRule | None = None
_round_names_rule: RoundNamesRule | None = None
_open_rounds_rule: OpenRoundsRule | None = None


def register_signing_round(
    rule: SigningRoundRule, *, names: RoundNamesRule, open_rounds: OpenRoundsRule
) -> None:
    """``rule(*, employee, version)`` returns the SigningRound that a signature of the
    version by the employee answers, or None when it answers none; ``names(*, ids)``
    the names of rounds by id (for receipts and the overview); ``open_rounds(*,
    employee)`` the open rounds where the employee signs again, by version id."""
    global _signing_round_rule, _round_names_rule, _open_rounds_rule
    _signing_round_rule = rule
    _round_names_rule = names
    _open_rounds_rule = open_rounds


def signing_round(*, employee: Any, version: Any) -> SigningRound | None:
    if _signing_round_rule is None:
        # Fail loudly: without the rule every signature would answer no round.
        raise ImproperlyConfigured("No app registered the rule of the signing round.")
    return _signing_round_rule(employee=employee, version=version)


def round_names(*, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these rounds (campaigns) by id; unknown ids are left out."""
    if _round_names_rule is None:
        raise ImproperlyConfigured("No app registered the names of rounds.")
    wanted = {pk for pk in ids if pk is not None}
    return _round_names_rule(ids=wanted) if wanted else {}


def open_rounds(*, employee: Any) -> dict[int, SigningRound]:
    """The rounds in which the employee is asked to sign a version again and has not yet,
    by version id (the earliest due per version; one query)."""
    if _open_rounds_rule is None:
        raise ImproperlyConfigured("No app registered the open rounds.")
    return _open_rounds_rule(employee=employee)


# Retention: what the apps above the ledger keep about a leaver whose period ended goes
# on the destruction list too (acknowledgements.services.retention), and is removed when
# the approved list is carried out (signals.retention_ended). Each app says what it keeps.


@dataclass(frozen=True)
class RetainedItem:
    """What an app keeps about one person that the carry-out removes or anonymises:
    ``category`` a short key (the destruction list's category), ``label`` its name for
    the list (translated), ``description`` what happens to it, ``count`` how many rows,
    ``period`` the first and last day ("2016-01-04 – 2016-03-01")."""

    employee_id: int
    category: str
    label: str
    description: str
    count: int
    period: str = ""


RetainedItemsRule = Callable[..., "list[RetainedItem]"]
_retained_items_rules: dict[str, RetainedItemsRule] = {}


def register_retained_items(name: str, rule: RetainedItemsRule) -> None:
    """``rule(*, employee_ids)`` lists what the app keeps about these people (once per
    ``name``: registering again replaces it)."""
    _retained_items_rules[name] = rule


def retained_items(*, employee_ids: list[int]) -> list[RetainedItem]:
    """What the apps above keep about these people, app by app in registering order."""
    items: list[RetainedItem] = []
    for rule in _retained_items_rules.values():
        items.extend(rule(employee_ids=employee_ids))
    return items
