"""The retention pages: central HR proposes and carries out destruction lists, a second
person records the archivist's approval, auditors look; an HR adviser of a part of the
organisation and everyone else are refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from acknowledgements.models import Acknowledgement, DestructionList
from acknowledgements.services.destruction import propose_destruction
from acknowledgements.services.retention import years_before
from acknowledgements.tests.destruction_support import approved
from acknowledgements.tests.factories import ready_to_sign, signed
from people.models import Employee
from people.tests.factories import DepartmentFactory, EmployeeFactory, login_with_second_factor
from people.tests.test_scope import adviser_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def leaver():
    person = EmployeeFactory(last_name="Quispel", employee_number="P-4711")
    version = quiz_version(tips=1)
    ready_to_sign(person, version)
    signed(person, version)
    end = years_before(day=timezone.localdate(), years=11)
    Employee.objects.filter(pk=person.pk).update(end_date=end, is_active=False)
    return person


def _client(client, employee):
    login_with_second_factor(client, employee)
    return client


def _approval(**changes) -> dict:
    return {
        "approver_name": "A. de Archivaris",
        "approver_function": "Gemeentearchivaris",
        "approval_date": timezone.localdate().isoformat(),
        "approval_reference": "VV-2026-007",
        **changes,
    }


def test_central_hr_proposes_a_list_from_the_page(client, leaver):
    hr = EmployeeFactory(hr=True)

    response = _client(client, hr).post(reverse("ledger:destruction_propose"))

    proposal = DestructionList.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("ledger:destruction_list", kwargs={"pk": proposal.pk})
    assert proposal.proposed_by == hr and proposal.status == "proposed"
    assert Acknowledgement.objects.filter(employee=leaver).exists()


def test_the_list_page_shows_every_item_with_its_legal_ground(client, leaver):
    proposal = propose_destruction(proposed_by=None)

    response = _client(client, EmployeeFactory(auditor=True)).get(
        reverse("ledger:destruction_list", kwargs={"pk": proposal.pk})
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "P-4711" in text and "Employee record" in text and "Selectielijst" in text


def test_the_proposer_sees_no_approval_form_and_is_refused_when_posting_one(client, leaver):
    hr = EmployeeFactory(hr=True)
    proposal = propose_destruction(proposed_by=hr)
    _client(client, hr)

    page = client.get(reverse("ledger:destruction_list", kwargs={"pk": proposal.pk}))
    response = client.post(
        reverse("ledger:destruction_approve", kwargs={"pk": proposal.pk}), _approval()
    )

    assert 'id="approval-form"' not in page.content.decode()
    assert 'id="four-eyes"' in page.content.decode()
    assert 'id="error-summary"' in response.content.decode()
    assert DestructionList.objects.get(pk=proposal.pk).status == "proposed"


def test_a_second_hr_person_records_the_approval_from_the_form(client, leaver):
    proposal = propose_destruction(proposed_by=EmployeeFactory(hr=True))
    recorder = EmployeeFactory(hr=True)

    response = _client(client, recorder).post(
        reverse("ledger:destruction_approve", kwargs={"pk": proposal.pk}), _approval()
    )

    row = DestructionList.objects.get(pk=proposal.pk)
    assert response.status_code == 302
    assert (row.status, row.approver_name, row.approved_by) == (
        "approved",
        "A. de Archivaris",
        recorder,
    )


def test_an_approval_without_a_reference_is_refused_next_to_the_field(client, leaver):
    proposal = propose_destruction(proposed_by=None)

    response = _client(client, EmployeeFactory(hr=True)).post(
        reverse("ledger:destruction_approve", kwargs={"pk": proposal.pk}),
        _approval(approval_reference=""),
    )

    assert response.status_code == 200
    assert 'href="#id_approval_reference"' in response.content.decode()
    assert DestructionList.objects.get(pk=proposal.pk).status == "proposed"


def test_an_approval_dated_in_the_future_is_refused(client, leaver):
    proposal = propose_destruction(proposed_by=None)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    _client(client, EmployeeFactory(hr=True)).post(
        reverse("ledger:destruction_approve", kwargs={"pk": proposal.pk}),
        _approval(approval_date=tomorrow.isoformat()),
    )

    assert DestructionList.objects.get(pk=proposal.pk).status == "proposed"


def test_central_hr_carries_out_an_approved_list_from_the_page(client, leaver):
    proposal = approved(propose_destruction(proposed_by=None))

    response = _client(client, EmployeeFactory(hr=True)).post(
        reverse("ledger:destruction_carry_out", kwargs={"pk": proposal.pk})
    )

    assert response.status_code == 302
    assert DestructionList.objects.get(pk=proposal.pk).status == "carried_out"
    assert not Acknowledgement.objects.filter(employee=leaver).exists()


def test_carrying_out_a_list_without_approval_from_the_page_removes_nothing(client, leaver):
    proposal = propose_destruction(proposed_by=None)

    _client(client, EmployeeFactory(hr=True)).post(
        reverse("ledger:destruction_carry_out", kwargs={"pk": proposal.pk})
    )

    assert DestructionList.objects.get(pk=proposal.pk).status == "proposed"
    assert Acknowledgement.objects.filter(employee=leaver).exists()


def test_an_auditor_may_look_but_not_carry_out(client, leaver):
    proposal = approved(propose_destruction(proposed_by=None))
    _client(client, EmployeeFactory(auditor=True))

    lists = client.get(reverse("ledger:destruction_lists"))
    response = client.post(reverse("ledger:destruction_carry_out", kwargs={"pk": proposal.pk}))

    assert lists.status_code == 200 and response.status_code == 403
    assert Acknowledgement.objects.filter(employee=leaver).exists()


@pytest.mark.parametrize(
    "name", ["destruction_lists", "destruction_list", "destruction_csv", "destruction_propose"]
)
def test_an_hr_adviser_of_a_department_is_refused(client, leaver, name):
    proposal = propose_destruction(proposed_by=None)
    kwargs = {} if name in ("destruction_lists", "destruction_propose") else {"pk": proposal.pk}
    _client(client, adviser_of(DepartmentFactory()))

    response = (client.post if name == "destruction_propose" else client.get)(
        reverse(f"ledger:{name}", kwargs=kwargs)
    )

    assert response.status_code == 403


def test_the_list_downloads_as_a_csv_for_the_archivist(client, leaver):
    proposal = propose_destruction(proposed_by=None)

    response = _client(client, EmployeeFactory(hr=True)).get(
        reverse("ledger:destruction_csv", kwargs={"pk": proposal.pk})
    )

    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert text.startswith("\ufeff") and "P-4711" in text


def _leaver(number: str, version) -> Employee:
    person = EmployeeFactory(employee_number=number)
    ready_to_sign(person, version)
    signed(person, version)
    end = years_before(day=timezone.localdate(), years=11)
    Employee.objects.filter(pk=person.pk).update(end_date=end, is_active=False)
    return person


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_list_page_costs_the_same_queries_for_more_leavers(client, leaver):
    auditor = _client(client, EmployeeFactory(auditor=True))
    small = propose_destruction(proposed_by=None)
    few = _queries(auditor, reverse("ledger:destruction_list", kwargs={"pk": small.pk}))
    version = Acknowledgement.objects.filter(employee=leaver).get().version
    for number in ("P-1", "P-2", "P-3"):
        _leaver(number, version)
    large = propose_destruction(proposed_by=None)

    assert _queries(auditor, reverse("ledger:destruction_list", kwargs={"pk": large.pk})) == few
