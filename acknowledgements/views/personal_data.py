"""/bevestigen/mijn-gegevens/: see what the portal holds about me and download it all
(AVG art. 15), as JSON or as a readable PDF. Always the logged-in employee's own data:
there is no id in the URL. Each download is recorded in the security log
(security.services.record_download: "personal_data", about the person)."""

from __future__ import annotations

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views import View

from acknowledgements.selectors.personal_data import (
    personal_data_export,
    personal_data_pdf,
    readable_export,
)
from security.services import record_download


def _private(response: HttpResponse, request, extension: str) -> HttpResponse:
    number = request.user.employee_number or request.user.pk
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{number}.{extension}"'
    response["Cache-Control"] = "no-store, private"
    return record_download(
        request=request, response=response, what="personal_data", subject=request.user
    )


class PersonalDataView(LoginRequiredMixin, View):
    """Everything the portal holds about me, category by category, and the downloads."""

    def get(self, request):
        data = personal_data_export(employee=request.user)
        context = {"data": data, "sections": readable_export(data=data)}
        response = render(request, "acknowledgements/personal_data.html", context)
        response["Cache-Control"] = "no-store, private"
        return response


class PersonalDataDownloadView(LoginRequiredMixin, View):
    """The download: JSON, UTF-8, indented; never cached."""

    def get(self, request):
        data = personal_data_export(employee=request.user)
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        return _private(response, request, "json")


class PersonalDataPdfView(LoginRequiredMixin, View):
    """The same as a readable PDF, in the language of the page."""

    def get(self, request):
        pdf = personal_data_pdf(employee=request.user, language=translation.get_language())
        return _private(HttpResponse(pdf, content_type="application/pdf"), request, "pdf")
