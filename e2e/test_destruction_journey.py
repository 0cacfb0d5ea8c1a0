"""Retention in a real browser: the monthly run proposed a destruction list; a second HR
person records the archivist's declaration by keyboard and carries the list out. Every
page passes axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from acknowledgements.models import Acknowledgement, DestructionList
from acknowledgements.services.destruction import propose_destruction
from acknowledgements.services.retention import years_before
from acknowledgements.tests.factories import ready_to_sign, signed
from e2e.helpers import click_and_follow, login, press_and_follow, tab_to, type_into, visit
from people.models import Employee
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.e2e


@pytest.fixture
def proposal(transactional_db):
    leaver = EmployeeFactory(first_name="Lot", last_name="Vertrokken", employee_number="P-4711")
    version = quiz_version(tips=1)
    ready_to_sign(leaver, version)
    signed(leaver, version)
    end = years_before(day=datetime.date.today(), years=11)
    Employee.objects.filter(pk=leaver.pk).update(end_date=end, is_active=False)
    return leaver, propose_destruction(proposed_by=None)


def test_hr_records_the_archivists_approval_and_carries_out_the_list(
    page, live_server, hr_with_totp, proposal
):
    leaver, _ = proposal
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)
    visit(page, f"{live_server.url}/grootboek/")

    click_and_follow(page, "#destruction-lists-link")
    click_and_follow(page, "#destruction-lists tbody a")

    expect(page.locator("#list-items")).to_contain_text("P-4711")
    type_into(page, "#id_approver_name", "A. de Archivaris")
    type_into(page, "#id_approver_function", "Gemeentearchivaris")
    type_into(page, "#id_approval_reference", "VV-2026-007")
    tab_to(page, "#approve-button")
    press_and_follow(page, "Enter")

    expect(page.locator("#list-approver")).to_contain_text("A. de Archivaris")
    tab_to(page, "#carry-out-button")
    press_and_follow(page, "Enter")

    expect(page.locator("#list-carried-out")).to_be_visible()
    assert DestructionList.objects.get().status == "carried_out"
    assert not Acknowledgement.objects.filter(employee=leaver).exists()


def test_an_approval_without_a_reference_is_explained_by_its_field(
    page, live_server, hr_with_totp, proposal
):
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)
    visit(page, f"{live_server.url}/grootboek/vernietiging/{proposal[1].pk}/")

    type_into(page, "#id_approver_name", "A. de Archivaris")
    type_into(page, "#id_approver_function", "Gemeentearchivaris")
    click_and_follow(page, "#approve-button")

    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_approval_reference")).to_have_attribute("aria-invalid", "true")
    assert DestructionList.objects.get().status == "proposed"
