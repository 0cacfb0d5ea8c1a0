"""Every malformed row is found before anything is written, with its line number and
reason, and a file with any problem changes nothing (the run is logged as refused)."""

from __future__ import annotations

import pytest
from django.utils import translation

from people.models import Department, Employee, StaffImport
from people.services import import_staff
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


def snapshot() -> list[tuple]:
    return list(
        Employee.objects.order_by("pk").values_list(
            "pk",
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "department_id",
            "manager_id",
            "start_date",
            "end_date",
            "is_active",
        )
    )


def refused(data: bytes) -> list[tuple[int | None, str]]:
    """Apply the file; check that it was refused whole and return its problems."""
    before = snapshot()
    with translation.override("en"):
        outcome = import_staff(data=data, filename="fout.csv", by=None, today=TODAY)
    assert not outcome.applied
    assert outcome.log.mode == StaffImport.Mode.REFUSED
    assert snapshot() == before
    return [(problem.line, problem.message) for problem in outcome.plan.problems]


def test_a_missing_employee_number():
    problems = refused(staff_csv([person("1001"), person("")]))
    assert problems == [(3, "The employee number (personeelsnummer) is missing.")]


def test_a_duplicate_employee_number():
    rows = [person("1001"), person("1002"), person("1001", email="ander@voorbeeldstad.nl")]
    assert refused(staff_csv(rows)) == [
        (4, "Employee number 1001 appears more than once (also on line 2).")
    ]


def test_a_duplicate_e_mail_address_in_the_file_whatever_its_case():
    rows = [
        person("1001", email="jan@voorbeeldstad.nl"),
        person("1002", email="JAN@voorbeeldstad.nl"),
    ]
    assert refused(staff_csv(rows)) == [
        (3, "The e-mail address jan@voorbeeldstad.nl is also on line 2.")
    ]


def test_an_e_mail_address_of_another_employee_in_the_portal():
    EmployeeFactory(employee_number="9000", email="Bezet@voorbeeldstad.nl")
    rows = [person("1001"), person("1002", email="bezet@voorbeeldstad.nl")]
    assert refused(staff_csv(rows)) == [
        (3, "The e-mail address bezet@voorbeeldstad.nl belongs to another employee (9000).")
    ]


def test_an_e_mail_address_of_an_account_without_an_employee_number():
    EmployeeFactory(employee_number=None, email="beheer@voorbeeldstad.nl", administrator=True)
    assert refused(staff_csv([person("1001", email="beheer@voorbeeldstad.nl")])) == [
        (
            2,
            "The e-mail address beheer@voorbeeldstad.nl belongs to another employee "
            "(an account without an employee number).",
        )
    ]


def test_an_unknown_manager():
    rows = [person("1001", leidinggevende="7777"), person("1002", leidinggevende="1001")]
    assert refused(staff_csv(rows)) == [
        (
            2,
            "The manager 7777 is unknown: no employee has that number, in the file or in the "
            "portal.",
        )
    ]


def test_an_employee_who_is_their_own_manager():
    assert refused(staff_csv([person("1001", leidinggevende="1001")])) == [
        (2, "An employee cannot be their own manager.")
    ]


def test_a_manager_loop_in_the_file():
    rows = [
        person("1001", leidinggevende="1002"),
        person("1002", leidinggevende="1003"),
        person("1003", leidinggevende="1001"),
        person("1004", leidinggevende="1001"),
    ]
    loop = "The managers form a loop: 1001 → 1002 → 1003 → 1001."
    assert refused(staff_csv(rows)) == [(2, loop), (3, loop), (4, loop)]


def test_a_manager_loop_through_people_already_in_the_portal():
    boss = EmployeeFactory(employee_number="9001")
    EmployeeFactory(employee_number="9002", manager=boss)
    # The file makes the boss report to the one who reports to them.
    row = person("9001", leidinggevende="9002", email=boss.email)
    row.update(voornaam=boss.first_name, achternaam=boss.last_name)
    assert refused(staff_csv([row])) == [(2, "The managers form a loop: 9001 → 9002 → 9001.")]


@pytest.mark.parametrize("value", ["31-02-2026", "2026/01/05", "morgen", "05-13-2026"])
def test_a_bad_date(value):
    assert refused(staff_csv([person("1001", datum_in_dienst=value)])) == [
        (
            2,
            f"“{value}” in datum_in_dienst is not a date (use dd-mm-jjjj or yyyy-mm-dd).",
        )
    ]


def test_an_end_date_before_the_start_date():
    row = person("1001", datum_in_dienst="01-05-2026", datum_uit_dienst="30-04-2026")
    assert refused(staff_csv([row])) == [
        (2, "The end date 30-04-2026 lies before the start date 01-05-2026.")
    ]


