from django.urls import path

from people.views import SwitchLanguageView

app_name = "people"

urlpatterns = [
    path("", SwitchLanguageView.as_view(), name="switch_language"),
]
