"""Test helpers for campaigns of more than one guideline, made by hand.

``with_guideline(campaign, version, employees=None)`` makes the campaign cover the
version's guideline as well and asks it of the employees given (default: everyone who
has an assignment in the campaign), as a campaign set up for several guidelines has it:
a CampaignGuideline and an assignment per employee for that guideline.
"""

from __future__ import annotations

from django.utils import timezone

from campaigns.models import Assignment, Campaign, CampaignGuideline
from handbook.models import Guideline, GuidelineVersion
from handbook.tests.factories import GuidelineFactory
from quizzes.tests.factories import quiz_version


def second_version(slug: str = "thuiswerken", title: str = "Handreiking thuiswerken", **kwargs):
    """A published version (with a quiz bank) of another guideline."""
    guideline = GuidelineFactory(slug=slug, title=title, title_en=f"EN {title}")
    return quiz_version(guideline=guideline, **kwargs)


def with_guideline(
    campaign: Campaign, version: GuidelineVersion, employees=None, due_date=None
) -> CampaignGuideline:
    subject = CampaignGuideline.objects.create(
        campaign=campaign, guideline_id=version.guideline_id, version=version
    )
    if employees is None:
        employees = [
            assignment.employee
            for assignment in campaign.assignments.select_related("employee").distinct()
        ]
        seen = set()
        employees = [e for e in employees if not (e.pk in seen or seen.add(e.pk))]
    Assignment.objects.bulk_create(
        Assignment(
            campaign=campaign,
            employee=employee,
            guideline_id=version.guideline_id,
            version=version,
            due_date=due_date or campaign.deadline or campaign.start_date,
            reason=Assignment.Reason.LAUNCH,
            added_at=timezone.now(),
        )
        for employee in employees
    )
    return subject


def guideline_of(version: GuidelineVersion) -> Guideline:
    return Guideline.objects.get(pk=version.guideline_id)
