"""HR's campaign pages with more than one guideline: the list and the launch page name
each guideline, and HR chooses the onboarding rule's guidelines and days on a page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, CampaignEvent, CampaignGuideline
from campaigns.tests.hr_support import auditor, day, draft, launched
from handbook.models import AudienceDepartment, Guideline
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import error_summary, parse, select, text_of, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

URL = "/campagnes/inwerken/handreikingen/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def social(db):
    return quiz_version(tips=2)


@pytest.fixture
def privacy(db):
    guideline = GuidelineFactory(slug="privacy", title="Privacyregels", title_en="Privacy rules")
    return quiz_version(tips=2, guideline=guideline)


def test_the_list_names_every_guideline_of_a_campaign(hr_client, social, privacy):
    campaign = draft([social, privacy], name="Jaarronde 2026")

    page = parse(hr_client.get(reverse("campaigns:list")))

    row = text_of(page, f"tr#campaign-{campaign.pk}")
    assert f"Handreiking gebruik sociale media (version {social.number})" in row
    assert f"Privacy rules (version {privacy.number})" in row  # the English title


def test_the_list_takes_as_many_queries_with_five_guidelines_as_with_one(
    hr_client, social, django_assert_num_queries
):
    from campaigns.tests.test_views_hr import LIST_QUERIES

    launched(social)
    hr_client.get(reverse("campaigns:list"))  # warm the session
    with django_assert_num_queries(LIST_QUERIES):
        hr_client.get(reverse("campaigns:list"))
    versions = [social] + [
        quiz_version(tips=1, guideline=GuidelineFactory(slug=f"g{n}", title=f"G{n}"))
        for n in range(4)
    ]
    for _ in range(3):
        launched(versions)
    with django_assert_num_queries(LIST_QUERIES):
        hr_client.get(reverse("campaigns:list"))


def test_the_launch_page_counts_the_employees_of_each_guideline(hr_client, social, privacy):
    legal = DepartmentFactory(name="Juridische zaken")
    Guideline.objects.filter(pk=privacy.guideline_id).update(
        audience=Guideline.Audience.DEPARTMENTS
    )
    AudienceDepartment.objects.create(guideline=privacy.guideline, department=legal)
    EmployeeFactory(department=legal)
    EmployeeFactory(department=DepartmentFactory(name="Groen"))
    campaign = draft([social, privacy])

    page = parse(hr_client.get(reverse("campaigns:launch", args=[campaign.pk])))

    lines = texts(page, "#launch-guidelines li")
    # HR (logged in) is in the campaign's audience too: three for social media.
    assert lines == [
        f"“Handreiking gebruik sociale media”, version {social.number}: "
        "3 employees get an assignment.",
        f"“Privacy rules”, version {privacy.number}: 1 employee gets an assignment.",
    ]


def test_the_set_up_page_offers_each_guideline_as_a_checkbox(hr_client, social, privacy):
    page = parse(hr_client.get(reverse("campaigns:create")))

    group = select(page, "fieldset:has(input[name=versions])")
    labels = texts(page, "label[for^=id_versions_]")
    assert group
    assert labels == [
        f"Handreiking gebruik sociale media (version {social.number})",
        f"Privacy rules (version {privacy.number})",
    ]


# The onboarding rule's guidelines -------------------------------------------------------


def test_the_onboarding_page_lists_the_rules_guidelines_and_their_days(
    hr_client, social, privacy, settings
):
    settings.CAMPAIGN_ONBOARDING_DAYS = 14
    services.onboarding_rule()
    services.set_onboarding_guidelines(
        due_days={social.guideline: None, privacy.guideline: 30}, by=None
    )

    page = parse(hr_client.get(reverse("campaigns:onboarding")))

    rows = texts(page, "#onboarding-guidelines tbody tr")
    assert rows == ["Handreiking gebruik sociale media 14 (standard)", "Privacy rules 30"]
    assert select(page, "#change-onboarding-guidelines")


def test_hr_sets_the_onboarding_guidelines_and_days_on_a_page(hr_client, hr_user, social, privacy):
    services.onboarding_rule()
    s, p = social.guideline_id, privacy.guideline_id

    response = hr_client.post(
        URL, {f"ask_{s}": "on", f"days_{s}": "", f"ask_{p}": "on", f"days_{p}": "30"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:onboarding")
    rule = Campaign.objects.get(kind=Campaign.Kind.ONBOARDING)
    assert sorted(rule.subjects.values_list("guideline_id", "due_days")) == sorted(
        [(s, None), (p, 30)]
    )
    event = rule.events.get(kind=CampaignEvent.Kind.ONBOARDING_CHANGED)
    assert event.actor == hr_user


def test_the_onboarding_guidelines_form_starts_from_the_rule(hr_client, social, privacy):
    services.onboarding_rule()
    services.set_onboarding_guidelines(due_days={privacy.guideline: 21}, by=None)

    page = parse(hr_client.get(URL))

    assert "checked" not in select(page, f"#id_ask_{social.guideline_id}")[0].attributes
    assert "checked" in select(page, f"#id_ask_{privacy.guideline_id}")[0].attributes
    assert select(page, f"#id_days_{privacy.guideline_id}")[0].attributes["value"] == "21"
    # Each guideline is a group of its own, named by its legend.
    assert texts(page, "#main-form fieldset > legend") == [
        "Handreiking gebruik sociale media",
        "Privacy rules",
    ]


def test_choosing_no_guideline_for_new_employees_is_refused(hr_client, social, privacy):
    services.onboarding_rule()

    response = hr_client.post(URL, {f"days_{social.guideline_id}": "10"})

    assert response.status_code == 400
    messages = " ".join(dict(error_summary(parse(response))).values())
    assert "Choose at least one guideline for new employees." in messages
    assert CampaignGuideline.objects.filter(campaign__kind="onboarding").count() == 2
    assert not CampaignEvent.objects.filter(kind=CampaignEvent.Kind.ONBOARDING_CHANGED).exists()


@pytest.mark.parametrize("days", ["0", "366", "veertien"])
def test_days_out_of_range_are_refused_with_the_guideline_named(hr_client, social, days):
    services.onboarding_rule()
    s = social.guideline_id

    response = hr_client.post(URL, {f"ask_{s}": "on", f"days_{s}": days})

    assert response.status_code == 400
    problems = dict(error_summary(parse(response)))
    assert "Handreiking gebruik sociale media" in problems[f"#id_days_{s}"]
    assert CampaignGuideline.objects.get(campaign__kind="onboarding").due_days is None


def test_an_auditor_may_not_change_the_onboarding_guidelines(client, social):
    client.force_login(auditor())

    assert client.get(URL).status_code == 403
    assert client.post(URL, {f"ask_{social.guideline_id}": "on"}).status_code == 403


def test_an_employee_may_not_open_the_onboarding_guidelines(client, social):
    client.force_login(EmployeeFactory())

    assert client.get(URL).status_code == 403


def test_a_guideline_is_due_after_the_days_set_on_the_page(hr_client, social, privacy):
    services.onboarding_rule(on=day(-5))
    s, p = social.guideline_id, privacy.guideline_id
    hr_client.post(URL, {f"ask_{s}": "on", f"days_{s}": "3", f"ask_{p}": "on", f"days_{p}": "40"})
    newcomer = EmployeeFactory(start_date=day(0))

    services.apply_onboarding_rule()

    due = dict(newcomer.assignments.values_list("guideline_id", "due_date"))
    assert due == {s: day(3), p: day(40)}
