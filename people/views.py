from collections import defaultdict

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from campaigns import selectors as campaign_selectors
from people.models import Employee
from people.roles import Role
from people.selectors import has_role, team_of
from people.services import set_preferred_language
from portal.search import SearchForm, search_words


class SwitchLanguageView(View):
    """Switch the portal's language; remembered on the employee's profile."""

    http_method_names = ["post"]

    def post(self, request):
        language = request.POST.get("language", "")
        next_url = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        response = HttpResponseRedirect(next_url)
        if language not in Employee.Language.values:
            return response
        if request.user.is_authenticated:
            set_preferred_language(employee=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class _EmployeeListView(LoginRequiredMixin, ListView):
    """A searchable, paginated list of employees; subclasses decide who is in it."""

    template_name = "people/employee_list.html"
    context_object_name = "employees"
    paginate_by = 25
    page_kwarg = "pagina"

    def base_queryset(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def get_queryset(self):
        employees = self.base_queryset().select_related("department", "manager")
        self.search = SearchForm(self.request.GET)
        if self.search.refused:
            return employees.none()
        # Every word must match somewhere, so "jan jansen" finds Jan Jansen.
        for term in search_words(self.search.query):
            employees = employees.filter(
                Q(first_name__icontains=term)
                | Q(name_prefix__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
                | Q(employee_number__iexact=term)
                | Q(department__name__icontains=term)
            )
        return employees.order_by("last_name", "first_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["query"] = self.search.query
        return context


class TeamView(_EmployeeListView):
    """A manager's team: everyone who reports to them, directly or indirectly, with
    where each stands in the running campaigns and the buttons to remind them.

    A fixed number of queries whatever the team's size: the team (one per level of
    the hierarchy), the page, the statuses of the page's people and the team's counts.
    """

    template_name = "people/team.html"
    extra_context = {"page_title": _("My team")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, Role.MANAGER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        self.team = team_of(self.request.user)
        return self.team.filter(is_active=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manager, on = self.request.user, campaign_selectors.today()
        page = list(context["employees"])
        assignments = campaign_selectors.team_assignments(manager, on, team=self.team).filter(
            employee__in=[employee.pk for employee in page]
        )
        per_employee = defaultdict(list)
        for assignment in assignments.order_by("due_date", "campaign_id"):
            assignment.status_label = campaign_selectors.Status(assignment.status).label
            assignment.is_done = assignment.status in campaign_selectors.DONE
            campaign = assignment.campaign
            assignment.campaign_label = (
                campaign.get_kind_display() if campaign.is_onboarding else campaign.name
            )
            per_employee[assignment.employee_id].append(assignment)
        context["rows"] = [(employee, per_employee[employee.pk]) for employee in page]
        counts = campaign_selectors.status_counts(
            campaign_selectors.running_team_assignments(manager, on, team=self.team), on
        )
        counts["open"] = counts["total"] - counts["signed"] - counts["exempt"]
        context["counts"] = counts
        context["statuses"] = [
            (value, label, counts[value]) for value, label in campaign_selectors.Status.choices
        ]
        return context


class StaffListView(PermissionRequiredMixin, _EmployeeListView):
    """All staff, for HR and auditors."""

    permission_required = "people.view_all_employees"
    extra_context = {"page_title": _("Staff")}

    def base_queryset(self):
        return Employee.objects.all()
