"""Helpers for the reports' tests of yearly rounds (a version signed again each year).

    record = signature(employee, version, signed_at=at(-390))

A signature as the signing service records it: a new ledger entry for the version,
naming the round it answers (acknowledgements.hooks.signing_round, which campaigns
answers), made at ``signed_at`` (a date in last year's round). The lower-level ledger
write that acknowledgements.services uses, without the reading and quiz checks, which
are not what these tests are about.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from acknowledgements import hooks, ledger
from acknowledgements import services as ledger_services
from acknowledgements.models import Acknowledgement, LedgerEntry


def signature(employee, version, *, signed_at: datetime.datetime) -> Acknowledgement:
    """The employee signs the version at ``signed_at``, for the round the campaigns name."""
    answered = hooks.signing_round(employee=employee, version=version)
    # The round's id (the rule answers a SigningRound, or, before it, the bare id).
    campaign_id = getattr(answered, "campaign_id", answered)
    with transaction.atomic():
        return ledger_services._append_acknowledgement(  # noqa: SLF001
            head=ledger.lock_head(),
            now=signed_at,
            kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
            employee=employee,
            version=version,
            language="nl",
            signed_at=signed_at,
            method=Acknowledgement.Method.SELF,
            typed_name=employee.full_name,
            recorded_by=employee,
            campaign_id=campaign_id,
        )
