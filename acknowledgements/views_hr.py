"""The ledger for HR and auditors: the chain check and every record, searchable."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from acknowledgements.selectors import acknowledgement_list
from acknowledgements.verification import verify_chain


class LedgerView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """/grootboek/: the result of checking the chain, then the records, newest first."""

    permission_required = "acknowledgements.view_ledger"
    template_name = "acknowledgements/hr/ledger.html"
    context_object_name = "records"
    paginate_by = 25
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Acknowledgement ledger")}

    def get_queryset(self):
        return acknowledgement_list(self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "").strip()
        context["check"] = verify_chain()
        return context
