"""/beveiligingslog/: the security event log, for administrators and auditors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from security import selectors
from security.forms import EventFilterForm
from security.hooks import detail_lines
from security.models import SecurityEvent


class SecurityEventListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Events newest first, filtered by kind, person and period, 50 to a page. Reads
    only the event rows: the identifiers are stored as text, so no join per row."""

    permission_required = "security.view_securityevent"
    template_name = "security/event_log.html"
    context_object_name = "events"
    paginate_by = 50
    page_kwarg = "pagina"
    extra_context = {"page_title": _("Security event log")}

    def get_queryset(self):
        self.form = EventFilterForm(self.request.GET or None)
        if not self.request.GET:
            return selectors.events()
        filters = self.form.filters
        if filters is None:
            return SecurityEvent.objects.none()
        return selectors.events(**filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        for event in context["events"]:
            event.detail_lines = detail_lines(event.details)
        context["retention_days"] = settings.PORTAL_SECURITY_LOG_RETENTION_DAYS
        return context
