"""The guidelines as lists: the handbook's list for staff (the guidelines that apply to
me first, then the others) and the editors' list (the guidelines I edit).

Each is one query however many guidelines there are: the version in force, the open
draft, whether the guideline applies to the employee and whether they edit it are
subqueries of the guidelines' query.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone

from handbook.models import Guideline, GuidelineVersion
from handbook.selectors.access import editable_guidelines
from handbook.selectors.audience import guidelines_for
from people.models import Employee

EDIT_PERMISSION = "handbook.change_guidelineversion"


@dataclass(frozen=True)
class GuidelineEntry:
    """A guideline in a list: its version in force (number and date, or None), and
    whether it applies to the reader and whether they edit it."""

    guideline: Guideline
    title: str
    current_number: int | None
    current_date: datetime.date | None
    draft_number: int | None
    applies: bool
    editable: bool

    @property
    def published(self) -> bool:
        return self.current_number is not None


def _with_versions(guidelines: QuerySet[Guideline], *, today: datetime.date) -> QuerySet[Guideline]:
    in_force = GuidelineVersion.objects.filter(
        guideline=OuterRef("pk"),
        status=GuidelineVersion.Status.PUBLISHED,
        effective_date__lte=today,
    ).order_by("-effective_date", "-number")
    draft = GuidelineVersion.objects.filter(
        guideline=OuterRef("pk"), status=GuidelineVersion.Status.DRAFT
    )
    return guidelines.annotate(
        current_number=Subquery(in_force.values("number")[:1]),
        current_date=Subquery(in_force.values("effective_date")[:1]),
        draft_number=Subquery(draft.values("number")[:1]),
    )


def _entries(rows: Iterable[Guideline], *, language: str) -> list[GuidelineEntry]:
    entries = [
        GuidelineEntry(
            guideline=row,
            title=row.title_in(language),
            current_number=getattr(row, "current_number", None),
            current_date=getattr(row, "current_date", None),
            draft_number=getattr(row, "draft_number", None),
            applies=bool(getattr(row, "applies", False)),
            editable=bool(getattr(row, "editable", False)),
        )
        for row in rows
    ]
    return sorted(entries, key=lambda entry: (entry.title.casefold(), entry.guideline.pk))


@dataclass(frozen=True)
class Library:
    """The handbook's list for one reader: the guidelines that apply to them, the others."""

    mine: list[GuidelineEntry]
    others: list[GuidelineEntry]

    @property
    def empty(self) -> bool:
        return not self.mine and not self.others


def library_for(*, user: Employee, language: str, today: datetime.date | None = None) -> Library:
    """The guidelines with a version in force, those that apply to the user first; an
    editor also sees the guidelines they edit that have none (yet). One query."""
    today = today or timezone.localdate()
    applies = guidelines_for(employee=user).filter(pk=OuterRef("pk"))
    editable: Value | Exists
    if user.has_perm(EDIT_PERMISSION):
        editable = Value(True)
    else:
        editable = Exists(editable_guidelines(user=user).filter(pk=OuterRef("pk")))
    rows = _with_versions(Guideline.objects.all(), today=today).annotate(
        applies=Exists(applies), editable=editable
    )
    entries = [
        entry for entry in _entries(rows, language=language) if entry.published or entry.editable
    ]
    return Library(
        mine=[entry for entry in entries if entry.applies],
        others=[entry for entry in entries if not entry.applies],
    )


def editor_library(
    *, user: Employee | AnonymousUser, language: str, today: datetime.date | None = None
) -> list[GuidelineEntry]:
    """The guidelines this user edits, with their version in force and open draft (one
    query)."""
    today = today or timezone.localdate()
    rows = _with_versions(editable_guidelines(user=user), today=today).annotate(
        editable=Value(True)
    )
    return _entries(rows, language=language)


def any_guideline() -> bool:
    """Whether the portal holds a guideline at all (published or not)."""
    return Guideline.objects.exists()
