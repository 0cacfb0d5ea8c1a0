"""What a reminder mail lists: everything still open for a person, across guidelines
and campaigns, and which assignments a mail was planned for (its own and those
bundled into it). Read by campaigns.services.delivery and campaigns.services.mails."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from campaigns.models import Assignment, Campaign, Reminder
from campaigns.selectors import actionable, counting


def open_for_mail(
    *, employee_ids: Collection[int], on: datetime.date
) -> dict[int, list[Assignment]]:
    """Per employee: every assignment still open (counting, not exempt, not signed, and
    a task today: in a running campaign that has started, for a version in force, see
    campaigns.selectors.actionable), the nearest due date first, with its campaign,
    version and guideline. One query, however many people and guidelines."""
    assignments = (
        counting(
            assignments=Assignment.objects.filter(
                actionable(on=on),
                employee_id__in=list(employee_ids),
                exempted_at__isnull=True,
                signed_at__isnull=True,
            ),
            on=on,
        )
        .select_related("campaign", "version", "guideline")
        .order_by("due_date", "guideline__title", "pk")
    )
    result: dict[int, list[Assignment]] = {pk: [] for pk in employee_ids}
    for assignment in assignments:
        result[assignment.employee_id].append(assignment)
    return result


def planned_for(*, mails: Collection[int]) -> dict[int, set[int]]:
    """Per mail (the id of a Reminder that is sent): the assignments it was planned for,
    its own and those of the rows bundled into it. One query."""
    result: dict[int, set[int]] = {pk: set() for pk in mails}
    rows = Reminder.objects.filter(Q(pk__in=list(mails)) | Q(bundle_id__in=list(mails)))
    for pk, bundle_id, assignment_id in rows.values_list("pk", "bundle_id", "assignment_id"):
        result[bundle_id if bundle_id in result else pk].add(assignment_id)
    return result


# The schedule ------------------------------------------------------------------------------

# The step of the reminder on the due date itself (every campaign has one).
DUE_STEP = "due"


def before_step(*, days: int) -> str:
    return f"before-{days}"


def after_step(*, days: int) -> str:
    return f"after-{days}"


def manager_step(*, days: int) -> str:
    return f"manager-{days}"


def hr_step(*, days: int) -> str:
    return f"hr-{days}"


@dataclass(frozen=True)
class Step:
    """One step of a campaign's schedule: its Reminder ``step`` key and kind, how many
    days from the due date it goes (negative: before), and its date for a given due
    date (None without one)."""

    key: str
    kind: str
    offset: int
    date: datetime.date | None

    @property
    def days(self) -> int:
        """How many days before or after the due date."""
        return abs(self.offset)


# Steps on the same day, in the order a reader expects: the employee first.
_KIND_ORDER = {Reminder.Kind.REMINDER: 0, Reminder.Kind.MANAGER: 1, Reminder.Kind.HR: 2}


def schedule(*, campaign: Campaign, due_date: datetime.date | None = None) -> list[Step]:
    """The whole sequence of a campaign's mails, in date order: each reminder before the
    due date, the one on the due date, each reminder after it, and the escalations to
    the manager and to HR (those on the same day: the employee first). With
    ``due_date`` (for a campaign: its deadline) each step has its date."""
    days = [
        (before_step(days=d), Reminder.Kind.REMINDER, -d)
        for d in {int(d) for d in campaign.reminder_days or []}
    ]
    days.append((DUE_STEP, Reminder.Kind.REMINDER, 0))
    days += [
        (after_step(days=d), Reminder.Kind.REMINDER, d)
        for d in {int(d) for d in campaign.reminder_after_days or []}
    ]
    if campaign.manager_escalation_days is not None:
        days.append(
            (
                manager_step(days=campaign.manager_escalation_days),
                Reminder.Kind.MANAGER,
                campaign.manager_escalation_days,
            )
        )
    if campaign.hr_escalation_days is not None:
        days.append(
            (
                hr_step(days=campaign.hr_escalation_days),
                Reminder.Kind.HR,
                campaign.hr_escalation_days,
            )
        )
    days.sort(key=lambda step: (step[2], _KIND_ORDER[step[1]]))
    return [
        Step(
            key=key,
            kind=kind,
            offset=offset,
            date=None if due_date is None else due_date + datetime.timedelta(days=offset),
        )
        for key, kind, offset in days
    ]
