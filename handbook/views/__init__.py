"""The handbook's pages: reading (everyone) and editing (editors)."""

from handbook.views.editing import (
    CreateDraftView,
    DiscardView,
    EditDraftView,
    EditorDashboardView,
    PublishView,
)
from handbook.views.legacy import LegacyRedirectView
from handbook.views.library import (
    AudienceView,
    CreateGuidelineView,
    GuidelineListView,
    LibraryView,
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
from handbook.views.text_files import ConfirmImportView, ExportTextView, ImportTextView
from handbook.views.topics import TopicsView

__all__ = [
    "AudienceView",
    "ConfirmImportView",
    "CreateGuidelineView",
    "ExportTextView",
    "GuidelineListView",
    "ImportTextView",
    "LegacyRedirectView",
    "LibraryView",
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
    "TopicsView",
    "PublishView",
    "RetireView",
    "TipView",
    "VersionView",
]
