"""Telling the administrators what a staff import did to privileged accounts: which it
deactivated (leavers) and which changes it left alone (people.staff_import.privileged).
Sent by the worker (people.tasks.tell_administrators), one e-mail per administrator in
their language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from people import staff_import
from people.models import Employee, StaffImport
from people.roles import Role
from people.staff_import.privileged import reason_labels
from portal.mail import templated_email

LEFT_ALONE = "left_alone"  # the key in StaffImport.changes (people.services.LEFT_ALONE)


def administrators() -> list[Employee]:
    """Everyone active with the administrator role (superusers hold it too)."""
    return list(
        Employee.objects.filter(Q(groups__name=Role.ADMINISTRATOR) | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _people(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **entry,
            "roles": reason_labels(entry.get("privileged", [])),
            "field_labels": [staff_import.field_label(name) for name in entry["fields"]],
        }
        for entry in entries
    ]


def tell_administrators(*, staff_import_id: int) -> int:
    """Send the e-mails; returns how many were sent (none when nothing privileged
    happened)."""
    log = StaffImport.objects.select_related("imported_by").filter(pk=staff_import_id).first()
    if log is None:
        return 0
    leavers = [e for e in log.changes.get(staff_import.LEAVING, []) if e.get("privileged")]
    left_alone = log.changes.get(LEFT_ALONE, [])
    if not leavers and not left_alone:
        return 0
    messages = []
    for administrator in administrators():
        language = administrator.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "administrator": administrator,
                "log": log,
                "leavers": _people(leavers),
                "left_alone": _people(left_alone),
                "log_url": settings.PORTAL_BASE_URL.rstrip("/")
                + reverse("people:staff_import_detail", args=[log.pk]),
            }
            messages.append(
                templated_email(
                    "people/email/privileged_import",
                    context,
                    to=[administrator.email],
                    language=language,
                )
            )
    if messages:
        with mailers.default as connection:
            connection.send_messages(messages)
    return len(messages)
