from django.urls import path

from people.views import StaffListView, SwitchLanguageView, TeamView

app_name = "people"

urlpatterns = [
    path("taal/", SwitchLanguageView.as_view(), name="switch_language"),
    path("mijn-team/", TeamView.as_view(), name="team"),
    path("medewerkers/", StaffListView.as_view(), name="staff"),
]
