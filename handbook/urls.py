"""The handbook's addresses, under /handreiking/ (Dutch paths)."""

from django.urls import path

from handbook import views

app_name = "handbook"

urlpatterns = [
    path("", views.CurrentVersionView.as_view(), name="current"),
    path("tips/<int:tip>/", views.CurrentTipView.as_view(), name="current_tip"),
    path("versies/", views.HistoryView.as_view(), name="history"),
    path("versies/<int:number>/", views.VersionView.as_view(), name="version"),
    path("versies/<int:number>/tips/<int:tip>/", views.TipView.as_view(), name="tip"),
    path("versies/<int:number>/afdrukken/", views.PrintView.as_view(), name="print"),
    path("versies/<int:number>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("vergelijken/", views.DiffView.as_view(), name="diff"),
    path("redactie/", views.EditorDashboardView.as_view(), name="editor"),
    path("redactie/nieuwe-versie/", views.CreateDraftView.as_view(), name="create_draft"),
    path("versies/<int:number>/bewerken/", views.EditDraftView.as_view(), name="edit"),
    path("versies/<int:number>/publiceren/", views.PublishView.as_view(), name="publish"),
    path("versies/<int:number>/intrekken/", views.RetireView.as_view(), name="retire"),
    path(
        "versies/<int:number>/intrekken/bevestigen/",
        views.ConfirmRetirementView.as_view(),
        name="confirm_retirement",
    ),
    path(
        "versies/<int:number>/intrekken/annuleren/",
        views.CancelRetirementView.as_view(),
        name="cancel_retirement",
    ),
    path("versies/<int:number>/weggooien/", views.DiscardView.as_view(), name="discard"),
]
