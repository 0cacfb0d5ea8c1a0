"""Background tasks (Django's task framework; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django.tasks import task

from people import invitations


@task()
def send_staff_invitations(employee_ids: list[int]) -> dict:
    """Invite the people the staff import added to set their password."""
    return {"sent": invitations.send_invitations(employee_ids)}
