"""An employee's own overview: every guideline that applies to them, with its current
version and where they stand with it, in a fixed number of queries however many
guidelines there are (three: the guidelines, their current versions with the
employee's reading and quiz, and the employee's signatures of those versions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from handbook.models import Guideline, GuidelineVersion, Tip
from handbook.selectors.audience import guidelines_for
from people.models import Employee


@dataclass(frozen=True)
class GuidelineStanding:
    """Where the employee stands with one guideline that applies to them."""

    guideline: Guideline
    title: str  # the guideline's title in the reader's language
    version: GuidelineVersion | None  # the version in force; None: nothing to sign yet
    tip_count: int = 0
    read_count: int = 0
    quiz_required: bool = False
    quiz_passed: bool = False
    record: Acknowledgement | None = None  # their acknowledgement of the version in force

    @property
    def all_read(self) -> bool:
        return self.read_count >= self.tip_count

    @property
    def quiz_done(self) -> bool:
        return self.quiz_passed or not self.quiz_required


def _count(queryset: QuerySet[Any], group: str) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on an OuterRef), as a subquery."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def guideline_standings(
    *, employee: Employee, language: str, today: datetime.date | None = None
) -> list[GuidelineStanding]:
    """The guidelines whose audience includes the employee, by title, each with its
    current version, the tips read of it, the quiz and the employee's signature."""
    from quizzes.selectors import passed_attempts, quiz_required_condition

    today = today or timezone.localdate()
    current = GuidelineVersion.objects.filter(
        guideline=OuterRef("pk"),
        status=GuidelineVersion.Status.PUBLISHED,
        effective_date__lte=today,
    ).order_by("-effective_date", "-number")
    guidelines = list(
        guidelines_for(employee=employee)
        .annotate(current_id=Subquery(current.values("pk")[:1]))
        .order_by("title", "pk")
    )
    wanted = [g.current_id for g in guidelines if g.current_id is not None]
    versions: dict[int, GuidelineVersion] = {}
    records: dict[int, Acknowledgement] = {}
    if wanted:
        versions = {
            version.pk: version
            for version in GuidelineVersion.objects.filter(pk__in=wanted).annotate(
                tip_count=_count(Tip.objects.filter(version=OuterRef("pk")), "version"),
                read_count=_count(
                    TipRead.objects.filter(employee=employee, tip__version=OuterRef("pk")),
                    "tip__version",
                ),
                quiz_required=ExpressionWrapper(
                    quiz_required_condition(version=OuterRef("pk")), output_field=BooleanField()
                ),
                quiz_passed=Exists(passed_attempts(employee=employee, version=OuterRef("pk"))),
            )
        }
        signed = Acknowledgement.objects.select_related("entry").filter(
            employee=employee, version__in=wanted, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
        )
        # The latest signature of each version (a yearly round adds one each year).
        for record in signed.order_by("signed_at", "entry_id"):
            records[record.version_id] = record
    standings = []
    for guideline in guidelines:
        version = versions.get(guideline.current_id) if guideline.current_id else None
        title = guideline.title_in(language)
        if version is None:
            standings.append(GuidelineStanding(guideline=guideline, title=title, version=None))
            continue
        version.guideline = guideline
        annotated = cast(Any, version)  # the annotations of the query above
        standings.append(
            GuidelineStanding(
                guideline=guideline,
                title=title,
                version=version,
                tip_count=annotated.tip_count,
                read_count=annotated.read_count,
                quiz_required=bool(annotated.quiz_required),
                quiz_passed=bool(annotated.quiz_passed),
                record=records.get(version.pk),
            )
        )
    return standings
