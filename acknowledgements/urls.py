"""The employee's acknowledgement pages, under /bevestigen/ (Dutch paths)."""

from django.urls import path, register_converter

from acknowledgements import views_employee as views
from acknowledgements import views_personal_data
from acknowledgements.forms import CODE_REGEX
from acknowledgements.views_changes import ChangesView

app_name = "acknowledgements"


class VerificationCodeConverter:
    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VerificationCodeConverter, "verification_code")

urlpatterns = [
    path("", views.SignView.as_view(), name="sign"),
    path("mijn-overzicht/", views.OverviewView.as_view(), name="overview"),
    path("controleren/", views.VerifyView.as_view(), name="verify"),
    path("wat-is-er-veranderd/", ChangesView.as_view(), name="changes"),
    path("mijn-gegevens/", views_personal_data.PersonalDataView.as_view(), name="personal_data"),
    path(
        "mijn-gegevens/download/",
        views_personal_data.PersonalDataDownloadView.as_view(),
        name="personal_data_download",
    ),
    path("<verification_code:code>/", views.ReceiptView.as_view(), name="receipt"),
    path(
        "<verification_code:code>/certificaat.pdf",
        views.CertificateView.as_view(),
        name="certificate",
    ),
]
