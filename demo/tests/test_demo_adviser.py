"""The demo's HR adviser of Directie Ruimte (hr-ruimte@voorbeeldstad.nl): the HR role on
that directorate only, given by the demo administrator; their campaign pages show
Directie Ruimte's people, the ledger stays central."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from demo.campaigns import DEMO_CAMPAIGN_NAME
from people.models import Department, Employee
from people.roles import Role
from people.selectors import has_role, scope_of

ADVISER = "hr-ruimte@voorbeeldstad.nl"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _adviser() -> Employee:
    return Employee.objects.get(email=ADVISER)


def test_the_demo_adviser_acts_on_directie_ruimte_only(seeded):
    scope = scope_of(user=_adviser(), perm="campaigns.view_campaign_dashboard")

    assert scope is not None
    assert scope.paths == (Department.objects.get(code="DIR-RUI").path,)


def test_the_demo_adviser_holds_no_hr_role_over_the_whole_organisation(seeded):
    assert not has_role(user=_adviser(), role=Role.HR)


def test_the_demo_log_ins_name_the_adviser_with_two_factor(seeded):
    line = next(line for line in seeded.splitlines() if line.strip().startswith(ADVISER))

    assert "Directie Ruimte" in line
    assert "(TOTP)" in line


def test_the_demo_adviser_sees_the_running_round_with_ruimtes_people_only(client, seeded):
    client.force_login(_adviser())
    running = Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)

    response = client.get(reverse("campaigns:detail", args=[running.pk]))

    ruimte = Department.objects.get(code="DIR-RUI")
    people_of_ruimte = (
        running.assignments.filter(
            employee__is_active=True, employee__department__path__startswith=ruimte.path
        )
        .exclude(employee__end_date__lt=timezone.localdate())
        .values("employee_id")
        .distinct()
    )
    assert response.status_code == 200
    assert response.context["figures"]["total"] == people_of_ruimte.count() > 0


def test_the_demo_adviser_is_refused_the_ledger(client, seeded):
    client.force_login(_adviser())

    assert client.get(reverse("ledger:overview")).status_code == 403
