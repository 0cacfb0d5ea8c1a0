import pytest
from django.urls import reverse

from people.tests.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _team(manager, size):
    return [EmployeeFactory(manager=manager) for _ in range(size)]


@pytest.mark.django_db
def test_manager_sees_direct_and_indirect_reports(client):
    manager = EmployeeFactory()
    lead = EmployeeFactory(manager=manager, last_name="Teamleider")
    indirect = EmployeeFactory(manager=lead, last_name="Indirect")
    outsider = EmployeeFactory(last_name="Buitenstaander")
    client.force_login(manager)
    response = client.get(reverse("campaigns_team:team"))
    names = {e.pk for e in response.context["employees"]}
    assert names == {lead.pk, indirect.pk}
    assert outsider.pk not in names


@pytest.mark.django_db
def test_an_employee_without_reports_may_not_open_the_team_page(client):
    client.force_login(EmployeeFactory())
    assert client.get(reverse("campaigns_team:team")).status_code == 403


@pytest.mark.django_db
def test_an_employee_may_not_open_the_staff_list(client):
    client.force_login(EmployeeFactory())
    assert client.get(reverse("people:staff")).status_code == 403


@pytest.mark.django_db
def test_hr_searches_the_staff_list_by_name(client):
    hr = EmployeeFactory(hr=True)
    EmployeeFactory(first_name="Zoë", last_name="de Vries")
    EmployeeFactory(first_name="Ümit", last_name="Yilmaz")
    client.force_login(hr)
    response = client.get(reverse("people:staff"), {"q": "yilm"})
    assert [e.last_name for e in response.context["employees"]] == ["Yilmaz"]


@pytest.mark.django_db
def test_a_search_without_results_says_what_to_do(client):
    client.force_login(EmployeeFactory(auditor=True, preferred_language="en"))
    response = client.get(reverse("people:staff"), {"q": "niemand"})
    assert "Nobody matches" in response.content.decode()


@pytest.mark.django_db
def test_staff_list_is_paginated(client):
    hr = EmployeeFactory(hr=True)
    EmployeeFactory.create_batch(30)
    client.force_login(hr)
    response = client.get(reverse("people:staff"), {"pagina": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["employees"]) == 31 - 25


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 20])
def test_team_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    manager = EmployeeFactory()
    for lead in _team(manager, 2):
        _team(lead, size)
    client.force_login(manager)
    # session, user, roles (groups, reports), permissions (2), count, page, the page's
    # campaign statuses, the team's counts: independent of the team's size and depth
    # (the hierarchy is walked inside those queries)
    with django_assert_num_queries(10):
        response = client.get(reverse("campaigns_team:team"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_staff_list_uses_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    hr = EmployeeFactory(hr=True)
    EmployeeFactory.create_batch(size)
    client.force_login(hr)
    with django_assert_num_queries(8):
        response = client.get(reverse("people:staff"))
    assert response.status_code == 200
