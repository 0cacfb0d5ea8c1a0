"""The reminder schedule, on a controlled clock: reminders 14 and 3 days before the due
date (only the latest one due when someone is added late), the manager N days after,
HR later; nothing for those who are done or gone or for closed campaigns; each step
once per assignment."""

import pytest

from acknowledgements.tests.factories import ready_to_sign, signed
from campaigns import services
from campaigns.models import Campaign, Reminder
from campaigns.services import reminders
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from people.models import Employee
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return EmployeeFactory(first_name="Marieke")


@pytest.fixture
def employee(manager):
    return EmployeeFactory(manager=manager)


def campaign_for(version, people, **kwargs):
    kwargs.setdefault("deadline", day(30))
    kwargs.setdefault("now", at(0))
    return launched_campaign(
        version, audience=Campaign.Audience.EMPLOYEES, employees=people, **kwargs
    )


def calendar(days, employee=None) -> dict[int, list[str]]:
    """Plan every day in ``days``; return {day: steps planned that day}."""
    planned = {}
    for n in days:
        before = set(Reminder.objects.values_list("pk", flat=True))
        reminders.plan_reminders(now=at(n))
        new = Reminder.objects.exclude(pk__in=before)
        if employee is not None:
            new = new.filter(assignment__employee=employee)
        steps = sorted(new.values_list("step", flat=True))
        if steps:
            planned[n] = steps
    return planned


def steps_of(employee) -> set[str]:
    return set(
        Reminder.objects.filter(assignment__employee=employee).values_list("step", flat=True)
    )


def test_the_whole_schedule_day_by_day(version, employee):
    campaign_for(version, [employee], deadline=day(30))

    assert calendar(range(0, 60)) == {
        16: ["before-14"],
        27: ["before-3"],
        30: ["due"],
        37: ["manager-7"],
        44: ["hr-14"],
    }


def test_the_kinds_of_the_steps(version, employee):
    campaign_for(version, [employee], deadline=day(30))
    for n in (16, 27, 37, 44):
        reminders.plan_reminders(now=at(n))

    assert dict(Reminder.objects.values_list("step", "kind")) == {
        "before-14": Reminder.Kind.REMINDER,
        "before-3": Reminder.Kind.REMINDER,
        "manager-7": Reminder.Kind.MANAGER,
        "hr-14": Reminder.Kind.HR,
    }


def test_a_planned_reminder_is_due_at_once(version, employee):
    campaign_for(version, [employee], deadline=day(30))
    reminders.plan_reminders(now=at(16, 9, 15))

    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.created_at == reminder.next_attempt_at == at(16, 9, 15)


def test_a_run_that_missed_days_still_sends_the_reminder_once(version, employee):
    campaign_for(version, [employee], deadline=day(30))

    assert calendar([10, 20, 29, 35, 38, 50]) == {
        20: ["before-14"],
        29: ["before-3"],
        35: ["due"],
        38: ["manager-7"],
        50: ["hr-14"],
    }


def test_launched_ten_days_before_the_deadline_sends_the_14_day_reminder_at_once(version, employee):
    campaign_for(version, [employee], deadline=day(10))

    assert calendar(range(0, 10)) == {0: ["before-14"], 7: ["before-3"]}


def test_launched_two_days_before_the_deadline_sends_only_the_latest_reminder(version, employee):
    campaign_for(version, [employee], deadline=day(2))

    assert calendar(range(0, 3)) == {0: ["before-3"], 2: ["due"]}


def test_planning_twice_on_a_day_plans_each_step_once(version, employee):
    campaign_for(version, [employee], deadline=day(30))

    assert reminders.plan_reminders(now=at(16)) == 1
    assert reminders.plan_reminders(now=at(16, 15)) == 0
    assert reminders.plan_reminders(now=at(17)) == 0
    assert Reminder.objects.count() == 1


def test_without_a_manager_there_is_no_manager_escalation(version):
    alone = EmployeeFactory(manager=None)
    campaign_for(version, [alone], deadline=day(30))

    assert calendar([37, 44]) == {44: ["hr-14"]}


