"""Retiring a published version, with four eyes (handbook.services.retirement): the page that asks
for it with a reason, and the POSTs that confirm or cancel an open request.

Editors who may publish only; a version that is not published is not found (404).
Refusals change nothing and say why on the retiring page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from handbook.forms import RetirementDecisionForm, RetirementRequestForm
from handbook.models import GuidelineVersion
from handbook.selectors import current_version
from handbook.services import retirement
from handbook.views.editing import EditorMixin


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


class RetirementMixin(EditorMixin):
    permission_required = retirement.PERMISSION

    def get_version(self) -> GuidelineVersion:
        version = (
            self.guideline.versions.select_related("published_by")
            .filter(number=self.kwargs["number"], status=GuidelineVersion.Status.PUBLISHED)
            .first()
        )
        if version is None:
            raise Http404(gettext("There is no published version with this number."))
        return version


class RetireView(RetirementMixin, TemplateView):
    """The version's retirement: ask for it with a reason (POST), or, when asked for
    already, who asked and why, with buttons to confirm (another editor) or cancel."""

    template_name = "handbook/editor/retire.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        current = current_version(guideline=self.guideline)
        request = retirement.open_request(version=version)
        context.update(
            guideline=self.guideline,
            version=version,
            is_current=current is not None and current.pk == version.pk,
            open_request=request,
            may_confirm=request is not None
            and retirement.may_confirm(request=request, actor=self.request.user),
            blockers=retirement.retirement_blockers(version=version),
        )
        context.setdefault("form", RetirementRequestForm())
        return context

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        form = RetirementRequestForm(request.POST)
        if form.is_valid():
            try:
                retirement.request_retirement(
                    version=version, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    gettext(
                        "Retiring version %(number)s has been requested. Another editor must "
                        "confirm it."
                    )
                    % {"number": version.number},
                )
                return redirect(
                    "handbook:retire", guideline=self.guideline.slug, number=version.number
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class _DecisionView(RetirementMixin, View):
    """POST only: the open request's id comes with the form; a request of another
    version, or one no longer open, is refused."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        form = RetirementDecisionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(
                    gettext("This request to retire the version is no longer open.")
                )
            return self.decide(version, form.cleaned_data["request"])
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return redirect("handbook:retire", guideline=self.guideline.slug, number=version.number)


class ConfirmRetirementView(_DecisionView):
    """POST /handreikingen/<g>/versies/<n>/intrekken/bevestigen/: retire the version."""

    def decide(self, version: GuidelineVersion, request_id: int):
        retirement.confirm_retirement(
            version=version, request_id=request_id, actor=self.request.user
        )
        messages.success(
            self.request,
            gettext("Version %(number)s has been retired.") % {"number": version.number},
        )
        return redirect("handbook:history", guideline=self.guideline.slug)


class CancelRetirementView(_DecisionView):
    """POST /handreikingen/<g>/versies/<n>/intrekken/annuleren/: withdraw the request."""

    def decide(self, version: GuidelineVersion, request_id: int):
        retirement.cancel_retirement(
            version=version, request_id=request_id, actor=self.request.user
        )
        messages.success(
            self.request,
            gettext("The request to retire version %(number)s was cancelled.")
            % {"number": version.number},
        )
        return redirect("handbook:version", guideline=self.guideline.slug, number=version.number)
