"""Demo campaigns, so that the dashboards, the team page and the reminders have
something to show: a running yearly campaign for all staff that asks for every guideline
with a version in force (the social-media guideline and the demo's second one), in which
the demo employees who passed the social-media quiz have signed that guideline (the
others are still busy), and the onboarding rule, which covers every published guideline.

Dates are relative to today, so the demo stays "running" whenever it is seeded.
Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from acknowledgements import services as ledger
from acknowledgements.services.reading import record_tip_read
from campaigns import services
from campaigns.models import Campaign
from campaigns.selectors import campaign_versions
from people.models import Employee
from quizzes.models import Attempt

DEMO_CAMPAIGN_NAME = "Jaarlijkse bevestiging 2026"
# What the campaign was called when it asked for the social-media guideline only: a demo
# seeded then already has its campaign.
EARLIER_NAMES = ["Jaarlijkse bevestiging sociale media 2026"]


def seed_demo_campaigns(*, hr: Employee, version, keep_unsigned: list[str]) -> int:
    """The yearly campaign (launched by ``hr``) for ``version`` (the social-media
    guideline's) and the version in force of every other guideline, and signatures of
    ``version`` by the employees who passed its quiz; ``keep_unsigned``: e-mail
    addresses left as they are, so that the demo accounts can walk through signing
    themselves. Returns the number of assignments created."""
    if (
        version is None
        or Campaign.objects.filter(name__in=[DEMO_CAMPAIGN_NAME, *EARLIER_NAMES]).exists()
    ):
        return 0
    today = timezone.localdate()
    rule = services.onboarding_rule()
    # Let the two most recent demo hires fall under the rule (and be overdue there).
    Campaign.objects.filter(pk=rule.pk).update(start_date=datetime.date(2024, 9, 1))
    _sign_some(version, keep_unsigned)
    campaign = services.create_campaign(
        name=DEMO_CAMPAIGN_NAME,
        versions=[version, *campaign_versions().exclude(guideline_id=version.guideline_id)],
        audience=Campaign.Audience.ALL,
        start_date=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=10),
        reminder_days=[14, 3],
        manager_escalation_days=7,
        hr_escalation_days=14,
        by=hr,
    )
    return services.launch_campaign(campaign=campaign, by=hr)


def _sign_some(version, keep_unsigned: list[str]) -> None:
    passed = (
        Attempt.objects.filter(version=version, passed=True)
        .exclude(employee__email__in=keep_unsigned)
        .select_related("employee")
        .order_by("employee__employee_number")
    )
    tips = list(version.tips.all())
    for attempt in passed:
        employee = attempt.employee
        for tip in tips:
            record_tip_read(employee=employee, tip=tip)
        ledger.sign_version(
            employee=employee,
            version=version,
            language=employee.preferred_language,
            typed_name=employee.full_name,
            confirmed=True,
        )
