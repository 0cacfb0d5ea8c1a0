from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from acknowledgements.selectors import open_rounds, statuses_for
from acknowledgements.selectors.overview import guideline_standings
from campaigns.selectors import open_assignments_of
from handbook.selectors import any_version_in_force


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee = self.request.user
        language = get_language()
        # Every guideline that applies with a version in force, by title, each with what
        # it asks of the employee: a fixed number of queries however many guidelines.
        standings = [
            standing
            for standing in guideline_standings(employee=employee, language=language)
            if standing.version is not None
        ]
        statuses = statuses_for(employee=employee, versions=[s.version for s in standings])
        # Where a yearly round asks them to sign a version again (one query).
        rounds = open_rounds(employee=employee)
        context["guidelines"] = [
            {
                "standing": standing,
                "status": statuses[standing.version.pk],
                "round": rounds.get(standing.version.pk),
            }
            for standing in standings
        ]
        # Nothing applies: has nothing been published at all, or only for others?
        context["nothing_published"] = not standings and not any_version_in_force()
        # What is due and when, over every guideline and running campaign, the nearest
        # first: one query however many.
        due = open_assignments_of(employee=employee)
        for assignment in due:
            assignment.title = assignment.guideline.title_in(language)
        context["due"] = due
        return context


class AccessibilityStatementView(TemplateView):
    """The toegankelijkheidsverklaring that the law asks for, open to everyone."""

    template_name = "portal/accessibility.html"


class NotOfferedView(View):
    """A page of django-allauth that the portal does not offer: "not found" for everyone.

    /account/email/ would let anyone replace their e-mail address, unverified, and with
    it the address they log in with and where reminders go. The addresses are HR's: they
    come from the staff records.
    """

    def dispatch(self, request, *args, **kwargs):
        raise Http404(_("The portal does not offer this page."))
