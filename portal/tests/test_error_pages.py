"""Not found and no access are answered in the portal's own layout, in Dutch."""

import pytest

from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_a_page_that_is_not_there_is_answered_in_the_portals_layout(client, version_one):
    client.force_login(EmployeeFactory())

    response = client.get("/handreiking/versies/99/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert "<main" in html
    assert "Terug naar de startpagina" in html


def test_a_page_for_other_roles_is_answered_in_the_portals_layout(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory())

    response = client.get("/campagnes/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang" in html
    assert "<main" in html
