"""Migration reports 0005 gives every report made before it the guideline it was on (its
version's, or its campaign's only guideline), and can be reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.tests.factories import launched_campaign
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version
from reports import services

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0004_report_ledger_head")]
AFTER = [("reports", "0005_report_guideline")]


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_reports():
    """A report on a campaign and one on a version, as they were before 0005."""
    version = quiz_version(tips=1)
    EmployeeFactory()
    campaign = launched_campaign(version)
    on_campaign = services.request_report(campaign=campaign, enqueue=False)
    on_version = services.request_report(version=version, enqueue=False)
    try:
        migrate(BEFORE)
        yield {"version": version, "campaign": on_campaign.pk, "on_version": on_version.pk}
    finally:
        latest()


def test_the_migration_names_the_guideline_of_every_earlier_report(old_reports):
    apps = migrate(AFTER)

    Report = apps.get_model("reports", "Report")
    guideline = old_reports["version"].guideline_id
    assert Report.objects.get(pk=old_reports["campaign"]).guideline_id == guideline
    assert Report.objects.get(pk=old_reports["on_version"]).guideline_id == guideline


def test_the_migration_can_be_reversed(old_reports):
    migrate(AFTER)

    apps = migrate(BEFORE)

    Report = apps.get_model("reports", "Report")
    assert Report.objects.count() == 2
