"""The reminder and escalation e-mails: plain text and HTML, in the reader's language.

One mail per person and kind lists everything still open for that person when it goes,
across guidelines and campaigns, the nearest due date first, each guideline with its
title, its due date and a link to its signing page (campaigns.selectors.reminders).
The reminder says plainly when the due date is today or has passed (naming those
guidelines), and that a yearly round (Campaign.Signing.AGAIN) asks everyone to confirm
again, also who signed before. Escalations to a manager or HR list the person's overdue
guidelines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import Assignment, Reminder
from campaigns.selectors.reminders import open_for_mail
from handbook.models import Guideline
from people.models import Employee
from people.roles import Role
from portal.mail import templated_email

ESCALATIONS = (Reminder.Kind.MANAGER, Reminder.Kind.HR)


@dataclass(frozen=True)
class Item:
    """One guideline in a mail: what the reader sees of an open assignment."""

    title: str
    version_number: int
    due_date: datetime.date
    overdue: bool
    url: str
    # The due date is today: the last day.
    due_today: bool
    # A yearly round (Campaign.Signing.AGAIN): everyone confirms again, also who signed
    # this version before.
    signs_again: bool
    campaign_name: str
    dashboard_url: str


@dataclass(frozen=True)
class Person:
    """One person in HR's list of overdue people, with their overdue guidelines."""

    employee: Employee
    items: list[Item]


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def signing_url(*, guideline: Guideline) -> str:
    """The page where the guideline is signed (it says what is left to do first)."""
    return _absolute(reverse("signing:sign", kwargs={"guideline": guideline.slug}))


def hr_addresses() -> list[str]:
    if settings.CAMPAIGN_HR_EMAIL:
        return [settings.CAMPAIGN_HR_EMAIL]
    return list(
        Employee.objects.filter(is_active=True, groups__name=Role.HR)
        .exclude(email="")
        .values_list("email", flat=True)
        .order_by("email")
    )


def listed(*, kind: str, assignments: list[Assignment], on: datetime.date) -> list[Assignment]:
    """What a mail of this kind lists of a person's open assignments: everything for
    a reminder, what is overdue for an escalation."""
    if kind in ESCALATIONS:
        return [assignment for assignment in assignments if assignment.due_date < on]
    return assignments


def _items(assignments: list[Assignment], language: str, on: datetime.date) -> list[Item]:
    return [
        Item(
            title=assignment.guideline.title_in(language),
            version_number=assignment.version.number,
            due_date=assignment.due_date,
            overdue=assignment.due_date < on,
            url=signing_url(guideline=assignment.guideline),
            due_today=assignment.due_date == on,
            signs_again=assignment.campaign.signs_again,
            campaign_name=assignment.campaign.name,
            dashboard_url=_absolute(reverse("campaigns:detail", args=[assignment.campaign_id])),
        )
        for assignment in assignments
    ]


def _titles(items: Iterable[Item]) -> str:
    """The titles named in a sentence: “A”, “B”."""
    return ", ".join(f"“{item.title}”" for item in items)


def _open(employee: Employee, now: datetime.datetime | None) -> list[Assignment]:
    on = timezone.localdate(now or timezone.now())
    return open_for_mail(employee_ids=[employee.pk], on=on)[employee.pk]


def build(
    *,
    reminder: Reminder,
    assignments: list[Assignment] | None = None,
    now: datetime.datetime | None = None,
) -> EmailMultiAlternatives | None:
    """The e-mail of a reminder (a mail, not a row bundled into one), or None when
    there is nobody to send it to or nothing to list. ``assignments``: the person's open
    assignments (campaigns.selectors.reminders.open_for_mail), read here if not given."""
    employee = reminder.assignment.employee
    if assignments is None:
        assignments = _open(employee, now)
    on = timezone.localdate(now or timezone.now())
    assignments = listed(kind=reminder.kind, assignments=assignments, on=on)
    if not assignments:
        return None
    if reminder.kind in (Reminder.Kind.REMINDER, Reminder.Kind.MANUAL):
        to = [employee.email] if employee.email else []
        language = employee.preferred_language
        template = "reminder"
    elif reminder.kind == Reminder.Kind.MANAGER:
        manager = employee.manager
        to = [manager.email] if manager and manager.is_active and manager.email else []
        language = manager.preferred_language if manager else settings.LANGUAGE_CODE
        template = "escalation_manager"
    else:
        to = hr_addresses()
        language = settings.LANGUAGE_CODE
        template = "escalation_hr"
    if not to:
        return None
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        items = _items(assignments, language, on)
        context = {
            "reminder": reminder,
            "employee": employee,
            "manager": employee.manager,
            "requested_by": reminder.requested_by,
            "items": items,
            "overdue_titles": _titles(item for item in items if item.overdue),
            "due_today_titles": _titles(item for item in items if item.due_today),
            "signs_again": any(item.signs_again for item in items),
            "team_url": _absolute(reverse("campaigns_team:team")),
        }
    return templated_email(
        f"campaigns/email/{template}",
        context,
        to=to,
        language=language,
        headers=_message_id(reminder.message_id_local_part),
    )


def _message_id(local_part: str) -> dict[str, str]:
    # The sender may carry a name ("Gemeente Voorbeeldstad <portal@...>"): take the address.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return {"Message-ID": f"<{local_part}@{domain}>"}


def build_hr_digest(
    *,
    reminders: list[Reminder],
    assignments: dict[int, list[Assignment]] | None = None,
    now: datetime.datetime | None = None,
) -> EmailMultiAlternatives | None:
    """One e-mail to HR about several overdue people (a batch of HR escalations of one
    campaign), each with their overdue guidelines, instead of one e-mail per person.
    ``assignments``: the open assignments per employee, read here if not given."""
    if len(reminders) == 1:
        employee_id = reminders[0].assignment.employee_id
        return build(
            reminder=reminders[0],
            assignments=None if assignments is None else assignments[employee_id],
            now=now,
        )
    to = hr_addresses()
    if not to:
        return None
    on = timezone.localdate(now or timezone.now())
    if assignments is None:
        assignments = open_for_mail(
            employee_ids=[reminder.assignment.employee_id for reminder in reminders], on=on
        )
    campaign = reminders[0].assignment.campaign
    language = settings.LANGUAGE_CODE
    people: list[Person] = []
    for reminder in reminders:
        employee = reminder.assignment.employee
        overdue = listed(kind=Reminder.Kind.HR, assignments=assignments[employee.pk], on=on)
        if overdue:
            people.append(Person(employee=employee, items=_items(overdue, language, on)))
    if not people:
        return None
    people.sort(key=lambda person: (person.employee.last_name, person.employee.first_name))
    context = {
        "campaign": campaign,
        "people": people,
        "dashboard_url": _absolute(reverse("campaigns:detail", args=[campaign.pk])),
        "overdue_url": _absolute(reverse("campaigns:people", args=[campaign.pk]))
        + "?status=overdue",
    }
    # Unique per group: the first reminder's id and how many it covers.
    local_part = f"{reminders[0].message_id_local_part}-{len(reminders)}"
    return templated_email(
        "campaigns/email/escalation_hr_digest",
        context,
        to=to,
        language=language,
        headers=_message_id(local_part),
    )
