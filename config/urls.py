from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portal.urls")),
    path("handreiking/", include("handbook.urls")),
    path("quiz/", include("quizzes.urls")),
    path("quiz/redactie/", include("quizzes.editor_urls")),
    path("bevestigen/", include("acknowledgements.urls")),
    path("grootboek/", include("acknowledgements.urls_hr")),
    path("campagnes/", include("campaigns.urls")),
    path("mijn-team/", include("campaigns.urls_team")),
    path("rapportages/", include("reports.urls")),
    path("account/", include("allauth.urls")),
    path("", include("people.urls")),
    path("beheer/", admin.site.urls),
]
