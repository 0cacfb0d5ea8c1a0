"""The acknowledgement pages (Dutch paths): signing one guideline, under
/handreikingen/<short name>/ (``signing_urlpatterns``, namespace "signing", URL keyword
``guideline``); the employee's own pages, under /bevestigen/ (``urlpatterns``, with
the old signing addresses that redirect to the default guideline's); and HR's ledger
pages, under /grootboek/ (``ledger_urlpatterns``, namespace "ledger"). config.urls
mounts all three."""

from django.urls import path, register_converter

from acknowledgements.forms.signing import CODE_REGEX
from acknowledgements.views import destruction as views_destruction
from acknowledgements.views import employee as views
from acknowledgements.views import personal_data as views_personal_data
from acknowledgements.views.changes import ChangesView
from acknowledgements.views.export import LedgerExportView
from acknowledgements.views.ledger import LedgerCheckRequestView, LedgerView
from acknowledgements.views.legacy import DefaultGuidelineRedirectView
from acknowledgements.views.on_behalf import OnBehalfView, PaperFormView

app_name = "acknowledgements"


class VerificationCodeConverter:
    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VerificationCodeConverter, "verification_code")

signing_urlpatterns = [
    path("bevestigen/", views.SignView.as_view(), name="sign"),
    path("wat-is-er-veranderd/", ChangesView.as_view(), name="changes"),
]

urlpatterns = [
    # The addresses from before there were several guidelines.
    path("", DefaultGuidelineRedirectView.as_view(pattern_name="signing:sign"), name="legacy_sign"),
    path(
        "wat-is-er-veranderd/",
        DefaultGuidelineRedirectView.as_view(pattern_name="signing:changes"),
        name="legacy_changes",
    ),
    path("mijn-overzicht/", views.OverviewView.as_view(), name="overview"),
    path("controleren/", views.VerifyView.as_view(), name="verify"),
    path("mijn-gegevens/", views_personal_data.PersonalDataView.as_view(), name="personal_data"),
    path(
        "mijn-gegevens/download/",
        views_personal_data.PersonalDataDownloadView.as_view(),
        name="personal_data_download",
    ),
    path(
        "mijn-gegevens/mijn-gegevens.pdf",
        views_personal_data.PersonalDataPdfView.as_view(),
        name="personal_data_pdf",
    ),
    path("<verification_code:code>/", views.ReceiptView.as_view(), name="receipt"),
    path(
        "<verification_code:code>/certificaat.pdf",
        views.CertificateView.as_view(),
        name="certificate",
    ),
]

ledger_urlpatterns = [
    path("", LedgerView.as_view(), name="overview"),
    path("controleren/", LedgerCheckRequestView.as_view(), name="check"),
    path("exporteren/", LedgerExportView.as_view(), name="export"),
    path("namens/", OnBehalfView.as_view(), name="on_behalf"),
    path("<int:sequence>/formulier/", PaperFormView.as_view(), name="paper_form"),
    # Retention: destruction lists, proposed, approved, carried out (central HR, auditors).
    path(
        "vernietiging/",
        views_destruction.DestructionListsView.as_view(),
        name="destruction_lists",
    ),
    path(
        "vernietiging/voorstellen/",
        views_destruction.DestructionProposeView.as_view(),
        name="destruction_propose",
    ),
    path(
        "vernietiging/<int:pk>/",
        views_destruction.DestructionListView.as_view(),
        name="destruction_list",
    ),
    path(
        "vernietiging/<int:pk>/goedkeuren/",
        views_destruction.DestructionApproveView.as_view(),
        name="destruction_approve",
    ),
    path(
        "vernietiging/<int:pk>/uitvoeren/",
        views_destruction.DestructionCarryOutView.as_view(),
        name="destruction_carry_out",
    ),
    path(
        "vernietiging/<int:pk>/lijst.csv",
        views_destruction.DestructionCsvView.as_view(),
        name="destruction_csv",
    ),
]
