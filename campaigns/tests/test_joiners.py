"""Employees who join or move into a running campaign's audience get an assignment,
due at the campaign's deadline or after a fair minimum (CAMPAIGN_JOINER_MINIMUM_DAYS)."""

import pytest

from campaigns import services
from campaigns.models import Assignment, Campaign, CampaignEvent
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import draft_campaign, launched_campaign
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def assignment_of(campaign, employee):
    return campaign.assignments.get(employee=employee)


def test_new_employee_joins_with_the_campaigns_deadline(version):
    EmployeeFactory()
    campaign = launched_campaign(version, deadline=day(60), now=at(0))
    joiner = EmployeeFactory()

    assert services.add_joiners(now=at(1)) == 1

    assignment = assignment_of(campaign, joiner)
    assert assignment.due_date == day(60)
    assert assignment.reason == Assignment.Reason.JOINED
    assert assignment.added_at == at(1)
    assert campaign.events.get(kind=CampaignEvent.Kind.JOINED).details == {"assignments": 1}


def test_joiner_close_to_the_deadline_gets_the_fair_minimum(version, settings):
    settings.CAMPAIGN_JOINER_MINIMUM_DAYS = 14
    campaign = launched_campaign(version, deadline=day(20), now=at(0))
    joiner = EmployeeFactory()

    services.add_joiners(now=at(10))

    assert assignment_of(campaign, joiner).due_date == day(24)


def test_joiner_after_the_deadline_gets_the_fair_minimum(version, settings):
    settings.CAMPAIGN_JOINER_MINIMUM_DAYS = 10
    campaign = launched_campaign(version, deadline=day(5), now=at(0))
    joiner = EmployeeFactory()

    services.add_joiners(now=at(30))

    assert assignment_of(campaign, joiner).due_date == day(40)


def test_employee_moving_into_a_chosen_department_joins(version):
    chosen, elsewhere = DepartmentFactory(), DepartmentFactory()
    mover = EmployeeFactory(department=elsewhere)
    campaign = launched_campaign(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[chosen], now=at(0)
    )
    assert services.add_joiners(now=at(1)) == 0

    Employee.objects.filter(pk=mover.pk).update(department=chosen)

    assert services.add_joiners(now=at(2)) == 1
    assert assignment_of(campaign, mover).reason == Assignment.Reason.JOINED


def test_employee_moving_into_a_sub_department_joins(version):
    chosen = DepartmentFactory()
    team = DepartmentFactory(parent=chosen)
    campaign = launched_campaign(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[chosen], now=at(0)
    )
    mover = EmployeeFactory(department=team)

    services.add_joiners(now=at(1))

    assert assignment_of(campaign, mover)


def test_adding_joiners_again_adds_nothing(version):
    campaign = launched_campaign(version, now=at(0))
    EmployeeFactory()
    services.add_joiners(now=at(1))

    assert services.add_joiners(now=at(1)) == 0
    assert services.add_joiners(now=at(2)) == 0
    assert campaign.assignments.count() == 1
    assert campaign.events.filter(kind=CampaignEvent.Kind.JOINED).count() == 1


def test_someone_who_moved_out_and_back_keeps_their_first_assignment(version):
    chosen, elsewhere = DepartmentFactory(), DepartmentFactory()
    employee = EmployeeFactory(department=chosen)
    campaign = launched_campaign(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[chosen], now=at(0)
    )
    Employee.objects.filter(pk=employee.pk).update(department=elsewhere)
    services.add_joiners(now=at(1))
    Employee.objects.filter(pk=employee.pk).update(department=chosen)

    assert services.add_joiners(now=at(2)) == 0
    assert assignment_of(campaign, employee).reason == Assignment.Reason.LAUNCH


def test_leavers_do_not_join(version):
    launched_campaign(version, now=at(0))
    EmployeeFactory(is_active=False)
    EmployeeFactory(end_date=day(0))

    assert services.add_joiners(now=at(1)) == 0


def test_draft_and_closed_campaigns_get_no_joiners(version):
    draft = draft_campaign(version)
    closed = launched_campaign(version, now=at(0))
    services.close_campaign(campaign=closed, by=None)
    EmployeeFactory()

    assert services.add_joiners(now=at(1)) == 0
    assert not draft.assignments.exists() and not closed.assignments.exists()


def test_a_campaign_that_has_not_started_yet_gets_no_joiners(version):
    campaign = launched_campaign(version, start_date=day(5), deadline=day(30), now=at(0))
    joiner = EmployeeFactory()

    assert services.add_joiners(now=at(4)) == 0
    assert services.add_joiners(now=at(5)) == 1
    assert assignment_of(campaign, joiner).due_date == day(30)


def test_the_onboarding_rule_is_not_a_joiners_campaign(version):
    services.onboarding_rule(on=day(0))
    EmployeeFactory()  # no start date: not a newcomer

    assert services.add_joiners(now=at(1)) == 0
    assert not Assignment.objects.exists()


def test_a_new_employee_in_onboarding_for_the_same_version_does_not_join_as_well(version):
    EmployeeFactory()
    campaign = launched_campaign(version, deadline=day(60), now=at(0))
    services.onboarding_rule(on=day(0))
    newcomer = EmployeeFactory(start_date=day(1))
    services.apply_onboarding_rule(now=at(1))

    assert services.add_joiners(now=at(1)) == 0
    assert not campaign.assignments.filter(employee=newcomer).exists()
