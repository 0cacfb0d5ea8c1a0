"""Which campaign a signature answers, and what that round asks: the rules that
campaigns registers with the ledger (acknowledgements.hooks.register_signing_round, in
campaigns.apps), so that each new ledger entry names its round (entry format 2,
docs/ledger-format.md) and a yearly round asks for a signature of its own."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Value, When

from acknowledgements.hooks import SigningRound
from campaigns.models import Assignment, Campaign, SkippedTip
from campaigns.selectors import actionable, today
from handbook.models import GuidelineVersion
from people.models import Employee


def signing_round(*, employee: Employee, version: GuidelineVersion) -> SigningRound | None:
    """The round whose open assignment a signature of ``version`` by ``employee``
    answers, or None: of the employee's assignments for the version's guideline that
    are not signed and not exempt, in a running campaign that has started and for a
    version in force (campaigns.selectors.actionable), one for this very version
    first, then the earliest due. With the round's facts (a round where
    everyone signs again counts its own). One query; in a round where everyone signs
    again and there is still something to read, a second for the tips they may skip."""
    row = (
        Assignment.objects.filter(
            actionable(on=today()),
            employee=employee,
            guideline_id=version.guideline_id,
            signed_at__isnull=True,
            exempted_at__isnull=True,
        )
        .annotate(
            other_version=Case(
                When(version_id=version.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("other_version", "due_date", "pk")
        .values_list(
            "pk",
            "campaign_id",
            "campaign__name",
            "counts_from",
            "version_id",
            "read_at",
            "quiz_passed_at",
        )
        .first()
    )
    if row is None:
        return None
    pk, campaign_id, name, counts_from, version_id, read_at, quiz_passed_at = row
    if counts_from is None or version_id != version.pk:
        # Any signature of the version completes it: the version's own facts apply.
        return SigningRound(campaign_id=campaign_id, name=name)
    skipped = SkippedTip.objects.filter(assignment_id=pk).values_list("tip_id", flat=True)
    return SigningRound(
        campaign_id=campaign_id,
        name=name,
        counts_from=counts_from,
        signed=False,  # an open assignment: not signed for this round yet
        read=read_at is not None,
        quiz_passed=quiz_passed_at is not None,
        skipped_tip_ids=frozenset(skipped) if read_at is None else frozenset(),
    )


def open_rounds(*, employee: Employee) -> dict[int, SigningRound]:
    """The employee's open assignments in running, started campaigns where everyone
    signs again, for versions in force (campaigns.selectors.actionable), by version id
    (the earliest due of each): where they must sign a version again although they
    signed it before. One query."""
    rows = (
        Assignment.objects.filter(
            actionable(on=today()),
            employee=employee,
            counts_from__isnull=False,
            signed_at__isnull=True,
            exempted_at__isnull=True,
        )
        .order_by("-due_date", "-pk")  # the earliest due last: it wins below
        .values_list(
            "version_id",
            "campaign_id",
            "campaign__name",
            "counts_from",
            "read_at",
            "quiz_passed_at",
        )
    )
    return {
        version_id: SigningRound(
            campaign_id=campaign_id,
            name=name,
            counts_from=counts_from,
            read=read_at is not None,
            quiz_passed=quiz_passed_at is not None,
        )
        for version_id, campaign_id, name, counts_from, read_at, quiz_passed_at in rows
    }


def round_names(*, ids: Iterable[int]) -> dict[int, str]:
    """The names of these campaigns by id (one query)."""
    return dict(Campaign.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
