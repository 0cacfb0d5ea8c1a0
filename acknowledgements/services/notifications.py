"""E-mail to employees who must sign a guideline's current version again.

``send_reacknowledgement_notices`` finds, in one query, every active employee with an
e-mail address who signed an earlier version of the version's guideline, has not signed
this one and has not been sent this notice for it; keeps those for whom the version
changed in meaning since the version they last signed (see
acknowledgements.selectors.reacknowledgement); and sends each one e-mail in their preferred
language over one mail connection, naming the guideline. A Notification row per
employee, version and kind (unique) makes a second run send nothing.
``send_all_reacknowledgement_notices`` does so for the current version of every
guideline; the notify_reacknowledgement command runs it.
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
    version: GuidelineVersion
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
    """The e-mail (plain text and HTML) in the employee's preferred language, naming the
    version's guideline in that language."""
    language = employee.preferred_language or settings.LANGUAGE_CODE
    guideline = version.guideline
    with translation.override(language):
        context = {
            "employee": employee,
            "version": version,
            "title": guideline.title_in(language),
            "signed_version": getattr(employee, "signed_version", None),
            "changed_count": len(getattr(employee, "changed_tips", [])),
            "changes_url": settings.PORTAL_BASE_URL.rstrip("/")
            + reverse("signing:changes", kwargs={"guideline": guideline.slug}),
        }
    return templated_email(
        "acknowledgements/email/reacknowledgement",
        context,
        to=[employee.email],
        language=language,
    )


def send_all_reacknowledgement_notices(
    *, now: datetime.datetime | None = None, today: datetime.date | None = None
) -> list[NoticeResult]:
    """send_reacknowledgement_notices for the current version of every guideline that
    has one, by title: one result per such guideline."""
    from handbook.models import Guideline
    from handbook.selectors import current_version

    results = []
    for guideline in Guideline.objects.order_by("title", "pk"):
        version = current_version(guideline=guideline, today=today)
        if version is not None:
            version.guideline = guideline
            results.append(send_reacknowledgement_notices(version=version, now=now))
    return results


def send_reacknowledgement_notices(
    *, version: GuidelineVersion, now: datetime.datetime | None = None
) -> NoticeResult:
    """E-mail everyone who must sign ``version`` (of its guideline) again, once. The
    notifications are stored in the same transaction as the sending: if the mail server
    refuses, nothing is recorded and the next run tries again."""
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
