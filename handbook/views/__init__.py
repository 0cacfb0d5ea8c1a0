"""The handbook's pages: reading (everyone) and editing (editors)."""

from handbook.views.editing import (
    CreateDraftView,
    DiscardView,
    EditDraftView,
    EditorDashboardView,
    PublishView,
)
from handbook.views.reading import (
    CurrentTipView,
    CurrentVersionView,
    DiffView,
    HistoryView,
    PdfView,
    PrintView,
    TipView,
    VersionView,
)
from handbook.views.retiring import CancelRetirementView, ConfirmRetirementView, RetireView

__all__ = [
    "CancelRetirementView",
    "ConfirmRetirementView",
    "CreateDraftView",
    "CurrentTipView",
    "CurrentVersionView",
    "DiffView",
    "DiscardView",
    "EditDraftView",
    "EditorDashboardView",
    "HistoryView",
    "PdfView",
    "PrintView",
    "PublishView",
    "RetireView",
    "TipView",
    "VersionView",
]
