from django.urls import path

from people.views.directory import StaffListView, SwitchLanguageView
from people.views.staff_import import (
    StaffImportApplyView,
    StaffImportDetailView,
    StaffImportLogView,
    StaffImportView,
)

app_name = "people"

urlpatterns = [
    path("taal/", SwitchLanguageView.as_view(), name="switch_language"),
    path("medewerkers/", StaffListView.as_view(), name="staff"),
    path("medewerkers/importeren/", StaffImportView.as_view(), name="staff_import"),
    path(
        "medewerkers/importeren/toepassen/",
        StaffImportApplyView.as_view(),
        name="staff_import_apply",
    ),
    path("medewerkers/importeren/logboek/", StaffImportLogView.as_view(), name="staff_import_log"),
    path(
        "medewerkers/importeren/<int:pk>/",
        StaffImportDetailView.as_view(),
        name="staff_import_detail",
    ),
]
