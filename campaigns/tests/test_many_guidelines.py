"""A campaign covers one or more guidelines: an assignment per employee per guideline,
only for the guidelines whose audience includes the employee; onboarding asks every
guideline of its rule, each due after its own number of days."""

from __future__ import annotations

import pytest

from campaigns import services
from campaigns.models import Assignment, Campaign, CampaignEvent, CampaignGuideline
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import draft_campaign, launched_campaign
from campaigns.tests.threads import in_threads
from handbook.models import AudienceDepartment, Guideline
from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory
from people.tests.factories import DepartmentFactory, EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def social(version):
    return version


@pytest.fixture
def privacy(db):
    guideline = GuidelineFactory(slug="privacy", title="Privacyregels", title_en="Privacy rules")
    return quiz_version(tips=2, guideline=guideline)


def only_for(guideline: Guideline, department) -> None:
    """Let the guideline apply to one department (and its sub-departments) only."""
    Guideline.objects.filter(pk=guideline.pk).update(audience=Guideline.Audience.DEPARTMENTS)
    AudienceDepartment.objects.create(guideline=guideline, department=department)
    guideline.refresh_from_db()


def guidelines_of(employee, campaign) -> dict[int, int]:
    """guideline id -> version id of the employee's assignments in the campaign."""
    return dict(
        Assignment.objects.filter(campaign=campaign, employee=employee).values_list(
            "guideline_id", "version_id"
        )
    )


# Setting up ---------------------------------------------------------------------------


def test_a_campaign_covers_each_chosen_guideline_with_its_version(social, privacy):
    campaign = draft_campaign([social, privacy])

    assert list(campaign.subjects.values_list("guideline_id", "version_id", "due_days")) == [
        (social.guideline_id, social.pk, None),
        (privacy.guideline_id, privacy.pk, None),
    ]


def test_a_campaign_without_a_guideline_is_refused(db):
    with pytest.raises(services.CampaignError, match="minstens één handreiking"):
        draft_campaign([])


def test_two_versions_of_the_same_guideline_are_refused(social):
    other = quiz_version(tips=1, number=2, guideline=social.guideline)

    with pytest.raises(services.CampaignError, match="twee keer"):
        draft_campaign([social, other])
    assert not Campaign.objects.exists()


def test_an_unpublished_version_among_the_chosen_is_refused(social):
    draft = GuidelineVersionFactory(guideline=GuidelineFactory(slug="avg", title="AVG"))

    with pytest.raises(services.CampaignError, match="niet gepubliceerd"):
        draft_campaign([social, draft])
    assert not CampaignGuideline.objects.exists()


def test_a_version_unpublished_since_it_was_read_is_refused(social):
    """The service reads the versions again: a stale object in memory does not count."""
    stale = GuidelineVersionFactory(guideline=GuidelineFactory(slug="avg", title="AVG"))
    stale.status = stale.Status.PUBLISHED  # in memory only

    with pytest.raises(services.CampaignError, match="niet gepubliceerd"):
        draft_campaign([social, stale])


# Launching ----------------------------------------------------------------------------


def test_a_campaign_of_two_guidelines_gives_each_employee_two_assignments(social, privacy):
    people = [EmployeeFactory() for _ in range(3)]

    campaign = draft_campaign([social, privacy], deadline=day(30))
    added = services.launch_campaign(campaign=campaign, by=None, now=at(0))

    assert added == 6
    for employee in people:
        assert guidelines_of(employee, campaign) == {
            social.guideline_id: social.pk,
            privacy.guideline_id: privacy.pk,
        }
    assert set(campaign.assignments.values_list("due_date", flat=True)) == {day(30)}


def test_an_employee_outside_one_guidelines_audience_gets_only_the_other(social, privacy):
    legal = DepartmentFactory(name="Juridische zaken")
    only_for(privacy.guideline, legal)
    lawyer = EmployeeFactory(department=legal)
    gardener = EmployeeFactory(department=DepartmentFactory(name="Groen"))

    campaign = launched_campaign([social, privacy])

    assert guidelines_of(lawyer, campaign) == {
        social.guideline_id: social.pk,
        privacy.guideline_id: privacy.pk,
    }
    assert guidelines_of(gardener, campaign) == {social.guideline_id: social.pk}


