"""Background tasks (Django's task framework; a database-backed worker runs them:
``manage.py db_worker``). Arguments are JSON: ids and an ISO timestamp."""

from __future__ import annotations

import datetime

from django.tasks import task

from campaigns.services import delivery


@task()
def deliver_reminders(reminder_ids: list[int], now: str | None = None) -> dict:
    """Send these reminders (see campaigns.services.delivery). When the mail server was away, a
    retry is queued for the moment of the back-off, if the backend can defer tasks;
    otherwise the periodic command hands the rows over again."""
    moment = datetime.datetime.fromisoformat(now) if now else None
    outcome = delivery.deliver(reminder_ids=reminder_ids, now=moment)
    if outcome.retry_at and deliver_reminders.get_backend().supports_defer:
        # On a controlled clock (``now`` given) the retry runs at the moment of the retry.
        later = {"now": outcome.retry_at.isoformat()} if now else {}
        deliver_reminders.using(run_after=outcome.retry_at).enqueue(reminder_ids, **later)
    return {
        "sent": outcome.sent,
        "cancelled": outcome.cancelled,
        "retrying": outcome.retrying,
        "failed": outcome.failed,
        "skipped": outcome.skipped,
    }


@task()
def refresh_campaign_figures(campaign_id: int) -> dict:
    """Work out and keep the dashboard figures of a large campaign (campaigns.services.figures)."""
    from campaigns.models import Campaign
    from campaigns.services import figures

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return {"campaign": campaign_id, "seconds": None}
    kept = figures.refresh(campaign=campaign)
    return {"campaign": campaign_id, "seconds": round(kept.seconds, 3)}
