"""/bevestigen/mijn-gegevens/: see what the portal holds about me and download it all
(AVG art. 15). Always the logged-in employee's own data: there is no id in the URL."""

from __future__ import annotations

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from acknowledgements.selectors.personal_data import personal_data_export, why_kept


class PersonalDataView(LoginRequiredMixin, View):
    """What the download contains, and the button."""

    def get(self, request):
        return render(request, "acknowledgements/personal_data.html", {"why_kept": why_kept()})


class PersonalDataDownloadView(LoginRequiredMixin, View):
    """The download: JSON, UTF-8, indented; never cached."""

    def get(self, request):
        data = personal_data_export(employee=request.user)
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        number = request.user.employee_number or request.user.pk
        response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{number}.json"'
        response["Cache-Control"] = "no-store, private"
        return response
