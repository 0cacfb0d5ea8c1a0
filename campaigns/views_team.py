"""A manager's reminder buttons on the team page (/mijn-team/): remind one team member
about one assignment, or everyone in the team who is behind. POST only; the mails are
planned by campaigns.reminders.remind_now (at most one a day per assignment) and sent
by the worker."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views import View

from campaigns import reminders, selectors
from campaigns.models import Assignment, Campaign
from people.roles import Role
from people.selectors import has_role, team_of


class ManagerMixin(LoginRequiredMixin):
    """Managers only (anyone with active reports); others get 403."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, Role.MANAGER):
            raise PermissionDenied
        return self.remind(request, *args, **kwargs)

    def remind(self, request, *args, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError


class RemindTeamView(ManagerMixin, View):
    """Remind everyone in the manager's team who has not signed (and is not exempt)."""

    def remind(self, request):
        planned, already = reminders.remind_now(
            assignments=selectors.running_team_assignments(request.user), by=request.user
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
        return redirect("people:team")


class RemindOneView(ManagerMixin, View):
    """Remind one team member about one assignment; someone else's assignment is 404."""

    def remind(self, request, pk):
        assignment = get_object_or_404(
            Assignment.objects.filter(employee__in=team_of(request.user)).select_related(
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
            return redirect("people:team")
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
        return redirect("people:team")
