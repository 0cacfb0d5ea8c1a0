"""The dashboard of a large campaign shows figures worked out in the background and
kept (campaigns.services.figures); a small campaign is counted on every visit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignFigures
from campaigns.services import figures
from campaigns.tests.hr_support import launched, sign
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.workers import DATABASE_TASKS
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version(db):
    return quiz_version(tips=3)


@pytest.fixture
def large(settings):
    """Every campaign counts as large: its figures are kept."""
    settings.CAMPAIGN_LIVE_FIGURES_LIMIT = 0


@pytest.fixture
def campaign(version):
    department = DepartmentFactory(name="Burgerzaken")
    EmployeeFactory.create_batch(4, department=department)
    return launched(version, audience=Campaign.Audience.DEPARTMENTS, departments=[department])


def _detail(client, campaign, **params):
    return client.get(reverse("campaigns:detail", args=[campaign.pk]), params)


def _age(campaign, seconds: int) -> None:
    CampaignFigures.objects.filter(campaign=campaign).update(
        computed_at=timezone.now() - datetime.timedelta(seconds=seconds), requested_at=None
    )


def test_a_small_campaign_is_counted_live_without_a_time(hr_client, campaign):
    response = _detail(hr_client, campaign)

    assert response.context["figures"]["total"] == 4
    assert b'id="figures-time"' not in response.content
    assert not CampaignFigures.objects.exists()


def test_a_large_campaigns_first_visit_has_its_figures_worked_out(large, hr_client, campaign):
    response = _detail(hr_client, campaign)

    kept = CampaignFigures.objects.get(campaign=campaign)
    assert kept.computed_at is not None
    assert response.context["figures"]["total"] == 4
    assert b'id="figures-time"' in response.content


def test_kept_figures_are_shown_until_they_are_a_minute_old(large, hr_client, campaign, version):
    _detail(hr_client, campaign)
    signer = campaign.assignments.first().employee
    sign(signer, version)

    assert _detail(hr_client, campaign).context["figures"]["signed"] == 0
    _age(campaign, 61)
    assert _detail(hr_client, campaign).context["figures"]["signed"] == 1


def test_kept_figures_are_read_in_a_fixed_number_of_queries(
    large, hr_client, campaign, django_assert_num_queries
):
    _detail(hr_client, campaign)

    # session, user, permissions (2), campaign, its guidelines, roles (2), size, kept
    # figures, events, the audience's departments, exemptions waiting for approval: no
    # counting over the assignments
    with django_assert_num_queries(13):
        _detail(hr_client, campaign)


def test_new_figures_are_asked_for_once_per_period(campaign):
    now = timezone.now()
    CampaignFigures.objects.create(campaign=campaign, requested_at=now)

    assert not figures.request_refresh(campaign=campaign, now=now + datetime.timedelta(seconds=30))
    assert figures.request_refresh(campaign=campaign, now=now + datetime.timedelta(seconds=61))


def test_figures_of_yesterday_are_renewed(large, hr_client, campaign):
    _detail(hr_client, campaign)
    CampaignFigures.objects.filter(campaign=campaign).update(
        on=timezone.localdate() - datetime.timedelta(days=1), requested_at=None
    )

    _detail(hr_client, campaign)

    assert CampaignFigures.objects.get(campaign=campaign).on == timezone.localdate()


def test_while_the_first_figures_are_worked_out_the_page_says_so(
    large, hr_client, campaign, settings
):
    # A real queue: the task waits for the worker.
    settings.TASKS = DATABASE_TASKS

    response = _detail(hr_client, campaign)

    assert response.status_code == 200
    assert b'id="figures-pending"' in response.content
    assert b'id="department-table"' not in response.content


def test_the_department_table_has_pages_of_fifty(hr_client, version):
    departments = [DepartmentFactory(name=f"Afdeling {number:02d}") for number in range(60)]
    for department in departments:
        EmployeeFactory(department=department)
    campaign = launched(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=departments,
        include_subdepartments=False,
    )

    first = _detail(hr_client, campaign)
    second = _detail(hr_client, campaign, pagina=2)

    assert len(first.context["departments"]) == 50
    assert len(second.context["departments"]) == 10
    assert [figure.name for figure in second.context["quiz"]] == [
        row["name"] for row in second.context["departments"]
    ]
