"""HR's campaign pages, under /campagnes/ (Dutch paths)."""

from django.urls import path

from campaigns import views_dashboard as dashboard
from campaigns import views_hr as views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("nieuw/", views.CampaignCreateView.as_view(), name="create"),
    path("inwerken/", views.OnboardingRuleView.as_view(), name="onboarding"),
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
    path("toewijzing/<int:pk>/vrijstellen/", views.ExemptView.as_view(), name="exempt"),
    path(
        "toewijzing/<int:pk>/vrijstelling-intrekken/",
        views.LiftExemptionView.as_view(),
        name="lift_exemption",
    ),
]
