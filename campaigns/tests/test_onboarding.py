"""The onboarding rule: every new employee (start date on or after the rule's start
date, up to today) gets an assignment for the current version, due
CAMPAIGN_ONBOARDING_DAYS after their start date; running it again adds nothing."""

import pytest

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import selectors, services
from campaigns.models import Assignment, Campaign, CampaignEvent
from campaigns.tests.conftest import at, day
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(version):
    """The onboarding rule, in force from ten days ago."""
    return services.onboarding_rule(on=day(-10))


def onboarding(employee):
    return Assignment.objects.filter(campaign__kind=Campaign.Kind.ONBOARDING, employee=employee)


def test_new_employee_gets_the_current_version_due_fourteen_days_after_starting(rule, version):
    newcomer = EmployeeFactory(start_date=day(-3))

    added = services.apply_onboarding_rule(now=at(0))

    assert added == 1
    assignment = onboarding(newcomer).get()
    assert assignment.campaign == rule
    assert assignment.version == version
    assert assignment.due_date == day(-3 + 14)
    assert assignment.reason == Assignment.Reason.ONBOARDING
    assert rule.events.get(kind=CampaignEvent.Kind.ONBOARDING).details == {"assignments": 1}


def test_the_number_of_days_is_a_setting(rule, settings):
    settings.CAMPAIGN_ONBOARDING_DAYS = 21
    newcomer = EmployeeFactory(start_date=day(0))

    services.apply_onboarding_rule(now=at(0))

    assert onboarding(newcomer).get().due_date == day(21)


def test_someone_starting_on_the_rules_start_date_counts(rule):
    newcomer = EmployeeFactory(start_date=day(-10))

    services.apply_onboarding_rule(now=at(0))

    assert onboarding(newcomer).exists()


def test_staff_who_started_before_the_rule_are_left_alone(rule):
    EmployeeFactory(start_date=day(-11))
    EmployeeFactory(start_date=None)

    assert services.apply_onboarding_rule(now=at(0)) == 0
    assert not Assignment.objects.exists()


def test_running_the_rule_again_adds_nothing(rule):
    newcomer = EmployeeFactory(start_date=day(-1))
    services.apply_onboarding_rule(now=at(0))

    assert services.apply_onboarding_rule(now=at(0)) == 0
    assert services.apply_onboarding_rule(now=at(1)) == 0
    assert onboarding(newcomer).count() == 1
    assert rule.events.filter(kind=CampaignEvent.Kind.ONBOARDING).count() == 1


def test_a_future_starter_gets_nothing_until_their_start_date(rule):
    starter = EmployeeFactory(start_date=day(5))

    assert services.apply_onboarding_rule(now=at(4)) == 0
    assert services.apply_onboarding_rule(now=at(5)) == 1
    assert onboarding(starter).get().due_date == day(19)


def test_a_newcomer_who_already_left_gets_nothing(rule):
    EmployeeFactory(start_date=day(-5), end_date=day(-1))
    EmployeeFactory(start_date=day(-5), is_active=False)

    assert services.apply_onboarding_rule(now=at(0)) == 0


def test_a_newcomer_who_signed_already_is_done_at_once(rule, version):
    newcomer = EmployeeFactory(start_date=day(-1))
    signed(newcomer, ready_to_sign(newcomer, version))

    services.apply_onboarding_rule(now=at(0))

    status = selectors.with_status(assignments=onboarding(newcomer), on=day(0)).get().status
    assert status == Assignment.Status.SIGNED


def test_the_staff_import_can_apply_the_rule_to_the_people_it_added(rule):
    imported = EmployeeFactory(start_date=day(-1))
    other = EmployeeFactory(start_date=day(-1))

    assert services.apply_onboarding_rule(now=at(0), employees=[imported]) == 1
    assert onboarding(imported).exists() and not onboarding(other).exists()


def test_the_version_is_the_one_current_on_the_day_the_rule_runs(rule, version):
    newer = published_version(
        version.guideline, number=2, tips=["Nieuwe tip."], effective_date=day(10)
    )
    early = EmployeeFactory(start_date=day(1))
    late = EmployeeFactory(start_date=day(12))

    services.apply_onboarding_rule(now=at(1))
    services.apply_onboarding_rule(now=at(12))

    assert onboarding(early).get().version == version
    assert onboarding(late).get().version == newer


def test_without_a_published_version_nobody_is_assigned(db):
    EmployeeFactory(start_date=day(0))

    assert services.apply_onboarding_rule(now=at(0)) == 0
    assert not Campaign.objects.exists()


def test_the_rule_made_on_first_use_starts_on_that_day(version):
    EmployeeFactory(start_date=day(-1))  # before the rule existed
    newcomer = EmployeeFactory(start_date=day(3))

    services.apply_onboarding_rule(now=at(3))

    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)
    assert rule.start_date == day(3)
    assert list(rule.assignments.values_list("employee", flat=True)) == [newcomer.pk]


def test_a_stopped_rule_assigns_nobody(rule):
    Campaign.objects.filter(pk=rule.pk).update(status=Campaign.Status.CLOSED)
    EmployeeFactory(start_date=day(-1))

    assert services.apply_onboarding_rule(now=at(0)) == 0


def test_new_employees_sign_the_real_guideline(version_one):
    services.onboarding_rule(on=day(0))
    newcomer = EmployeeFactory(start_date=day(0))

    services.apply_onboarding_rule(now=at(0))

    assert onboarding(newcomer).get().version == version_one
