"""The dashboard's reads (campaigns.selectors.dashboard): figures per campaign and per department,
completion over time, quiz figures per department with the minimum group size."""

from __future__ import annotations

import pytest
from django.utils import translation

from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.selectors import dashboard
from campaigns.tests.hr_support import at, day, launched, sign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


def _for(version, department, **kwargs):
    """A campaign launched for the department (and its sub-departments)."""
    return launched(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[department], **kwargs
    )


# Completion per campaign ------------------------------------------------------------------


def test_completion_per_campaign_counts_signed_of_those_in_scope(version):
    department = DepartmentFactory()
    people = [EmployeeFactory(department=department) for _ in range(4)]
    campaign = _for(version, department)
    sign(people[0], version)
    services.exempt(
        assignment=campaign.assignments.get(employee=people[1]), reason="Verlof", by=None
    )

    figures = dashboard.completion_by_campaign(campaign_ids=[campaign.pk], on=day(0))[campaign.pk]

    assert (figures["total"], figures["in_scope"], figures["signed"]) == (4, 3, 1)
    assert figures["done_percent"] == 33


def test_completion_per_campaign_leaves_out_leavers(version):
    department = DepartmentFactory()
    stayer = EmployeeFactory(department=department)
    leaver = EmployeeFactory(department=department)
    campaign = _for(version, department)
    leaver.is_active = False
    leaver.save()
    sign(stayer, version)

    figures = dashboard.completion_by_campaign(campaign_ids=[campaign.pk], on=day(0))[campaign.pk]

    assert (figures["total"], figures["done_percent"]) == (1, 100)


def test_completion_of_campaigns_without_assignments_is_absent(version):
    assert dashboard.completion_by_campaign(campaign_ids=[], on=day(0)) == {}


def test_completion_of_several_campaigns_is_one_query(version, django_assert_num_queries):
    EmployeeFactory()
    campaigns = [launched(version) for _ in range(4)]

    with django_assert_num_queries(1):
        figures = dashboard.completion_by_campaign(
            campaign_ids=[c.pk for c in campaigns], on=day(0)
        )

    assert len(figures) == 4


# Per department ---------------------------------------------------------------------------


@pytest.fixture
def three_departments(version):
    """Archief: 1 of 1 signed; Burgerzaken: 0 of 3, all overdue; Communicatie: 1 of 2."""
    parent = DepartmentFactory(name="Dienstverlening")
    archief = DepartmentFactory(name="Archief", parent=parent)
    burgerzaken = DepartmentFactory(name="Burgerzaken", parent=parent)
    communicatie = DepartmentFactory(name="Communicatie", parent=parent)
    signers = [EmployeeFactory(department=archief), EmployeeFactory(department=communicatie)]
    for _ in range(3):
        EmployeeFactory(department=burgerzaken)
    EmployeeFactory(department=communicatie)
    campaign = _for(version, parent, start_date=day(-20), deadline=day(0))
    for employee in signers:
        sign(employee, version)
    return campaign


def _names(rows):
    return [row["name"] for row in rows]


def test_departments_are_sorted_by_name_by_default(three_departments):
    rows = dashboard.department_rows(campaign=three_departments, on=day(1))

    assert _names(rows) == ["Archief", "Burgerzaken", "Communicatie"]


def test_departments_sort_by_total(three_departments):
    rows = dashboard.department_rows(
        campaign=three_departments, on=day(1), sort="total", descending=True
    )

    assert [(row["name"], row["total"]) for row in rows] == [
        ("Burgerzaken", 3),
        ("Communicatie", 2),
        ("Archief", 1),
    ]


def test_departments_sort_by_share_done(three_departments):
    rows = dashboard.department_rows(campaign=three_departments, on=day(1), sort="done")

    assert [(row["name"], row["done_percent"]) for row in rows] == [
        ("Burgerzaken", 0),
        ("Communicatie", 50),
        ("Archief", 100),
    ]


