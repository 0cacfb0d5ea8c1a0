"""The first staff import into an empty portal (issue 21), in a real browser: central HR
logs in to a portal without a single department, uploads the HR system's export with a
path per person, sees in the dry run the tree it will build (before the people),
applies it by keyboard and sees the result. Every page passes axe-core and the
Content-Security-Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import login, press_and_follow, tab_to, visit
from e2e.totp import activate_totp
from people.models import Department, Employee
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import person, staff_csv
from people.tests.staff_import_tree_support import PATH_COLUMNS

pytestmark = pytest.mark.e2e

PATHS = {
    "400001": "Directie Ruimte",
    "400002": "Directie Ruimte/Afdeling Vergunningen",
    "400003": "Directie Ruimte/Afdeling Vergunningen/Team Handhaving",
    "400004": "Directie Middelen/Afdeling P&O",
}


@pytest.fixture
def central_hr(transactional_db):
    """Central HR without a department: the portal has none at all."""
    hr = EmployeeFactory(
        first_name="Hanna",
        last_name="de Haan",
        email="hanna.dehaan@voorbeeldstad.nl",
        hr=True,
        department=None,
        preferred_language="nl",
    )
    Department.objects.all().delete()
    return hr, activate_totp(hr)


def test_hr_builds_the_organisation_with_the_first_import(page, live_server, central_hr):
    hr, secret = central_hr
    assert not Department.objects.exists()
    data = staff_csv(
        [person(number, afdelingspad=path) for number, path in PATHS.items()],
        columns=PATH_COLUMNS,
    )
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("people:staff_import"))

    page.locator("#id_bestand").set_input_files(
        files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": data}]
    )
    tab_to(page, "#upload-button")
    press_and_follow(page, "Enter")

    # The dry run: the tree first, then the people; nothing changed yet.
    expect(page.locator("#units-heading")).to_have_text("De eenheden van de organisatie")
    expect(page.locator("#units-new summary")).to_have_text("Nieuwe eenheden (5)")
    expect(page.locator("#units-new")).to_contain_text(
        "Directie Ruimte / Afdeling Vergunningen / Team Handhaving"
    )
    expect(page.locator("#count-new td")).to_have_text("4")
    assert not Department.objects.exists()

    tab_to(page, "#confirm-import")
    press_and_follow(page, "Enter")

    # The result, kept in the import log.
    expect(page.locator("#import-mode")).to_have_text("Uitgevoerd")
    expect(page.locator("#units-new summary")).to_have_text("Nieuwe eenheden (5)")
    expect(page.locator("#count-new td")).to_have_text("4")
    team = Employee.objects.get(employee_number="400003").department
    assert team.name == "Team Handhaving"
    assert team.parent.name == "Afdeling Vergunningen"
    assert team.parent.parent.name == "Directie Ruimte"
    assert Department.objects.count() == 5