def test_an_end_date_before_the_start_date_in_the_portal():
    EmployeeFactory(employee_number="1001", start_date="2026-05-01")
    columns = ("personeelsnummer", "datum_uit_dienst")
    data = staff_csv(
        [{"personeelsnummer": "1001", "datum_uit_dienst": "2026-04-30"}], columns=columns
    )
    assert refused(data) == [(2, "The end date 30-04-2026 lies before the start date 01-05-2026.")]


def test_an_unknown_department_code_is_not_created():
    """A code alone says nothing about where a unit belongs: only a path, code columns
    or a unit file create units (people/tests/test_staff_import_tree.py)."""
    rows = [person("1001", afdeling="AFD-ONBEKEND")]
    problems = refused(staff_csv(rows))
    assert [line for line, _message in problems] == [2]
    assert problems[0][1].startswith("There is no department “AFD-ONBEKEND”")
    assert "a path creates the units it names" in problems[0][1]
    assert not Department.objects.filter(code="AFD-ONBEKEND").exists()


def test_an_ambiguous_department_name():
    from people.services import create_department

    create_department(code="TEAM-HAN-2", name="Team Handhaving", kind="team")
    problems = refused(staff_csv([person("1001", afdeling="Team Handhaving")]))
    assert problems == [
        (
            2,
            "More than one department is called “Team Handhaving”: give its code or its path, "
            "such as “Directie Ruimte/Afdeling Vergunningen”.",
        )
    ]


def test_an_unknown_column():
    columns = ("personeelsnummer", "voornaam", "achternaam", "email", "geboortedatum")
    row = person("1001", geboortedatum="01-01-1990")
    problems = refused(staff_csv([row], columns=columns))
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 1
    assert message.startswith(
        "The column “geboortedatum” is unknown. Known columns: personeelsnummer,"
    )


def test_a_missing_key_column():
    columns = ("voornaam", "achternaam", "email")
    assert refused(staff_csv([person("1001")], columns=columns)) == [
        (1, "The column “personeelsnummer” is missing.")
    ]


def test_the_same_column_twice():
    columns = ("personeelsnummer", "voornaam", "achternaam", "email", "taal", "language")
    assert refused(staff_csv([person("1001", language="nl")], columns=columns)) == [
        (1, "The column “taal” appears twice.")
    ]


def test_a_bad_e_mail_address_language_and_missing_names():
    rows = [
        person("1001", email="jan@"),
        person("1002", taal="Frans"),
        person("1003", achternaam="", email=""),
    ]
    assert refused(staff_csv(rows)) == [
        (2, "“jan@” is not an e-mail address."),
        (3, "“Frans” is not a language: use nl (Nederlands) or en (Engels)."),
        (4, "The last name (achternaam) is missing."),
        (4, "The e-mail address (email) is missing."),
    ]


def test_a_new_employee_needs_an_e_mail_column():
    columns = ("personeelsnummer", "voornaam", "achternaam")
    assert refused(staff_csv([person("1001")], columns=columns)) == [
        (2, "The e-mail address (email) is missing.")
    ]


def test_a_row_longer_than_the_header():
    data = staff_csv([person("1001")]).replace(b";nl\r\n", b";nl;extra\r\n")
    assert refused(data) == [(2, "The row has more cells than the header has columns.")]


def test_files_that_are_empty_or_not_text():
    assert refused(b"") == [(None, "The file is empty.")]
    assert refused(b"personeelsnummer;voornaam\r\n") == [
        (None, "The file has no rows under the header.")
    ]
    not_text = "personeelsnummer;voornaam\r\n1001;Zoë\r\n".encode() + b"\x81\xff\x8d"
    assert refused(not_text) == [
        (None, "The file is not text in UTF-8 or Windows-1252. Export it again.")
    ]


def test_every_problem_is_listed_at_once_and_good_rows_are_not_written():
    existing = EmployeeFactory(employee_number="1005", last_name="Oud")
    rows = [
        person("1001"),
        person(""),
        person("1002", datum_in_dienst="gisteren"),
        person("1003", leidinggevende="4040"),
        person("1005", achternaam="Nieuw", email=existing.email),
    ]
    problems = refused(staff_csv(rows))
    assert [line for line, _message in problems] == [3, 4, 5]
    assert not Employee.objects.filter(employee_number="1001").exists()
    existing.refresh_from_db()
    assert existing.last_name == "Oud"


def test_the_refused_run_is_logged_with_its_problems():
    refused(staff_csv([person("1001"), person(""), person("1002", taal="Frans")]))
    log = StaffImport.objects.get()
    assert log.mode == StaffImport.Mode.REFUSED
    assert log.problem_count == 2
    assert [problem["line"] for problem in log.problems] == [3, 4]
    assert log.new_count == 1  # the good row, which was not written
