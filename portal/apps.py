from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Site-wide pieces: layout, home page, branding, PDF rendering."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import start_the_clock

        user_logged_in.connect(start_the_clock, dispatch_uid="portal.session_clock")

        from django.core import checks

        from config.cache import per_process_cache_check

        checks.register(per_process_cache_check, checks.Tags.caches, deploy=True)

        from config.checks import environment_check, heartbeat_check, timestamp_check

        checks.register(environment_check, checks.Tags.compatibility)
        checks.register(heartbeat_check)
        checks.register(timestamp_check, checks.Tags.security)

        # The admin site (INSTALLED_APPS' first app) has registered every model by now.
        from django.contrib import admin

        from portal.search import cap_admin_searches

        cap_admin_searches(admin.site)
