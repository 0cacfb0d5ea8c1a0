"""Helpers for campaign tests.

campaign = launched_campaign(version, deadline=..., employees=[...])
campaign = launched_campaign([social, privacy])    one version per guideline
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign


def draft_campaign(version, *, by=None, deadline=None, start_date=None, **kwargs) -> Campaign:
    """``version``: a version, or a list of versions (one per guideline)."""
    today = timezone.localdate()
    kwargs.setdefault("name", "Jaarlijkse bevestiging 2026")
    kwargs.setdefault("audience", Campaign.Audience.ALL)
    kwargs.setdefault("reminder_days", [14, 3])
    kwargs.setdefault("manager_escalation_days", 7)
    kwargs.setdefault("hr_escalation_days", 14)
    versions = list(version) if isinstance(version, (list, tuple)) else [version]
    return services.create_campaign(
        versions=versions,
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
