"""Launching gives everyone in the audience one assignment, in bulk, once."""

import pytest

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import selectors, services
from campaigns.models import Assignment, Campaign, CampaignEvent
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import draft_campaign, launched_campaign
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_launch_gives_each_employee_in_the_audience_one_assignment(version):
    department = DepartmentFactory()
    inside = [EmployeeFactory(department=department) for _ in range(3)]
    EmployeeFactory()  # elsewhere
    hr = EmployeeFactory(hr=True)
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[department],
        deadline=day(30),
    )

    added = services.launch_campaign(campaign=campaign, by=hr, now=at(0))

    assert added == 3
    assignments = Assignment.objects.filter(campaign=campaign)
    assert {a.employee for a in assignments} == set(inside)
    assert {(a.version, a.due_date, a.reason, a.added_at) for a in assignments} == {
        (version, day(30), Assignment.Reason.LAUNCH, at(0))
    }
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    assert (campaign.launched_by, campaign.launched_at) == (hr, at(0))
    event = CampaignEvent.objects.get(campaign=campaign, kind=CampaignEvent.Kind.LAUNCHED)
    assert (event.actor, event.details["assignments"]) == (hr, 3)


def test_nobody_is_asked_anything_before_launch(version):
    EmployeeFactory()
    campaign = draft_campaign(version)

    assert not campaign.assignments.exists()


def test_employee_who_signed_the_version_already_is_done_at_launch(version):
    employee = EmployeeFactory()
    signed(employee, ready_to_sign(employee, version))

    campaign = launched_campaign(version)

    assignment = selectors.with_status(assignments=campaign.assignments.all(), on=day(0)).get()
    assert assignment.status == Assignment.Status.SIGNED


def test_launching_twice_is_refused(version):
    EmployeeFactory()
    campaign = launched_campaign(version)

    with pytest.raises(services.CampaignError):
        services.launch_campaign(campaign=campaign, by=None)

    assert campaign.assignments.count() == 1
    assert campaign.events.filter(kind=CampaignEvent.Kind.LAUNCHED).count() == 1


def test_launch_after_the_deadline_is_refused(version):
    EmployeeFactory()
    campaign = draft_campaign(version, deadline=day(5))

    with pytest.raises(services.CampaignError):
        services.launch_campaign(campaign=campaign, by=None, now=at(6))

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not campaign.assignments.exists()


def test_a_campaign_needs_a_published_version(db):
    from handbook.tests.factories import GuidelineVersionFactory

    with pytest.raises(services.CampaignError):
        draft_campaign(GuidelineVersionFactory())


def test_leavers_get_no_assignment_at_launch(version):
    staying = EmployeeFactory()
    EmployeeFactory(is_active=False)
    EmployeeFactory(end_date=day(-1))

    campaign = launched_campaign(version)

    assert list(campaign.assignments.values_list("employee", flat=True)) == [staying.pk]


def test_launch_of_hundreds_of_employees_is_a_handful_of_queries(
    version, django_assert_max_num_queries
):
    department = DepartmentFactory()
    Employee.objects.bulk_create(
        Employee(
            email=f"bulk{n}@voorbeeldstad.nl",
            employee_number=f"B{n:05d}",
            first_name="Bulk",
            last_name=f"Medewerker {n}",
            department=department,
        )
        for n in range(300)
    )
    campaign = draft_campaign(version, audience=Campaign.Audience.ALL)

    # On PostgreSQL three of them fill the facts in bulk (campaigns.services.progress.in_bulk).
    with django_assert_max_num_queries(15):
        added = services.launch_campaign(campaign=campaign, by=None)

    assert added == 300
    assert campaign.assignments.count() == 300
