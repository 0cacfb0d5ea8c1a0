"""Exemptions with four eyes (issue 21): asking for one changes nothing for the employee
(still open, reminders go on) until another HR person, whose part covers the employee,
approves it; the one who asked never decides (services, pages and the database refuse
it); a refusal needs a note; a request is decided once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import selectors
from campaigns.models import Assignment, CampaignEvent, Exemption, Reminder
from campaigns.services import CampaignError, erase_exemption_reasons, reminders
from campaigns.services import exemptions as four_eyes
from campaigns.tests.conftest import at, day
from campaigns.tests.factories import launched_campaign
from campaigns.tests.hr_support import assignment_of, auditor, hr
from campaigns.tests.scoped_support import organisation
from people.models import Employee
from people.tests.factories import EmployeeFactory
from portal.testing.html import one, parse, select, text

pytestmark = pytest.mark.django_db

Status = Assignment.Status


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages read in English here (the pages: the users' language)."""
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def asked(version):
    """A request by one HR person about an employee of a launched campaign."""
    employee = EmployeeFactory()
    campaign = launched_campaign(version, deadline=day(30), now=at(0))
    requester = hr()
    exemption = four_eyes.request_exemption(
        assignment=assignment_of(campaign, employee), reason="Langdurig verlof", by=requester
    )
    return exemption


def status_of(assignment: Assignment) -> str:
    return (
        selectors.with_status(
            assignments=Assignment.objects.filter(pk=assignment.pk), on=timezone.localdate()
        )
        .get()
        .status
    )


# The services --------------------------------------------------------------------------


def test_asking_for_an_exemption_leaves_the_assignment_open(asked):
    assignment = Assignment.objects.get(pk=asked.assignment_id)

    assert asked.decision == Exemption.Decision.REQUESTED
    assert (asked.exempted_at, assignment.exempted_at) == (None, None)
    assert status_of(assignment) == Status.NOT_STARTED


def test_reminders_go_on_while_an_exemption_waits(asked):
    reminders.run(now=at(16), clock=True)

    assert Reminder.objects.filter(assignment_id=asked.assignment_id).exists()


def test_another_hr_persons_approval_exempts_the_employee(asked):
    approver = hr()

    exemption = four_eyes.approve_exemption(exemption=asked, by=approver, note="Akkoord")

    assignment = Assignment.objects.get(pk=asked.assignment_id)
    assert status_of(assignment) == Status.EXEMPT
    assert assignment.exempted_at == exemption.exempted_at == exemption.decided_at
    assert (assignment.exempt_reason, assignment.exempted_by) == (
        "Langdurig verlof",
        asked.exempted_by,
    )
    assert (exemption.decided_by, exemption.decision_note) == (approver, "Akkoord")
    assert CampaignEvent.objects.get(kind=CampaignEvent.Kind.EXEMPTED).details == {
        "exemption": exemption.pk
    }


def test_an_approved_exemption_stops_the_reminders(asked):
    four_eyes.approve_exemption(exemption=asked, by=hr())

    reminders.run(now=at(16), clock=True)

    assert not Reminder.objects.filter(assignment_id=asked.assignment_id).exists()


def test_the_one_who_asked_cannot_approve_it(asked):
    with pytest.raises(CampaignError, match="another HR person"):
        four_eyes.approve_exemption(exemption=asked, by=asked.exempted_by)

    assert status_of(Assignment.objects.get(pk=asked.assignment_id)) != Status.EXEMPT
    assert Exemption.objects.get(pk=asked.pk).decision == Exemption.Decision.REQUESTED


def test_the_one_who_asked_cannot_refuse_it_either(asked):
    with pytest.raises(CampaignError, match="another HR person"):
        four_eyes.refuse_exemption(exemption=asked, by=asked.exempted_by, note="Toch niet")


def test_someone_without_hr_rights_cannot_approve(asked):
    with pytest.raises(CampaignError):
        four_eyes.approve_exemption(exemption=asked, by=auditor())

    assert Exemption.objects.get(pk=asked.pk).decision == Exemption.Decision.REQUESTED


def test_a_refusal_needs_a_note(asked):
    with pytest.raises(CampaignError, match="why"):
        four_eyes.refuse_exemption(exemption=asked, by=hr(), note="  ")


def test_a_refusal_leaves_the_assignment_open_and_is_logged(asked):
    exemption = four_eyes.refuse_exemption(exemption=asked, by=hr(), note="Geen verlof bekend")

    assert (exemption.decision, exemption.exempted_at) == (Exemption.Decision.REFUSED, None)
    assert status_of(Assignment.objects.get(pk=asked.assignment_id)) == Status.NOT_STARTED
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTION_REFUSED).count() == 1


