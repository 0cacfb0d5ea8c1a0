"""HR's campaign pages (/campagnes/): the list, setting up, launching, closing, the
reminder schedule, the onboarding rule and trying a failed mail again (exemptions:
campaigns.views.exemptions).

Thin views: reads through campaigns.selectors and campaigns.selectors.dashboard, writes only
through campaigns.services and campaigns.services.reminders. The dashboards themselves (detail,
people, overdue CSV, reminder log) are in campaigns.views.dashboard.

Seeing needs ``campaigns.view_campaign_dashboard`` (HR, auditors, administrators);
changing anything needs ``campaigns.manage_campaigns`` (HR). Others get 403, anonymous
visitors the log-in page. Where someone uses them is their scope (people.selectors.scope_of,
``self.scope``): the whole organisation for central HR, or the departments an HR adviser
holds the HR role on. An adviser sees the campaigns that touch their part (another
campaign, or an assignment of someone outside it: 404) and runs only those whose audience
lies wholly in it (else 403); the onboarding rule stays central.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from campaigns import selectors, services
from campaigns.forms.campaigns import (
    CampaignForm,
    OnboardingGuidelinesForm,
    ScheduleForm,
)
from campaigns.models import Campaign, CampaignGuideline, Reminder
from campaigns.selectors import dashboard
from campaigns.selectors import reminders as reminder_selectors
from campaigns.selectors import scope as scoped
from campaigns.services import CampaignError, reminders
from people.selectors import Scope, scope_of

VIEW_PERMISSION = "campaigns.view_campaign_dashboard"
MANAGE_PERMISSION = "campaigns.manage_campaigns"
PAGE_KWARG = "pagina"


class DashboardAccessMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in and acting somewhere with the permission(s) (people.selectors.scope_of):
    ``self.scope`` is where (the first permission's), ``can_manage`` for the templates.
    Asked again on every request, so a grant taken away stops at the next one."""

    permission_required = VIEW_PERMISSION
    # Only for those who act on the whole organisation (central HR), e.g. the onboarding
    # rule, which asks everyone who joins.
    central_only = False
    scope: Scope

    def has_permission(self) -> bool:
        scopes = [
            scope_of(user=self.request.user, perm=perm) for perm in self.get_permission_required()
        ]
        if not scopes or any(scope is None for scope in scopes):
            return False
        self.scope = scopes[0]
        return self.scope_permits()

    def scope_permits(self) -> bool:
        """Whether this page is open to ``self.scope`` (an adviser's is part of it)."""
        return self.scope.everything or not self.central_only

    def manage_scope(self) -> Scope | None:
        return scope_of(user=self.request.user, perm=MANAGE_PERMISSION)

    def can_manage(self) -> bool:
        """May change what the page shows: on a campaign's pages (CampaignMixin), only a
        campaign whose audience lies wholly in the scope for managing."""
        scope = self.manage_scope()
        if scope is None:
            return False
        get_campaign = getattr(self, "get_campaign", None)
        return get_campaign is None or scoped.lies_within(campaign=get_campaign(), scope=scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.can_manage()
        context["scope"] = self.scope
        return context


class ManageAccessMixin(DashboardAccessMixin):
    permission_required = MANAGE_PERMISSION


class CampaignMixin:
    """The campaign of the URL's ``pk``, among those that touch the viewer's scope (else
    404); with it, ``can_manage`` says whether the viewer may run this campaign."""

    def get_campaign(self) -> Campaign:
        if not hasattr(self, "_campaign"):
            self._campaign = get_object_or_404(
                Campaign.objects.filter(scoped.touching(scope=self.scope)).select_related(
                    "created_by", "launched_by"
                ),
                pk=self.kwargs["pk"],
            )
        return self._campaign

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.get_campaign()
        return context


class ManagedCampaignMixin(ManageAccessMixin, CampaignMixin):
    """Changing one campaign: only one whose audience lies wholly in the scope (403)."""

    def scope_permits(self) -> bool:
        return super().scope_permits() and scoped.lies_within(
            campaign=self.get_campaign(), scope=self.scope
        )


def return_url(request, default: str) -> str:
    """``next`` from the form when it is a page under ``default`` (e.g. the filtered
    people list), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(default) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def detail_url(campaign: Campaign) -> str:
    return reverse("campaigns:detail", args=[campaign.pk])


# List and set-up --------------------------------------------------------------------------


class CampaignListView(DashboardAccessMixin, ListView):
    """/campagnes/: the campaigns, newest first, each with its completion (one query for
    the whole page); an HR adviser's: those that touch their part, with its figures."""

    template_name = "campaigns/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 20
    page_kwarg = PAGE_KWARG
    extra_context = {"page_title": _("Campaigns")}

    def get_queryset(self):
        # An HR adviser: the campaigns that touch their part (in the same query).
        return (
            Campaign.objects.filter(kind=Campaign.Kind.CAMPAIGN)
            .filter(scoped.touching(scope=self.scope))
            .prefetch_related(
                Prefetch(
                    "subjects",
                    queryset=CampaignGuideline.objects.select_related(
                        "guideline", "version"
                    ).order_by("pk"),
                )
            )
            .order_by("-start_date", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(context["campaigns"])
        figures = dashboard.completion_by_campaign(
            campaign_ids=[c.pk for c in campaigns], on=selectors.today(), scope=self.scope
        )
        empty = dashboard.shares(row={"total": 0})
        context["rows"] = [(c, figures.get(c.pk, empty), _titled(c)) for c in campaigns]
        return context


def _titled(campaign: Campaign) -> list[dict]:
    """The campaign's guidelines (prefetched ``subjects``) for a page: the title in the
    page's language and the version asked for."""
    language = get_language() or "nl"
    return [
        {
            "title": subject.guideline.title_in(language),
            "version": subject.version,
            "slug": subject.guideline.slug,
        }
        for subject in campaign.subjects.all()
    ]


class CampaignCreateView(ManageAccessMixin, FormView):
    """/campagnes/nieuw/: set up a campaign (a draft: nobody is asked anything yet)."""

    template_name = "campaigns/campaign_form.html"
    form_class = CampaignForm
    extra_context = {"page_title": _("Set up a campaign")}

    def get_form_kwargs(self):
        # An HR adviser: their departments or people, never all staff.
        return super().get_form_kwargs() | {"scope": self.scope}

    def form_valid(self, form):
        try:
            campaign = services.create_campaign(**form.service_arguments(), by=self.request.user)
        except CampaignError as error:
            return self.refuse(form, [str(error)])
        messages.success(
            self.request,
            gettext("The campaign “%(name)s” has been set up. Check it, then launch it when ready.")
            % {"name": campaign.name},
        )
        return redirect(detail_url(campaign))

    def form_invalid(self, form):
        return self.refuse(form)

    def refuse(self, form, extra: list[str] = ()):
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)


# Launching and closing --------------------------------------------------------------------


class _ConfirmView(ManagedCampaignMixin, TemplateView):
    """GET: what will happen and a button; POST: do it (the service locks the row, so a
    second click changes nothing) and go back to the dashboard."""

    allowed_status = Campaign.Status.DRAFT
    not_allowed_message = ""

    def get(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        if campaign.status != self.allowed_status or campaign.is_onboarding:
            messages.info(request, self.not_allowed_message)
            return redirect(detail_url(campaign))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        try:
            message = self.act(campaign)
        except CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect(detail_url(campaign))

    def act(self, campaign: Campaign) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class CampaignLaunchView(_ConfirmView):
    """/campagnes/<pk>/starten/: how many employees will get an assignment, then launch."""

    template_name = "campaigns/campaign_launch.html"
    not_allowed_message = _("This campaign was launched already.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        language = get_language() or "nl"
        context["audience_count"] = selectors.audience(campaign=campaign).count()
        # Per guideline: those in the campaign's audience and in the guideline's own.
        context["subjects"] = [
            {
                "title": subject.guideline.title_in(language),
                "version": subject.version,
                "count": selectors.audience(campaign=campaign, guideline=subject.guideline).count(),
            }
            for subject in campaign.subjects.select_related("guideline", "version").order_by("pk")
        ]
        return context

    def act(self, campaign):
        added = services.launch_campaign(campaign=campaign, by=self.request.user)
        return ngettext(
            "The campaign has been launched: %(count)s employee got an assignment.",
            "The campaign has been launched: %(count)s employees got an assignment.",
            added,
        ) % {"count": added}


class CampaignCloseView(_ConfirmView):
    """/campagnes/<pk>/sluiten/: stop sending reminders; the figures stay."""

    template_name = "campaigns/campaign_close.html"
    allowed_status = Campaign.Status.RUNNING
    not_allowed_message = _("Only a running campaign can be closed.")

    def act(self, campaign):
        services.close_campaign(campaign=campaign, by=self.request.user)
        return gettext("The campaign has been closed. No more reminders will be sent.")


# Schedule and the onboarding rule ---------------------------------------------------------


class ScheduleFormMixin:
    """Shows and saves a campaign's reminder schedule through services.update_schedule."""

    def schedule_form(self, campaign, data=None) -> ScheduleForm:
        return ScheduleForm(data, campaign=campaign)

    def save_schedule(self, campaign, success_url: str):
        form = self.schedule_form(campaign, self.request.POST)
        extra: list[str] = []
        if form.is_valid():
            try:
                services.update_schedule(campaign=campaign, by=self.request.user, **form.schedule())
            except CampaignError as error:
                extra.append(str(error))
            else:
                messages.success(self.request, gettext("The reminder schedule has been saved."))
                return redirect(success_url)
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)


class ScheduleView(ManagedCampaignMixin, ScheduleFormMixin, TemplateView):
    """/campagnes/<pk>/schema/: when reminders and escalations go."""

    template_name = "campaigns/schedule.html"

    def get_context_data(self, **kwargs):
        campaign = self.get_campaign()
        kwargs.setdefault("form", self.schedule_form(campaign))
        # As saved (a refused change is not shown), with the dates for the deadline.
        kwargs["sequence"] = reminder_selectors.schedule(
            campaign=campaign, due_date=campaign.deadline
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        return self.save_schedule(campaign, detail_url(campaign))


class OnboardingRuleView(DashboardAccessMixin, ScheduleFormMixin, TemplateView):
    """/campagnes/inwerken/: the standing onboarding campaign: its rule, its schedule
    (HR may change it here) and a link to its dashboard."""

    template_name = "campaigns/onboarding.html"
    extra_context = {"page_title": _("Onboarding of new employees")}

    def get_permission_required(self):
        return (MANAGE_PERMISSION,) if self.request.method == "POST" else (VIEW_PERMISSION,)

    def scope_permits(self) -> bool:
        # An HR adviser may read the rule; changing it stays central.
        return self.scope.everything or self.request.method != "POST"

    def can_manage(self) -> bool:
        scope = self.manage_scope()
        return scope is not None and scope.everything

    def get_rule(self) -> Campaign:
        if not hasattr(self, "_rule"):
            self._rule = services.onboarding_rule()
        return self._rule

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = self.get_rule()
        if context["can_manage"]:
            context.setdefault("form", self.schedule_form(rule))
        language = get_language() or "nl"
        context.update(
            rule=rule,
            campaign=rule,
            # Without dates: each new employee has their own due date.
            sequence=reminder_selectors.schedule(campaign=rule),
            onboarding_days=settings.CAMPAIGN_ONBOARDING_DAYS,
            subjects=[
                {
                    "title": subject.guideline.title_in(language),
                    "days": services.onboarding_days(subject=subject),
                    "standard": subject.due_days is None,
                }
                for subject in rule.subjects.select_related("guideline").order_by("pk")
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        return self.save_schedule(self.get_rule(), reverse("campaigns:onboarding"))


class OnboardingGuidelinesView(ManageAccessMixin, TemplateView):
    """/campagnes/inwerken/handreikingen/: which guidelines new employees are asked to
    acknowledge, and in how many days after their start date each."""

    template_name = "campaigns/onboarding_guidelines.html"
    extra_context = {"page_title": _("Guidelines for new employees")}
    central_only = True

    def get_form(self, data=None) -> OnboardingGuidelinesForm:
        rule = services.onboarding_rule()
        return OnboardingGuidelinesForm(
            data,
            guidelines=selectors.onboarding_choices(),
            subjects=list(rule.subjects.all()),
            standard_days=settings.CAMPAIGN_ONBOARDING_DAYS,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        extra: list[str] = []
        if form.is_valid():
            try:
                services.set_onboarding_guidelines(due_days=form.due_days(), by=request.user)
            except CampaignError as error:
                extra.append(str(error))
            else:
                messages.success(
                    request, gettext("The guidelines for new employees have been saved.")
                )
                return redirect(reverse("campaigns:onboarding"))
        context = self.get_context_data(form=form, error_summary=form.error_summary(extra=extra))
        return self.render_to_response(context, status=400)


# Failed mails -----------------------------------------------------------------------------


class ReminderRetryView(ManageAccessMixin, View):
    """POST /campagnes/herinneringen/<pk>/opnieuw/: try a failed mail again (logged).
    An HR adviser: only a mail about someone in their scope (else 404), of a campaign
    that lies wholly in it (else 403)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        reminder = get_object_or_404(
            Reminder.objects.filter(
                self.scope.q(department_field="assignment__employee__department")
            ).select_related("assignment__employee", "assignment__campaign"),
            pk=kwargs["pk"],
        )
        if not scoped.lies_within(campaign=reminder.assignment.campaign, scope=self.scope):
            raise PermissionDenied
        log_url = reverse("campaigns:reminders", args=[reminder.assignment.campaign_id])
        try:
            reminders.retry_failed(reminder=reminder, by=request.user)
        except CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("The mail about %(name)s will be tried again.")
                % {"name": reminder.assignment.employee.full_name},
            )
        return redirect(return_url(request, log_url))