def test_departments_sort_by_overdue(three_departments):
    rows = dashboard.department_rows(
        campaign=three_departments, on=day(1), sort="overdue", descending=True
    )

    assert [(row["name"], row["overdue"]) for row in rows] == [
        ("Burgerzaken", 3),
        ("Communicatie", 1),
        ("Archief", 0),
    ]


def test_ties_stay_in_name_order(three_departments):
    rows = dashboard.department_rows(campaign=three_departments, on=day(-5), sort="overdue")

    assert _names(rows) == ["Archief", "Burgerzaken", "Communicatie"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("done", ("done", False)),
        ("-overdue", ("overdue", True)),
        ("", ("name", False)),
        ("salary", ("name", False)),
        (None, ("name", False)),
    ],
)
def test_sort_parameter_is_read_and_unknown_columns_sort_by_name(value, expected):
    assert dashboard.parse_sort(value=value) == expected


def test_employees_without_a_department_are_a_row_of_their_own(version):
    EmployeeFactory(department=None)
    campaign = launched(version)

    with translation.override("en"):
        rows = dashboard.department_rows(campaign=campaign, on=day(0))

    assert [(row["department_id"], row["name"]) for row in rows] == [(None, "No department")]


# Completion over time ---------------------------------------------------------------------


def test_completion_over_time_runs_from_the_start_to_today(version):
    department = DepartmentFactory()
    people = [EmployeeFactory(department=department) for _ in range(4)]
    campaign = _for(version, department, start_date=day(-3), deadline=day(10))
    sign(people[0], version, now=at(-2))
    sign(people[1], version, now=at(-2))
    sign(people[2], version, now=at(0))

    timeline = dashboard.completion_over_time(campaign=campaign, on=day(0))

    assert (timeline.start, timeline.end, timeline.deadline) == (day(-3), day(10), day(10))
    assert [(f.day, f.signed, f.percent_rounded) for f in timeline.days] == [
        (day(-3), 0, 0),
        (day(-2), 2, 50),
        (day(-1), 2, 50),
        (day(0), 3, 75),
    ]


def test_signatures_from_before_the_start_count_at_the_start(version):
    department = DepartmentFactory()
    early = EmployeeFactory(department=department)
    EmployeeFactory(department=department)
    sign(early, version, now=at(-6))
    campaign = _for(version, department, start_date=day(-2), deadline=day(5))

    timeline = dashboard.completion_over_time(campaign=campaign, on=day(0))

    assert timeline.days[0].day == day(-2)
    assert (timeline.days[0].signed, timeline.days[0].in_scope) == (1, 2)


def test_the_axis_runs_on_to_today_after_the_deadline(version):
    department = DepartmentFactory()
    EmployeeFactory(department=department)
    campaign = _for(version, department, start_date=day(-2), deadline=day(0))

    timeline = dashboard.completion_over_time(campaign=campaign, on=day(3))

    assert timeline.end == day(3)
    assert timeline.days[-1].day == day(3)


def test_exempt_employees_and_leavers_are_not_in_the_timeline(version):
    department = DepartmentFactory()
    people = [EmployeeFactory(department=department) for _ in range(4)]
    campaign = _for(version, department, start_date=day(-1))
    sign(people[0], version)
    sign(people[1], version)
    services.exempt(
        assignment=campaign.assignments.get(employee=people[1]), reason="Verlof", by=None
    )
    people[2].is_active = False
    people[2].save()

    last = dashboard.completion_over_time(campaign=campaign, on=day(0)).last

    assert (last.signed, last.in_scope) == (1, 2)


def test_the_data_table_lists_only_the_days_the_figure_changed(version):
    department = DepartmentFactory()
    people = [EmployeeFactory(department=department) for _ in range(2)]
    campaign = _for(version, department, start_date=day(-5))
    sign(people[0], version, now=at(-3))

    rows = dashboard.completion_over_time(campaign=campaign, on=day(0)).changes()

    assert [(row.day, row.signed) for row in rows] == [(day(-5), 0), (day(-3), 1), (day(0), 1)]


