"""Reminding a guideline's owner that its yearly review is due.

Per guideline: each guideline has an owner and a review date (set to a year after the
effective date of each published version). When the review date is less than
HANDBOOK_REVIEW_REMINDER_DAYS days away, or has passed, that guideline's owner gets one
e-mail, in their own language, that names the guideline (its title in that language)
and links to its own editor's page. One per review date: a HandbookEvent
REVIEW_REMINDER_SENT with that date in its details records it, and a later run finds it
and sends nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from handbook.models import Guideline, HandbookEvent
from portal.mail import templated_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderResult:
    sent: list[Guideline]
    skipped: list[Guideline]


def due_guidelines(*, today: datetime.date) -> QuerySet[Guideline]:
    """Guidelines whose review date is within the reminder window or has passed."""
    horizon = today + datetime.timedelta(days=settings.HANDBOOK_REVIEW_REMINDER_DAYS)
    return (
        Guideline.objects.filter(review_date__isnull=False, review_date__lte=horizon)
        .select_related("owner")
        .order_by("pk")
    )


def _reminder_already_sent(guideline: Guideline) -> bool:
    assert guideline.review_date is not None  # due_guidelines has only those with one
    return HandbookEvent.objects.filter(
        guideline=guideline,
        kind=HandbookEvent.Kind.REVIEW_REMINDER_SENT,
        details__review_date=guideline.review_date.isoformat(),
    ).exists()


def send_review_reminders(*, today: datetime.date | None = None) -> ReminderResult:
    """E-mail each due guideline's owner once per review date; returns what happened."""
    today = today or timezone.localdate()
    sent, skipped = [], []
    for guideline in due_guidelines(today=today):
        owner = guideline.owner
        if owner is None or not owner.is_active or not owner.email:
            logger.warning("Guideline %s is due for review but has no active owner.", guideline.pk)
            skipped.append(guideline)
            continue
        if _send_once(guideline, today=today):
            sent.append(guideline)
        else:
            skipped.append(guideline)
    return ReminderResult(sent=sent, skipped=skipped)


@transaction.atomic
def _send_once(guideline: Guideline, *, today: datetime.date) -> bool:
    # Lock the guideline so two runs at once cannot both send.
    guideline = (
        Guideline.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=guideline.pk)
    )
    if guideline.review_date is None or _reminder_already_sent(guideline):
        return False
    owner = guideline.owner
    assert owner is not None  # send_review_reminders skipped those without
    message = _build_reminder(guideline, today=today)
    message.send()
    HandbookEvent.objects.create(
        guideline=guideline,
        kind=HandbookEvent.Kind.REVIEW_REMINDER_SENT,
        details={
            "review_date": guideline.review_date.isoformat(),
            "recipient": owner.pk,  # by id: no e-mail address in the audit trail
        },
    )
    return True


def _build_reminder(guideline: Guideline, *, today: datetime.date) -> EmailMultiAlternatives:
    """The reminder e-mail (plain text and HTML) in the owner's preferred language."""
    owner = guideline.owner
    # _send_once calls this for a guideline with an owner and a review date.
    assert owner is not None and guideline.review_date is not None
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    language = owner.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "guideline": guideline,
            "guideline_title": guideline.title_in(language),
            "owner": owner,
            "review_date": guideline.review_date,
            "overdue": guideline.review_date < today,
            "days_left": (guideline.review_date - today).days,
            "editor_url": base_url
            + reverse("handbook:editor", kwargs={"guideline": guideline.slug}),
        }
    return templated_email(
        "handbook/email/review_reminder", context, to=[owner.email], language=language
    )
