"""Pages no other journey opened (issue 22), walked by keyboard: an editor's retire and
discard confirmations, and HR's staff import screens from upload through the preview
to the run's page and the log. Every page passes axe-core and the checks beyond it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import (
    click_and_follow,
    login,
    path_of,
    press_and_follow,
    submit_button,
    tab_to,
    type_into,
    visit,
)
from handbook.models import GuidelineVersion
from people.models import Employee, StaffImport

pytestmark = pytest.mark.e2e

SLUG = "sociale-media"


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"guideline": SLUG, **kwargs})


def test_an_editor_discards_a_draft_on_its_confirmation_page_by_keyboard(
    editor_page, editor_with_totp, version_one
):
    from handbook.services import create_draft

    page = editor_page
    editor, _secret = editor_with_totp
    create_draft(guideline=version_one.guideline, actor=editor)
    visit(page, _url("handbook:discard", number=2))
    expect(page.locator("main h1")).to_be_visible()

    tab_to(page, "#discard-button")
    press_and_follow(page, "Enter")

    assert path_of(page) == _url("handbook:editor")
    assert not GuidelineVersion.objects.filter(guideline=version_one.guideline, number=2).exists()


def test_an_editor_asks_to_retire_a_version_and_cancels_the_request_by_keyboard(
    editor_page, version_one
):
    from handbook.tests.factories import published_version

    page = editor_page
    published_version(version_one.guideline, number=2, effective_date=timezone.localdate())
    visit(page, _url("handbook:retire", number=1))

    type_into(page, "#id_reason", "Vervangen door versie 2.")
    tab_to(page, "#retire-button")
    press_and_follow(page, "Enter")
    expect(page.locator("#retirement-reason")).to_contain_text("Vervangen door versie 2.")

    tab_to(page, "#cancel-retirement-button")
    press_and_follow(page, "Enter")

    # Back on the version's page; asking again starts from an empty form.
    assert path_of(page) == _url("handbook:version", number=1)
    visit(page, _url("handbook:retire", number=1))
    expect(page.locator("#retirement-request")).to_have_count(0)
    expect(page.locator("#retire-form")).to_be_visible()
    version_one.refresh_from_db()
    assert version_one.status == GuidelineVersion.Status.PUBLISHED


def test_a_retirement_without_a_reason_is_refused_with_the_error_tied_to_the_field(
    editor_page, version_one
):
    from handbook.tests.factories import published_version

    page = editor_page
    published_version(version_one.guideline, number=2, effective_date=timezone.localdate())
    visit(page, _url("handbook:retire", number=1))

    tab_to(page, "#retire-button")
    press_and_follow(page, "Enter")

    assert path_of(page) == _url("handbook:retire", number=1)
    described_by = page.locator("#id_reason").get_attribute("aria-describedby") or ""
    assert "reason-error" in described_by.split(), described_by
    expect(page.locator("#reason-error")).to_be_visible()


def test_hr_checks_a_staff_file_applies_it_and_finds_the_run_in_the_log_by_keyboard(
    page, live_server, hr_with_totp
):
    from people.tests.staff_import_support import organisation, person, staff_csv

    hr, secret = hr_with_totp
    organisation()
    data = staff_csv([person("300099", voornaam="Noor", achternaam="Nieuw")])
    login(page, live_server, hr, totp_secret=secret)
    visit(page, reverse("people:staff_import"))

    page.locator("#id_bestand").set_input_files(
        files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": data}]
    )
    tab_to(page, submit_button(page))
    press_and_follow(page, "Enter")

    # The preview: nothing changed yet.
    expect(page.locator("#confirm-import")).to_be_visible()
    assert not Employee.objects.filter(employee_number="300099").exists()
    tab_to(page, "#confirm-import")
    press_and_follow(page, "Enter")

    run = StaffImport.objects.latest("pk")
    assert path_of(page) == reverse("people:staff_import_detail", kwargs={"pk": run.pk})
    assert Employee.objects.filter(employee_number="300099").exists()

    visit(page, reverse("people:staff_import_log"))
    link = page.locator(
        f"#import-log a[href='{reverse('people:staff_import_detail', kwargs={'pk': run.pk})}']"
    )
    tab_to(page, link)
    press_and_follow(page, "Enter")
    assert path_of(page) == reverse("people:staff_import_detail", kwargs={"pk": run.pk})


def test_hr_opens_the_log_and_a_runs_page_in_english(page, live_server, hr_with_totp):
    hr, secret = hr_with_totp
    Employee.objects.filter(pk=hr.pk).update(preferred_language="en")
    run = StaffImport.objects.create(
        imported_by=hr,
        filename="personeel.csv",
        file_sha256="0" * 64,
        mode=StaffImport.Mode.DRY_RUN,
    )
    login(page, live_server, hr, totp_secret=secret)

    visit(page, reverse("people:staff_import_log"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    click_and_follow(page, page.locator("#import-log a").first)

    assert path_of(page) == reverse("people:staff_import_detail", kwargs={"pk": run.pk})
    expect(page.locator("html")).to_have_attribute("lang", "en")
