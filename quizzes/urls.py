"""The quiz's addresses (Dutch paths): for staff, under /quiz/ (``urlpatterns``), and the
editors' pages, under /quiz/redactie/ (``editor_urlpatterns``, namespace "quiz_editor";
``?versie=N`` chooses the guideline version); config.urls mounts both."""

from django.urls import path

from quizzes.views import editor_bank, editor_statistics, taking

app_name = "quizzes"

urlpatterns = [
    path("", taking.StartView.as_view(), name="start"),
    path("poging/<int:pk>/", taking.AttemptView.as_view(), name="attempt"),
    path("poging/<int:pk>/uitslag/", taking.ResultView.as_view(), name="result"),
]

editor_urlpatterns = [
    path("", editor_bank.BankView.as_view(), name="bank"),
    path("instellingen/", editor_bank.SettingsView.as_view(), name="settings"),
    path("exporteren/", editor_bank.ExportView.as_view(), name="export"),
    path("importeren/", editor_bank.ImportView.as_view(), name="import"),
    path("importeren/bevestigen/", editor_bank.ImportConfirmView.as_view(), name="import_confirm"),
    path("statistiek/", editor_statistics.StatisticsView.as_view(), name="statistics"),
    path("statistiek/csv/", editor_statistics.StatisticsCsvView.as_view(), name="statistics_csv"),
]
