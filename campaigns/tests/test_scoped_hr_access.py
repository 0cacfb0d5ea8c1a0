"""Who gets in where on the campaign pages: an HR adviser of Directie Ruimte acts only on
their part (people.selectors.scope_of), central HR everywhere, as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Reminder
from campaigns.tests.hr_support import assignment_of, draft, hr, reminder
from campaigns.tests.scoped_support import adviser_of, organisation
from people.roles import Role
from people.services.object_roles import revoke_object_role
from people.tests.factories import EmployeeFactory
from portal.testing.html import links, parse

pytestmark = pytest.mark.django_db


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


def test_an_adviser_opens_the_dashboard_of_a_campaign_of_their_part(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:detail", args=[org.ours.pk]))

    assert response.status_code == 200


def test_an_adviser_opens_an_all_staff_campaign_that_asks_their_people(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:people", args=[org.everyone.pk]))

    assert response.status_code == 200


def test_an_adviser_finds_no_campaign_of_another_part(adviser_client, org):
    for name in ("detail", "people", "overdue_csv", "reminders"):
        response = adviser_client.get(reverse(f"campaigns:{name}", args=[org.theirs.pk]))

        assert response.status_code == 404, name


def test_an_adviser_finds_no_all_staff_draft(adviser_client, version):
    central = draft(version, name="Nog niet gestart")

    response = adviser_client.get(reverse("campaigns:detail", args=[central.pk]))

    assert response.status_code == 404


def test_an_adviser_cannot_open_the_assignment_of_someone_outside_their_part(adviser_client, org):
    outside = assignment_of(org.everyone, org.outside[0])

    for name in ("exempt", "lift_exemption"):
        response = adviser_client.get(reverse(f"campaigns:{name}", args=[outside.pk]))

        assert response.status_code == 404, name


def test_an_adviser_cannot_exempt_someone_outside_by_a_forged_post(adviser_client, org):
    outside = assignment_of(org.everyone, org.outside[0])

    response = adviser_client.post(
        reverse("campaigns:exempt", args=[outside.pk]), {"reason": "Langdurig ziek"}
    )

    outside.refresh_from_db()
    assert response.status_code == 404
    assert outside.exempted_at is None


def test_an_adviser_opens_the_assignment_of_someone_in_their_part(adviser_client, org):
    inside = assignment_of(org.everyone, org.inside[1])

    response = adviser_client.get(reverse("campaigns:exempt", args=[inside.pk]))

    assert response.status_code == 200


def test_an_adviser_manages_a_campaign_of_their_part(adviser_client, org):
    for name in ("close", "schedule"):
        response = adviser_client.get(reverse(f"campaigns:{name}", args=[org.ours.pk]))

        assert response.status_code == 200, name


def test_an_adviser_cannot_change_a_campaign_that_touches_other_parts(adviser_client, org):
    for name in ("close", "schedule", "launch"):
        response = adviser_client.get(reverse(f"campaigns:{name}", args=[org.everyone.pk]))

        assert response.status_code == 403, name


def test_an_adviser_cannot_close_an_all_staff_campaign_by_a_forged_post(adviser_client, org):
    response = adviser_client.post(reverse("campaigns:close", args=[org.everyone.pk]))

    org.everyone.refresh_from_db()
    assert response.status_code == 403
    assert org.everyone.status == Campaign.Status.RUNNING


def test_an_adviser_cannot_retry_a_mail_of_an_all_staff_campaign(adviser_client, org):
    failed = reminder(
        assignment_of(org.everyone, org.inside[0]), status=Reminder.Status.FAILED, last_error="550"
    )

    response = adviser_client.post(reverse("campaigns:reminder_retry", args=[failed.pk]))

    assert response.status_code == 403


def test_an_adviser_finds_no_mail_about_someone_outside_their_part(adviser_client, org):
    failed = reminder(
        assignment_of(org.theirs, org.outside[0]), status=Reminder.Status.FAILED, last_error="550"
    )

    response = adviser_client.post(reverse("campaigns:reminder_retry", args=[failed.pk]))

    assert response.status_code == 404


def test_an_adviser_retries_a_mail_of_a_campaign_of_their_part(adviser_client, org):
    failed = reminder(
        assignment_of(org.ours, org.inside[0]), status=Reminder.Status.FAILED, last_error="550"
    )

    response = adviser_client.post(reverse("campaigns:reminder_retry", args=[failed.pk]))

    failed.refresh_from_db()
    assert response.status_code == 302
    assert failed.status != Reminder.Status.FAILED


def test_an_adviser_cannot_change_the_onboarding_rule(adviser_client, org):
    guidelines = adviser_client.get(reverse("campaigns:onboarding_guidelines"))
    schedule = adviser_client.post(reverse("campaigns:onboarding"), {})

    assert (guidelines.status_code, schedule.status_code) == (403, 403)


def test_an_adviser_reads_the_onboarding_rule_without_a_change_link(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:onboarding"))

    assert response.status_code == 200
    assert b"change-onboarding-guidelines" not in response.content


def test_a_grant_taken_away_mid_session_stops_at_the_next_request(adviser_client, org):
    url = reverse("campaigns:detail", args=[org.ours.pk])
    assert adviser_client.get(url).status_code == 200

    revoke_object_role(actor=None, employee=org.adviser, role=Role.HR, target=org.ruimte)

    assert adviser_client.get(url).status_code == 403


def test_an_employee_without_the_hr_role_anywhere_is_refused(client, org):
    client.force_login(EmployeeFactory())

    assert client.get(reverse("campaigns:list")).status_code == 403


def test_central_hr_still_opens_every_campaign_and_changes_all_staff_ones(client, org):
    client.force_login(hr())

    assert client.get(reverse("campaigns:detail", args=[org.theirs.pk])).status_code == 200
    assert client.get(reverse("campaigns:close", args=[org.everyone.pk])).status_code == 200
    assert client.get(reverse("campaigns:onboarding_guidelines")).status_code == 200


def test_an_adviser_of_two_directorates_manages_a_campaign_of_both(client, org, version):
    both = adviser_of(org.ruimte, org.sociaal)
    campaign = draft(
        version,
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[org.vergunningen, org.sociaal],
    )
    client.force_login(both)

    assert client.get(reverse("campaigns:launch", args=[campaign.pk])).status_code == 200


def _menu_links(response) -> set[str]:
    return set(links(parse(response), "header nav"))


def test_the_menu_offers_an_adviser_the_campaigns(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:list"))

    assert reverse("campaigns:list") in _menu_links(response)


def test_the_menu_offers_an_adviser_no_ledger(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:list"))

    assert reverse("ledger:overview") not in _menu_links(response)


def test_an_advisers_dashboard_links_to_a_compliance_report(adviser_client, org):
    response = adviser_client.get(reverse("campaigns:detail", args=[org.ours.pk]))

    assert parse(response).css_first("#compliance-report-link") is not None
