"""Who a campaign is for: all active staff, chosen departments (with or without their
sub-departments, through Department.path) or a list of employees; leavers are out."""

import pytest

from campaigns import selectors
from campaigns.models import Campaign
from campaigns.tests.conftest import day
from campaigns.tests.factories import draft_campaign
from people.models import Department
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    """directie DIR > afdeling AFD > team TEAM; a sibling afdeling AFDX whose code starts
    with the same letters; another directie OTHER."""
    directie = DepartmentFactory(code="DIR", kind=Department.Kind.DIRECTORATE)
    afdeling = DepartmentFactory(code="AFD", parent=directie)
    team = DepartmentFactory(code="TEAM", parent=afdeling, kind=Department.Kind.TEAM)
    sibling = DepartmentFactory(code="AFDX", parent=directie)
    other = DepartmentFactory(code="OTHER", kind=Department.Kind.DIRECTORATE)
    return {
        name: (department, EmployeeFactory(department=department))
        for name, department in {
            "directie": directie,
            "afdeling": afdeling,
            "team": team,
            "sibling": sibling,
            "other": other,
        }.items()
    }


def people(campaign, on=None):
    return set(selectors.audience(campaign=campaign, on=on or day(0)))


def test_all_staff_is_every_active_employee(version, tree):
    campaign = draft_campaign(version, audience=Campaign.Audience.ALL)

    assert people(campaign) == {employee for _, employee in tree.values()}


@pytest.mark.parametrize(
    "leaver", [{"is_active": False}, {"end_date": day(-1)}], ids=["inactive", "end-date-passed"]
)
def test_leavers_are_not_in_the_audience(version, leaver):
    staying = EmployeeFactory()
    EmployeeFactory(**leaver)
    campaign = draft_campaign(version, audience=Campaign.Audience.ALL)

    assert people(campaign) == {staying}


def test_someone_leaving_later_is_in_the_audience_until_then(version):
    leaving = EmployeeFactory(end_date=day(5))
    campaign = draft_campaign(version, audience=Campaign.Audience.ALL)

    assert people(campaign, day(5)) == {leaving}
    assert people(campaign, day(6)) == set()


def test_a_department_with_its_subdepartments(version, tree):
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["afdeling"][0]],
        include_subdepartments=True,
    )

    # Not the sibling AFDX, although its path starts with the same letters.
    assert people(campaign) == {tree["afdeling"][1], tree["team"][1]}


def test_a_directorate_with_everything_under_it(version, tree):
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["directie"][0]],
        include_subdepartments=True,
    )

    assert people(campaign) == {
        tree[name][1] for name in ("directie", "afdeling", "team", "sibling")
    }


def test_a_department_without_its_subdepartments(version, tree):
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["afdeling"][0]],
        include_subdepartments=False,
    )

    assert people(campaign) == {tree["afdeling"][1]}


def test_several_departments(version, tree):
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["team"][0], tree["other"][0]],
    )

    assert people(campaign) == {tree["team"][1], tree["other"][1]}


def test_a_list_of_employees(version, tree):
    chosen = [tree["team"][1], tree["other"][1]]
    campaign = draft_campaign(version, audience=Campaign.Audience.EMPLOYEES, employees=chosen)

    assert people(campaign) == set(chosen)


def test_a_listed_employee_who_left_is_out(version):
    leaver = EmployeeFactory(is_active=False)
    staying = EmployeeFactory()
    campaign = draft_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=[leaver, staying]
    )

    assert people(campaign) == {staying}


def test_the_audience_is_one_query(version, tree, django_assert_num_queries):
    campaign = draft_campaign(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[tree["afdeling"][0], tree["other"][0]],
    )

    with django_assert_num_queries(2):  # the chosen departments, then the people
        assert len(people(campaign)) == 3


def test_someone_who_has_not_started_yet_is_not_in_the_audience(version):
    starter = EmployeeFactory(start_date=day(5))
    campaign = draft_campaign(version, deadline=day(30))

    assert starter not in selectors.audience(campaign=campaign, on=day(0))
    assert starter in selectors.audience(campaign=campaign, on=day(5))
