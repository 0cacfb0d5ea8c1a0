"""Less technical detail for staff (issue 21): an ordinary employee sees no SHA-256 on
the guideline's pages until they open "Technical details"; HR, auditors and
administrators (and an HR adviser of a part) find the disclosure open, as before; the
PDF keeps the fingerprints for a technical annex on its last page."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from people.roles import Role
from people.services.object_roles import grant_object_role
from people.tests.factories import DepartmentFactory, EmployeeFactory
from portal.testing.html import attribute, one, parse, select, text

pytestmark = pytest.mark.django_db

HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")

PAGES = {
    "version": ("handbook:current", {"guideline": "sociale-media"}),
    "tip": ("handbook:current_tip", {"guideline": "sociale-media", "tip": 3}),
    "print": ("handbook:print", {"guideline": "sociale-media", "number": 1}),
}


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hashes_outside_the_disclosure(response) -> list[str]:
    page = parse(response)
    for disclosure in select(page, "details.technical-details"):
        disclosure.decompose()
    return HEX64.findall(one(page, "body").html or "")


def _adviser():
    adviser = EmployeeFactory()
    grant_object_role(actor=None, employee=adviser, role=Role.HR, target=DepartmentFactory())
    return adviser


@pytest.mark.parametrize("name", PAGES)
def test_an_employee_sees_no_hash_outside_the_closed_technical_details(name, version_one):
    url_name, kwargs = PAGES[name]

    response = _client_for(EmployeeFactory()).get(reverse(url_name, kwargs=kwargs))

    assert response.status_code == 200
    assert _hashes_outside_the_disclosure(response) == []
    page = parse(response)
    assert attribute(page, "details#technical-details", "open") is None
    assert version_one.content_hash in text(one(page, "details#technical-details"))


def test_the_technical_details_open_with_a_summary_that_names_them(version_one):
    response = _client_for(EmployeeFactory()).get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    summary = one(parse(response), "details#technical-details > summary")
    assert text(summary) == "Technische details"


@pytest.mark.parametrize("role", [Role.HR, Role.AUDITOR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("name", PAGES)
def test_hr_auditors_and_administrators_find_the_technical_details_open(
    name, role, version_one, settings
):
    settings.PORTAL_MFA_REQUIRED = False
    url_name, kwargs = PAGES[name]

    response = _client_for(EmployeeFactory(roles=[role])).get(reverse(url_name, kwargs=kwargs))

    assert attribute(parse(response), "details#technical-details", "open") == ""


def test_an_hr_adviser_of_a_part_finds_the_technical_details_open(version_one, settings):
    settings.PORTAL_MFA_REQUIRED = False

    response = _client_for(_adviser()).get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    assert attribute(parse(response), "details#technical-details", "open") == ""


def test_an_editor_is_no_exception_and_finds_them_closed(version_one, settings):
    settings.PORTAL_MFA_REQUIRED = False

    response = _client_for(EmployeeFactory(editor=True)).get(
        reverse("handbook:current", kwargs={"guideline": "sociale-media"})
    )

    assert attribute(parse(response), "details#technical-details", "open") is None


def test_the_history_shows_an_employee_the_hashes_only_in_the_technical_details(version_one):
    response = _client_for(EmployeeFactory()).get(
        reverse("handbook:history", kwargs={"guideline": "sociale-media"})
    )

    assert _hashes_outside_the_disclosure(response) == []
    page = parse(response)
    assert version_one.content_hash in text(one(page, "details#technical-details"))
    assert "SHA-256" not in text(one(page, "#history-table"))


def test_the_history_shows_hr_the_hash_column_as_before(version_one, settings):
    settings.PORTAL_MFA_REQUIRED = False

    response = _client_for(EmployeeFactory(hr=True)).get(
        reverse("handbook:history", kwargs={"guideline": "sociale-media"})
    )

    page = parse(response)
    assert version_one.content_hash in text(one(page, "#history-table"))
    assert select(page, "details.technical-details") == []


def _pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return ["".join(page.extract_text().split()) for page in reader.pages]


def test_the_pdf_keeps_the_hash_off_its_first_page_and_in_the_technical_annex(version_one):
    response = _client_for(EmployeeFactory()).get(
        reverse("handbook:pdf", kwargs={"guideline": "sociale-media", "number": 1})
    )

    pages = _pages(response.content)
    assert len(pages) >= 2
    assert version_one.content_hash not in pages[0]
    assert HEX64.findall(pages[0]) == []
    assert "Technischebijlage" in pages[-1]
    assert version_one.content_hash in pages[-1]


def test_the_english_pdf_has_both_hashes_in_its_technical_annex(version_one):
    english = EmployeeFactory(preferred_language="en")

    response = _client_for(english).get(
        reverse("handbook:pdf", kwargs={"guideline": "sociale-media", "number": 1})
    )

    pages = _pages(response.content)
    assert HEX64.findall(pages[0]) == []
    assert "Technicalannex" in pages[-1]
    assert version_one.content_hash in pages[-1]
    assert version_one.content_hash_en in pages[-1]
