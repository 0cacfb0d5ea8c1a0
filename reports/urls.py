"""The report pages, under /rapportages/ (Dutch paths)."""

from django.urls import path

from reports.views import compliance as views
from reports.views import individual as views_individual

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("nieuw/", views.ReportCreateView.as_view(), name="create"),
    path("dossier/", views_individual.IndividualFileView.as_view(), name="individual"),
    path("logboek/", views.ReportLogView.as_view(), name="log"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.ReportStatusPartView.as_view(), name="status"),
    path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
    path("<int:pk>/opnieuw/", views.ReportRetryView.as_view(), name="retry"),
]
