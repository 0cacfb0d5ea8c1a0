"""The employee's side of acknowledging: sign the current version of a guideline (the
guideline of the URL), see the receipt, download the certificate, see one's own
overview of every guideline that applies, and verify a code (anyone logged in).

Writes go through acknowledgements.services; the views read input and show results.
Someone else's receipt or certificate is "not found" (HR may see every one; an HR
adviser those of the people of their part of the organisation).
"""

from __future__ import annotations

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from acknowledgements import hooks, selectors, services
from acknowledgements.forms.signing import SignForm, VerifyForm
from acknowledgements.models import Acknowledgement
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.code_check import code_check
from acknowledgements.selectors.overview import guideline_standings
from acknowledgements.services import ledger_checks
from handbook.selectors.access import guideline_by_slug
from people.selectors import scope_of
from portal.http import client_ip
from portal.pdf import signing
from portal.viewhelpers import portal_language
from quizzes.models import Attempt
from security.services import record_download

logger = logging.getLogger(__name__)

VIEW_ALL_PERMISSION = "acknowledgements.view_acknowledgement"
RECENT_ATTEMPTS = 50


def visible_acknowledgement(user, code: str) -> Acknowledgement:
    """The record with this code if it is the user's own, or the user may see the
    records of its employee (HR, auditors; an HR adviser within their part); else 404."""
    record = (
        Acknowledgement.objects.select_related(
            "entry", "employee__department", "version", "version__guideline"
        )
        .filter(entry__verification_code=code)
        .first()
    )
    if record is None:
        raise Http404(_("There is no record with this code."))
    if record.employee_id != user.pk:
        scope = scope_of(user=user, perm=VIEW_ALL_PERMISSION)
        if scope is None or not scope.covers_employee(employee=record.employee):
            raise Http404(_("There is no record with this code."))
    return record


class SignView(LoginRequiredMixin, View):
    """/handreikingen/<guideline>/bevestigen/: what is still needed, then the statement
    and the signature. An unknown guideline is "not found"."""

    template_name = "acknowledgements/sign.html"

    def dispatch(self, request, *args, guideline: str, **kwargs):
        self.facts = None
        self.round = None
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.method == "POST":
            # A signature, the busiest request of a campaign: the guideline, its current
            # version and what signing needs to know about this employee in one query.
            self.version, self.facts = eligibility.current_version_for_signing(
                employee=request.user, slug=guideline
            )
        else:
            self.version = eligibility.current_version_of(slug=guideline)
        if self.version is not None:
            self.guideline = self.version.guideline
        else:
            found = guideline_by_slug(slug=guideline)
            if found is None:
                raise Http404(_("There is no guideline with this name."))
            self.guideline = found
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if self.version is None:
            return self._empty(request)
        self.round = hooks.signing_round(employee=request.user, version=self.version)
        existing = selectors.acknowledgement_of(
            employee=request.user, version=self.version, round=self.round
        )
        form = None
        if existing is None:
            form = SignForm(initial={"language": portal_language()}, employee=request.user)
        return self._render(request, form=form, existing=existing)

    def post(self, request):
        if self.version is None:
            return self._empty(request)
        employee = request.user
        form = SignForm(request.POST, employee=employee)
        if not form.is_valid():
            self.round = hooks.signing_round(employee=employee, version=self.version)
            existing = selectors.acknowledgement_of(
                employee=employee, version=self.version, round=self.round
            )
            if existing is not None:  # a second tab: the first signature counts
                return self._receipt(existing)
            return self._render(request, form=form)
        # A double submit of a valid form: the service returns the first record.
        try:
            record = services.sign_version(
                employee=employee,
                version=self.version,
                language=form.cleaned_data["language"],
                typed_name=form.cleaned_data["typed_name"],
                confirmed=form.cleaned_data["confirmed"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                facts=self.facts,
            )
        except services.SigningRefused as refused:
            self.round = hooks.signing_round(employee=employee, version=self.version)
            return self._render(request, form=form, service_errors=refused.reasons)
        return self._receipt(record)

    @staticmethod
    def _receipt(record):
        return redirect("acknowledgements:receipt", code=record.entry.verification_code)

    def _empty(self, request):
        context = {"empty": True, "guideline": self.guideline}
        context["guideline_title"] = self.guideline.title_in(portal_language())
        return render(request, self.template_name, context)

    def _render(self, request, *, form=None, existing=None, service_errors=()):
        version, employee = self.version, request.user
        language = portal_language()
        if form is not None and form.is_bound and form.data.get("language") in services.LANGUAGES:
            language = form.data["language"]
        context = {"version": version, "existing": existing, "form": form}
        context["guideline"] = self.guideline
        context["guideline_title"] = self.guideline.title_in(portal_language())
        context["title"] = version.title_in(language)
        context["title_language"] = "en" if language == "en" and version.title_en else "nl"
        context["round"] = self.round if self.round and self.round.signs_again else None
        if existing is None:
            needed = eligibility.requirements(employee=employee, version=version, round=self.round)
            unread, quiz_missing = needed.unread, needed.quiz_missing
            context["resigning"] = needed.resigning
            blockers = eligibility.signing_blockers(
                employee=employee, version=version, round=self.round
            )
            context.update(
                unread=unread,
                quiz_missing=quiz_missing,
                blockers=blockers,
                can_sign=not blockers,
                statement=eligibility.statement_for(version=version, language=language),
                statement_language=language,
                error_summary=self._summary(form, blockers, service_errors),
            )
        return render(request, self.template_name, context)

    @staticmethod
    def _summary(form, blockers, service_errors) -> list[dict]:
        """The errors of a refused POST; while something blocks, the form is not shown
        and the summary points to what is still needed."""
        if form is None or not form.is_bound:
            return []
        if blockers:
            return [{"message": reason, "target": "still-needed"} for reason in blockers]
        return form.error_summary(extra=service_errors)


class ReceiptView(LoginRequiredMixin, View):
    """/bevestigen/<code>/: the record just made (or any of one's own)."""

    def get(self, request, code):
        record = visible_acknowledgement(request.user, code)
        names = hooks.round_names(ids=[record.campaign_id])
        response = render(
            request,
            "acknowledgements/receipt.html",
            {
                "record": record,
                "round_name": names.get(record.campaign_id, "") if record.campaign_id else "",
                "title": record.version.title_in(record.language),
                "guideline_title": record.version.guideline.title_in(portal_language()),
                "own": record.employee_id == request.user.pk,
            },
        )
        if record.employee_id == request.user.pk:
            return response
        # Someone else's receipt (HR, an auditor): logged as a download is.
        return record_download(
            request=request, response=response, what="receipt", subject=record.employee
        )


class CertificateView(LoginRequiredMixin, View):
    """/bevestigen/<code>/certificaat.pdf: the record as a PDF to keep or show."""

    def get(self, request, code):
        from acknowledgements.selectors.certificate import signed_certificate_pdf

        record = visible_acknowledgement(request.user, code)
        try:
            pdf = signed_certificate_pdf(record=record, request=request)
        except signing.ArchivalSigningFailed:
            logger.exception("Certificate %s could not be signed", code)
            return render(request, "acknowledgements/certificate_unavailable.html", status=503)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"certificaat-{record.entry.verification_code}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return record_download(
            request=request, response=response, what="certificate", subject=record.employee
        )


