"""Exemptions with four eyes (issue 21): HR asks for an exemption with a reason; the
assignment stays open (not exempt, reminders go on) until another HR person approves
or refuses it with a note. Only an approval sets ``exempted_at`` (on the Exemption row
and on the assignment), so the status "exempt" (campaigns.selectors.status_rule) comes
from an approved exemption only.

Who decides: someone with ``campaigns.manage_campaigns`` whose scope covers the
employee (central HR, or an HR adviser of the employee's part:
people.selectors.scope_of), never the one who asked. The database keeps the four eyes
too (the check constraint ``campaigns_exemption_four_eyes``), and one open exemption
per assignment (``campaigns_one_open_exemption``): two requests at once give one. A
decision is one conditional UPDATE of a waiting row, so two decisions at once give one.

The reason and the note are free text about a person: they stay on the Exemption row,
which an erasure clears (campaigns.services.erase_exemption_reasons); the audit trail
names the row by id only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Assignment, CampaignEvent, Exemption
from campaigns.selectors import exemptions as exemption_selectors
from campaigns.services import CampaignError, log_event
from people.models import Employee
from people.selectors import EVERYTHING, scope_of
from portal.mail import templated_email

MANAGE_PERMISSION = "campaigns.manage_campaigns"


def _may_act_on(*, user: Employee, assignment: Assignment) -> bool:
    scope = scope_of(user=user, perm=MANAGE_PERMISSION)
    return scope is not None and scope.covers_employee(employee=assignment.employee)


@transaction.atomic
def request_exemption(*, assignment: Assignment, reason: str, by: Employee) -> Exemption:
    """Ask for an exemption of this assignment (e.g. long-term leave); the reason is
    required. Nothing changes for the employee until another HR person approves it."""
    reason = reason.strip()
    if not reason:
        raise CampaignError(gettext("Give the reason for the exemption."))
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee__department", "campaign")
        .get(pk=assignment.pk)
    )
    if not _may_act_on(user=by, assignment=assignment):
        raise CampaignError(gettext("You may not ask for an exemption of this employee."))
    if assignment.is_exempt:
        raise CampaignError(gettext("This employee is exempt already."))
    if Exemption.objects.filter(
        assignment=assignment, decision=Exemption.Decision.REQUESTED
    ).exists():
        raise CampaignError(gettext("An exemption of this employee waits for approval already."))
    try:
        with transaction.atomic():
            exemption = Exemption.objects.create(
                assignment=assignment,
                reason=reason,
                decision=Exemption.Decision.REQUESTED,
                exempted_by=by,
                requested_at=timezone.now(),
            )
    except IntegrityError as error:  # another request (or exemption) came first
        raise CampaignError(
            gettext("An exemption of this employee waits for approval already.")
        ) from error
    log_event(
        kind=CampaignEvent.Kind.EXEMPTION_REQUESTED,
        campaign=assignment.campaign,
        assignment=assignment,
        actor=by,
        exemption=exemption.pk,
    )
    return exemption


def _decide(
    *, exemption: Exemption, by: Employee, approve: bool, note: str
) -> tuple[Exemption, Assignment]:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee__department", "campaign")
        .get(pk=exemption.assignment_id)
    )
    current = Exemption.objects.get(pk=exemption.pk)
    if current.exempted_by_id is not None and current.exempted_by_id == by.pk:
        raise CampaignError(
            gettext("You asked for this exemption: another HR person must decide on it.")
        )
    if not _may_act_on(user=by, assignment=assignment):
        raise CampaignError(gettext("You may not decide on an exemption of this employee."))
    now = timezone.now()
    decided = Exemption.objects.filter(pk=exemption.pk, decision=Exemption.Decision.REQUESTED)
    changed = decided.update(
        decision=Exemption.Decision.APPROVED if approve else Exemption.Decision.REFUSED,
        decided_by=by,
        decided_at=now,
        decision_note=note,
        exempted_at=now if approve else None,
    )
    if changed != 1:
        raise CampaignError(gettext("This exemption has been decided on already."))
    return Exemption.objects.get(pk=exemption.pk), assignment


@transaction.atomic
def approve_exemption(*, exemption: Exemption, by: Employee, note: str = "") -> Exemption:
    """Approve a waiting exemption: from now the assignment is exempt (its
    ``exempted_at``, ``exempted_by`` (who asked) and reason). Refused for the one who
    asked, for someone whose scope does not cover the employee, and once decided."""
    exemption, assignment = _decide(exemption=exemption, by=by, approve=True, note=note.strip())
    assignment.exempt_reason = exemption.reason
    assignment.exempted_by_id = exemption.exempted_by_id
    assignment.exempted_at = exemption.exempted_at
    assignment.save(update_fields=["exempt_reason", "exempted_by", "exempted_at"])
    log_event(
        kind=CampaignEvent.Kind.EXEMPTED,
        campaign=assignment.campaign,
        assignment=assignment,
        actor=by,
        exemption=exemption.pk,
    )
    return exemption


@transaction.atomic
def refuse_exemption(*, exemption: Exemption, by: Employee, note: str) -> Exemption:
    """Refuse a waiting exemption, with a note saying why (required). The assignment
    stays as it was: open."""
    note = note.strip()
    if not note:
        raise CampaignError(gettext("Say why the exemption is refused."))
    exemption, assignment = _decide(exemption=exemption, by=by, approve=False, note=note)
    log_event(
        kind=CampaignEvent.Kind.EXEMPTION_REFUSED,
        campaign=assignment.campaign,
        assignment=assignment,
        actor=by,
        exemption=exemption.pk,
    )
    return exemption


def month_bounds(*, month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of the month of ``month`` and of the next one, in the portal's time."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(following, datetime.time(), tzinfo=zone),
    )


def mail_monthly_list(*, month: datetime.date) -> int:
    """Mail the HR lead (settings.PORTAL_HR_LEAD_EMAIL) every exemption granted in the
    month of ``month`` (who, which campaign, the reason, who asked and who approved;
    those made without a second person say so) and how many wait for a decision, so
    that nobody is left out unseen. Sent also when none was granted (the lead then knows
    the list ran). Returns how many exemptions it lists."""
    if not settings.PORTAL_HR_LEAD_EMAIL:
        raise CampaignError(gettext("PORTAL_HR_LEAD_EMAIL is not set: nobody to send the list to."))
    start, end = month_bounds(month=month)
    granted = list(exemption_selectors.granted_between(start=start, end=end))
    context = {
        "month": start.date(),
        "granted": granted,
        "without_second_person": sum(1 for e in granted if e.decided_by_id is None),
        "waiting": exemption_selectors.waiting_count(scope=EVERYTHING),
        "waiting_url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("campaigns:exemptions_waiting"),
    }
    templated_email(
        "campaigns/email/exemptions_monthly",
        context,
        to=[settings.PORTAL_HR_LEAD_EMAIL],
    ).send()
    return len(granted)
