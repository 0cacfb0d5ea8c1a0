"""A manager's team page (/mijn-team/): where each team member stands in the running
campaigns, and the reminder buttons: remind one team member about one assignment, or
everyone in the team who is behind (POST only; the mails are planned by
campaigns.services.reminders.remind_now, at most one a day per assignment, and sent by the
worker)."""

import copy
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from campaigns import selectors
from campaigns.models import Assignment, Campaign
from campaigns.selectors import combined
from campaigns.services import reminders
from people.roles import Role
from people.selectors import has_role, search_employees, team_of
from portal.viewhelpers import SearchListView


class TeamView(SearchListView):
    """A manager's team: everyone who reports to them, directly or indirectly, with
    where each stands in the running campaigns and the buttons to remind them.

    A fixed number of queries whatever the team's size: the team (one per level of
    the hierarchy), the page, the statuses of the page's people and the team's counts.
    """

    template_name = "people/team.html"
    context_object_name = "employees"
    extra_context = {"page_title": _("My team")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(user=request.user, role=Role.MANAGER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        self.team = team_of(manager=self.request.user)
        return self.team.filter(is_active=True)

    def search_words_in(self, queryset, words):
        return search_employees(
            employees=queryset.select_related("department", "manager"), words=words
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manager, on = self.request.user, selectors.today()
        page = list(context["employees"])
        assignments = (
            selectors.team_assignments(manager=manager, on=on, team=self.team)
            .filter(employee__in=[employee.pk for employee in page])
            .select_related("guideline")
        )
        # Per employee and campaign, that campaign's assignments (one per guideline).
        per_campaign: dict[int, dict[int, list[Assignment]]] = defaultdict(dict)
        guidelines = {}
        for assignment in assignments.order_by("due_date", "campaign_id", "pk"):
            assignment.status_label = selectors.Status(assignment.status).label
            assignment.is_done = assignment.status in selectors.DONE
            per_campaign[assignment.employee_id].setdefault(assignment.campaign_id, []).append(
                assignment
            )
            guidelines[assignment.guideline_id] = assignment.guideline
        language = get_language() or "nl"
        columns = sorted(
            guidelines.values(), key=lambda guideline: guideline.title_in(language).lower()
        )
        context["rows"] = [
            (employee, [_row(found, columns) for found in per_campaign[employee.pk].values()])
            for employee in page
        ]
        # More than one guideline on the page: a column each, and the combined status.
        context["guideline_columns"] = (
            [guideline.title_in(language) for guideline in columns] if len(columns) > 1 else []
        )
        counts = selectors.status_counts(
            assignments=selectors.running_team_assignments(manager=manager, on=on, team=self.team),
            on=on,
        )
        counts["open"] = counts["total"] - counts["signed"] - counts["exempt"]
        context["counts"] = counts
        context["statuses"] = [
            (value, label, counts[value]) for value, label in selectors.Status.choices
        ]
        return context


def _row(assignments: list[Assignment], columns: list) -> Assignment:
    """One row of the team table: an employee in one campaign. It is the campaign's
    first assignment of theirs (its id names the row), with the combined status over
    the campaign's guidelines (the least done: campaigns.selectors.combined), ``cells``
    (the assignment per guideline column, None where not asked), the earliest due date
    still open, the latest reminder and ``remind``: the assignment the button is for."""
    row = copy.copy(assignments[0])
    row.status = min((a.status for a in assignments), key=combined.ORDER.index)
    row.status_label = selectors.Status(row.status).label
    row.is_done = row.status in selectors.DONE
    open_ = [a for a in assignments if not a.is_done]
    row.due_date = min((a.due_date for a in open_), default=row.due_date)
    reminded = [a.last_reminded_at for a in assignments if a.last_reminded_at]
    row.last_reminded_at = max(reminded, default=None)
    row.remind = open_[0] if open_ else None
    by_guideline = {a.guideline_id: a for a in assignments}
    row.cells = [by_guideline.get(guideline.pk) for guideline in columns]
    campaign = row.campaign
    row.campaign_label = campaign.get_kind_display() if campaign.is_onboarding else campaign.name
    return row


class ManagerMixin(LoginRequiredMixin):
    """Managers only (anyone with active reports); others get 403."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not has_role(user=request.user, role=Role.MANAGER):
            raise PermissionDenied
        return self.remind(request, *args, **kwargs)

    def remind(self, request, *args, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError


class RemindTeamView(ManagerMixin, View):
    """Remind everyone in the manager's team who has not signed (and is not exempt)."""

    def remind(self, request):
        planned, already = reminders.remind_now(
            assignments=selectors.running_team_assignments(manager=request.user), by=request.user
        )
        if planned:
            messages.success(
                request,
                ngettext(
                    "%(count)d person has been reminded by e-mail.",
                    "%(count)d people have been reminded by e-mail.",
                    planned,
                )
                % {"count": planned},
            )
        if already:
            messages.info(
                request,
                ngettext(
                    "%(count)d person had been reminded today already and gets no second "
                    "e-mail today.",
                    "%(count)d people had been reminded today already and get no second "
                    "e-mail today.",
                    already,
                )
                % {"count": already},
            )
        if not planned and not already:
            messages.info(
                request, gettext("Nobody needed a reminder: everyone has signed or is exempt.")
            )
        return redirect("campaigns_team:team")


class RemindOneView(ManagerMixin, View):
    """Remind one team member about one assignment; someone else's assignment is 404."""

    def remind(self, request, pk):
        assignment = get_object_or_404(
            Assignment.objects.filter(employee__in=team_of(manager=request.user)).select_related(
                "employee", "campaign"
            ),
            pk=pk,
        )
        name = assignment.employee.full_name
        if assignment.campaign.status != Campaign.Status.RUNNING:
            messages.info(
                request,
                gettext("No reminder was sent to %(name)s: the campaign is not running.")
                % {"name": name},
            )
            return redirect("campaigns_team:team")
        planned, already = reminders.remind_now(
            assignments=Assignment.objects.filter(pk=assignment.pk), by=request.user
        )
        if planned:
            messages.success(
                request, gettext("%(name)s has been reminded by e-mail.") % {"name": name}
            )
        elif already:
            messages.info(
                request,
                gettext("%(name)s had been reminded today already and gets no second e-mail today.")
                % {"name": name},
            )
        else:
            messages.info(
                request,
                gettext("No reminder was sent to %(name)s: nothing is left for them to do.")
                % {"name": name},
            )
        return redirect("campaigns_team:team")
