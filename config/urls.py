from django.contrib import admin
from django.urls import include, path

from acknowledgements.urls import ledger_urlpatterns, signing_urlpatterns
from campaigns.urls import team_urlpatterns
from handbook.urls import legacy_urlpatterns as handbook_legacy_urlpatterns
from portal.views import NotOfferedView
from quizzes.urls import editor_urlpatterns
from quizzes.urls import legacy_urlpatterns as quizzes_legacy_urlpatterns

urlpatterns = [
    path("", include("portal.urls")),
    path("handreikingen/", include("handbook.urls")),
    path("handreiking/", include((handbook_legacy_urlpatterns, "handbook_legacy"))),
    path("handreikingen/<slug:guideline>/quiz/", include("quizzes.urls")),
    path(
        "handreikingen/<slug:guideline>/quiz/redactie/",
        include((editor_urlpatterns, "quiz_editor")),
    ),
    path("quiz/", include((quizzes_legacy_urlpatterns, "quizzes_legacy"))),
    path("handreikingen/<slug:guideline>/", include((signing_urlpatterns, "signing"))),
    path("bevestigen/", include("acknowledgements.urls")),
    path("grootboek/", include((ledger_urlpatterns, "ledger"))),
    path("campagnes/", include("campaigns.urls")),
    path("mijn-team/", include((team_urlpatterns, "campaigns_team"))),
    path("rapportages/", include("reports.urls")),
    path("beveiligingslog/", include("security.urls")),
    # allauth's e-mail address management is not offered (HR keeps the addresses); the
    # same name, so that allauth's own templates still find it.
    path("account/email/", NotOfferedView.as_view(), name="account_email"),
    path("account/", include("allauth.urls")),
    path("", include("people.urls")),
    path("beheer/", admin.site.urls),
]

# The error pages in the portal's layout, in the reader's language (portal/views/errors.py).
handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
