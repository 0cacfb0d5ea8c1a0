"""E-mail to employees who must sign the current version again.

``send_reacknowledgement_notices`` finds, in one query, every active employee with an
e-mail address who signed an earlier version of the guideline, has not signed the
current one and has not been sent this notice for it; keeps those for whom the current
version changed in meaning since the version they last signed (see
acknowledgements.selectors.reacknowledgement); and sends each one e-mail in their preferred
language over one mail connection. A Notification row per employee, version and kind
(unique) makes a second run send nothing. Run by the notify_reacknowledgement command.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation

from acknowledgements.models import Acknowledgement, LedgerEntry, Notification
from acknowledgements.selectors import reacknowledgement
from handbook.models import GuidelineVersion, Tip
from people.models import Employee
from portal.mail import templated_email


@dataclass
class NoticeResult:
    version: GuidelineVersion | None
    sent: list[Employee] = field(default_factory=list)  # the employees e-mailed


def recipients(*, version: GuidelineVersion) -> list[Employee]:
    """Who must sign ``version`` again and was not told yet (one query for the people,
    then a few per distinct version last signed)."""
    signed_earlier = Q(
        acknowledgements__kind=LedgerEntry.Kind.ACKNOWLEDGEMENT,
        acknowledgements__version__guideline_id=version.guideline_id,
        acknowledgements__version__number__lt=version.number,
    )
    candidates = list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .annotate(last_signed=Max("acknowledgements__version__number", filter=signed_earlier))
        .filter(last_signed__isnull=False)
        .exclude(
            pk__in=Acknowledgement.objects.filter(
                version=version, kind=LedgerEntry.Kind.ACKNOWLEDGEMENT
            ).values("employee_id")
        )
        .exclude(
            pk__in=Notification.objects.filter(
                version=version, kind=Notification.Kind.REACKNOWLEDGEMENT
            ).values("employee_id")
        )
        .order_by("pk")
    )
    numbers = {employee.last_signed for employee in candidates}
    signed_versions = GuidelineVersion.objects.filter(
        guideline_id=version.guideline_id, number__in=numbers
    )
    asked: dict[int, tuple[GuidelineVersion, list[Tip]]] = {}
    for since in signed_versions:
        must, changed = reacknowledgement.must_resign_since(since=since, version=version)
        if must:
            asked[since.number] = (since, changed)
    chosen: list[Employee] = []
    for employee in candidates:
        if employee.last_signed in asked:
            # Not fields: _build_notice reads them (what changed since which version).
            notice = cast(Any, employee)
            notice.signed_version, notice.changed_tips = asked[employee.last_signed]
            chosen.append(employee)
    return chosen


def _build_notice(employee: Employee, version: GuidelineVersion) -> EmailMultiAlternatives:
    """The e-mail (plain text and HTML) in the employee's preferred language."""
    language = employee.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "employee": employee,
            "version": version,
            "title": version.title_in(language),
            "signed_version": getattr(employee, "signed_version", None),
            "changed_count": len(getattr(employee, "changed_tips", [])),
            "changes_url": settings.PORTAL_BASE_URL.rstrip("/")
            + reverse("acknowledgements:changes"),
        }
    return templated_email(
        "acknowledgements/email/reacknowledgement",
        context,
        to=[employee.email],
        language=language,
    )


def send_reacknowledgement_notices(
    *, version: GuidelineVersion | None = None, now: datetime.datetime | None = None
) -> NoticeResult:
    """E-mail everyone who must sign ``version`` (default: the current version) again,
    once. The notifications are stored in the same transaction as the sending: if the
    mail server refuses, nothing is recorded and the next run tries again."""
    if version is None:
        from handbook.selectors import current_version, default_guideline

        guideline = default_guideline()
        version = current_version(guideline=guideline) if guideline else None
    if version is None:
        return NoticeResult(version=None)
    people = recipients(version=version)
    if not people:
        return NoticeResult(version=version)
    now = now or timezone.now()
    messages = [_build_notice(employee, version) for employee in people]
    with transaction.atomic():
        # The unique constraint refuses a concurrent run's duplicates before any mail goes.
        Notification.objects.bulk_create(
            Notification(
                employee=employee,
                version=version,
                kind=Notification.Kind.REACKNOWLEDGEMENT,
                sent_at=now,
            )
            for employee in people
        )
        with mailers.default as connection:
            connection.send_messages(messages)
    return NoticeResult(version=version, sent=people)
