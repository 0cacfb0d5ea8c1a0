"""The quiz's addresses for staff, under /quiz/ (Dutch paths)."""

from django.urls import path

from quizzes.views import taking

app_name = "quizzes"

urlpatterns = [
    path("", taking.StartView.as_view(), name="start"),
    path("poging/<int:pk>/", taking.AttemptView.as_view(), name="attempt"),
    path("poging/<int:pk>/uitslag/", taking.ResultView.as_view(), name="result"),
]
