"""The demo's campaigns cover both guidelines: the yearly round asks for the version in
force of each, and the onboarding rule covers both."""

import pytest

from campaigns.models import Campaign
from demo.campaigns import DEMO_CAMPAIGN_NAME
from demo.second_guideline import SLUG as SECOND_GUIDELINE
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from people.models import Employee

pytestmark = pytest.mark.django_db

BOTH = {DEFAULT_GUIDELINE_SLUG, SECOND_GUIDELINE}


def test_the_demo_campaign_asks_for_both_guidelines(seeded):
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)

    assert set(campaign.subjects.values_list("guideline__slug", flat=True)) == BOTH
    assert all(subject.version.status == "published" for subject in campaign.subjects.all())


def test_every_active_employee_has_an_assignment_for_each_guideline(seeded):
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)
    active = Employee.objects.filter(is_active=True).count()

    for slug in BOTH:
        assert campaign.assignments.filter(guideline__slug=slug).count() == active, slug


def test_the_demo_onboarding_rule_covers_both_guidelines(seeded):
    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)

    assert set(rule.subjects.values_list("guideline__slug", flat=True)) == BOTH
