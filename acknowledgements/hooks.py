"""What the ledger asks of an app above it, which that app answers.

A signature names the round it answers (``Acknowledgement.campaign_id``, hashed from
entry format 2 on: a yearly round asks people to sign a version they signed before,
and the ledger must tell those signatures apart). Which round that is, is a rule of
the campaigns, which sit above acknowledgements in the apps' layers
(docs/architecture.md, .importlinter) and use the ledger themselves. So
acknowledgements may not import them; campaigns registers the rule here in its
``AppConfig.ready()`` and signing asks through ``signing_round``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SigningRoundRule = Callable[..., "int | None"]

_signing_round_rule: SigningRoundRule | None = None


def register_signing_round(rule: SigningRoundRule) -> None:
    """``rule(*, employee, version)`` returns the id of the campaign that a signature of
    the version by the employee answers, or None when it answers none."""
    global _signing_round_rule
    _signing_round_rule = rule


def signing_round(*, employee: Any, version: Any) -> int | None:
    if _signing_round_rule is None:
        # Fail loudly: without the rule every signature would answer no round.
        raise ImproperlyConfigured("No app registered the rule of the signing round.")
    return _signing_round_rule(employee=employee, version=version)
