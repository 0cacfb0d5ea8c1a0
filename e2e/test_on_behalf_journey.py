"""HR records in a real browser that a field worker signed on paper, with the scanned
form; every page passes axe-core (WCAG 2.1 AA)."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from acknowledgements.models import Acknowledgement, LedgerEntry
from e2e.helpers import click_and_follow, login, path_of, visit

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def version(transactional_db):
    from handbook.tests.factories import published_version

    return published_version(effective_date=timezone.localdate())


@pytest.fixture
def field_worker(transactional_db):
    from people.tests.factories import EmployeeFactory

    return EmployeeFactory(
        employee_number="700123",
        first_name="Piet",
        last_name="Veld",
        email="piet.veld@voorbeeldstad.nl",
        job_title="Medewerker buitendienst",
    )


def test_hr_records_a_paper_signature_with_its_scan(
    page, live_server, hr_with_totp, field_worker, version
):
    hr, secret = hr_with_totp
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("ledger:overview"))
    click_and_follow(page, "#record-on-behalf")
    assert path_of(page) == reverse("ledger:on_behalf")

    # Forgetting the reason gives a focused error summary and records nothing.
    page.locator("#id_employee_number").fill("700123")
    click_and_follow(page, "#on-behalf-next")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_reason"]')).to_have_count(1)

    page.locator("#id_employee_number").fill("700123")
    page.locator("#id_reason").fill("medewerker buitendienst, getekend op papier")
    page.locator("#id_paper_form").set_input_files(
        files=[{"name": "formulier.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    click_and_follow(page, "#on-behalf-next")
    expect(page.locator("#on-behalf-warning")).to_be_visible()
    expect(page.locator("#on-behalf-summary")).to_contain_text("Piet Veld")
    assert not LedgerEntry.objects.exists()

    click_and_follow(page, "#on-behalf-confirm")
    assert path_of(page) == reverse("ledger:overview")
    record = Acknowledgement.objects.get(employee=field_worker, version=version)
    assert (record.method, record.recorded_by_id) == ("on_behalf", hr.pk)
    assert record.paper_form_hash == hashlib.sha256(PDF).hexdigest()
    expect(page.locator("table tbody tr")).to_have_count(1)

    link = page.locator(f'a[href="{reverse("ledger:paper_form", args=[record.entry.sequence])}"]')
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF
