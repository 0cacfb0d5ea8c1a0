"""An HR adviser of a part of the organisation and other people's records: they see the
receipts and scanned forms of the people of their part and record on behalf of them
alone; anyone else's record is not found. The ledger, its export and its check stay
with central HR (people.roles.SCOPED_HR_PERMISSIONS)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from acknowledgements import services
from acknowledgements.models import Acknowledgement
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.tests.factories import published_version
from people.models import Employee
from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/grootboek/namens/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def tree():
    ruimte = DepartmentFactory(code="RUIMTE", name="Directie Ruimte")
    team = DepartmentFactory(code="VERG-T1", name="Team Vergunningen", parent=ruimte)
    sociaal = DepartmentFactory(code="SOC", name="Directie Sociaal")
    return {"ruimte": ruimte, "team": team, "sociaal": sociaal}


@pytest.fixture
def version():
    return published_version(effective_date=timezone.localdate())


@pytest.fixture
def people(tree):
    return {
        "inside": EmployeeFactory(
            employee_number="1001", last_name="Binnen", department=tree["team"]
        ),
        "outside": EmployeeFactory(
            employee_number="2002", last_name="Buiten", department=tree["sociaal"]
        ),
    }


@pytest.fixture
def adviser(tree):
    adviser = EmployeeFactory(first_name="Ada", last_name="Adviseur", department=tree["ruimte"])
    grant_object_role(actor=None, employee=adviser, role=Role.HR, target=tree["ruimte"])
    return Employee.objects.get(pk=adviser.pk)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def _on_paper(employee, version) -> Acknowledgement:
    return services.record_on_behalf(
        employee=employee,
        version=version,
        recorded_by=EmployeeFactory(hr=True),
        reason="buitendienst, getekend op papier",
        signed_at=timezone.now(),
        paper_form=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
    )


def _signed(employee) -> Acknowledgement:
    from quizzes.tests.factories import quiz_version

    version = quiz_version(tips=1)
    ready_to_sign(employee, version)
    return signed(employee, version)


def _form_data(employee, version) -> dict:
    return {
        "employee_number": employee.employee_number,
        "version": version.pk,
        "signed_on": timezone.localdate().isoformat(),
        "reason": "buitendienst, getekend op papier",
    }


# Receipts ----------------------------------------------------------------------------------


def test_an_adviser_sees_the_receipt_of_someone_in_their_part(adviser_client, people):
    record = _signed(people["inside"])

    response = adviser_client.get(
        reverse("acknowledgements:receipt", kwargs={"code": record.entry.verification_code})
    )

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["acknowledgements:receipt", "acknowledgements:certificate"])
def test_the_receipt_and_certificate_of_someone_outside_the_part_are_not_found(
    adviser_client, people, name
):
    record = _signed(people["outside"])

    response = adviser_client.get(reverse(name, kwargs={"code": record.entry.verification_code}))

    assert response.status_code == 404


# Scanned forms -----------------------------------------------------------------------------


def test_an_adviser_downloads_the_scanned_form_of_someone_in_their_part(
    adviser_client, people, version
):
    record = _on_paper(people["inside"], version)

    response = adviser_client.get(reverse("ledger:paper_form", args=[record.entry.sequence]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_scanned_form_of_someone_outside_the_part_is_not_found(adviser_client, people, version):
    record = _on_paper(people["outside"], version)

    response = adviser_client.get(reverse("ledger:paper_form", args=[record.entry.sequence]))

    assert response.status_code == 404


def test_an_ordinary_employee_is_refused_a_scanned_form(client, people, version):
    record = _on_paper(people["outside"], version)
    client.force_login(people["inside"])

    response = client.get(reverse("ledger:paper_form", args=[record.entry.sequence]))

    assert response.status_code == 403


# Recording on behalf -----------------------------------------------------------------------


def test_an_adviser_records_on_behalf_of_someone_in_their_part(
    adviser_client, adviser, people, version
):
    data = _form_data(people["inside"], version)

    assert adviser_client.post(URL, data).status_code == 200
    response = adviser_client.post(URL, {**data, "confirm": "1"})

    record = Acknowledgement.objects.get(employee=people["inside"], version=version)
    assert record.recorded_by == adviser
    assert response["Location"] == reverse(
        "acknowledgements:receipt", kwargs={"code": record.entry.verification_code}
    )


def test_an_adviser_cannot_record_for_someone_outside_their_part(adviser_client, people, version):
    data = _form_data(people["outside"], version)

    first = adviser_client.post(URL, data)
    confirmed = adviser_client.post(URL, {**data, "confirm": "1"})

    assert (first.status_code, confirmed.status_code) == (400, 400)
    assert not Acknowledgement.objects.filter(employee=people["outside"]).exists()


def test_the_service_refuses_an_adviser_someone_outside_their_part(adviser, people):
    assert services.may_record_for(recorder=adviser, employee=people["inside"])
    assert not services.may_record_for(recorder=adviser, employee=people["outside"])


# What stays central ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ledger:overview", "ledger:export"])
def test_the_ledger_and_its_export_stay_central(adviser_client, name):
    assert adviser_client.get(reverse(name)).status_code == 403


def test_the_ledger_check_stays_central(adviser_client):
    assert adviser_client.post(reverse("ledger:check")).status_code == 403
