"""An HR adviser of Directie Ruimte sets up and runs campaigns only within their part:
chosen departments of it, or chosen people who work in it, never all staff; launching,
closing, the schedule and reminders only of a campaign whose audience lies wholly in it.
Central HR sets up anything, as before."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.forms.campaigns import CampaignForm
from campaigns.models import Campaign
from campaigns.selectors.scope import lies_within
from campaigns.tests.hr_support import day, draft, hr
from campaigns.tests.scoped_support import organisation
from people.selectors import scope_of
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/campagnes/nieuw/"
MANAGE = "campaigns.manage_campaigns"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def org(version):
    return organisation(version)


@pytest.fixture
def adviser_client(client, org):
    client.force_login(org.adviser)
    return client


def _data(version, **overrides) -> dict:
    data = {
        "name": "Ronde Ruimte",
        "versions": [str(version.pk)],
        "audience": Campaign.Audience.DEPARTMENTS,
        "include_subdepartments": "on",
        "start_date": day(0).isoformat(),
        "deadline": day(30).isoformat(),
        "reminder_days": "14, 3",
        "manager_escalation_days": "7",
        "hr_escalation_days": "14",
    }
    data.update(overrides)
    return data


def _set_up(org) -> set[str]:
    return set(
        Campaign.objects.exclude(pk__in=[org.everyone.pk, org.ours.pk, org.theirs.pk])
        .filter(kind=Campaign.Kind.CAMPAIGN)
        .values_list("name", flat=True)
    )


def test_the_form_offers_an_adviser_only_the_departments_of_their_part(adviser_client, org):
    form = adviser_client.get(URL).context["form"]

    assert set(form.fields["departments"].queryset) == {org.ruimte, org.vergunningen}


def test_the_form_offers_an_adviser_no_all_staff_choice(adviser_client, org):
    form = adviser_client.get(URL).context["form"]

    assert Campaign.Audience.ALL not in dict(form.fields["audience"].choices)


def test_an_adviser_sets_up_a_campaign_for_a_department_of_their_part(adviser_client, org, version):
    response = adviser_client.post(URL, _data(version, departments=[org.vergunningen.pk]))

    campaign = Campaign.objects.get(name="Ronde Ruimte")
    assert response.status_code == 302
    assert list(campaign.departments.all()) == [org.vergunningen]


def test_an_adviser_is_refused_all_staff_with_a_clear_message(adviser_client, org, version):
    response = adviser_client.post(URL, _data(version, audience=Campaign.Audience.ALL))

    assert response.status_code == 400
    assert "not all staff" in response.content.decode()
    assert _set_up(org) == set()


def test_a_forged_department_outside_the_part_is_refused(adviser_client, org, version):
    response = adviser_client.post(
        URL, _data(version, departments=[org.vergunningen.pk, org.sociaal.pk])
    )

    assert response.status_code == 400
    assert _set_up(org) == set()


def test_an_adviser_is_refused_people_who_work_elsewhere(adviser_client, org, version):
    response = adviser_client.post(
        URL,
        _data(
            version,
            audience=Campaign.Audience.EMPLOYEES,
            employees=f"{org.inside[0].email}, {org.outside[0].email}",
        ),
    )

    assert response.status_code == 400
    assert org.outside[0].full_name in response.content.decode()
    assert _set_up(org) == set()


def test_an_adviser_is_refused_someone_without_a_department(adviser_client, org, version):
    nowhere = EmployeeFactory(department=None)

    response = adviser_client.post(
        URL, _data(version, audience=Campaign.Audience.EMPLOYEES, employees=nowhere.email)
    )

    assert response.status_code == 400
    assert _set_up(org) == set()


def test_an_adviser_sets_up_a_campaign_for_people_of_their_part(adviser_client, org, version):
    emails = ", ".join(employee.email for employee in org.inside)

    response = adviser_client.post(
        URL, _data(version, audience=Campaign.Audience.EMPLOYEES, employees=emails)
    )

    assert response.status_code == 302
    assert _set_up(org) == {"Ronde Ruimte"}


def test_the_refusal_of_all_staff_is_in_dutch(org, version):
    with translation.override("nl"):
        form = CampaignForm(
            _data(version, audience=Campaign.Audience.ALL),
            scope=scope_of(user=org.adviser, perm=MANAGE),
        )
        form.is_valid()
        message = form.errors["audience"][0]

    assert "niet alle medewerkers" in message


def test_central_hr_still_sets_up_an_all_staff_campaign(client, org, version):
    client.force_login(hr())

    response = client.post(URL, _data(version, audience=Campaign.Audience.ALL))

    assert response.status_code == 302


def test_an_adviser_launches_their_draft_and_asks_only_their_people(adviser_client, org, version):
    adviser_client.post(URL, _data(version, departments=[org.ruimte.pk]))
    campaign = Campaign.objects.get(name="Ronde Ruimte")

    response = adviser_client.post(reverse("campaigns:launch", args=[campaign.pk]))

    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.status == Campaign.Status.RUNNING
    assert set(campaign.assignments.values_list("employee_id", flat=True)) == {
        employee.pk for employee in org.inside
    }


def test_an_adviser_cannot_launch_a_draft_that_reaches_another_part(adviser_client, org, version):
    both = draft(
        version, audience=Campaign.Audience.DEPARTMENTS, departments=[org.ruimte, org.sociaal]
    )

    response = adviser_client.post(reverse("campaigns:launch", args=[both.pk]))

    both.refresh_from_db()
    assert response.status_code == 403
    assert both.status == Campaign.Status.DRAFT


def test_an_adviser_cannot_change_the_schedule_of_an_all_staff_campaign(adviser_client, org):
    response = adviser_client.post(
        reverse("campaigns:schedule", args=[org.everyone.pk]), {"reminder_days": "1"}
    )

    org.everyone.refresh_from_db()
    assert response.status_code == 403
    assert org.everyone.reminder_days == [14, 3]


def test_a_campaign_with_someone_asked_who_moved_out_no_longer_lies_within(org):
    org.inside[0].department = org.sociaal
    org.inside[0].save()

    assert not lies_within(campaign=org.ours, scope=scope_of(user=org.adviser, perm=MANAGE))


def test_a_campaign_of_the_advisers_part_lies_within_it(org):
    assert lies_within(campaign=org.ours, scope=scope_of(user=org.adviser, perm=MANAGE))
