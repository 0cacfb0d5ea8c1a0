"""HR's and the auditors' report pages (/rapportages/): the list of reports, asking for a
compliance report, a report's status (with its progress, the download and its log),
the download itself and the log of all reports. One employee's file is asked for in
reports.views.individual.

Thin views: reads here, writes only through reports.services (which logs them). Every
page needs ``reports.export_reports`` (HR, auditors, administrators), or the HR role on
a part of the organisation (an HR adviser, people.selectors.scope_of); others get 403,
anonymous visitors the log-in page. Every report is visible to everyone with the
permission (the log shows who asked for it and who downloaded it); an adviser sees only
the reports of their part (reports.selectors.visible_reports), any other is not found.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from people.selectors import scope_of
from reports import services
from reports.forms import ReportRequestForm
from reports.models import Report, ReportEvent
from reports.selectors import visible_reports
from reports.selectors.ledger_check import ledger_check_line
from reports.services import PERMISSION, ReportError
from security import services as security_log

PAGE_KWARG = "pagina"
CONTENT_TYPES = {
    Report.Format.PDF: "application/pdf",
    Report.Format.CSV: "text/csv; charset=utf-8",
    Report.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# While a report is being made its status page asks for its progress this often.
POLL_SECONDS = 3


class ReportAccessMixin(LoginRequiredMixin):
    """Logged in, with the reports of the whole organisation or of a part of it
    (``self.within``, a people.selectors.Scope); 403 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.within = scope_of(user=request.user, perm=PERMISSION)
        if self.within is None:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def visible(self):
        """The reports this user may see (404 for any other)."""
        return visible_reports(within=self.within)


def reports_with_scope(reports):
    """Reports with what their scope and people need, in a fixed number of queries."""
    return reports.select_related(
        "campaign", "guideline", "version__guideline", "employee", "requested_by"
    ).prefetch_related("departments")


class ReportListView(ReportAccessMixin, ListView):
    """/rapportages/: every report, newest first, with its status and progress."""

    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 20
    page_kwarg = PAGE_KWARG
    extra_context = {"page_title": _("Reports")}

    def get_queryset(self):
        return reports_with_scope(self.visible()).order_by("-requested_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.REPORTS_RETENTION_DAYS
        return context


class ReportCreateView(ReportAccessMixin, FormView):
    """/rapportages/nieuw/: ask for a compliance report (``?campagne=<id>`` with
    ``?handreiking=<slug>``, or ``?versie=<id>`` fills in the scope); the background
    worker makes it."""

    template_name = "reports/report_form.html"
    form_class = ReportRequestForm
    extra_context = {"page_title": _("Request a compliance report")}

    def get_initial(self):
        initial = super().get_initial()
        campaign = self.request.GET.get("campagne", "")
        version = self.request.GET.get("versie", "")
        if campaign.isdigit():
            initial.update(basis=ReportRequestForm.BASIS_CAMPAIGN, campaign=int(campaign))
            # ?handreiking=<slug>: one guideline of the campaign (none: all, combined).
            guideline = self.request.GET.get("handreiking", "")
            if guideline:
                initial["guideline"] = guideline
        elif version.isdigit():
            initial.update(basis=ReportRequestForm.BASIS_VERSION, version=int(version))
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "within": self.within}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.REPORTS_RETENTION_DAYS
        return context

    def form_valid(self, form):
        try:
            report = services.request_report(**form.service_arguments(), by=self.request.user)
        except ReportError as error:
            return self.refuse(form, [str(error)])
        return redirect("reports:detail", pk=report.pk)

    def form_invalid(self, form):
        return self.refuse(form)

    def refuse(self, form, extra: list[str] = ()):
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)


class ReportDetailView(ReportAccessMixin, DetailView):
    """/rapportages/<pk>/: the report's status and progress, the download when it is
    ready, what it is on, and its log (who asked, made, downloaded, removed it)."""

    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return reports_with_scope(self.visible())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            page_title=str(report),
            events=list(report.events.select_related("actor").order_by("at", "pk")),
            ledger_check=ledger_check_line(report=report),
            **status_context(report),
        )
        return context


def status_context(report: Report) -> dict:
    """What the status part of the page shows (also fetched alone while it changes)."""
    working = report.status in (Report.Status.QUEUED, Report.Status.RUNNING)
    kept_days = settings.REPORTS_RETENTION_DAYS
    if report.expires_at and report.finished_at:
        kept_days = max(0, round((report.expires_at - report.finished_at).total_seconds() / 86400))
    return {
        "working": working,
        "poll_seconds": POLL_SECONDS,
        "kept_days": kept_days,
        "file_name": os.path.basename(report.file.name) if report.file else "",
    }


class ReportStatusPartView(ReportAccessMixin, DetailView):
    """/rapportages/<pk>/status/: only the status part of the report's page, for the
    page's script to refresh it while the report is being made."""

    template_name = "reports/includes/report_status.html"
    context_object_name = "report"

    def get_queryset(self):
        return self.visible()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(status_context(self.object))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "no-store"
        return response


class ReportDownloadView(ReportAccessMixin, View):
    """/rapportages/<pk>/download/: the file, as an attachment; every download is logged
    with the file's hash. 404 while it is not ready, or once it has been removed."""

    def get(self, request, *args, **kwargs):
        report = get_object_or_404(self.visible(), pk=kwargs["pk"])
        if report.status != Report.Status.DONE or not report.file:
            raise Http404("This report has no file to download.")
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The report's file is missing.") from error
        services.record_download(report=report, by=request.user)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=os.path.basename(report.file.name),
            content_type=CONTENT_TYPES.get(report.format, "application/octet-stream"),
        )
        response["Cache-Control"] = "private, no-store"
        return security_log.record_download(request=request, response=response, what="report")


class ReportRetryView(ReportAccessMixin, View):
    """POST /rapportages/<pk>/opnieuw/: make a failed report again (logged); back to
    its page, which shows its progress."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = get_object_or_404(self.visible(), pk=kwargs["pk"])
        try:
            services.retry_report(report=report, by=request.user)
        except ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("Report %(number)s is being made again.") % {"number": report.number},
            )
        return redirect("reports:detail", pk=report.pk)


class ReportLogView(ReportAccessMixin, ListView):
    """/rapportages/logboek/: every event of every report, newest first: who asked for,
    made, downloaded and removed which report, with the file's hash."""

    template_name = "reports/report_log.html"
    context_object_name = "events"
    paginate_by = 50
    page_kwarg = PAGE_KWARG
    extra_context = {"page_title": _("Log of reports")}

    def get_queryset(self):
        events = ReportEvent.objects.all()
        if not self.within.everything:
            events = events.filter(report__in=self.visible().values("pk"))
        return events.select_related("actor", "report").order_by("-at", "-pk")


def report_redirect(report: Report):
    return redirect("reports:detail", pk=report.pk)
