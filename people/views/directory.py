from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from people.models import Employee
from people.selectors import search_employees
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


class StaffListView(PermissionRequiredMixin, SearchListView):
    """All staff, for HR and auditors. (A manager's team: campaigns.views.team.)"""

    permission_required = "people.view_all_employees"
    template_name = "people/employee_list.html"
    context_object_name = "employees"
    extra_context = {"page_title": _("Staff")}

    def base_queryset(self):
        return Employee.objects.all()

    def search_words_in(self, queryset, words):
        return search_employees(
            employees=queryset.select_related("department", "manager"), words=words
        )