def test_launch_counts_the_assignments_of_every_guideline_in_its_audit_row(social, privacy):
    EmployeeFactory()
    EmployeeFactory()

    campaign = launched_campaign([social, privacy])

    assert campaign.events.get(kind=CampaignEvent.Kind.LAUNCHED).details == {"assignments": 4}


def test_a_version_withdrawn_before_launch_stops_the_launch(social, privacy):
    campaign = draft_campaign([social, privacy])
    type(privacy).objects.filter(pk=privacy.pk).update(status=privacy.Status.RETIRED)

    with pytest.raises(services.CampaignError):
        services.launch_campaign(campaign=campaign, by=None)

    assert not campaign.assignments.exists()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_launches_of_two_guidelines_at_the_same_moment_launch_once():
    social = quiz_version(tips=2)
    privacy = quiz_version(tips=2, guideline=GuidelineFactory(slug="privacy", title="Privacy"))
    for _ in range(4):
        EmployeeFactory()
    campaign = draft_campaign([social, privacy], deadline=day(30))

    results, errors = in_threads([lambda: services.launch_campaign(campaign=campaign, by=None)] * 2)

    assert results == [8]
    assert len(errors) == 1 and isinstance(errors[0], services.CampaignError)
    assert campaign.assignments.count() == 8
    assert campaign.events.filter(kind=CampaignEvent.Kind.LAUNCHED).count() == 1


# Joiners ------------------------------------------------------------------------------


def test_a_joiner_gets_an_assignment_per_guideline_of_their_audience(social, privacy):
    legal = DepartmentFactory(name="Juridische zaken")
    only_for(privacy.guideline, legal)
    campaign = launched_campaign([social, privacy], now=at(0))
    lawyer = EmployeeFactory(department=legal)
    gardener = EmployeeFactory(department=DepartmentFactory(name="Groen"))

    added = services.add_joiners(now=at(1))

    assert added == 3
    assert set(guidelines_of(lawyer, campaign)) == {social.guideline_id, privacy.guideline_id}
    assert set(guidelines_of(gardener, campaign)) == {social.guideline_id}
    assert services.add_joiners(now=at(2)) == 0


def test_a_joiner_asked_one_version_by_onboarding_still_gets_the_other_guideline(social, privacy):
    services.onboarding_rule(on=day(-5))
    services.set_onboarding_guidelines(due_days={social.guideline: None}, by=None)
    campaign = launched_campaign([social, privacy], now=at(0))
    newcomer = EmployeeFactory(start_date=day(1))
    services.apply_onboarding_rule(now=at(1))

    services.add_joiners(now=at(1))

    # Onboarding asks the same version of the social-media guideline: not twice.
    assert set(guidelines_of(newcomer, campaign)) == {privacy.guideline_id}


# Onboarding ---------------------------------------------------------------------------


def onboarding_of(employee) -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in Assignment.objects.filter(
            campaign__kind=Campaign.Kind.ONBOARDING, employee=employee
        ).values_list("guideline_id", "version_id", "due_date")
    }


def test_the_onboarding_rule_covers_every_guideline_with_a_published_version(social, privacy):
    GuidelineVersionFactory(guideline=GuidelineFactory(slug="avg", title="AVG"))  # a draft only

    rule = services.onboarding_rule(on=day(-10))

    assert set(rule.subjects.values_list("guideline_id", flat=True)) == {
        social.guideline_id,
        privacy.guideline_id,
    }


def test_onboarding_with_two_guidelines_and_different_days_gives_two_due_dates(social, privacy):
    services.onboarding_rule(on=day(-10))
    services.set_onboarding_guidelines(
        due_days={social.guideline: 10, privacy.guideline: 30}, by=None
    )
    newcomer = EmployeeFactory(start_date=day(-2))

    added = services.apply_onboarding_rule(now=at(0))

    assert added == 2
    assert onboarding_of(newcomer) == {
        social.guideline_id: (social.pk, day(8)),
        privacy.guideline_id: (privacy.pk, day(28)),
    }


def test_a_guideline_without_its_own_days_is_due_after_the_standard_days(social, privacy, settings):
    settings.CAMPAIGN_ONBOARDING_DAYS = 21
    services.onboarding_rule(on=day(-10))
    services.set_onboarding_guidelines(
        due_days={social.guideline: None, privacy.guideline: 5}, by=None
    )
    newcomer = EmployeeFactory(start_date=day(0))

    services.apply_onboarding_rule(now=at(0))

    due = {g: d for g, (_v, d) in onboarding_of(newcomer).items()}
    assert due == {social.guideline_id: day(21), privacy.guideline_id: day(5)}