def test_after_a_refusal_hr_may_ask_again(asked):
    four_eyes.refuse_exemption(exemption=asked, by=hr(), note="Geen verlof bekend")

    again = four_eyes.request_exemption(
        assignment=asked.assignment, reason="Nu wel verlof", by=asked.exempted_by
    )

    assert again.decision == Exemption.Decision.REQUESTED


def test_a_request_is_decided_once(asked):
    four_eyes.approve_exemption(exemption=asked, by=hr())

    with pytest.raises(CampaignError, match="decided on already"):
        four_eyes.refuse_exemption(exemption=asked, by=hr(), note="Toch niet")

    assert Exemption.objects.get(pk=asked.pk).decision == Exemption.Decision.APPROVED


def test_a_second_request_for_the_same_assignment_is_refused(asked):
    with pytest.raises(CampaignError, match="waits for approval already"):
        four_eyes.request_exemption(assignment=asked.assignment, reason="Ziek", by=hr())

    assert Exemption.objects.filter(assignment_id=asked.assignment_id).count() == 1


def test_a_request_needs_a_reason(version):
    employee = EmployeeFactory()
    assignment = assignment_of(launched_campaign(version), employee)

    with pytest.raises(CampaignError, match="reason"):
        four_eyes.request_exemption(assignment=assignment, reason=" ", by=hr())


def test_an_adviser_cannot_approve_for_someone_outside_their_part(version):
    org = organisation(version)
    assignment = assignment_of(org.everyone, org.outside[0])
    exemption = four_eyes.request_exemption(assignment=assignment, reason="Verlof", by=hr())

    with pytest.raises(CampaignError, match="may not decide"):
        four_eyes.approve_exemption(exemption=exemption, by=org.adviser)

    assert Exemption.objects.get(pk=exemption.pk).decision == Exemption.Decision.REQUESTED


def test_an_adviser_approves_for_someone_in_their_part(version):
    org = organisation(version)
    assignment = assignment_of(org.ours, org.inside[1])
    exemption = four_eyes.request_exemption(assignment=assignment, reason="Verlof", by=hr())

    four_eyes.approve_exemption(exemption=exemption, by=org.adviser)

    assert Assignment.objects.get(pk=assignment.pk).is_exempt


def test_an_adviser_cannot_ask_for_someone_outside_their_part(version):
    org = organisation(version)

    with pytest.raises(CampaignError):
        four_eyes.request_exemption(
            assignment=assignment_of(org.everyone, org.outside[0]),
            reason="Verlof",
            by=org.adviser,
        )


def test_an_erasure_clears_the_note_of_the_decision_too(asked):
    four_eyes.refuse_exemption(exemption=asked, by=hr(), note="Zwanger, zie dossier")

    erase_exemption_reasons(employees=Employee.objects.filter(pk=asked.assignment.employee_id))

    exemption = Exemption.objects.get(pk=asked.pk)
    assert (exemption.reason, exemption.decision_note) == ("", "")


# The database keeps the rules too ------------------------------------------------------


