"""Not found and no access are answered in the portal's own layout, in Dutch."""

import pytest

from people.tests.factories import EmployeeFactory
from portal.testing.html import one, parse, text

pytestmark = pytest.mark.django_db


def test_a_page_that_is_not_there_is_answered_in_the_portals_layout(client, version_one):
    client.force_login(EmployeeFactory())

    response = client.get("/handreikingen/sociale-media/versies/99/")

    assert response.status_code == 404
    main = text(one(parse(response), "main"))
    assert "Pagina niet gevonden" in main
    assert "Terug naar de startpagina" in main


def test_a_page_for_other_roles_is_answered_in_the_portals_layout(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory())

    response = client.get("/campagnes/")

    assert response.status_code == 403
    assert "Geen toegang" in text(one(parse(response), "main"))
