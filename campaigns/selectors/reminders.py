"""What a reminder mail lists: everything still open for a person, across guidelines
and campaigns, and which assignments a mail was planned for (its own and those
bundled into it). Read by campaigns.services.delivery and campaigns.services.mails."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import Q

from campaigns.models import Assignment, Campaign, Reminder
from campaigns.selectors import counting


def open_for_mail(
    *, employee_ids: Collection[int], on: datetime.date
) -> dict[int, list[Assignment]]:
    """Per employee: every assignment still open (counting, not exempt, not signed, in a
    running campaign that has started), the nearest due date first, with its campaign,
    version and guideline. One query, however many people and guidelines."""
    assignments = (
        counting(
            assignments=Assignment.objects.filter(
                employee_id__in=list(employee_ids),
                campaign__status=Campaign.Status.RUNNING,
                campaign__start_date__lte=on,
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
