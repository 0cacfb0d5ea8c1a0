"""HR's exemption pages (issue 21: four eyes): asking for an exemption of one
assignment, the requests waiting for a second HR person, deciding on one, and lifting
an exemption in force.

Thin views over campaigns.services.exemptions (which ask the rules again: never the
one who asked, only someone whose scope covers the employee) and
campaigns.selectors.exemptions. Every page needs ``campaigns.manage_campaigns`` in a
scope (people.selectors.scope_of): central HR everywhere, an HR adviser only for people
in their part (someone else's assignment or request: 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from campaigns.forms.campaigns import ExemptForm
from campaigns.forms.exemptions import APPROVE, DecisionForm
from campaigns.models import Assignment, Exemption
from campaigns.selectors import exemptions as exemption_selectors
from campaigns.services import CampaignError, lift_exemption
from campaigns.services import exemptions as exemption_services
from campaigns.views.hr import ManageAccessMixin, return_url


class _AssignmentActionView(ManageAccessMixin, TemplateView):
    """Acting on one assignment: only of someone in the scope (another's: 404)."""

    def get_assignment(self) -> Assignment:
        if not hasattr(self, "_assignment"):
            self._assignment = get_object_or_404(
                Assignment.objects.filter(
                    self.scope.q(department_field="employee__department")
                ).select_related("employee__department", "campaign", "exempted_by"),
                pk=self.kwargs["pk"],
            )
        return self._assignment

    def people_url(self) -> str:
        return reverse("campaigns:people", args=[self.get_assignment().campaign_id])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.get_assignment()
        context.update(
            assignment=assignment,
            campaign=assignment.campaign,
            employee=assignment.employee,
            next_url=return_url(self.request, self.people_url()),
        )
        return context


class ExemptView(_AssignmentActionView):
    """/campagnes/toewijzing/<pk>/vrijstellen/: GET the form, POST ask for an exemption
    (with a reason, logged); another HR person decides on it."""

    template_name = "campaigns/exempt.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ExemptForm())
        return super().get_context_data(**kwargs)

    def get(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.is_exempt:
            messages.info(request, gettext("This employee is exempt already."))
            return redirect(return_url(request, self.people_url()))
        if assignment.exemptions.filter(decision=Exemption.Decision.REQUESTED).exists():
            messages.info(
                request, gettext("An exemption of this employee waits for approval already.")
            )
            return redirect(return_url(request, self.people_url()))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        form = ExemptForm(request.POST)
        extra: list[str] = []
        if form.is_valid():
            try:
                exemption_services.request_exemption(
                    assignment=assignment, reason=form.cleaned_data["reason"], by=request.user
                )
            except CampaignError as error:
                extra.append(str(error))
            else:
                messages.success(
                    request,
                    gettext(
                        "The exemption of %(name)s has been asked for. It counts once another "
                        "HR person approves it; until then the reminders go on."
                    )
                    % {"name": assignment.employee.full_name},
                )
                return redirect(return_url(request, self.people_url()))
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)


class LiftExemptionView(_AssignmentActionView):
    """/campagnes/toewijzing/<pk>/vrijstelling-intrekken/: GET confirm, POST lift."""

    template_name = "campaigns/lift_exemption.html"

    def get(self, request, *args, **kwargs):
        if not self.get_assignment().is_exempt:
            messages.info(request, gettext("This employee is not exempt."))
            return redirect(return_url(request, self.people_url()))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        try:
            lift_exemption(assignment=assignment, by=request.user)
        except CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("The exemption of %(name)s has been lifted.")
                % {"name": assignment.employee.full_name},
            )
        return redirect(return_url(request, self.people_url()))


class WaitingExemptionsView(ManageAccessMixin, ListView):
    """/campagnes/vrijstellingen/: the requests waiting for a decision about people in
    the scope, oldest first; one's own are marked (another HR person decides them)."""

    template_name = "campaigns/exemptions_waiting.html"
    context_object_name = "requests"
    paginate_by = 50
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Exemptions waiting for approval")}

    def get_queryset(self):
        return exemption_selectors.waiting(scope=self.scope)


class DecideExemptionView(ManageAccessMixin, TemplateView):
    """/campagnes/vrijstellingen/<pk>/: a waiting request with its reason; POST approve
    or refuse (with a note). Someone else's request in the scope only (else 404; the one
    who asked: 403), and only while it waits."""

    template_name = "campaigns/exemption_decide.html"

    def get_exemption(self) -> Exemption:
        if not hasattr(self, "_exemption"):
            self._exemption = get_object_or_404(
                exemption_selectors.waiting(scope=self.scope), pk=self.kwargs["pk"]
            )
        return self._exemption

    def own_request(self) -> bool:
        return self.get_exemption().exempted_by_id == self.request.user.pk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exemption = self.get_exemption()
        kwargs_form = kwargs.get("form") or DecisionForm()
        context.update(
            exemption=exemption,
            assignment=exemption.assignment,
            campaign=exemption.assignment.campaign,
            employee=exemption.assignment.employee,
            own_request=self.own_request(),
            form=kwargs_form,
        )
        return context

    def post(self, request, *args, **kwargs):
        exemption = self.get_exemption()
        if self.own_request():
            raise PermissionDenied(
                gettext("You asked for this exemption: another HR person must decide on it.")
            )
        form = DecisionForm(request.POST)
        extra: list[str] = []
        if form.is_valid():
            decide = (
                exemption_services.approve_exemption
                if form.cleaned_data["decision"] == APPROVE
                else exemption_services.refuse_exemption
            )
            try:
                decide(exemption=exemption, by=request.user, note=form.cleaned_data["note"])
            except CampaignError as error:
                extra.append(str(error))
            else:
                name = exemption.assignment.employee.full_name
                if form.cleaned_data["decision"] == APPROVE:
                    text = gettext("The exemption of %(name)s has been approved.")
                else:
                    text = gettext("The exemption of %(name)s has been refused.")
                messages.success(request, text % {"name": name})
                return redirect(reverse("campaigns:exemptions_waiting"))
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)
