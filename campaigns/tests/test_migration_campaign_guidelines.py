"""Migration 0008_campaign_guidelines gives every assignment its guideline and every
campaign the guidelines it covers, and leaves the progress triggers working (SQLite
rebuilds the assignments table on the way)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from acknowledgements.tests.factories import read_all_tips
from campaigns import services
from campaigns.models import Assignment, CampaignGuideline
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0007_append_only_events")]
AFTER = [("campaigns", "0008_campaign_guidelines")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_rows():
    """A launched campaign and an onboarding assignment as they were before 0008."""
    version = published_version(effective_date=timezone.localdate())
    employee = EmployeeFactory()
    campaign = launched_campaign(version)
    EmployeeFactory(start_date=timezone.localdate())
    services.onboarding_rule(on=timezone.localdate() - timezone.timedelta(days=1))
    services.apply_onboarding_rule()
    try:
        migrate(BEFORE)
        yield {"version": version, "campaign": campaign, "employee": employee}
    finally:
        latest()


def test_the_migration_gives_each_assignment_its_versions_guideline(old_rows):
    apps = migrate(AFTER)

    OldAssignment = apps.get_model("campaigns", "Assignment")
    assert set(OldAssignment.objects.values_list("guideline_id", flat=True)) == {
        old_rows["version"].guideline_id
    }


def test_the_migration_makes_each_campaign_cover_its_versions_guideline(old_rows):
    migrate(AFTER)
    latest()

    subjects = CampaignGuideline.objects.filter(campaign=old_rows["campaign"])
    assert [(s.guideline_id, s.version_id) for s in subjects] == [
        (old_rows["version"].guideline_id, old_rows["version"].pk)
    ]


def test_the_migration_makes_the_onboarding_rule_cover_its_assignments_guidelines(old_rows):
    migrate(AFTER)
    latest()

    onboarding = CampaignGuideline.objects.get(campaign__kind="onboarding")
    assert (onboarding.guideline_id, onboarding.version_id) == (
        old_rows["version"].guideline_id,
        None,
    )


def test_the_progress_triggers_still_work_after_the_migration(old_rows):
    migrate(AFTER)
    latest()
    call_command("check", "--database", "default", "--tag", "database")

    read_all_tips(old_rows["employee"], old_rows["version"])
    assignment = Assignment.objects.get(
        campaign=old_rows["campaign"], employee=old_rows["employee"]
    )
    assert assignment.read_at is not None


def test_the_migration_can_be_reversed(old_rows):
    migrate(AFTER)
    apps = migrate(BEFORE)

    OldAssignment = apps.get_model("campaigns", "Assignment")
    assert OldAssignment.objects.filter(campaign_id=old_rows["campaign"].pk).exists()
