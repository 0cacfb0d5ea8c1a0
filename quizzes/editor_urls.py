"""The editors' quiz pages, under /quiz/redactie/ (Dutch paths). ``?versie=N`` chooses
the guideline version."""

from django.urls import path

from quizzes.views import editor_bank, editor_statistics

app_name = "quiz_editor"

urlpatterns = [
    path("", editor_bank.BankView.as_view(), name="bank"),
    path("instellingen/", editor_bank.SettingsView.as_view(), name="settings"),
    path("exporteren/", editor_bank.ExportView.as_view(), name="export"),
    path("importeren/", editor_bank.ImportView.as_view(), name="import"),
    path("importeren/bevestigen/", editor_bank.ImportConfirmView.as_view(), name="import_confirm"),
    path("statistiek/", editor_statistics.StatisticsView.as_view(), name="statistics"),
    path("statistiek/csv/", editor_statistics.StatisticsCsvView.as_view(), name="statistics_csv"),
]
