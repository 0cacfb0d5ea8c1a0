from django.urls import path

from acknowledgements.views_hr import LedgerCheckRequestView, LedgerView
from acknowledgements.views_on_behalf import OnBehalfView, PaperFormView

app_name = "ledger"

urlpatterns = [
    path("", LedgerView.as_view(), name="overview"),
    path("controleren/", LedgerCheckRequestView.as_view(), name="check"),
    path("namens/", OnBehalfView.as_view(), name="on_behalf"),
    path("<int:sequence>/formulier/", PaperFormView.as_view(), name="paper_form"),
]
