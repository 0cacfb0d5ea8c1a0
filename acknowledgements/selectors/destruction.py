"""Destruction lists for the retention pages (acknowledgements.views.destruction)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from acknowledgements.models import DestructionList


def destruction_lists() -> QuerySet[DestructionList]:
    """Every list, newest first, with who proposed, approved and carried it out."""
    return DestructionList.objects.select_related(
        "proposed_by", "approved_by", "carried_out_by"
    ).order_by("-proposed_at", "-pk")


def destruction_list(*, pk: int) -> DestructionList:
    """One list (404 when there is none)."""
    return get_object_or_404(destruction_lists(), pk=pk)
