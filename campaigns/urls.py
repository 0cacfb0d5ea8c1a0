"""The campaign pages (Dutch paths): HR's, under /campagnes/ (``urlpatterns``), and a
manager's team page with its reminder buttons, under /mijn-team/ (``team_urlpatterns``,
namespace "campaigns_team"); config.urls mounts both."""

from django.urls import path

from campaigns.views import dashboard, exemptions, team
from campaigns.views import hr as views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("nieuw/", views.CampaignCreateView.as_view(), name="create"),
    path("inwerken/", views.OnboardingRuleView.as_view(), name="onboarding"),
    path(
        "inwerken/handreikingen/",
        views.OnboardingGuidelinesView.as_view(),
        name="onboarding_guidelines",
    ),
    path("<int:pk>/", dashboard.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/starten/", views.CampaignLaunchView.as_view(), name="launch"),
    path("<int:pk>/sluiten/", views.CampaignCloseView.as_view(), name="close"),
    path("<int:pk>/schema/", views.ScheduleView.as_view(), name="schedule"),
    path("<int:pk>/medewerkers/", dashboard.AssignmentListView.as_view(), name="people"),
    path("<int:pk>/te-laat.csv", dashboard.OverdueCsvView.as_view(), name="overdue_csv"),
    path("<int:pk>/herinneringen/", dashboard.ReminderLogView.as_view(), name="reminders"),
    path(
        "herinneringen/<int:pk>/opnieuw/",
        views.ReminderRetryView.as_view(),
        name="reminder_retry",
    ),
    path("toewijzing/<int:pk>/vrijstellen/", exemptions.ExemptView.as_view(), name="exempt"),
    path(
        "toewijzing/<int:pk>/vrijstelling-intrekken/",
        exemptions.LiftExemptionView.as_view(),
        name="lift_exemption",
    ),
    path(
        "vrijstellingen/",
        exemptions.WaitingExemptionsView.as_view(),
        name="exemptions_waiting",
    ),
    path(
        "vrijstellingen/<int:pk>/",
        exemptions.DecideExemptionView.as_view(),
        name="exemption_decide",
    ),
]

team_urlpatterns = [
    path("", team.TeamView.as_view(), name="team"),
    path("herinneren/", team.RemindTeamView.as_view(), name="remind_all"),
    path("herinneren/<int:pk>/", team.RemindOneView.as_view(), name="remind_one"),
]
