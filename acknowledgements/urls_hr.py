from django.urls import path

from acknowledgements.views_hr import LedgerView
from acknowledgements.views_on_behalf import OnBehalfView, PaperFormView

app_name = "ledger"

urlpatterns = [
    path("", LedgerView.as_view(), name="overview"),
    path("namens/", OnBehalfView.as_view(), name="on_behalf"),
    path("<int:sequence>/formulier/", PaperFormView.as_view(), name="paper_form"),
]
