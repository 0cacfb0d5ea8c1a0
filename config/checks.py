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


def timestamp_check(app_configs=None, **kwargs) -> list:
    """A real signing certificate without a timestamp service: the PDFs are signed, but
    not archivally (PAdES B-B, no trusted time, no revocation data), so their signatures
    stop validating once the certificate expires (portal/pdf/signing.py)."""
    if not settings.REPORTS_SIGNING_CERTIFICATE or settings.PDF_TIMESTAMP_URL:
        return []
    return [
        checks.Warning(
            "PDF reports and certificates are signed without a trusted timestamp "
            "(PORTAL_PDF_TIMESTAMP_URL is empty): their signatures cannot be checked "
            "after the signing certificate expires or is revoked.",
            hint="Set PORTAL_PDF_TIMESTAMP_URL to the RFC 3161 timestamp service; see "
            "docs/deployment.md, 'Signing and timestamps (PKIoverheid)'.",
            id="portal.W004",
        )
    ]
