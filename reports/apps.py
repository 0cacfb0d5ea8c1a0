from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Compliance reports")

    def ready(self) -> None:
        from portal.triggers import register_trigger_set
        from reports import triggers

        register_trigger_set(triggers.EVENTS, check_id="reports.E001")

        # The reports that name a person, for the export of one's own data (AVG art. 15),
        # which the ledger (below this app) gathers from the register.
        from reports.selectors.personal_data import register_personal_data

        register_personal_data()
