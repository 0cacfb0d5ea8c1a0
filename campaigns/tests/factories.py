"""Helpers for campaign tests.

campaign = launched_campaign(version, deadline=..., employees=[...])
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign


def draft_campaign(version, *, by=None, deadline=None, start_date=None, **kwargs) -> Campaign:
    today = timezone.localdate()
    kwargs.setdefault("name", "Jaarlijkse bevestiging 2026")
    kwargs.setdefault("audience", Campaign.Audience.ALL)
    kwargs.setdefault("reminder_days", [14, 3])
    kwargs.setdefault("manager_escalation_days", 7)
    kwargs.setdefault("hr_escalation_days", 14)
    return services.create_campaign(
        version=version,
        start_date=start_date or today,
        deadline=deadline or today + datetime.timedelta(days=30),
        by=by,
        **kwargs,
    )


def launched_campaign(version, *, by=None, now=None, **kwargs) -> Campaign:
    campaign = draft_campaign(version, by=by, **kwargs)
    services.launch_campaign(campaign=campaign, by=by, now=now)
    campaign.refresh_from_db()
    return campaign
