"""The ledger pages for HR and auditors (/grootboek/)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from acknowledgements import services
from acknowledgements.admin import AcknowledgementAdmin, LedgerEntryAdmin
from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

URL = "/grootboek/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _records(count: int):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def test_the_ledger_lives_at_grootboek():
    assert reverse("ledger:overview") == URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"] or "account" in response["Location"]


def test_an_employee_may_not_see_the_ledger(client):
    client.force_login(EmployeeFactory())

    assert client.get(URL).status_code == 403


def test_an_editor_may_not_see_the_ledger(client):
    client.force_login(EmployeeFactory(editor=True))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["hr", "auditor", "administrator"])
def test_hr_auditors_and_administrators_see_the_ledger(client, role):
    client.force_login(EmployeeFactory(**{role: True}))

    assert client.get(URL).status_code == 200


def test_the_page_shows_that_the_ledger_is_intact(client):
    _records(2)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL)

    check = response.context["check"]
    assert (check.ok, check.checked) == (True, 2)
    assert 'role="status"' in response.content.decode()


def test_the_page_lists_records_with_a_shortened_hash(client):
    record = signed(EmployeeFactory(employee_number="777001", first_name="Fenna", last_name="Wit"))
    colleague = EmployeeFactory()
    signed(colleague, ready_to_sign(colleague, record.version))
    client.force_login(EmployeeFactory(hr=True))

    html = client.get(URL).content.decode()

    assert "777001" in html
    assert "Wit, Fenna" in html
    assert record.entry.record_hash[:12] in html
    assert record.entry.record_hash not in html


def test_the_list_is_searchable_by_employee_number(client):
    first, second = _records(2)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": first.employee.employee_number})

    assert [r.pk for r in response.context["records"]] == [first.pk]


def test_the_list_is_searchable_by_verification_code(client):
    first, second = _records(2)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": second.entry.verification_code.lower()})

    assert [r.pk for r in response.context["records"]] == [second.pk]


def test_the_page_has_accessible_markup(client):
    _records(1)
    client.force_login(EmployeeFactory(hr=True))

    html = client.get(URL).content.decode()

    assert html.count("<h1") == 1
    assert "<caption" in html
    assert 'scope="col"' in html
    assert '<label class="form-label" for="id_q">' in html


def test_the_list_is_paginated(client):
    _records(27)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"pagina": 2})

    assert len(response.context["records"]) == 2


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    hr = EmployeeFactory(hr=True)
    for record in _records(size)[:2]:
        services.correct(entry=record.entry, recorded_by=hr, reason="Typfout", typed_name="X")
    client.force_login(hr)
    # session, user, permissions (2), count, the chain check (versions, erasures,
    # entries, contents, head), roles for the menu (groups, reports), page
    with django_assert_num_queries(13):
        response = client.get(URL)

    assert response.status_code == 200


def test_entries_and_records_are_read_only_in_the_admin():
    request = RequestFactory().get("/beheer/")
    request.user = EmployeeFactory(is_staff=True, is_superuser=True)
    record = signed()

    for model_admin, obj in (
        (LedgerEntryAdmin(LedgerEntry, admin.site), record.entry),
        (AcknowledgementAdmin(Acknowledgement, admin.site), record),
    ):
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)
        assert model_admin.has_view_permission(request, obj)


def test_the_list_is_searchable_by_full_name(client):
    wanted = signed(EmployeeFactory(first_name="Fenna", name_prefix="de", last_name="Wit"))
    colleague = EmployeeFactory(first_name="Fenna", last_name="Zwart")
    signed(colleague, ready_to_sign(colleague, wanted.version))
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": "fenna de wit"})

    assert [r.pk for r in response.context["records"]] == [wanted.pk]


def test_the_admin_lists_of_entries_and_records_open(client):
    signed()
    client.force_login(EmployeeFactory(is_staff=True, is_superuser=True))

    for name in ("acknowledgements_ledgerentry", "acknowledgements_acknowledgement"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_the_page_shows_the_last_entrys_full_hash_for_auditors(client):
    last = _records(2)[-1]
    client.force_login(EmployeeFactory(auditor=True))

    html = client.get(URL).content.decode()

    assert last.entry.record_hash in html
