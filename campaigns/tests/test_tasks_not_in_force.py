"""Nobody ever sees a task that leads nowhere: an assignment for a version that is not in
force yet (or not published) shows as a task on no page, names no signature's round and
is reminded of by nobody, until its version is in force (campaigns.selectors.actionable).

The form and the services now refuse such a campaign, so the data is made directly in
the database, as a campaign set up before the rule would have it: running since five
days ago, for version 2, which is in force only from 30 days from now.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Assignment, Campaign, CampaignGuideline, Reminder
from campaigns.selectors import open_assignments_of, team_assignments
from campaigns.selectors.reminders import open_for_mail
from campaigns.services import reminders
from campaigns.tests.hr_support import at, day, sign
from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, select
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

SIGNING = [Campaign.Signing.AGAIN, Campaign.Signing.MISSING]


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def first(db):
    """Version 1, in force since 100 days ago."""
    guideline = GuidelineFactory(slug="sociale-media", title_en="Social media")
    return quiz_version(tips=2, effective_date=day(-100), guideline=guideline)


@pytest.fixture
def later(first):
    """Version 2, published, in force only from 30 days from now."""
    return quiz_version(tips=2, number=2, guideline=first.guideline, effective_date=day(30))


@pytest.fixture
def boss(db):
    return EmployeeFactory(preferred_language="en", first_name="Bea", last_name="Baas")


@pytest.fixture
def employee(boss, first):
    """Signed version 1; has the old round's assignment for version 2."""
    person = EmployeeFactory(preferred_language="en", manager=boss)
    sign(person, first)
    return person


def old_round(version, people, *, signing=Campaign.Signing.MISSING) -> Campaign:
    """A running campaign for ``version`` as one set up before the rule: started five
    days ago, due in 20 days, made directly in the database."""
    now = timezone.now()
    campaign = Campaign.objects.create(
        name="Jaarronde van vroeger",
        start_date=day(-5),
        deadline=day(20),
        status=Campaign.Status.RUNNING,
        signing=signing,
        reminder_days=[30, 14, 3],
        reminder_after_days=[3, 10],
        manager_escalation_days=7,
        hr_escalation_days=14,
        launched_at=now,
    )
    CampaignGuideline.objects.create(
        campaign=campaign, guideline=version.guideline, version=version
    )
    counts_from = at(-5, hour=0) if signing == Campaign.Signing.AGAIN else None
    Assignment.objects.bulk_create(
        Assignment(
            campaign=campaign,
            employee=person,
            guideline=version.guideline,
            version=version,
            due_date=day(20),
            reason=Assignment.Reason.LAUNCH,
            added_at=now,
            counts_from=counts_from,
        )
        for person in people
    )
    return campaign


@pytest.fixture(params=SIGNING)
def waiting(request, later, employee) -> Assignment:
    """The employee's assignment for version 2, in a round of either kind."""
    campaign = old_round(later, [employee], signing=request.param)
    return Assignment.objects.get(campaign=campaign)


def _links_to_sign(page, guideline) -> list:
    urls = [
        reverse("signing:sign", kwargs={"guideline": guideline.slug}),
        reverse("signing:changes", kwargs={"guideline": guideline.slug}),
    ]
    return [a for url in urls for a in select(page, f'main a[href="{url}"]')]


# The employee's pages ----------------------------------------------------------------------


def test_the_home_page_shows_no_task_for_a_version_not_in_force(client, employee, waiting):
    client.force_login(employee)

    page = parse(client.get(reverse("home")))

    assert not select(page, "#home-due")
    assert not _links_to_sign(page, waiting.guideline)


def test_the_task_appears_on_the_day_the_version_comes_in_force(employee, waiting):
    assert open_assignments_of(employee=employee) == []
    assert [a.pk for a in open_assignments_of(employee=employee, on=day(30))] == [waiting.pk]


def test_an_assignment_for_an_unpublished_version_is_no_task(client, first, employee):
    draft_version = GuidelineVersionFactory(
        guideline=first.guideline, number=3, effective_date=day(-1)
    )
    old_round(draft_version, [employee])
    client.force_login(employee)

    page = parse(client.get(reverse("home")))

    assert not select(page, "#home-due")
    assert open_assignments_of(employee=employee, on=day(60)) == []


def test_my_overview_asks_nothing_for_a_version_not_in_force(client, employee, waiting):
    client.force_login(employee)

    page = parse(client.get(reverse("acknowledgements:overview")))

    item = select(page, f"#guideline-{waiting.guideline.slug}")
    assert item
    assert not select(item[0], ".sign-link, .changes-link, .asked-round")


def test_the_handbook_list_links_to_no_task(client, employee, waiting):
    client.force_login(employee)

    page = parse(client.get(reverse("handbook:list")))

    assert select(page, f"#guideline-{waiting.guideline.slug}")
    assert not _links_to_sign(page, waiting.guideline)


def test_the_guideline_page_shows_the_version_in_force_and_no_task(client, employee, waiting):
    client.force_login(employee)

    page = parse(client.get(reverse("handbook:current", kwargs={"guideline": "sociale-media"})))

    assert select(page, "#version-1")
    assert not select(page, "#version-2")
    assert not _links_to_sign(page, waiting.guideline)


def test_the_signing_page_asks_no_new_signature(client, employee, waiting):
    client.force_login(employee)

    response = client.get(reverse("signing:sign", kwargs={"guideline": "sociale-media"}))

    assert response.status_code == 200
    assert not select(parse(response), "#sign-form")


def test_signing_the_version_in_force_answers_no_round_that_is_not_in_force(first, later):
    newcomer = EmployeeFactory()
    old_round(later, [newcomer], signing=Campaign.Signing.AGAIN)

    record = sign(newcomer, first)

    assert record.campaign_id is None


# The manager's team page -------------------------------------------------------------------


def test_the_team_page_shows_no_task_for_a_version_not_in_force(client, boss, waiting):
    client.force_login(boss)

    page = parse(client.get(reverse("campaigns_team:team")))

    assert not select(page, f"#assignment-{waiting.pk}")
    assert list(team_assignments(manager=boss)) == []


def test_the_team_remind_button_mails_nobody_about_a_version_not_in_force(client, boss, waiting):
    client.force_login(boss)

    client.post(reverse("campaigns_team:remind_all"))

    assert not Reminder.objects.exists()


# Reminders -------------------------------------------------------------------------------


@pytest.mark.parametrize("on", [0, 17, 20, 23, 29])
def test_nobody_is_reminded_before_the_version_is_in_force(waiting, on):
    reminders.plan_reminders(now=at(on))

    assert not Reminder.objects.filter(assignment=waiting).exists()


def test_reminders_go_once_the_version_is_in_force(waiting):
    reminders.plan_reminders(now=at(30))

    assert Reminder.objects.filter(assignment=waiting).exists()


def test_a_reminder_mail_lists_no_task_for_a_version_not_in_force(employee, waiting):
    assert open_for_mail(employee_ids=[employee.pk], on=day(0)) == {employee.pk: []}
