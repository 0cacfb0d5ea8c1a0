"""Migration 0013_exemption_four_eyes: the exemptions made before four eyes were in force
at once, so they become approved (asked for when they were made, decided by nobody);
reversed, the requests that never took effect are removed and the rest stays."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campaigns.models import Assignment
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0012_yearly_round")]
AFTER = [("campaigns", "0013_exemption_four_eyes")]


def migrate(targets):
    """Migrate to ``targets``; returns the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def assignments():
    hr = EmployeeFactory(hr=True)
    first, second = EmployeeFactory(), EmployeeFactory()
    campaign = launched_campaign(published_version(effective_date=timezone.localdate()), by=hr)
    try:
        yield {
            "hr": hr,
            "first": Assignment.objects.get(campaign=campaign, employee=first),
            "second": Assignment.objects.get(campaign=campaign, employee=second),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_earlier_exemption_becomes_approved_asked_for_when_it_was_made(assignments):
    apps = migrate(BEFORE)
    then = timezone.now()
    apps.get_model("campaigns", "Exemption").objects.create(
        assignment_id=assignments["first"].pk,
        reason="Verlof",
        exempted_by_id=assignments["hr"].pk,
        exempted_at=then,
    )

    apps = migrate(AFTER)

    exemption = apps.get_model("campaigns", "Exemption").objects.get()
    assert (exemption.decision, exemption.requested_at, exemption.exempted_at) == (
        "approved",
        then,
        then,
    )
    assert exemption.decided_by_id is None


def test_reversed_a_waiting_request_is_removed_and_an_exemption_in_force_stays(assignments):
    apps = migrate(AFTER)
    Exemption = apps.get_model("campaigns", "Exemption")
    now = timezone.now()
    Exemption.objects.create(
        assignment_id=assignments["first"].pk,
        reason="In force",
        decision="approved",
        exempted_by_id=assignments["hr"].pk,
        requested_at=now,
        exempted_at=now,
    )
    Exemption.objects.create(
        assignment_id=assignments["second"].pk,
        reason="Waiting",
        decision="requested",
        exempted_by_id=assignments["hr"].pk,
        requested_at=now,
    )

    apps = migrate(BEFORE)

    kept = apps.get_model("campaigns", "Exemption").objects.values_list("reason", flat=True)
    assert list(kept) == ["In force"]
