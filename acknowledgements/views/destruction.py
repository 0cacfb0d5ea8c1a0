"""Retention for central HR and auditors: the destruction lists (vernietigingslijsten).

/grootboek/vernietiging/: every list; central HR proposes a new one. A list's page shows
its items; someone with ``approve_destruction`` who did not propose it records the
archivist's approval (verklaring van vernietiging); central HR then carries it out.
An HR adviser of a part of the organisation holds none of these permissions globally:
403 (retention is about everyone at once)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from acknowledgements.forms.destruction import ApprovalForm
from acknowledgements.models import DestructionList
from acknowledgements.selectors.destruction import destruction_list, destruction_lists
from acknowledgements.services import destruction
from acknowledgements.services.destruction_csv import category_label, destruction_list_csv


def _refusal(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class DestructionListsView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = destruction.VIEW_PERMISSION
    template_name = "acknowledgements/destruction/lists.html"
    context_object_name = "lists"
    paginate_by = 25
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Destruction lists")}

    def get_queryset(self):
        return destruction_lists()


class DestructionProposeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = destruction.PROPOSE_PERMISSION
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        proposal = destruction.propose_destruction(proposed_by=request.user)
        messages.success(
            request,
            gettext(
                "The destruction list is proposed. Nothing is removed until the archivist's "
                "approval is recorded and the list is carried out."
            ),
        )
        return redirect("ledger:destruction_list", pk=proposal.pk)


class DestructionListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = destruction.VIEW_PERMISSION
    http_method_names = ["get"]

    def get(self, request, pk: int, *args, **kwargs):
        return _detail(request, destruction_list(pk=pk), form=ApprovalForm())


def _detail(request, row: DestructionList, *, form: ApprovalForm, extra=()):
    user = request.user
    items = destruction.items_of(destruction_list=row)
    context = {
        "page_title": str(row),
        "list": row,
        "items": [(category_label(item=item), item) for item in items],
        "form": form,
        "error_summary": form.error_summary(extra=extra) if form.is_bound or extra else [],
        "may_approve": row.status == DestructionList.Status.PROPOSED
        and user.has_perm(destruction.APPROVE_PERMISSION)
        and row.proposed_by_id != user.pk,
        "proposer_may_not_approve": row.status == DestructionList.Status.PROPOSED
        and row.proposed_by_id == user.pk,
        "may_carry_out": row.status == DestructionList.Status.APPROVED
        and user.has_perm(destruction.PROPOSE_PERMISSION),
    }
    return render(request, "acknowledgements/destruction/detail.html", context)


class DestructionApproveView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = destruction.APPROVE_PERMISSION
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):
        row = destruction_list(pk=pk)
        form = ApprovalForm(request.POST)
        if not form.is_valid():
            return _detail(request, row, form=form)
        try:
            destruction.approve_destruction(
                destruction_list=row, approved_by=request.user, **form.cleaned_data
            )
        except (PermissionDenied, ValidationError) as exc:
            return _detail(request, row, form=form, extra=[_refusal(exc)])
        messages.success(
            request, gettext("The approval is recorded. The list can now be carried out.")
        )
        return redirect("ledger:destruction_list", pk=row.pk)


class DestructionCarryOutView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = destruction.PROPOSE_PERMISSION
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):
        row = destruction_list(pk=pk)
        try:
            destruction.carry_out_destruction(destruction_list=row, carried_out_by=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, gettext("The destruction list is carried out."))
        return redirect("ledger:destruction_list", pk=row.pk)


class DestructionCsvView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = destruction.VIEW_PERMISSION
    http_method_names = ["get"]

    def get(self, request, pk: int, *args, **kwargs):
        row = destruction_list(pk=pk)
        status = row.get_status_display()
        text = destruction_list_csv(
            items=destruction.items_of(destruction_list=row),
            removed_at=row.carried_out_at,
            status=str(status),
        )
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="vernietigingslijst-{row.pk}.csv"'
        # Employee numbers of leavers: the security middleware logs the download.
        return response
