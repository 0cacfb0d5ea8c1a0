from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Site-wide pieces: layout, home page, branding, PDF rendering."""

    name = "portal"
    verbose_name = _("Portal")
