"""The end of a leaver's retention period, in the campaigns.

The assignments stay as anonymous figures (the campaign's totals, the audit trail's
references); their exemption reasons were cleared when the person's data was erased
(``erase_exemption_reasons``). What goes: the reminders and escalations about them,
which are the mail log (to whom, when, errors). Listed on the destruction list before
(``retained_items``), removed when the approved list is carried out
(``remove_retained``, on acknowledgements.signals.retention_ended)."""

from __future__ import annotations

import datetime
import re

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acknowledgements.hooks import RetainedItem
from campaigns.models import Assignment, Reminder
from people.models import Employee
from people.services.pseudonymisation import REMOVED

REMINDERS = "reminders"
ASSIGNMENTS = "assignments"


def _day(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _period(first: datetime.datetime | None, last: datetime.datetime | None) -> str:
    return " – ".join(dict.fromkeys([_day(first), _day(last)]))


def retained_items(*, employee_ids: list[int]) -> list[RetainedItem]:
    """What the campaigns keep about these people: their reminders (removed) and their
    assignments (kept as anonymous figures, without the exemptions' reasons)."""
    items: list[RetainedItem] = []
    reminders = (
        Reminder.objects.filter(assignment__employee_id__in=employee_ids)
        .values("assignment__employee_id")
        .annotate(count=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .order_by("assignment__employee_id")
    )
    for row in reminders:
        items.append(
            RetainedItem(
                employee_id=row["assignment__employee_id"],
                category=REMINDERS,
                label=_("Reminders and escalations"),
                description=ngettext(
                    "%(count)s reminder or escalation (the mail log): removed",
                    "%(count)s reminders and escalations (the mail log): removed",
                    row["count"],
                )
                % {"count": row["count"]},
                count=row["count"],
                period=_period(row["first"], row["last"]),
            )
        )
    assignments = (
        Assignment.objects.filter(employee_id__in=employee_ids)
        .values("employee_id")
        .annotate(count=Count("pk"), first=Min("added_at"), last=Max("added_at"))
        .order_by("employee_id")
    )
    for assigned in assignments:
        items.append(
            RetainedItem(
                employee_id=assigned["employee_id"],
                category=ASSIGNMENTS,
                label=_("Campaign assignments"),
                description=ngettext(
                    "%(count)s campaign assignment: kept as anonymous figures, "
                    "without exemption reasons",
                    "%(count)s campaign assignments: kept as anonymous figures, "
                    "without exemption reasons",
                    assigned["count"],
                )
                % {"count": assigned["count"]},
                count=assigned["count"],
                period=_period(assigned["first"], assigned["last"]),
            )
        )
    return items


def remove_retained(*, employee_ids: list[int], now: datetime.datetime) -> int:
    """Remove these people's reminders and escalations, and their e-mail addresses from
    the mail log of others' (an escalation to them as manager, a delivery error naming
    them); returns how many rows were removed. Called before their employee rows are
    pseudonymised (acknowledgements.signals.retention_ended), so the addresses are known."""
    doomed = Reminder.objects.filter(assignment__employee_id__in=employee_ids)
    # A bundled row points at the row that carried it (the same person's): unlink
    # first, so that the rows go in one delete whatever their order.
    Reminder.objects.filter(bundle__in=doomed.values("pk")).update(bundle=None)
    removed, _per_model = doomed.delete()
    emails = [
        email
        for email in Employee.objects.filter(pk__in=employee_ids).values_list("email", flat=True)
        if email
    ]
    for email in emails:
        naming = Reminder.objects.filter(
            Q(recipients__icontains=email) | Q(last_error__icontains=email)
        ).only("pk", "recipients", "last_error")
        pattern = re.compile(re.escape(email), re.IGNORECASE)
        for reminder in naming:
            Reminder.objects.filter(pk=reminder.pk).update(
                recipients=pattern.sub(REMOVED, reminder.recipients),
                last_error=pattern.sub(REMOVED, reminder.last_error),
            )
    return removed
