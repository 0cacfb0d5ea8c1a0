"""The handbook's addresses, under /handreikingen/ (Dutch paths).

``/handreikingen/`` lists the guidelines; each guideline has its pages under
``/handreikingen/<short name>/`` (the URL keyword ``guideline`` is its slug). The
editors' library (``redactie/``) is a short name no guideline may take
(handbook.services.guidelines.RESERVED_SLUGS). The addresses from before there were many
guidelines (``/handreiking/...``) redirect to the same page of the default guideline
(``legacy_urlpatterns``, mounted by config/urls.py).
"""

from django.urls import include, path, re_path

from handbook import views

app_name = "handbook"

guideline_urlpatterns = [
    path("", views.CurrentVersionView.as_view(), name="current"),
    path("tips/<int:tip>/", views.CurrentTipView.as_view(), name="current_tip"),
    path("versies/", views.HistoryView.as_view(), name="history"),
    path("versies/<int:number>/", views.VersionView.as_view(), name="version"),
    path("versies/<int:number>/tips/<int:tip>/", views.TipView.as_view(), name="tip"),
    path("versies/<int:number>/afdrukken/", views.PrintView.as_view(), name="print"),
    path("versies/<int:number>/pdf/", views.PdfView.as_view(), name="pdf"),
    path(
        "versies/<int:number>/exporteren/<str:format>/",
        views.ExportTextView.as_view(),
        name="export",
    ),
    path("vergelijken/", views.DiffView.as_view(), name="diff"),
    path("redactie/", views.EditorDashboardView.as_view(), name="editor"),
    path("redactie/nieuwe-versie/", views.CreateDraftView.as_view(), name="create_draft"),
    path("redactie/doelgroep/", views.AudienceView.as_view(), name="audience"),
    path("redactie/importeren/", views.ImportTextView.as_view(), name="import"),
    path(
        "redactie/importeren/bevestigen/",
        views.ConfirmImportView.as_view(),
        name="confirm_import",
    ),
    path("versies/<int:number>/bewerken/", views.EditDraftView.as_view(), name="edit"),
    path("versies/<int:number>/onderwerpen/", views.TopicsView.as_view(), name="topics"),
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

urlpatterns = [
    path("", views.GuidelineListView.as_view(), name="list"),
    path("redactie/", views.LibraryView.as_view(), name="library"),
    path("redactie/nieuw/", views.CreateGuidelineView.as_view(), name="create_guideline"),
    path("<slug:guideline>/", include(guideline_urlpatterns)),
]

# /handreiking/<rest> (one guideline) -> /handreikingen/<default>/<rest>.
legacy_urlpatterns = [
    re_path(r"^(?P<rest>.*)$", views.LegacyRedirectView.as_view(), name="legacy"),
]
