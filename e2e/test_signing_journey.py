"""A new hire's whole journey in a real browser: read every tip, pass the quiz, sign,
download the certificate and check its code. Every page passes axe-core (WCAG 2.1 AA).

The version is small and known: three tips, three questions, options in bank order;
the test reads the right answers from the database.
"""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from acknowledgements.models import Acknowledgement, TipRead
from e2e.helpers import (
    click_and_follow,
    login,
    path_of,
    press_and_follow,
    tab_to,
    type_into,
    visit,
)
from quizzes.models import Attempt

pytestmark = pytest.mark.e2e


@pytest.fixture
def version(transactional_db):
    from quizzes.tests.factories import quiz_version

    return quiz_version(tips=3, questions_per_attempt=3, shuffle_options=False)


def _pass_the_quiz(page, employee) -> None:
    visit(page, reverse("quizzes:start", kwargs={"guideline": "sociale-media"}))
    click_and_follow(page, "#start-quiz")
    attempt = Attempt.objects.filter(employee=employee).latest("pk")
    for served in attempt.served.select_related("question"):
        for option in served.question.options.filter(is_correct=True):
            page.locator(f"#option-{option.pk}").check()
    click_and_follow(page, "#submit-attempt")
    expect(page.locator("#result-summary")).to_have_attribute("data-passed", "true")


def test_new_hire_reads_passes_signs_downloads_and_verifies(page, live_server, employee, version):
    login(page, live_server, employee)
    expect(page.locator("#home-guideline-sociale-media .home-sign")).to_be_visible()

    # The signing page says what is still needed.
    click_and_follow(page, "#home-guideline-sociale-media a.home-sign-link")
    assert path_of(page) == reverse("signing:sign", kwargs={"guideline": "sociale-media"})
    expect(page.locator("#unread-tips li")).to_have_count(3)
    expect(page.locator("#quiz-missing")).to_be_visible()
    expect(page.locator("#sign-form")).to_have_count(0)

    # Read every tip: the first from the list, then "next" to the end.
    click_and_follow(page, page.locator("#unread-tips a").first)
    assert path_of(page) == reverse(
        "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 1}
    )
    for number in (2, 3):
        click_and_follow(page, "#next-tip")
        assert path_of(page) == reverse(
            "handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": number}
        )
    assert TipRead.objects.filter(employee=employee).count() == 3
    visit(page, reverse("handbook:current", kwargs={"guideline": "sociale-media"}))
    expect(page.locator('.tip-read-status[data-read="true"]')).to_have_count(3)

    _pass_the_quiz(page, employee)

    # Sign by keyboard; forgetting the tick first gives a focused error summary.
    visit(page, reverse("signing:sign", kwargs={"guideline": "sociale-media"}))
    expect(page.locator("#statement")).to_be_visible()
    type_into(page, "#id_typed_name", "Jan Jansen")
    tab_to(page, "#sign-button")
    press_and_follow(page, "Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_confirmed"]')).to_have_count(1)
    assert not Acknowledgement.objects.exists()
    tab_to(page, "#id_confirmed")
    page.keyboard.press("Space")
    expect(page.locator("#id_confirmed")).to_be_checked()
    tab_to(page, "#sign-button")
    press_and_follow(page, "Enter")

    # The receipt.
    record = Acknowledgement.objects.select_related("entry").get(employee=employee)
    code = record.entry.verification_code
    assert path_of(page) == reverse("acknowledgements:receipt", args=[code])
    expect(page.locator("#verification-code")).to_have_text(code)
    expect(page.locator("#record-hash")).to_have_text(record.entry.record_hash)
    expect(page.locator("#text-hash")).to_have_text(record.text_hash)

    # The certificate.
    with page.expect_download() as download_info:
        page.locator("#certificate-link").click()
    download = download_info.value
    assert download.suggested_filename == f"certificaat-{code}.pdf"
    with open(download.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert code in text and "JanJansen" in text

    # Check the code: from the receipt, and typed in on the verification page.
    click_and_follow(page, "#verify-link")
    expect(page.locator("#verify-result")).to_have_attribute("data-result", "intact")
    visit(page, reverse("acknowledgements:verify"))
    type_into(page, "#id_code", code.lower())
    press_and_follow(page, "Enter")
    expect(page.locator("#verify-result")).to_have_attribute("data-result", "intact")
    expect(page.locator("#verified-name")).to_have_text("Jan Jansen")

    # The home page and the overview now say it is done.
    visit(page, reverse("home"))
    expect(page.locator("#home-guideline-sociale-media .home-signed")).to_be_visible()
    visit(page, reverse("acknowledgements:overview"))
    signature = page.locator("#guideline-sociale-media .asked-signature")
    expect(signature).to_have_attribute("data-done", "true")
    expect(page.locator(f"#record-{code}")).to_be_visible()
