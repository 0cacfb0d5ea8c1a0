"""A manager's reminder buttons, beside the team page (/mijn-team/)."""

from django.urls import path

from campaigns import views_team as views

app_name = "campaigns_team"

urlpatterns = [
    path("herinneren/", views.RemindTeamView.as_view(), name="remind_all"),
    path("herinneren/<int:pk>/", views.RemindOneView.as_view(), name="remind_one"),
]