def test_the_schedule_is_per_campaign(version, employee):
    campaign_for(
        version,
        [employee],
        deadline=day(30),
        reminder_days=[7],
        manager_escalation_days=None,
        hr_escalation_days=3,
    )

    assert calendar(range(0, 60)) == {23: ["before-7"], 30: ["due"], 33: ["hr-3"]}


def test_signed_employees_get_nothing(version, employee):
    campaign_for(version, [employee], deadline=day(30))
    signed(employee, ready_to_sign(employee, version))

    assert calendar(range(0, 60)) == {}


def test_exempt_employees_get_nothing(version, employee):
    campaign = campaign_for(version, [employee], deadline=day(30))
    services.exempt(
        assignment=campaign.assignments.get(), reason="Zwangerschapsverlof", by=employee.manager
    )

    assert calendar(range(0, 60)) == {}


@pytest.mark.parametrize(
    "leaver", [{"is_active": False}, {"end_date": day(20)}], ids=["inactive", "end-date-passed"]
)
def test_leavers_get_nothing_after_leaving(version, employee, leaver):
    campaign_for(version, [employee], deadline=day(30))
    Employee.objects.filter(pk=employee.pk).update(**leaver)

    assert calendar(range(21, 60)) == {}


def test_a_closed_campaign_sends_nothing(version, employee):
    campaign = campaign_for(version, [employee], deadline=day(30))
    calendar(range(0, 17))
    services.close_campaign(campaign=campaign, by=None)

    assert calendar(range(17, 60)) == {}
    assert steps_of(employee) == {"before-14"}


def test_a_campaign_starting_later_sends_nothing_before_its_start(version, employee):
    campaign_for(version, [employee], start_date=day(20), deadline=day(30))

    assert calendar(range(0, 28)) == {20: ["before-14"], 27: ["before-3"]}


def test_someone_who_reads_and_passes_but_does_not_sign_is_still_reminded(version, employee):
    campaign_for(version, [employee], deadline=day(30))
    ready_to_sign(employee, version)

    assert calendar(range(0, 28)) == {16: ["before-14"], 27: ["before-3"]}


def test_a_joiner_with_the_fair_minimum_is_reminded_on_the_day_they_join(version, settings):
    settings.CAMPAIGN_JOINER_MINIMUM_DAYS = 14
    EmployeeFactory()
    launched_campaign(version, audience=Campaign.Audience.ALL, deadline=day(30), now=at(0))
    joiner = EmployeeFactory()

    reminders.run(now=at(25))

    assert steps_of(joiner) == {"before-14"}  # due on day 39
    assert calendar(range(26, 40), employee=joiner) == {36: ["before-3"], 39: ["due"]}


def test_new_employees_follow_the_onboarding_schedule(version):
    services.onboarding_rule(on=day(0))
    newcomer = EmployeeFactory(start_date=day(0), manager=EmployeeFactory())
    services.apply_onboarding_rule(now=at(0))  # due on day 14

    assert calendar(range(0, 30), employee=newcomer) == {
        7: ["before-7"],
        12: ["before-2"],
        14: ["due"],
        16: ["after-2"],
        17: ["manager-3"],
        21: ["after-7"],
        24: ["hr-10"],
    }


def test_planning_is_a_few_queries_whatever_the_number_of_people(
    version, django_assert_max_num_queries
):
    people = [EmployeeFactory(manager=EmployeeFactory()) for _ in range(20)]
    campaign_for(version, people, deadline=day(30))

    with django_assert_max_num_queries(20):
        assert reminders.plan_reminders(now=at(16)) == 20


def test_changing_the_escalation_days_afterwards_does_not_escalate_again(version, employee):
    campaign = campaign_for(version, [employee], deadline=day(30))
    reminders.plan_reminders(now=at(37))
    services.update_schedule(
        campaign=campaign,
        reminder_days=[14, 3],
        manager_escalation_days=10,
        hr_escalation_days=20,
        by=None,
    )

    reminders.plan_reminders(now=at(40))

    assert Reminder.objects.filter(kind=Reminder.Kind.MANAGER).count() == 1
