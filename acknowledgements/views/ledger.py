"""The ledger for HR and auditors: the last check of the chain and every record,
searchable; a button asks the background worker for a new check (the page itself does
not check the chain: at 100,000 entries that takes seconds, see ledger_checks)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from acknowledgements.selectors import acknowledgement_list, ledger_head
from acknowledgements.services import ledger_checks
from portal.search import SearchForm

PERMISSION = "acknowledgements.view_ledger"


class LedgerView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """/grootboek/: the result of the last check of the chain, then the records, newest
    first."""

    permission_required = PERMISSION
    template_name = "acknowledgements/hr/ledger.html"
    context_object_name = "records"
    paginate_by = 25
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Acknowledgement ledger")}

    def get_queryset(self):
        self.search = SearchForm(self.request.GET)
        records = acknowledgement_list(query=self.search.query)
        return records.none() if self.search.refused else records

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["query"] = self.search.query
        status = ledger_checks.check_status()
        check = status.finished
        context.update(
            check=check,
            check_problem=ledger_checks.problem_text(reason=check.problem_reason) if check else "",
            check_in_progress=status.in_progress,
            check_unfinished=status.unfinished,
        )
        head = ledger_head()
        context.update(head=head, anchor=f"{head.sequence}:{head.record_hash}")
        return context


class LedgerCheckRequestView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST /grootboek/controleren/: ask the background worker to check the chain (once:
    while a check waits or runs, no second one), then back to the ledger."""

    permission_required = PERMISSION
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        check = ledger_checks.request_check(requested_by=request.user)
        if check.newly_requested:
            messages.success(
                request,
                gettext(
                    "The ledger is being checked in the background. Reload this page in a "
                    "moment to see the result."
                ),
            )
        else:
            messages.info(
                request,
                gettext(
                    "A check of the ledger is already waiting or running. Reload this page "
                    "in a moment to see its result."
                ),
            )
        return redirect("ledger:overview")