def test_a_newcomer_outside_a_guidelines_audience_is_not_asked_it(social, privacy):
    legal = DepartmentFactory(name="Juridische zaken")
    only_for(privacy.guideline, legal)
    services.onboarding_rule(on=day(-10))
    gardener = EmployeeFactory(start_date=day(-1), department=DepartmentFactory(name="Groen"))
    lawyer = EmployeeFactory(start_date=day(-1), department=legal)

    services.apply_onboarding_rule(now=at(0))

    assert set(onboarding_of(gardener)) == {social.guideline_id}
    assert set(onboarding_of(lawyer)) == {social.guideline_id, privacy.guideline_id}


def test_onboarding_asks_the_version_current_on_the_day_it_runs_for(social, privacy):
    services.onboarding_rule(on=day(-10))
    later = quiz_version(tips=1, number=2, guideline=privacy.guideline, effective_date=day(5))
    early = EmployeeFactory(start_date=day(0))
    late = EmployeeFactory(start_date=day(6))

    services.apply_onboarding_rule(now=at(0))
    services.apply_onboarding_rule(now=at(6))

    assert onboarding_of(early)[privacy.guideline_id][0] == privacy.pk
    assert onboarding_of(late)[privacy.guideline_id][0] == later.pk


def test_a_guideline_added_to_the_rule_reaches_newcomers_not_yet_asked_it(social, privacy):
    services.onboarding_rule(on=day(-10))
    services.set_onboarding_guidelines(due_days={social.guideline: None}, by=None)
    newcomer = EmployeeFactory(start_date=day(-1))
    assert services.apply_onboarding_rule(now=at(0)) == 1

    services.set_onboarding_guidelines(
        due_days={social.guideline: None, privacy.guideline: 7}, by=None
    )

    assert services.apply_onboarding_rule(now=at(0)) == 1
    assert set(onboarding_of(newcomer)) == {social.guideline_id, privacy.guideline_id}
    assert services.apply_onboarding_rule(now=at(0)) == 0


def test_setting_the_onboarding_guidelines_is_logged_with_who_and_what(social, privacy):
    hr = EmployeeFactory()
    services.onboarding_rule(on=day(-10))

    rule = services.set_onboarding_guidelines(due_days={privacy.guideline: 30}, by=hr)

    assert list(rule.subjects.values_list("guideline_id", "due_days")) == [
        (privacy.guideline_id, 30)
    ]
    event = rule.events.get(kind=CampaignEvent.Kind.ONBOARDING_CHANGED)
    assert event.actor == hr
    assert event.details == {"guidelines": [[privacy.guideline_id, 30]]}


def test_the_onboarding_rule_refuses_a_guideline_that_has_nothing_published(social):
    draft = GuidelineVersionFactory(guideline=GuidelineFactory(slug="avg", title="AVG"))
    services.onboarding_rule(on=day(-10))

    with pytest.raises(services.CampaignError, match="AVG"):
        services.set_onboarding_guidelines(
            due_days={social.guideline: None, draft.guideline: None}, by=None
        )


@pytest.mark.parametrize("days", [0, 366])
def test_the_onboarding_rule_refuses_days_out_of_range(social, days):
    services.onboarding_rule(on=day(-10))

    with pytest.raises(services.CampaignError):
        services.set_onboarding_guidelines(due_days={social.guideline: days}, by=None)


def test_the_onboarding_rule_refuses_to_ask_nothing(social):
    services.onboarding_rule(on=day(-10))

    with pytest.raises(services.CampaignError):
        services.set_onboarding_guidelines(due_days={}, by=None)


def test_the_admin_shows_the_guidelines_of_a_campaign_without_changing_them(
    client, social, privacy
):
    from django.urls import reverse

    from people.tests.factories import login_with_second_factor

    administrator = EmployeeFactory(is_staff=True, is_superuser=True)
    login_with_second_factor(client, administrator)
    campaign = draft_campaign([social, privacy])

    response = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Privacyregels" in html and social.guideline.title in html
    assert 'name="subjects-TOTAL_FORMS"' in html
    assert 'name="subjects-0-due_days"' not in html  # read only
