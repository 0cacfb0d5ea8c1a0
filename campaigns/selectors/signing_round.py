"""Which campaign a signature answers: the rule that campaigns registers with the ledger
(acknowledgements.hooks.register_signing_round, in campaigns.apps), so that each new
ledger entry names its round (entry format 2, docs/ledger-format.md)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from campaigns.models import Assignment, Campaign
from campaigns.selectors import today
from handbook.models import GuidelineVersion
from people.models import Employee


def signing_round(*, employee: Employee, version: GuidelineVersion) -> int | None:
    """The id of the campaign whose open assignment a signature of ``version`` by
    ``employee`` answers, or None: of the employee's assignments for the version's
    guideline that are not signed and not exempt, in a running campaign that has
    started, one for this very version first, then the earliest due. One query."""
    return (
        Assignment.objects.filter(
            employee=employee,
            guideline_id=version.guideline_id,
            signed_at__isnull=True,
            exempted_at__isnull=True,
            campaign__status=Campaign.Status.RUNNING,
            campaign__start_date__lte=today(),
        )
        .annotate(
            other_version=Case(
                When(version_id=version.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("other_version", "due_date", "pk")
        .values_list("campaign_id", flat=True)
        .first()
    )
