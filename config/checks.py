"""System checks of the settings (registered in portal.apps): `manage.py check` shows them."""

from django.conf import settings
from django.core import checks

from config.env import renamed_variables, retired_variables


def environment_check(app_configs=None, **kwargs) -> list:
    """Old names of renamed variables and variables that are settings now (config.env)."""
    return [
        checks.Warning(
            message, hint="See .env.example and README.md, 'Configuration'.", id="portal.W002"
        )
        for message in renamed_variables()
    ] + [
        checks.Warning(message, hint="See docs/architecture.md, 'Settings'.", id="portal.W003")
        for message in retired_variables()
    ]


def heartbeat_check(app_configs=None, **kwargs) -> list:
    """Stalled work is recognised only after at least three missed heartbeats
    (portal.heartbeat): a settings module that sets them otherwise is refused."""
    beat = settings.WORK_HEARTBEAT_SECONDS
    if 0 < beat * 3 <= settings.WORK_STALLED_AFTER_SECONDS:
        return []
    return [
        checks.Error(
            "WORK_STALLED_AFTER_SECONDS must be at least three heartbeats "
            "(WORK_HEARTBEAT_SECONDS, above 0).",
            id="portal.E001",
        )
    ]
