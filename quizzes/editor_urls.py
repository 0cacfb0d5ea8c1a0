"""The editors' quiz pages, under /quiz/redactie/ (Dutch paths). ``?versie=N`` chooses
the guideline version."""

from django.urls import path

from quizzes.views import editor

app_name = "quiz_editor"

urlpatterns = [
    path("", editor.BankView.as_view(), name="bank"),
    path("instellingen/", editor.SettingsView.as_view(), name="settings"),
    path("exporteren/", editor.ExportView.as_view(), name="export"),
    path("importeren/", editor.ImportView.as_view(), name="import"),
    path("importeren/bevestigen/", editor.ImportConfirmView.as_view(), name="import_confirm"),
    path("statistiek/", editor.StatisticsView.as_view(), name="statistics"),
    path("statistiek/csv/", editor.StatisticsCsvView.as_view(), name="statistics_csv"),
]
