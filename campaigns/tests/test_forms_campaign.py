"""Setting up a campaign (/campagnes/nieuw/): the form's checks, one clear message per
field in the user's language, nothing saved on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.forms.campaigns import CampaignForm, find_employees, parse_days
from campaigns.models import Campaign, CampaignEvent
from campaigns.tests.hr_support import day
from handbook.tests.factories import GuidelineFactory, GuidelineVersionFactory
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import error_summary, parse, select, texts
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

URL = "/campagnes/nieuw/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


def _data(published, **overrides) -> dict:
    data = {
        "name": "Jaarronde 2026",
        "versions": [str(published.pk)],
        "audience": Campaign.Audience.ALL,
        "include_subdepartments": "on",
        "start_date": day(0).isoformat(),
        "deadline": day(30).isoformat(),
        "reminder_days": "14, 3",
        "manager_escalation_days": "7",
        "hr_escalation_days": "14",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _errors(published, **overrides) -> dict:
    with translation.override("en"):
        form = CampaignForm(_data(published, **overrides))
        form.is_valid()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


# Parsing ----------------------------------------------------------------------------------


def test_reminder_days_are_read_with_commas_semicolons_or_spaces():
    assert parse_days("3; 14,7  21") == [21, 14, 7, 3]


def test_reminder_days_may_be_empty():
    assert parse_days("  ") == []


def test_a_repeated_reminder_day_counts_once():
    assert parse_days("3, 3") == [3]


def test_employees_are_found_by_number_or_address_in_any_case():
    jan = EmployeeFactory(employee_number="700001")
    piet = EmployeeFactory(email="piet@voorbeeldstad.nl")

    found, unknown = find_employees("700001\nPIET@voorbeeldstad.nl; 700001")

    assert (found, unknown) == ([jan, piet], [])


def test_unknown_employees_are_returned_in_the_order_given():
    found, unknown = find_employees("999, onbekend@voorbeeldstad.nl")

    assert (found, unknown) == ([], ["999", "onbekend@voorbeeldstad.nl"])


# The form ---------------------------------------------------------------------------------


def test_the_form_starts_today_with_the_only_guideline_ticked_and_a_schedule(version):
    form = CampaignForm()

    assert form.initial["start_date"] == day(0)
    assert form.initial["versions"] == [version.pk]
    assert form.initial["reminder_days"] == "14, 3"


def test_with_several_guidelines_none_is_ticked_beforehand(version):
    quiz_version(tips=1, guideline=GuidelineFactory(slug="privacy", title="Privacy"))

    assert "versions" not in CampaignForm().initial


def test_each_guideline_is_offered_once_with_its_version_in_force(version):
    newer = quiz_version(tips=1, number=2, guideline=version.guideline)
    later = quiz_version(tips=1, number=3, guideline=version.guideline, effective_date=day(5))
    privacy = quiz_version(tips=1, guideline=GuidelineFactory(slug="privacy", title="Privacy"))
    GuidelineVersionFactory(guideline=GuidelineFactory(slug="avg", title="AVG"))  # a draft

    with translation.override("en"):
        choices = [label for _value, label in CampaignForm().fields["versions"].choices]

    assert later.number == 3
    assert choices == [
        "Handreiking gebruik sociale media (version 2)",
        f"Privacy (version {privacy.number})",
    ]
    assert newer.number == 2


def test_the_form_refuses_an_unpublished_version(version):
    draft_version = GuidelineVersionFactory(guideline=version.guideline, number=9)

    errors = _errors(version, versions=[str(draft_version.pk)])

    assert errors == {
        "versions": ["Choose guidelines from the list: each with its version in force."]
    }


def test_the_form_refuses_a_version_that_is_no_longer_in_force(version):
    quiz_version(tips=1, number=2, guideline=version.guideline)

    errors = _errors(version)

    assert list(errors) == ["versions"]


def test_the_form_needs_at_least_one_guideline(version):
    assert _errors(version, versions=[]) == {"versions": ["Choose at least one guideline."]}


def test_the_guidelines_are_a_group_of_checkboxes_with_a_legend(hr_client, version):
    page = parse(hr_client.get(URL))

    legends = texts(page, "fieldset:has(input[type=checkbox][name=versions]) > legend")
    boxes = select(page, "input[type=checkbox][name=versions]")
    assert legends[-1].startswith("Guidelines")
    assert len(boxes) == 1
    assert "checked" in boxes[0].attributes


def test_setting_up_a_campaign_of_two_guidelines_asks_for_both(hr_client, version):
    privacy = quiz_version(tips=1, guideline=GuidelineFactory(slug="privacy", title="Privacy"))

    hr_client.post(URL, _data(version, versions=[str(version.pk), str(privacy.pk)]))

    campaign = Campaign.objects.get()
    assert list(campaign.subjects.values_list("version_id", flat=True)) == [
        version.pk,
        privacy.pk,
    ]


def test_a_name_is_required(version):
    assert _errors(version, name="  ") == {"name": ["Give the campaign a name."]}


def test_the_deadline_must_be_after_the_start(version):
    errors = _errors(version, start_date=day(10).isoformat(), deadline=day(10).isoformat())

    assert errors == {"deadline": ["The deadline must be after the start date."]}


def test_the_deadline_may_not_be_in_the_past(version):
    errors = _errors(version, start_date=day(0).isoformat(), deadline=day(-1).isoformat())

    assert errors == {"deadline": ["The deadline cannot be in the past."]}


def test_a_date_that_is_no_date_is_refused(version):
    errors = _errors(version, deadline="31-02-2026")

    assert errors == {"deadline": ["Enter a real date, for example 2026-03-31."]}


@pytest.mark.parametrize("text", ["14, x", "0", "366", "-3", "2.5"])
def test_reminder_days_must_be_whole_numbers_from_1_to_365(version, text):
    errors = _errors(version, reminder_days=text)

    assert list(errors) == ["reminder_days"]
    assert "Enter whole numbers from 1 to 365" in errors["reminder_days"][0]


@pytest.mark.parametrize("field", ["manager_escalation_days", "hr_escalation_days"])
@pytest.mark.parametrize("value", ["0", "366", "abc"])
def test_escalation_days_must_be_from_1_to_365(version, field, value):
    overrides = {"manager_escalation_days": "", "hr_escalation_days": "", field: value}

    errors = _errors(version, **overrides)

    assert errors == {field: ["Enter a whole number of days from 1 to 365, or leave it empty."]}


def test_escalations_are_optional(version):
    assert _errors(version, manager_escalation_days="", hr_escalation_days="") == {}


def test_hr_must_be_told_later_than_the_manager(version):
    errors = _errors(version, manager_escalation_days="10", hr_escalation_days="5")

    assert list(errors) == ["hr_escalation_days"]
    assert "HR is told after the manager" in errors["hr_escalation_days"][0]


def test_chosen_departments_need_at_least_one_department(version):
    errors = _errors(version, audience=Campaign.Audience.DEPARTMENTS)

    assert errors == {"departments": ["Choose at least one department, or another audience."]}


def test_a_list_of_employees_needs_at_least_one(version):
    errors = _errors(version, audience=Campaign.Audience.EMPLOYEES, employees=" \n ")

    assert list(errors) == ["employees"]


def test_unknown_employees_are_listed_in_one_error(version):
    EmployeeFactory(employee_number="700001")

    errors = _errors(
        version,
        audience=Campaign.Audience.EMPLOYEES,
        employees="700001\n123456; nergens@voorbeeldstad.nl",
    )

    assert errors == {
        "employees": [
            "Not found: 123456, nergens@voorbeeldstad.nl. "
            "Check these employee numbers or e-mail addresses."
        ]
    }


def test_employees_who_left_are_refused_by_name(version):
    EmployeeFactory(employee_number="700002", first_name="Els", last_name="Weg", is_active=False)

    errors = _errors(version, audience=Campaign.Audience.EMPLOYEES, employees="700002")

    assert errors == {"employees": ["No longer employed: Els Weg. Remove them from the list."]}


def test_the_list_of_employees_is_ignored_for_another_audience(version):
    assert _errors(version, audience=Campaign.Audience.ALL, employees="onbekend") == {}


# The page ---------------------------------------------------------------------------------


def test_setting_up_a_campaign_saves_a_draft_and_shows_it(hr_client, hr_user, version):
    response = hr_client.post(URL, _data(version))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.status == Campaign.Status.DRAFT
    assert (campaign.name, campaign.created_by) == ("Jaarronde 2026", hr_user)
    assert list(campaign.subjects.values_list("version_id", flat=True)) == [version.pk]
    assert campaign.reminder_days == [14, 3]
    assert (campaign.manager_escalation_days, campaign.hr_escalation_days) == (7, 14)
    assert not campaign.assignments.exists()
    assert CampaignEvent.objects.filter(campaign=campaign, kind="created").exists()


def test_setting_up_for_departments_keeps_them_and_the_subdepartment_choice(hr_client, version):
    first, second = DepartmentFactory(), DepartmentFactory()

    hr_client.post(
        URL,
        _data(
            version,
            audience=Campaign.Audience.DEPARTMENTS,
            departments=[str(first.pk), str(second.pk)],
            include_subdepartments=None,
        ),
    )

    campaign = Campaign.objects.get()
    assert set(campaign.departments.all()) == {first, second}
    assert campaign.include_subdepartments is False


def test_setting_up_for_a_list_of_employees_keeps_them(hr_client, version):
    jan = EmployeeFactory(employee_number="700001")
    piet = EmployeeFactory(email="piet@voorbeeldstad.nl")

    hr_client.post(
        URL,
        _data(
            version,
            audience=Campaign.Audience.EMPLOYEES,
            employees="700001, piet@voorbeeldstad.nl",
        ),
    )

    assert set(Campaign.objects.get().employees.all()) == {jan, piet}


def test_bad_input_saves_nothing_and_shows_every_message(hr_client, version):
    response = hr_client.post(
        URL,
        _data(version, name="", deadline=day(-1).isoformat(), reminder_days="veertien"),
    )

    problems = dict(error_summary(parse(response)))
    assert response.status_code == 400
    assert not Campaign.objects.exists()
    assert problems["#id_name"].endswith("Give the campaign a name.")
    assert any("The deadline cannot be in the past." in message for message in problems.values())
    assert any("“veertien” is not a number of days" in message for message in problems.values())


def test_the_form_page_has_a_label_for_every_field(hr_client, version):
    page = parse(hr_client.get(URL))

    for name in CampaignForm().fields:
        if name not in ("audience", "versions", "signing", "reread"):  # groups: a legend
            assert select(page, f"label[for=id_{name}]"), name
            assert select(page, f"#id_{name}"), name
    # The fieldset around the audience's radio buttons has a legend.
    assert texts(page, "fieldset:has(input[type=radio][name=audience]) > legend")
