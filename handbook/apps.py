from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = _("Handbook")

    def ready(self):
        from handbook import triggers
        from portal.triggers import register_trigger_check, register_trigger_set

        register_trigger_check(triggers, check_id="handbook.E001")
        register_trigger_set(triggers.EVIDENCE, check_id="handbook.E001")
