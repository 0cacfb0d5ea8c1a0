from django.urls import path

from acknowledgements.views_hr import LedgerView

app_name = "ledger"

urlpatterns = [
    path("", LedgerView.as_view(), name="overview"),
]
