"""A manager's team page (/mijn-team/) and its reminder buttons."""

from django.urls import path

from campaigns import views_team as views

app_name = "campaigns_team"

urlpatterns = [
    path("", views.TeamView.as_view(), name="team"),
    path("herinneren/", views.RemindTeamView.as_view(), name="remind_all"),
    path("herinneren/<int:pk>/", views.RemindOneView.as_view(), name="remind_one"),
]