def test_the_database_refuses_a_decision_by_the_one_who_asked(asked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exemption.objects.filter(pk=asked.pk).update(
            decision=Exemption.Decision.APPROVED,
            decided_by=asked.exempted_by,
            decided_at=timezone.now(),
            exempted_at=timezone.now(),
        )


def test_the_database_refuses_an_exemption_in_force_that_was_not_approved(asked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exemption.objects.filter(pk=asked.pk).update(exempted_at=timezone.now())


def test_the_database_refuses_a_second_open_exemption_of_one_assignment(asked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exemption.objects.create(
            assignment=asked.assignment,
            reason="Nog een",
            exempted_by=hr(),
            requested_at=timezone.now(),
        )


# The pages -----------------------------------------------------------------------------


def test_asking_on_the_page_tells_that_another_hr_person_must_approve(version):
    employee = EmployeeFactory()
    assignment = assignment_of(launched_campaign(version), employee)
    requester = hr()

    response = client_for(requester).post(
        reverse("campaigns:exempt", args=[assignment.pk]), {"reason": "Verlof"}, follow=True
    )

    assert "another HR person approves it" in response.content.decode()
    assert not Assignment.objects.get(pk=assignment.pk).is_exempt


def test_the_waiting_page_lists_a_request_with_its_reason_and_a_decide_link(asked):
    response = client_for(hr()).get(reverse("campaigns:exemptions_waiting"))

    row = one(parse(response), f"#exemption-{asked.pk}")
    assert "Langdurig verlof" in text(row)
    assert select(row, f"#decide-{asked.pk}")


def test_the_waiting_page_shows_the_one_who_asked_no_decide_link(asked):
    response = client_for(asked.exempted_by).get(reverse("campaigns:exemptions_waiting"))

    row = one(parse(response), f"#exemption-{asked.pk}")
    assert select(row, f"#own-request-{asked.pk}")
    assert not select(row, f"#decide-{asked.pk}")


def test_approving_on_the_page_exempts_the_employee(asked):
    response = client_for(hr()).post(
        reverse("campaigns:exemption_decide", args=[asked.pk]),
        {"decision": "approve", "note": ""},
    )

    assert response.status_code == 302
    assert Assignment.objects.get(pk=asked.assignment_id).is_exempt


def test_the_one_who_asked_approving_by_a_forged_post_is_refused(asked):
    response = client_for(asked.exempted_by).post(
        reverse("campaigns:exemption_decide", args=[asked.pk]),
        {"decision": "approve", "note": "Zelf goedgekeurd"},
    )

    assert response.status_code == 403
    assert not Assignment.objects.get(pk=asked.assignment_id).is_exempt
    assert Exemption.objects.get(pk=asked.pk).decision == Exemption.Decision.REQUESTED


def test_the_one_who_asked_sees_no_decision_form(asked):
    response = client_for(asked.exempted_by).get(
        reverse("campaigns:exemption_decide", args=[asked.pk])
    )

    page = parse(response)
    assert select(page, "#own-request")
    assert not select(page, "#decision-form")


def test_refusing_on_the_page_without_a_note_is_refused(asked):
    response = client_for(hr()).post(
        reverse("campaigns:exemption_decide", args=[asked.pk]),
        {"decision": "refuse", "note": ""},
    )

    assert response.status_code == 400
    assert Exemption.objects.get(pk=asked.pk).decision == Exemption.Decision.REQUESTED


def test_a_decided_request_is_no_longer_found(asked):
    four_eyes.approve_exemption(exemption=asked, by=hr())

    response = client_for(hr()).post(
        reverse("campaigns:exemption_decide", args=[asked.pk]),
        {"decision": "refuse", "note": "Toch niet"},
    )

    assert response.status_code == 404


def test_an_adviser_deciding_on_someone_outside_their_part_gets_404(version):
    org = organisation(version)
    exemption = four_eyes.request_exemption(
        assignment=assignment_of(org.everyone, org.outside[0]), reason="Verlof", by=hr()
    )

    response = client_for(org.adviser).post(
        reverse("campaigns:exemption_decide", args=[exemption.pk]),
        {"decision": "approve", "note": ""},
    )

    assert response.status_code == 404
    assert Exemption.objects.get(pk=exemption.pk).decision == Exemption.Decision.REQUESTED


def test_an_adviser_sees_only_the_requests_of_their_part(version):
    org = organisation(version)
    ours = four_eyes.request_exemption(
        assignment=assignment_of(org.everyone, org.inside[0]), reason="Verlof", by=hr()
    )
    theirs = four_eyes.request_exemption(
        assignment=assignment_of(org.everyone, org.outside[0]), reason="Verlof", by=hr()
    )

    page = parse(client_for(org.adviser).get(reverse("campaigns:exemptions_waiting")))

    assert select(page, f"#exemption-{ours.pk}")
    assert not select(page, f"#exemption-{theirs.pk}")


def test_an_auditor_may_not_open_the_waiting_page(asked):
    response = client_for(auditor()).get(reverse("campaigns:exemptions_waiting"))

    assert response.status_code == 403


def test_the_campaign_page_counts_the_exemptions_waiting(asked):
    response = client_for(hr()).get(
        reverse("campaigns:detail", args=[asked.assignment.campaign_id])
    )

    assert text(one(parse(response), "#count-exemptions-waiting")) == "1"


def test_the_waiting_list_costs_the_same_queries_for_more_requests(asked, version):
    approver = client_for(hr())
    url = reverse("campaigns:exemptions_waiting")
    with CaptureQueriesContext(connection) as few:
        assert approver.get(url).status_code == 200
    people = EmployeeFactory.create_batch(3)
    campaign = launched_campaign(version, deadline=day(30), now=at(0), name="Tweede ronde")
    for person in people:
        four_eyes.request_exemption(
            assignment=assignment_of(campaign, person), reason="Ouderschapsverlof", by=hr()
        )

    with CaptureQueriesContext(connection) as more:
        page = approver.get(url)
    assert len(more) == len(few)
    assert text(parse(page)).count("Ouderschapsverlof") == 3
