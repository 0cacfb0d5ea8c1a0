from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from people.models import Employee
from people.selectors import scope_of, search_employees
from people.services import set_preferred_language
from portal.viewhelpers import SearchListView


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


class StaffListView(SearchListView):
    """All staff, for HR and auditors; an HR adviser sees (and searches) only the staff
    of their part of the organisation. (A manager's team: campaigns.views.team.)"""

    permission = "people.view_all_employees"
    template_name = "people/employee_list.html"
    context_object_name = "employees"
    extra_context = {"page_title": _("Staff")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # else LoginRequiredMixin: to the log-in page
            self.within = scope_of(user=request.user, perm=self.permission)
            if self.within is None:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Employee.objects.filter(self.within.q(department_field="department"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.within.everything:
            context["part"] = self.within.departments().filter(path__in=self.within.paths)
        return context

    def search_words_in(self, queryset, words):
        return search_employees(
            employees=queryset.select_related("department", "manager"), words=words
        )
