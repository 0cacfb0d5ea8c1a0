from django.urls import path

from portal.views import AccessibilityStatementView, HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("toegankelijkheid/", AccessibilityStatementView.as_view(), name="accessibility"),
]
