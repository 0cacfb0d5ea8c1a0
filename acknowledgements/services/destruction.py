"""Destruction lists: proposed, approved by the archivist, then carried out.

Nothing personal is destroyed on the portal's word alone. A run (the monthly
``propose_destruction`` command, or central HR on the retention page) PROPOSES a list of
everything due (acknowledgements.services.retention.due_for_destruction), stored with
its items; a newer proposal supersedes the older ones still waiting. Someone with
``approve_destruction`` who did not propose it (four eyes) RECORDS THE APPROVAL: the
name and function of the municipality's archivist or records manager who signed the
declaration of destruction (verklaring van vernietiging), its date and reference. Then
the list is CARRIED OUT (``carry_out_destruction`` command, or the page): only the
leavers and quiz attempts on the approved list that are still due are removed, in one
transaction; anything that became due after the proposal waits for the next list. A
list proposed more than RETENTION_DESTRUCTION_LIST_VALID_DAYS days ago, or superseded,
is refused. The carry-out reads the approval from the row again and checks it (a row
marked approved by hand is refused; the database's checks refuse most such rows
already), and a second carry-out does nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acknowledgements.models import DestructionList
from acknowledgements.services.destruction_csv import write_destruction_list
from acknowledgements.services.retention import (
    Category,
    RemovedItem,
    due_for_destruction,
    remove_due,
)
from people.models import Employee

VIEW_PERMISSION = "acknowledgements.view_destructionlist"
PROPOSE_PERMISSION = "acknowledgements.propose_destruction"
APPROVE_PERMISSION = "acknowledgements.approve_destruction"


def _require(user: Employee | None, permission: str) -> None:
    """None: the command line (cron); a person needs the permission globally (an HR
    adviser of a part of the organisation holds none: retention stays central)."""
    if user is not None and not (user.is_active and user.has_perm(permission)):
        raise PermissionDenied(_("You may not do this."))


def _expired(destruction_list: DestructionList, now: datetime.datetime) -> bool:
    valid = datetime.timedelta(days=settings.RETENTION_DESTRUCTION_LIST_VALID_DAYS)
    return now - destruction_list.proposed_at > valid


def items_of(*, destruction_list: DestructionList) -> list[RemovedItem]:
    """The list's items as proposed."""
    return [RemovedItem.from_dict(item) for item in destruction_list.items]


