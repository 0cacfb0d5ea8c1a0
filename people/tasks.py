"""Background tasks (Django's task framework; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from people.services import invitations


@task()
def send_staff_invitations(staff_import_id: int | list[int] | None = None) -> dict:
    """Send the welcome invitations that are due (see people.services.invitations).

    First, while any invitation is unfinished, a follow-up run is queued for twice the
    claim time later: a worker killed part-way never finishes this task, and the
    follow-up takes over what it left, its claims having run out (it queues its own
    follow-up only while work remains).

    A list instead of an import's id is a task queued before invitations had rows of
    their own (it carried the people's ids): they get rows under the newest import, so
    an upgrade with such tasks still waiting loses no invitation.
    """
    if isinstance(staff_import_id, list):
        staff_import_id = invitations.adopt_queued_before_rows(employee_ids=staff_import_id)
    backend = send_staff_invitations.get_backend()
    if backend.supports_defer and invitations.unfinished():
        later = timezone.now() + datetime.timedelta(seconds=2 * settings.INVITATION_CLAIM_SECONDS)
        send_staff_invitations.using(run_after=later).enqueue(staff_import_id)
    outcome = invitations.deliver()
    return {
        "sent": outcome.sent,
        "cancelled": outcome.cancelled,
        "retrying": outcome.retrying,
        "failed": outcome.failed,
        "skipped": outcome.skipped,
    }


@task()
def tell_administrators(staff_import_id: int) -> dict:
    """Tell the administrators about the privileged accounts an applied import
    deactivated, or whose e-mail address or reactivation it left alone."""
    from people.services import notices

    return {"sent": notices.tell_administrators(staff_import_id=staff_import_id)}
