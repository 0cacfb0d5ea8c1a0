from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security event log")

    def ready(self) -> None:
        from security import receivers

        receivers.connect()

        from portal.triggers import register_trigger_check
        from security import triggers

        register_trigger_check(triggers, check_id="security.E001")
