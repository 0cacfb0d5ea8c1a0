"""Caps on the staff CSV: a malformed or oversized file (binary, UTF-16, a wrong
encoding, NUL bytes, 50 MB, a line of 1 MB, 200,000 rows, an unclosed quote) gets a
clear Dutch message, changes nothing and never a 500. The caps are checked before the
file is parsed, so such a request costs a moment; the problems listed are capped too."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from people.models import Employee, StaffImport
from people.services import import_staff
from people.staff_import import uploads
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import COLUMNS, TODAY, organisation, person, staff_csv
from portal.testing.html import parse, select

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("people:staff_import")
HEADER = ";".join(COLUMNS).encode() + b"\r\n"


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


@pytest.fixture
def hr_client(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    client.force_login(EmployeeFactory(hr=True, employee_number=None, preferred_language="nl"))
    return client


@pytest.fixture
def staff(departments):
    """People already in the portal, to show that nothing about them changes."""
    return [EmployeeFactory(employee_number=f"{1000 + n}") for n in range(3)]


def snapshot() -> list[tuple]:
    return list(
        Employee.objects.order_by("pk").values_list(
            "pk", "employee_number", "email", "first_name", "last_name", "is_active"
        )
    )


def upload(client, data: bytes):
    return client.post(
        UPLOAD_URL,
        {"bestand": SimpleUploadedFile("personeel.csv", data, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def a_row(number: int) -> bytes:
    return f"{number};Jan;;Jansen;p{number}@voorbeeldstad.nl;AFD-VERG;;;;;nl\r\n".encode()


BAD_FILES = {
    "binary": (bytes(range(256)) * 64, "Het bestand is geen CSV-bestand"),
    "utf16": ("personeelsnummer;voornaam\r\n1001;Zoë\r\n".encode("utf-16"), "UTF-16"),
    "wrong-encoding": (HEADER + b"1001;\x81\x8d\x8f\x90\x9d\r\n", "geen tekst in UTF-8"),
    "nul-bytes": (HEADER + a_row(1001).replace(b"Jan", b"J\x00an"), "geen CSV-bestand"),
    "50-mb": (HEADER + b"x" * (50 * 1024 * 1024), "Het bestand is te groot"),
    "line-of-1-mb": (HEADER + b"1001;" + b"a" * (1024 * 1024) + b"\r\n", "langer dan 4000 tekens"),
    "200000-rows": (
        b"personeelsnummer;voornaam\r\n" + b"".join(b"%d;J\r\n" % n for n in range(200_000)),
        "200000 rijen",
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_malformed_file_gets_a_clear_dutch_message_and_changes_nothing(
    hr_client, staff, settings, kind
):
    data, message = BAD_FILES[kind]
    before = snapshot()

    response = upload(hr_client, data)

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert message in content
    assert snapshot() == before
    assert StaffImport.objects.count() == 0
    assert list((Path(settings.MEDIA_ROOT) / uploads.DIRECTORY).glob("*.csv")) == []


def run(data: bytes, **kwargs):
    with translation.override("nl"):
        return import_staff(data=data, filename="personeel.csv", by=None, today=TODAY, **kwargs)


def test_the_command_line_import_has_the_same_caps(staff, settings):
    settings.STAFF_IMPORT_MAX_ROWS = 10
    before = snapshot()

    outcome = run(HEADER + b"".join(a_row(n) for n in range(11)))

    assert not outcome.applied
    [problem] = outcome.plan.problems
    assert "11 rijen" in str(problem)
    assert snapshot() == before


def test_an_unclosed_quote_over_many_lines_is_a_problem_not_an_error(staff):
    """The csv module refuses a cell above its own limit (128 KB) with an exception;
    the lines themselves are short enough to pass the line cap."""
    endless = b'2001;"' + (b"a" * 3000 + b"\r\n") * 60
    before = snapshot()

    outcome = run(HEADER + a_row(1000) + endless)

    assert not outcome.applied
    assert any("aanhalingsteken" in str(problem) for problem in outcome.plan.problems)
    assert snapshot() == before


def test_a_cell_above_the_cell_cap_is_a_problem(staff, settings):
    settings.STAFF_IMPORT_MAX_CELL_CHARS = 200
    outcome = run(HEADER + a_row(1001).replace(b"Jansen", b"J" * 201))
    assert not outcome.applied
    [problem] = [p for p in outcome.plan.problems if p.line == 2]
    assert "langer dan 200 tekens" in str(problem)


def test_only_the_first_problems_are_listed_with_a_count_of_the_rest(hr_client, settings):
    settings.STAFF_IMPORT_MAX_PROBLEMS_SHOWN = 50
    rows = [person(f"{3000 + n}", email=f"geen-adres-{n}") for n in range(120)]

    response = upload(hr_client, staff_csv(rows))

    content = response.content.decode()
    assert len(select(parse(response), "#error-summary li.file-error")) == 50
    assert "En nog 70 problemen" in content
    assert "heeft 120 problemen" in content
    log = StaffImport.objects.get()
    assert (len(log.problems), log.problem_count) == (50, 120)
    detail = hr_client.get(reverse("people:staff_import_detail", args=[log.pk]))
    assert "En nog 70 problemen." in detail.content.decode()
