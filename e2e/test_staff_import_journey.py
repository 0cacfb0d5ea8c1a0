"""HR's staff import in a real browser, as the escalation of issue 16 tried it: a file
that gives the administrator an address HR reads. The preview and the log say (in
Dutch) that the address is left alone and why; the other change applies. Every page
passes axe-core and the Content-Security-Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import click_and_follow, login, submit_button, visit
from people.models import Employee
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import organisation, person, staff_csv

pytestmark = pytest.mark.e2e


def test_hr_sees_that_the_administrators_address_is_left_alone(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp
    Employee.objects.filter(pk=hr.pk).update(preferred_language="nl")
    organisation()
    administrator = EmployeeFactory(
        employee_number="300061", first_name="Bas", last_name="Verhoeven", administrator=True
    )
    data = staff_csv(
        [
            person(
                "300061",
                voornaam="Bas",
                achternaam="Verhoeven",
                email="p-en-o@voorbeeldstad.nl",
                functie="Teamleider ICT",
            )
        ]
    )
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("people:staff_import"))

    page.locator("#id_bestand").set_input_files(
        files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": data}]
    )
    click_and_follow(page, submit_button(page))

    left_alone = page.locator("#section-left-alone")
    expect(left_alone).to_contain_text("Ongewijzigd gelaten: 1 account met beheerrechten")
    expect(left_alone).to_contain_text("Beheerder")
    click_and_follow(page, page.locator("#confirm-import"))

    expect(page.locator("#section-left-alone")).to_contain_text("300061 Bas Verhoeven: e-mailadres")
    administrator.refresh_from_db()
    assert administrator.email != "p-en-o@voorbeeldstad.nl"
    assert administrator.job_title == "Teamleider ICT"
