"""Event details as the log page shows them: labels and known values in the reader's
language (apps above this one register theirs: register_values); anything else (a
number, a model's name) as stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "method": _("Method"),
    "provider": _("Provider"),
    "second_factor": _("Second factor"),
    "reauthentication": _("Again to confirm"),
    "role": _("Role"),
    "roles": _("Roles"),
    "action": _("Action"),
    "model": _("Model"),
    "object": _("Object"),
    "view": _("Page"),
    "format": _("Format"),
    "report": _("Report"),
    "scope": _("Kind"),
    "source": _("Source"),
    "staff_import": _("Staff import"),
    "privileged": _("Privileged role"),
    "applied": _("Applied"),
    "fields": _("Fields"),
    "limit_reached": _("Stopped by the log-in limit"),
    "what": _("File"),
}
VALUES = {
    "password": _("Password"),
    "sso": _("Single sign-on"),
    "other": _("Other"),
    "totp": _("Authenticator app"),
    "recovery_codes": _("Recovery codes"),
    "added": _("Added"),
    "changed": _("Changed"),
    "deleted": _("Deleted"),
    "download": _("Downloaded"),
    "report_requested": _("Report requested"),
    "staff_import": _("Staff import"),
    # What a download was (security.services.record_download's ``what``).
    "overdue_list": _("Overdue list"),
    "quiz_statistics": _("Quiz statistics"),
    "paper_form": _("Scanned paper form"),
    "personal_data": _("Personal data export"),
    "ledger": _("Ledger export"),
    "certificate": _("Certificate"),
    "receipt": _("Receipt"),
    "report": _("Compliance report"),
    True: _("Yes"),
    False: _("No"),
}


def register_values(labels: dict[str, object]) -> None:
    """Labels for values that apps above this one store in details (people registers
    its roles' names): the log shows "Beheerder", not "administrator"."""
    VALUES.update(labels)


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, bool | str):
        return str(VALUES.get(value, value))
    return "" if value is None else str(value)


def detail_lines(details: dict) -> list[tuple[str, str]]:
    """(label, value) pairs in the stored order."""
    return [(str(LABELS.get(key, key)), _value(value)) for key, value in details.items()]
