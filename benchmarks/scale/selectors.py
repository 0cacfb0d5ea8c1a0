"""Reads over the scale data that the benchmarks use."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from campaigns.models import Assignment, Campaign
from handbook.models import GuidelineVersion
from handbook.selectors import current_version, default_guideline
from people.models import Employee
from quizzes.models import Attempt


def ready_to_sign(version: GuidelineVersion | None = None) -> QuerySet[Employee]:
    """Employees who can sign ``version`` (default: the current one) right now: active,
    assigned in a running campaign (not exempt), every tip read, the quiz passed, not
    signed yet. Ordered by pk."""
    if version is None:
        guideline = default_guideline()
        version = current_version(guideline=guideline) if guideline else None
        if version is None:
            return Employee.objects.none()
    tip_count = version.tips.count()
    assigned = Assignment.objects.filter(
        version=version, campaign__status=Campaign.Status.RUNNING, exempted_at__isnull=True
    ).values("employee_id")
    passed = Attempt.objects.filter(version=version, passed=True).values("employee_id")
    read_all = (
        TipRead.objects.filter(tip__version=version)
        .values("employee_id")
        .annotate(n=Count("pk"))
        .filter(n=tip_count)
        .values("employee_id")
    )
    signed = Acknowledgement.objects.filter(
        version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
    ).values("employee_id")
    return (
        Employee.objects.filter(is_active=True)
        .exclude(end_date__lt=timezone.localdate())
        .filter(pk__in=assigned)
        .filter(pk__in=passed)
        .filter(pk__in=read_all)
        .exclude(pk__in=signed)
        .order_by("pk")
    )
