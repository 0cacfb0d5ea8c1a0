from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security event log")

    def ready(self) -> None:
        from security import receivers

        receivers.connect()
