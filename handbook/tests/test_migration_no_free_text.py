"""Migration 0004_no_free_text_in_events takes the free text out of existing handbook
events (a retirement's reason, a review reminder's e-mail address) and puts it back
when reversed. It runs before the audit trail becomes append-only
(0005_refuse_truncate_and_replace depends on it)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from handbook.services import retirement
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("handbook", "0003_retirement_requests")]
AFTER = [("handbook", "0004_no_free_text_in_events")]
REASON = "Vervangen door versie 2; contactpersoon Jan de Vries is vertrokken."
EMAIL = "eigenaar@voorbeeldstad.nl"


def migrate(targets):
    """Migrate to ``targets``; returns the historical models there."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_events():
    """Handbook events as the portal wrote them before the migration."""
    owner = EmployeeFactory(email=EMAIL)
    editor = EmployeeFactory(editor=True)
    version = published_version(effective_date=timezone.localdate() - datetime.timedelta(days=9))
    published_version(version.guideline, number=2, effective_date=timezone.localdate())
    request = retirement.request_retirement(version=version, actor=editor, reason=REASON)
    try:
        apps = migrate(BEFORE)
        HandbookEvent = apps.get_model("handbook", "HandbookEvent")
        HandbookEvent.objects.all().delete()
        for kind, details in [
            ("retirement_requested", {"request": request.pk, "reason": REASON}),
            (
                "retired",
                {"request": request.pk, "requested_by": editor.pk, "reason": REASON},
            ),
            ("review_reminder_sent", {"review_date": "2026-11-01", "recipient": EMAIL}),
        ]:
            HandbookEvent.objects.create(
                guideline_id=version.guideline_id, kind=kind, version_number=1, details=details
            )
        yield {"owner": owner, "editor": editor, "request": request}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _details(apps):
    HandbookEvent = apps.get_model("handbook", "HandbookEvent")
    return list(HandbookEvent.objects.order_by("pk").values_list("details", flat=True))


def test_the_migration_leaves_the_reason_on_the_request_and_names_the_recipient_by_id(
    old_events,
):
    apps = migrate(AFTER)

    request, editor = old_events["request"].pk, old_events["editor"].pk
    assert _details(apps) == [
        {"request": request},
        {"request": request, "requested_by": editor},
        {"review_date": "2026-11-01", "recipient": old_events["owner"].pk},
    ]
    RetirementRequest = apps.get_model("handbook", "RetirementRequest")
    assert RetirementRequest.objects.get(pk=request).reason == REASON


def test_reversing_the_migration_puts_the_reason_and_the_address_back(old_events):
    migrate(AFTER)

    apps = migrate(BEFORE)

    request, editor = old_events["request"].pk, old_events["editor"].pk
    assert _details(apps) == [
        {"request": request, "reason": REASON},
        {"request": request, "requested_by": editor, "reason": REASON},
        {"review_date": "2026-11-01", "recipient": EMAIL},
    ]
