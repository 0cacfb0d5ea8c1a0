"""Migration 0010_campaign_version_removed: a campaign's version goes (its guidelines
hold what it asks for); going back puts the first guideline's version on it again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0009_onboarding_changed_event")]


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_going_back_gives_each_campaign_its_first_guidelines_version():
    social = quiz_version(tips=1)
    privacy = quiz_version(tips=1, guideline=GuidelineFactory(slug="privacy", title="Privacy"))
    campaign = launched_campaign([social, privacy])
    try:
        apps = migrate(BEFORE)

        OldCampaign = apps.get_model("campaigns", "Campaign")
        assert OldCampaign.objects.get(pk=campaign.pk).version_id == social.pk
    finally:
        latest()


def test_the_campaign_has_no_version_of_its_own_any_more(db):
    from campaigns.models import Campaign

    assert "version" not in {field.name for field in Campaign._meta.get_fields()}