class OverviewView(LoginRequiredMixin, View):
    """/bevestigen/mijn-overzicht/: every guideline that applies to me, with what is
    asked of me and what I have done; my own data only, in a fixed number of queries
    however many guidelines there are."""

    def get(self, request):
        employee, language = request.user, portal_language()
        standings = guideline_standings(employee=employee, language=language)
        records = list(
            Acknowledgement.objects.select_related("entry", "version__guideline")
            .filter(employee=employee)
            .order_by("-signed_at", "-entry__sequence")
        )
        attempts = list(
            Attempt.objects.select_related("version__guideline")
            .filter(employee=employee, submitted_at__isnull=False)
            .order_by("-started_at", "-pk")[:RECENT_ATTEMPTS]
        )
        for item in [*records, *attempts]:
            item.guideline_title = item.version.guideline.title_in(language)
        # Whether a signature of an earlier version still holds or must be renewed, for
        # every guideline at once (acknowledgements.selectors.statuses_for).
        statuses = selectors.statuses_for(
            employee=employee, versions=[s.version for s in standings if s.version is not None]
        )
        # Where a yearly round asks them to sign a version again (one query).
        rounds = hooks.open_rounds(employee=employee)
        items = [
            (
                standing,
                statuses.get(standing.version.pk) if standing.version else None,
                rounds.get(standing.version.pk) if standing.version else None,
            )
            for standing in standings
        ]
        # Which round each signature answered (one query).
        names = hooks.round_names(ids=[record.campaign_id for record in records])
        for record in records:
            record.round_name = names.get(record.campaign_id, "") if record.campaign_id else ""
        context = {"items": items, "records": records, "attempts": attempts}
        return render(request, "acknowledgements/overview.html", context)


class VerifyView(LoginRequiredMixin, View):
    """/bevestigen/controleren/: does a record with this code exist, is its entry in
    order and linked to the one before it, and what did the last full check find?
    A fixed number of queries, however long the ledger (selectors.code_check)."""

    def get(self, request):
        context = {"form": VerifyForm(), "check": None}
        if "code" in request.GET:
            form = VerifyForm(request.GET)
            context["form"] = form
            if form.is_valid():
                check = code_check(code=form.cleaned_data["code"])
                context["check"] = check
                context["code"] = form.cleaned_data["code"]
                context["record"] = check.record
                if check.last_check is not None:
                    context["last_check_problem"] = ledger_checks.problem_text(
                        reason=check.last_check.problem_reason
                    )
            else:
                context["error_summary"] = form.error_summary()
        return render(request, "acknowledgements/verify.html", context)
