"""Reads about exemptions (issue 21): the requests waiting for a second HR person
within someone's part of the organisation, and the exemptions granted in a period (the
monthly list to the HR lead). Writes are campaigns.services.exemptions."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from campaigns.models import Campaign, Exemption
from people.selectors import Scope


def waiting(*, scope: Scope) -> QuerySet[Exemption]:
    """The requests waiting for a decision about someone in the scope, oldest first,
    with what a list shows (employee, department, campaign, who asked)."""
    return (
        Exemption.objects.filter(decision=Exemption.Decision.REQUESTED)
        .filter(scope.q(department_field="assignment__employee__department"))
        .select_related(
            "assignment__employee__department",
            "assignment__campaign",
            "assignment__guideline",
            "exempted_by",
        )
        .order_by("requested_at", "pk")
    )


def waiting_count(*, scope: Scope, campaign: Campaign | None = None) -> int:
    """How many requests wait in the scope (of one campaign, when given): one query."""
    requests = Exemption.objects.filter(decision=Exemption.Decision.REQUESTED).filter(
        scope.q(department_field="assignment__employee__department")
    )
    if campaign is not None:
        requests = requests.filter(assignment__campaign=campaign)
    return requests.count()


def granted_between(*, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Exemption]:
    """Every exemption that took effect in [start, end), approved by a second person or
    made at once (``decided_by`` empty), whether lifted since or not, in order."""
    return (
        Exemption.objects.filter(
            decision=Exemption.Decision.APPROVED, exempted_at__gte=start, exempted_at__lt=end
        )
        .select_related(
            "assignment__employee__department",
            "assignment__campaign",
            "assignment__guideline",
            "exempted_by",
            "decided_by",
        )
        .order_by("exempted_at", "pk")
    )
