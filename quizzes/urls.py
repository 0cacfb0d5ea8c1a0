"""The quiz's addresses (Dutch paths), per guideline: for staff, under
/handreikingen/<guideline>/quiz/ (``urlpatterns``), and the editors' pages, under
/handreikingen/<guideline>/quiz/redactie/ (``editor_urlpatterns``, namespace
"quiz_editor"; ``?versie=N`` chooses the guideline version). Every name takes the
guideline's short name as ``guideline``. The addresses from before there were several
guidelines, under /quiz/ (``legacy_urlpatterns``, namespace "quizzes_legacy"), send the
visitor to the same page of the default guideline. config.urls mounts all three."""

from django.urls import path

from quizzes.views import editor_bank, editor_statistics, legacy, taking

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

legacy_urlpatterns = [
    path("", legacy.DefaultGuidelineRedirectView.as_view(), name="start"),
    path("<path:rest>", legacy.DefaultGuidelineRedirectView.as_view(), name="page"),
]
