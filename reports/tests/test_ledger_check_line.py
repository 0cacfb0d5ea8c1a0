"""The report's page says the ledger check it was made with in the reader's language
(reports.selectors.ledger_check), not as the English line kept for the log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.testing.html import parse, select, text_of
from reports.models import Report
from reports.selectors.ledger_check import ledger_check_line

HASH = "54cdd8a3ee25cdfa478c48550e601e8940e8743cf4eb45abe7b1f608d42793ff"


def _line(summary: str, language: str):
    with translation.override(language):
        return ledger_check_line(report=Report(ledger_summary=summary, ledger_ok=True))


def test_an_intact_ledger_is_said_in_dutch_with_the_last_hash_apart():
    line = _line(f"OK: 3 entries checked; last entry 3, hash {HASH}", "nl")

    assert line.text == "In orde. Aantal gecontroleerde regels: 3. De laatste is regel 3, met hash"
    assert (line.hash, line.language) == (HASH, "nl")


def test_a_problem_found_is_said_in_dutch_with_the_problem_translated():
    line = _line("NOT OK: entry 7: content does not match its digest", "nl")

    assert line.text == (
        "NIET IN ORDE: het grootboek heeft een probleem bij regel 7: "
        "de inhoud klopt niet met de hash ervan"
    )
    assert line.hash == ""


def test_the_english_page_says_it_in_english():
    line = _line(f"OK: 3 entries checked; last entry 3, hash {HASH}", "en")

    assert line.text == "OK: 3 entries checked; the last is entry 3, with hash"
    assert line.language == "en"


def test_a_line_in_a_form_it_does_not_know_is_shown_as_it_is_marked_as_english():
    line = _line("OK <script>", "nl")

    assert (line.text, line.hash, line.language) == ("OK <script>", "", "en")


@pytest.mark.django_db
def test_the_report_page_says_the_ledger_check_in_dutch(hr_user):
    from people.tests.factories import login_with_second_factor
    from quizzes.tests.factories import quiz_version
    from reports import services
    from reports.services import generation

    hr_user.preferred_language = "nl"
    hr_user.save(update_fields=["preferred_language"])
    report = services.request_report(
        format="csv", version=quiz_version(tips=2), by=hr_user, enqueue=False
    )
    generation.generate(report_id=report.pk)
    client = Client()
    login_with_second_factor(client, hr_user)

    page = parse(client.get(reverse("reports:detail", args=[report.pk])))

    # Said once: the Dutch sentence starts with the verdict, so no "in orde (In orde. ...".
    assert text_of(page, "#ledger-check").startswith(
        "In orde. Aantal gecontroleerde regels: 0. De laatste is regel 0, met hash"
    )
    assert not select(page, "#ledger-check > span[lang=en]")
