from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from acknowledgements.selectors import acknowledgement_of, status_for
from campaigns.selectors import open_assignments_of
from handbook.selectors import current_version, default_guideline


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guideline = default_guideline()
        context["guideline"] = guideline
        current = current_version(guideline=guideline) if guideline else None
        context["current"] = current
        context["current_title"] = current.title_in(get_language()) if current else ""
        context["acknowledgement"] = (
            acknowledgement_of(employee=self.request.user, version=current) if current else None
        )
        context["ack_status"] = (
            status_for(employee=self.request.user, version=current) if current else None
        )
        # What is due and when, over every guideline and running campaign, the nearest
        # first: one query however many.
        due = open_assignments_of(employee=self.request.user)
        for assignment in due:
            assignment.title = assignment.guideline.title_in(get_language())
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
