"""Retention as the archivist's approval has it: a list proposed, approved by someone
else, carried out (acknowledgements.services.destruction)."""

import datetime

from django.utils import timezone

from acknowledgements.models import DestructionList
from acknowledgements.services.destruction import (
    approve_destruction,
    carry_out_destruction,
    propose_destruction,
)
from people.tests.factories import EmployeeFactory


def approved(proposal: DestructionList, *, by=None, day: datetime.date | None = None):
    return approve_destruction(
        destruction_list=proposal,
        approved_by=by or EmployeeFactory(hr=True),
        approver_name="A. de Archivaris",
        approver_function="Archivaris",
        approval_date=day or proposal.day,
        approval_reference="VV-2026-001",
    )


def carried_out(today: datetime.date | None = None, *, by=None) -> DestructionList:
    """Propose everything due as of ``today``, approve it and carry it out."""
    today = today or timezone.localdate()
    proposal = propose_destruction(proposed_by=by, today=today)
    approved(proposal)
    return carry_out_destruction(destruction_list=proposal, carried_out_by=by, today=today)
