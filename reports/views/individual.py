"""/rapportages/dossier/: ask for one employee's file (all their acknowledgements and
quiz results, as PDF), by employee number; a search helps to find the number.

``?personeelsnummer=`` fills in the number (from the search results), ``?q=`` searches
(also former employees: an auditor may ask about someone who left).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from portal.search import SearchForm
from reports import services
from reports.forms import IndividualFileForm, search_employees
from reports.models import Report
from reports.services import ReportError
from reports.views.compliance import ReportAccessMixin, report_redirect

SEARCH_LIMIT = 25


class IndividualFileView(ReportAccessMixin, FormView):
    template_name = "reports/individual_form.html"
    form_class = IndividualFileForm
    extra_context = {"page_title": _("Request an individual file")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "within": self.within}

    def get_initial(self):
        initial = super().get_initial()
        number = self.request.GET.get("personeelsnummer", "").strip()
        if number:
            initial["employee_number"] = number
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = SearchForm(self.request.GET)
        query = search.query
        results = list(search_employees(query, SEARCH_LIMIT + 1, self.within)) if query else []
        context.update(
            search=search,
            query=query,
            results=results[:SEARCH_LIMIT],
            more_results=len(results) > SEARCH_LIMIT,
            search_limit=SEARCH_LIMIT,
        )
        return context

    def form_valid(self, form):
        try:
            report = services.request_report(
                kind=Report.Kind.INDIVIDUAL,
                format=Report.Format.PDF,
                language=form.cleaned_data["language"],
                employee=form.cleaned_data["employee_number"],
                by=self.request.user,
            )
        except ReportError as error:
            return self.refuse(form, [str(error)])
        return report_redirect(report)

    def form_invalid(self, form):
        return self.refuse(form)

    def refuse(self, form, extra: list[str] = ()):
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)
