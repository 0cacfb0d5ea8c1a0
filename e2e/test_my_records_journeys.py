"""An employee's own pages after signing: what changed, my overview, my data.

Every page on the way passes axe-core (WCAG 2.1 A and AA).
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from acknowledgements.tests.factories import ready_to_sign, signed
from e2e.helpers import click_and_follow, visit
from handbook.models import Tip
from handbook.tests.factories import published_version
from quizzes.tests.factories import make_bank, quiz_version

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_then_changed(employee):
    """The employee signed version 1; version 2 changed tip 2 in meaning."""
    first = quiz_version(tips=3, effective_date=datetime.date(2026, 1, 1))
    ready_to_sign(employee, first)
    signed(employee, first)
    lineages = [tip.lineage for tip in first.tips.order_by("number")]
    second = published_version(
        first.guideline,
        number=2,
        tips=["Tip 1: doe het goed.", "Tip 2: plaats nooit iets over inwoners.", "Tip 3."],
        based_on=first,
        lineages=lineages,
        changes=[Tip.Change.UNCHANGED, Tip.Change.MATERIAL, Tip.Change.EDITORIAL],
        effective_date=timezone.localdate(),
    )
    make_bank(second)
    return second


def test_employee_sees_what_changed_since_they_signed(employee_page, signed_then_changed):
    page = employee_page
    visit(page, reverse("home"))

    changes = reverse("signing:changes", kwargs={"guideline": "sociale-media"})
    click_and_follow(page, page.locator(f"a[href='{changes}']").first)

    expect(page.locator("main ins").filter(has_text="inwoners").first).to_be_attached()
    expect(page.locator("main ins").first).to_be_attached()


def test_employee_checks_their_overview_and_downloads_their_data(
    employee_page, signed_then_changed
):
    page = employee_page
    visit(page, reverse("acknowledgements:overview"))
    click_and_follow(page, page.locator(f"a[href='{reverse('acknowledgements:personal_data')}']"))

    with page.expect_download() as download_info:
        page.locator(
            f"a[href='{reverse('acknowledgements:personal_data_download')}'],"
            f"form[action='{reverse('acknowledgements:personal_data_download')}'] button"
        ).first.click()
    path = download_info.value.path()
    assert '"acknowledgements"' in Path(path).read_text(encoding="utf-8")


def test_employee_reads_every_part_of_their_data_and_downloads_the_pdf(
    employee_page, employee, signed_then_changed
):
    """The page shows each category with its content (axe-checked on arrival by
    click_and_follow), in the employee's language, and the PDF comes as a download."""
    page = employee_page
    visit(page, reverse("acknowledgements:overview"))
    click_and_follow(page, page.locator(f"a[href='{reverse('acknowledgements:personal_data')}']"))

    expect(page.locator("section[data-category='profile']")).to_contain_text(employee.email)
    expect(page.locator("section[data-category='acknowledgements']")).to_be_visible()
    expect(page.locator("#personal-data-contents a")).to_have_count(
        page.locator("section.personal-data-category").count()
    )
    with page.expect_download() as download_info:
        page.locator("#personal-data-pdf").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
