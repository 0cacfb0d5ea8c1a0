"""The employee's side of acknowledging: sign the current version, see the receipt,
download the certificate, see one's own overview, and verify a code (anyone logged in).

Writes go through acknowledgements.services; the views read input and show results.
Someone else's receipt or certificate is "not found" (HR may see every one).
"""

from __future__ import annotations

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from acknowledgements import selectors, services
from acknowledgements.forms.signing import SignForm, VerifyForm
from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
from acknowledgements.selectors import eligibility
from acknowledgements.selectors.code_check import code_check
from acknowledgements.services import ledger_checks
from handbook.selectors import current_version, default_current_version, default_guideline
from portal.http import client_ip
from portal.pdf import signing
from portal.viewhelpers import portal_language
from quizzes.models import Attempt
from quizzes.selectors import has_passed

logger = logging.getLogger(__name__)

VIEW_ALL_PERMISSION = "acknowledgements.view_acknowledgement"
RECENT_ATTEMPTS = 50


def _current():
    guideline = default_guideline()
    return guideline, (current_version(guideline=guideline) if guideline else None)


def visible_acknowledgement(user, code: str) -> Acknowledgement:
    """The record with this code if it is the user's own (or the user is HR); else 404."""
    record = (
        Acknowledgement.objects.select_related("entry", "employee", "version", "version__guideline")
        .filter(entry__verification_code=code)
        .first()
    )
    if record is None or (record.employee_id != user.pk and not user.has_perm(VIEW_ALL_PERMISSION)):
        raise Http404(_("There is no record with this code."))
    return record


class SignView(LoginRequiredMixin, View):
    """/bevestigen/: what is still needed, then the statement and the signature."""

    template_name = "acknowledgements/sign.html"

    def dispatch(self, request, *args, **kwargs):
        self.facts = None
        if request.method == "POST" and request.user.is_authenticated:
            # A signature, the busiest request of a campaign: the version and what signing
            # needs to know about this employee in one query.
            self.version, self.facts = eligibility.current_version_for_signing(
                employee=request.user
            )
        else:
            self.version = default_current_version()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if self.version is None:
            return self._empty(request)
        existing = selectors.acknowledgement_of(employee=request.user, version=self.version)
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
            existing = selectors.acknowledgement_of(employee=employee, version=self.version)
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
            return self._render(request, form=form, service_errors=refused.reasons)
        return self._receipt(record)

    @staticmethod
    def _receipt(record):
        return redirect("acknowledgements:receipt", code=record.entry.verification_code)

    def _empty(self, request):
        context = {"empty": True, "guideline": default_guideline()}
        return render(request, self.template_name, context)

    def _render(self, request, *, form=None, existing=None, service_errors=()):
        version, employee = self.version, request.user
        language = portal_language()
        if form is not None and form.is_bound and form.data.get("language") in services.LANGUAGES:
            language = form.data["language"]
        context = {"version": version, "existing": existing, "form": form}
        context["title"] = version.title_in(language)
        context["title_language"] = "en" if language == "en" and version.title_en else "nl"
        if existing is None:
            needed = eligibility.requirements(employee=employee, version=version)
            unread, quiz_missing = needed.unread, needed.quiz_missing
            context["resigning"] = needed.resigning
            blockers = eligibility.signing_blockers(employee=employee, version=version)
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
        return render(
            request,
            "acknowledgements/receipt.html",
            {
                "record": record,
                "title": record.version.title_in(record.language),
                "own": record.employee_id == request.user.pk,
            },
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
        return response


class OverviewView(LoginRequiredMixin, View):
    """/bevestigen/mijn-overzicht/: what is asked of me and what I have done; my own data
    only, in a fixed number of queries."""

    def get(self, request):
        employee = request.user
        guideline, version = _current()
        context = {"version": version, "guideline": guideline}
        if version is not None:
            context["title"] = version.title_in(portal_language())
            context["tip_count"] = version.tips.count()
            context["read_count"] = TipRead.objects.filter(
                employee=employee, tip__version=version
            ).count()
            context["quiz_required"] = eligibility.quiz_required(version=version)
            context["quiz_passed"] = has_passed(employee=employee, version=version)
        records = list(
            Acknowledgement.objects.select_related("entry", "version")
            .filter(employee=employee)
            .order_by("-signed_at", "-entry__sequence")
        )
        context["records"] = records
        context["current_record"] = next(
            (
                r
                for r in records
                if version is not None
                and r.version_id == version.pk
                and r.kind == LedgerEntry.Kind.ACKNOWLEDGEMENT
            ),
            None,
        )
        context["attempts"] = list(
            Attempt.objects.select_related("version")
            .filter(employee=employee, submitted_at__isnull=False)
            .order_by("-started_at", "-pk")[:RECENT_ATTEMPTS]
        )
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