# Quiz figures -----------------------------------------------------------------------------


def _quiz_group(version, size):
    department = DepartmentFactory()
    people = [EmployeeFactory(department=department) for _ in range(size)]
    return department, people


def _figures(campaign, on=None):
    rows = dashboard.department_rows(campaign=campaign, on=on or day(0))
    return {
        figure.name: figure
        for figure in dashboard.quiz_figures(campaign=campaign, on=day(0), departments=rows)
    }


def test_quiz_figures_of_four_people_are_hidden(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    department, people = _quiz_group(version, 4)
    campaign = _for(version, department)
    for employee in people:
        submitted_attempt(employee=employee, version=version, right=True)

    figure = _figures(campaign)[department.name]

    assert not figure.shown
    assert (figure.average_score, figure.passed_first_try, figure.attempts) == (None, 0, 0)


def test_quiz_figures_of_five_people_are_shown(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    department, people = _quiz_group(version, 5)
    campaign = _for(version, department)
    for employee in people[:4]:
        submitted_attempt(employee=employee, version=version, right=True)
    submitted_attempt(employee=people[4], version=version, right=False)

    figure = _figures(campaign)[department.name]

    assert figure.shown
    assert figure.people == 5
    assert figure.average_score == pytest.approx(80.0)
    assert figure.passed_first_try_percent == 80


def test_the_minimum_group_size_is_a_setting(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 2
    department, people = _quiz_group(version, 2)
    campaign = _for(version, department)
    for employee in people:
        submitted_attempt(employee=employee, version=version)

    assert _figures(campaign)[department.name].shown


def test_people_without_a_submitted_attempt_do_not_make_a_group_big_enough(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    department, people = _quiz_group(version, 8)
    campaign = _for(version, department)
    for employee in people[:4]:
        submitted_attempt(employee=employee, version=version)

    assert not _figures(campaign)[department.name].shown


def test_passing_at_a_later_try_is_not_passing_at_the_first(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    department, people = _quiz_group(version, 5)
    campaign = _for(version, department)
    for employee in people:
        submitted_attempt(employee=employee, version=version, right=False, submitted_at=at(-1))
        submitted_attempt(employee=employee, version=version, right=True)

    figure = _figures(campaign)[department.name]

    assert (figure.passed_first_try, figure.attempts) == (0, 10)
    assert figure.average_score == pytest.approx(50.0)


def test_attempts_at_another_version_do_not_count(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 1
    other = quiz_version(tips=2, number=2)
    department, people = _quiz_group(version, 1)
    campaign = _for(version, department)
    submitted_attempt(employee=people[0], version=other)

    assert _figures(campaign)[department.name].people == 0


def test_exempt_employees_do_not_count_in_the_quiz_figures(version, settings):
    settings.CAMPAIGN_MIN_GROUP_SIZE = 5
    department, people = _quiz_group(version, 5)
    campaign = _for(version, department)
    for employee in people:
        submitted_attempt(employee=employee, version=version)
    services.exempt(
        assignment=campaign.assignments.get(employee=people[0]), reason="Verlof", by=None
    )

    assert not _figures(campaign)[department.name].shown


def test_quiz_figures_are_two_queries(version, django_assert_num_queries):
    department, people = _quiz_group(version, 3)
    campaign = _for(version, department)
    rows = dashboard.department_rows(campaign=campaign, on=day(0))

    with django_assert_num_queries(2):
        dashboard.quiz_figures(campaign=campaign, on=day(0), departments=rows)


# Reminder steps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "label"),
    [
        ("before-14", "14 days before the due date"),
        ("manager-7", "7 days after the due date"),
        ("hr-21", "21 days after the due date"),
        ("manual-2026-11-25", "By hand on 25 November 2026"),
        ("something-else", "something-else"),
    ],
)
def test_reminder_steps_are_said_in_words(step, label):
    from django.utils import translation

    with translation.override("en"):
        assert dashboard.step_label(reminder=Reminder(step=step)) == label
