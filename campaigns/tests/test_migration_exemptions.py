"""Migration 0006_exemption_reasons_out_of_events moves the free text out of existing
campaign events (onto Exemption rows) and back again when reversed. It runs before the
audit trail becomes append-only (0007_append_only_events depends on it)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campaigns.models import Assignment
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0005_assignment_fillfactor")]
AFTER = [("campaigns", "0006_exemption_reasons_out_of_events")]
FIRST = "Zwangerschapsverlof tot maart"
SECOND = "Chemokuur, terug na de zomer"
WITHOUT_EVENT = "Gedetacheerd bij de provincie"
SMTP_ERROR = "SMTPRecipientsRefused: {'jan@voorbeeldstad.nl': (550, b'unknown user')}"


def migrate(targets):
    """Migrate to ``targets``; returns the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_events():
    """Assignments and events as the portal wrote them before the migration."""
    hr = EmployeeFactory(hr=True)
    employee, other = EmployeeFactory(), EmployeeFactory()
    campaign = launched_campaign(published_version(effective_date=timezone.localdate()), by=hr)
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    quiet = Assignment.objects.get(campaign=campaign, employee=other)
    try:
        apps = migrate(BEFORE)
        CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
        OldAssignment = apps.get_model("campaigns", "Assignment")
        Reminder = apps.get_model("campaigns", "Reminder")
        now = timezone.now()
        for kind, details in [
            ("exempted", {"reason": FIRST}),
            ("exemption_lifted", {"previous_reason": FIRST}),
            ("exempted", {"reason": SECOND}),
        ]:
            CampaignEvent.objects.create(
                kind=kind,
                campaign_id=campaign.pk,
                assignment_id=assignment.pk,
                actor_id=hr.pk,
                details=details,
            )
        OldAssignment.objects.filter(pk=assignment.pk).update(
            exempt_reason=SECOND, exempted_by_id=hr.pk, exempted_at=now
        )
        OldAssignment.objects.filter(pk=quiet.pk).update(
            exempt_reason=WITHOUT_EVENT, exempted_by_id=hr.pk, exempted_at=now
        )
        reminder = Reminder.objects.create(
            assignment_id=assignment.pk,
            kind="reminder",
            step="before-14",
            status="sent",
            created_at=now,
            next_attempt_at=now,
        )
        CampaignEvent.objects.create(
            kind="reminder_retried",
            campaign_id=campaign.pk,
            assignment_id=assignment.pk,
            actor_id=hr.pk,
            details={"reminder": reminder.pk, "previous_error": SMTP_ERROR},
        )
        yield {"hr": hr, "assignment": assignment, "quiet": quiet}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _events(apps):
    CampaignEvent = apps.get_model("campaigns", "CampaignEvent")
    return [(e.kind, e.details) for e in CampaignEvent.objects.order_by("pk") if e.assignment_id]


def test_the_migration_moves_the_reasons_from_the_events_to_exemption_rows(old_events):
    apps = migrate(AFTER)

    Exemption = apps.get_model("campaigns", "Exemption")
    first, second = Exemption.objects.filter(assignment_id=old_events["assignment"].pk).order_by(
        "pk"
    )
    assert (first.reason, first.lifted_by_id, first.lifted_at is not None) == (
        FIRST,
        old_events["hr"].pk,
        True,
    )
    assert (second.reason, second.exempted_by_id, second.lifted_at) == (
        SECOND,
        old_events["hr"].pk,
        None,
    )
    events = _events(apps)
    assert [details for kind, details in events if kind != "reminder_retried"] == [
        {"exemption": first.pk},
        {"exemption": first.pk},
        {"exemption": second.pk},
    ]
    assert FIRST not in str(events) and SECOND not in str(events)


def test_the_migration_gives_an_exemption_without_event_its_row_too(old_events):
    apps = migrate(AFTER)

    Exemption = apps.get_model("campaigns", "Exemption")
    assert Exemption.objects.get(assignment_id=old_events["quiet"].pk).reason == WITHOUT_EVENT


def test_the_migration_keeps_only_the_kind_of_a_retried_mails_error(old_events):
    apps = migrate(AFTER)

    (details,) = [d for kind, d in _events(apps) if kind == "reminder_retried"]
    assert details["previous_error_kind"] == "SMTPRecipientsRefused"
    assert "jan@voorbeeldstad.nl" not in str(details)


def test_reversing_the_migration_puts_the_reasons_back_into_the_events(old_events):
    migrate(AFTER)

    apps = migrate(BEFORE)

    assert [details for kind, details in _events(apps) if kind != "reminder_retried"] == [
        {"reason": FIRST},
        {"previous_reason": FIRST},
        {"reason": SECOND},
    ]
