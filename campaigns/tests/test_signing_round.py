"""Which campaign a signature answers (campaigns.selectors.signing_round, registered with
acknowledgements.hooks): signing stores it in the ledger's content (entry format 2)."""

import datetime

import pytest
from django.utils import timezone

from acknowledgements import hooks, ledger, services
from acknowledgements.selectors.verification import verify_chain
from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services as campaign_services
from campaigns.models import Assignment
from campaigns.selectors.signing_round import signing_round
from campaigns.tests.factories import launched_campaign
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _campaign_for(employee, version, *, deadline: int = 30, **kwargs):
    return launched_campaign(
        version,
        audience="employees",
        employees=[employee],
        deadline=_days(deadline),
        **kwargs,
    )


def _hashed_campaign(record):
    """The campaign as the ledger's content holds it, checked against the entry's digest."""
    fields = ledger.content_fields(record, format_version=record.entry.format_version)
    assert record.entry.content_digest == ledger.content_digest(
        fields, format_version=record.entry.format_version
    )
    return fields["campaign_id"]


def test_the_campaigns_rule_is_the_one_signing_asks():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)
    campaign = _campaign_for(employee, version)

    assert hooks.signing_round(employee=employee, version=version).campaign_id == campaign.pk


def test_signing_with_an_open_assignment_records_its_campaign_in_the_ledger_content():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)
    campaign = _campaign_for(employee, version)

    record = signed(employee, version)

    assert record.campaign_id == campaign.pk
    assert _hashed_campaign(record) == campaign.pk
    assert verify_chain().ok


def test_signing_without_an_assignment_records_no_campaign():
    record = signed()

    assert record.campaign_id is None
    assert _hashed_campaign(record) is None


def test_recording_on_behalf_records_the_campaign_of_the_open_assignment():
    employee, hr = EmployeeFactory(), EmployeeFactory(hr=True)
    version = quiz_version()
    campaign = _campaign_for(employee, version)

    record = services.record_on_behalf(
        employee=employee,
        version=version,
        recorded_by=hr,
        reason="Op papier getekend",
        signed_at=timezone.now(),
    )

    assert _hashed_campaign(record) == campaign.pk


def test_of_two_open_assignments_the_earliest_due_is_the_round():
    employee = EmployeeFactory()
    version = ready_to_sign(employee)
    _campaign_for(employee, version, deadline=30, name="Later")
    sooner = _campaign_for(employee, version, deadline=10, name="Eerder")

    assert signing_round(employee=employee, version=version).campaign_id == sooner.pk


def test_an_assignment_for_the_signed_version_comes_before_an_earlier_due_one_for_another():
    employee = EmployeeFactory()
    first = quiz_version()
    _campaign_for(employee, first, deadline=10, name="Versie 1")
    second = quiz_version(number=2, guideline=first.guideline)
    for_second = _campaign_for(employee, second, deadline=30, name="Versie 2")

    assert signing_round(employee=employee, version=second).campaign_id == for_second.pk


def test_an_assignment_of_another_guideline_is_not_the_round():
    employee = EmployeeFactory()
    version = quiz_version()
    privacy = GuidelineFactory(slug="privacy", title="Privacy")
    _campaign_for(employee, quiz_version(guideline=privacy))

    assert version.guideline_id != Assignment.objects.get().version.guideline_id
    assert signing_round(employee=employee, version=version) is None


def test_an_exempt_assignment_is_not_the_round():
    employee, hr = EmployeeFactory(), EmployeeFactory(hr=True)
    version = quiz_version()
    _campaign_for(employee, version)
    campaign_services.exempt(assignment=Assignment.objects.get(), reason="Verlof", by=hr)

    assert signing_round(employee=employee, version=version) is None


def test_a_signed_assignment_is_not_the_round_of_a_later_signature():
    employee = EmployeeFactory()
    first = ready_to_sign(employee)
    _campaign_for(employee, first)
    signed(employee, first)
    second = quiz_version(number=2, guideline=first.guideline)

    assert signing_round(employee=employee, version=second) is None


def test_a_closed_campaign_is_not_the_round():
    employee = EmployeeFactory()
    version = quiz_version()
    campaign = _campaign_for(employee, version)
    campaign_services.close_campaign(campaign=campaign, by=None)

    assert signing_round(employee=employee, version=version) is None


def test_a_campaign_that_has_not_started_is_not_the_round():
    employee = EmployeeFactory()
    version = quiz_version()
    _campaign_for(employee, version, start_date=_days(5), deadline=40)

    assert signing_round(employee=employee, version=version) is None


def test_the_round_is_found_in_one_query(django_assert_num_queries):
    employee = EmployeeFactory()
    version = quiz_version()
    _campaign_for(employee, version)

    with django_assert_num_queries(1):
        signing_round(employee=employee, version=version)