def propose_destruction(
    *,
    proposed_by: Employee | None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> DestructionList:
    """Propose a list of everything due as of ``today``; older proposals still waiting
    are superseded. Also written as a CSV under MEDIA_ROOT/retention/ ("-voorstel")."""
    _require(proposed_by, PROPOSE_PERMISSION)
    now = now or timezone.now()
    report = due_for_destruction(today=today)
    with transaction.atomic():
        DestructionList.objects.select_for_update().filter(
            status=DestructionList.Status.PROPOSED
        ).update(status=DestructionList.Status.SUPERSEDED)
        destruction_list = DestructionList.objects.create(
            proposed_at=now,
            proposed_by=proposed_by,
            day=report.today,
            employment_ended_before=report.employment_ended_before,
            attempts_submitted_before=report.attempts_submitted_before,
            items=[item.as_dict() for item in report.items],
        )
    path = write_destruction_list(report=report, now=now, status=_("Proposal: nothing removed yet"))
    destruction_list.result = {
        "proposed": {**report.counts(), "items": len(report.items)},
        "proposal_file": f"{path.parent.name}/{path.name}",
    }
    DestructionList.objects.filter(pk=destruction_list.pk).update(result=destruction_list.result)
    return destruction_list


def approve_destruction(
    *,
    destruction_list: DestructionList,
    approved_by: Employee,
    approver_name: str,
    approver_function: str,
    approval_date: datetime.date,
    approval_reference: str,
    now: datetime.datetime | None = None,
) -> DestructionList:
    """Record the declaration of destruction: who signed it (name, function), when and
    its reference. ``approved_by`` records it and may not be who proposed the list."""
    _require(approved_by, APPROVE_PERMISSION)
    now = now or timezone.now()
    fields = {
        "approver_name": approver_name.strip(),
        "approver_function": approver_function.strip(),
        "approval_reference": approval_reference.strip(),
    }
    if not all(fields.values()):
        raise ValidationError(
            _("Give the name and function of whoever approved it, and the declaration's reference.")
        )
    if approval_date > timezone.localdate(now):
        raise ValidationError(_("The date of the declaration cannot be in the future."))
    with transaction.atomic():
        row = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
        if row.proposed_by_id is not None and row.proposed_by_id == approved_by.pk:
            raise PermissionDenied(
                _("Someone other than who proposed the list records its approval.")
            )
        _require_open(row, now)
        if approval_date < row.day:
            raise ValidationError(_("The declaration cannot be older than the list it approves."))
        for name, value in fields.items():
            setattr(row, name, value)
        row.approval_date = approval_date
        row.approved_by = approved_by
        row.approved_at = now
        row.status = DestructionList.Status.APPROVED
        row.save()
    return row


def _require_open(row: DestructionList, now: datetime.datetime) -> None:
    if row.status == DestructionList.Status.SUPERSEDED:
        raise ValidationError(_("A newer list superseded this one: approve that one instead."))
    if row.status != DestructionList.Status.PROPOSED:
        raise ValidationError(_("This list is no longer waiting for approval."))
    if _expired(row, now):
        raise ValidationError(
            _("This list was proposed more than %(days)s days ago: propose a new one.")
            % {"days": settings.RETENTION_DESTRUCTION_LIST_VALID_DAYS}
        )


def _require_approved(row: DestructionList, now: datetime.datetime) -> None:
    """Everything an approval needs, read from the row again: a row edited by hand
    (raw SQL) passes only with a named approver other than the proposer who holds the
    permission, recorded after the proposal and within its validity."""
    approved = (
        row.status == DestructionList.Status.APPROVED
        and row.approver_name.strip()
        and row.approver_function.strip()
        and row.approval_reference.strip()
        and row.approval_date is not None
        and row.approval_date >= row.day
        and row.approved_at is not None
        and row.approved_at >= row.proposed_at
        and row.approved_by is not None
        and row.approved_by_id != row.proposed_by_id
        and row.approved_by.is_active
        and row.approved_by.has_perm(APPROVE_PERMISSION)
    )
    if not approved:
        raise PermissionDenied(_("This list has no valid approval: nothing was removed."))
    if _expired(row, now):
        raise ValidationError(
            _("This list was proposed more than %(days)s days ago: propose a new one.")
            % {"days": settings.RETENTION_DESTRUCTION_LIST_VALID_DAYS}
        )


def carry_out_destruction(
    *,
    destruction_list: DestructionList,
    carried_out_by: Employee | None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> DestructionList:
    """Remove what is on the approved list and still due, in one transaction. A list
    already carried out is returned as it is (nothing happens twice)."""
    _require(carried_out_by, PROPOSE_PERMISSION)
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            DestructionList.objects.select_for_update(of=("self",))
            .select_related("approved_by")
            .get(pk=destruction_list.pk)
        )
        if row.status == DestructionList.Status.CARRIED_OUT:
            return row
        _require_approved(row, now)
        listed = items_of(destruction_list=row)
        employee_ids = [int(i.identifier) for i in listed if i.category == Category.EMPLOYEE]
        attempt_ids = [int(i.identifier) for i in listed if i.category == Category.QUIZ_ATTEMPT]
        report = remove_due(
            employee_ids=employee_ids,
            attempt_ids=attempt_ids,
            today=today,
            recorded_by=carried_out_by,
            now=now,
        )
        row.status = DestructionList.Status.CARRIED_OUT
        row.carried_out_at = now
        row.carried_out_by = carried_out_by
        row.result = {**row.result, **report.counts(), "items": len(report.items)}
        row.save()
    status = _(
        "Removed; approved by %(name)s (%(function)s), declaration %(reference)s of %(date)s"
    ) % {
        "name": row.approver_name,
        "function": row.approver_function,
        "reference": row.approval_reference,
        "date": row.approval_date.isoformat() if row.approval_date else "",
    }
    path = write_destruction_list(report=report, now=now, status=status)
    row.result = {**row.result, "file": f"{path.parent.name}/{path.name}"}
    DestructionList.objects.filter(pk=row.pk).update(result=row.result)
    return row
