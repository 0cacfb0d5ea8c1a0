"""The staff import reads what HR systems export: `;` or `,`, UTF-8 with or without BOM
or Windows-1252, Dutch or English header names in any case and spelling, dates in both
formats, names with diacritics and tussenvoegsels, departments by code or by path."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from people.models import Employee
from people.services import import_staff
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(db):
    return organisation()


def run(data: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    with translation.override("en"):
        return import_staff(data=data, filename="personeel.csv", by=None, **kwargs)


def test_semicolon_and_comma_give_the_same_people(departments):
    rows = [person("1001"), person("1002", leidinggevende="1001")]
    semicolon = run(staff_csv(rows, delimiter=";"), dry_run=True)
    comma = run(staff_csv(rows, delimiter=","), dry_run=True)
    assert semicolon.plan.problems == comma.plan.problems == []
    assert semicolon.plan.counts == comma.plan.counts
    assert semicolon.plan.counts["new"] == 2


@pytest.mark.parametrize("delimiter", [";", ","])
def test_an_excel_sep_line_names_the_delimiter(departments, delimiter):
    data = f"sep={delimiter}\r\n".encode() + staff_csv([person("1001")], delimiter=delimiter)
    outcome = run(data, dry_run=True)
    assert outcome.plan.problems == []
    assert outcome.plan.counts["new"] == 1


def test_a_comma_file_with_quoted_cells_keeps_the_commas_inside_them(departments):
    data = staff_csv([person("1001", functie='"Adviseur, senior"')], delimiter=",")
    outcome = run(data)
    assert outcome.applied, outcome.plan.problems
    assert Employee.objects.get(employee_number="1001").job_title == "Adviseur, senior"


def test_utf8_with_a_byte_order_mark(departments):
    data = staff_csv([person("1001", voornaam="Zoë")], bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    outcome = run(data)
    assert outcome.applied, outcome.plan.problems
    assert Employee.objects.get(employee_number="1001").first_name == "Zoë"


def test_windows_1252_with_diacritics_and_tussenvoegsels(departments):
    rows = [
        person("1001", voornaam="René", tussenvoegsel="van 't", achternaam="Hek"),
        person("1002", voornaam="Noël", tussenvoegsel="de", achternaam="Bruïne"),
        person("1003", voornaam="Jörg", tussenvoegsel="van der", achternaam="Öztürk"),
    ]
    data = staff_csv(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    outcome = run(data)
    assert outcome.applied, outcome.plan.problems
    people = {e.employee_number: e for e in Employee.objects.all()}
    assert people["1001"].full_name == "René van 't Hek"
    assert people["1001"].sort_name == "Hek, René van 't"
    assert people["1002"].full_name == "Noël de Bruïne"
    assert (people["1003"].first_name, people["1003"].name_prefix) == ("Jörg", "van der")
    assert people["1003"].last_name == "Öztürk"


def test_english_header_names_in_any_case_with_spaces_or_dashes(departments):
    columns = (
        "Employee Number",
        "First name",
        "Name-Prefix",
        "LAST_NAME",
        "E-mail",
        "Department",
        "Job title",
        "Manager",
        "Start date",
        "End date",
        "Language",
    )
    values = ("1001", "Anna", "de", "Vries", "a.devries@voorbeeldstad.nl", "AFD-PO", "Adviseur")
    values += ("", "2024-02-01", "", "en")
    data = staff_csv([dict(zip(columns, values, strict=True))], columns=columns, delimiter=",")
    outcome = run(data)
    assert outcome.applied, outcome.plan.problems
    anna = Employee.objects.get(employee_number="1001")
    assert (anna.full_name, anna.email, anna.department.code) == (
        "Anna de Vries",
        "a.devries@voorbeeldstad.nl",
        "AFD-PO",
    )
    assert (anna.start_date, anna.preferred_language) == (datetime.date(2024, 2, 1), "en")


def test_dutch_header_names_with_spaces(departments):
    columns = ("Personeelsnummer", "Voornaam", "Achternaam", "E-mailadres", "Datum in dienst")
    values = ("1001", "Piet", "Pietersen", "piet@voorbeeldstad.nl", "3-2-2021")
    row = dict(zip(columns, values, strict=True))
    outcome = run(staff_csv([row], columns=columns))
    assert outcome.applied, outcome.plan.problems
    assert Employee.objects.get(employee_number="1001").start_date == datetime.date(2021, 2, 3)


def test_dates_as_dd_mm_jjjj_and_yyyy_mm_dd(departments):
    rows = [
        person("1001", datum_in_dienst="05-03-2021", datum_uit_dienst="31-12-2030"),
        person("1002", datum_in_dienst="2021-03-05", datum_uit_dienst="2030-12-31"),
    ]
    assert run(staff_csv(rows)).applied
    for number in ("1001", "1002"):
        employee = Employee.objects.get(employee_number=number)
        assert employee.start_date == datetime.date(2021, 3, 5)
        assert employee.end_date == datetime.date(2030, 12, 31)


def test_a_department_by_code_by_path_of_names_or_codes_and_by_unique_name(departments):
    rows = [
        person("1001", afdeling="TEAM-HAN"),
        person("1002", afdeling="Directie Ruimte/Afdeling Vergunningen"),
        person("1003", afdeling="directie ruimte / afdeling vergunningen / team handhaving"),
        person("1004", afdeling="DIR-RUI/AFD-VERG"),
        person("1005", afdeling="Afdeling P&O"),
        person("1006", afdeling="afd-po"),
        person("1007", afdeling=""),
    ]
    outcome = run(staff_csv(rows))
    assert outcome.applied, outcome.plan.problems
    codes = dict(Employee.objects.values_list("employee_number", "department__code"))
    assert codes == {
        "1001": "TEAM-HAN",
        "1002": "AFD-VERG",
        "1003": "TEAM-HAN",
        "1004": "AFD-VERG",
        "1005": "AFD-PO",
        "1006": "AFD-PO",
        "1007": None,
    }


@pytest.mark.parametrize(
    ("cell", "language"),
    [
        ("nl", "nl"),
        ("EN", "en"),
        ("Nederlands", "nl"),
        ("Engels", "en"),
        ("English", "en"),
        ("", "nl"),
    ],
)
def test_the_language_as_a_code_or_a_word(departments, cell, language):
    assert run(staff_csv([person("1001", taal=cell)])).applied
    assert Employee.objects.get(employee_number="1001").preferred_language == language


def test_e_mail_addresses_are_stored_in_lower_case(departments):
    assert run(staff_csv([person("1001", email=" Jan.Jansen@Voorbeeldstad.NL ")])).applied
    assert Employee.objects.get(employee_number="1001").email == "jan.jansen@voorbeeldstad.nl"


def test_a_column_left_out_is_left_alone(departments):
    employee = EmployeeFactory(
        employee_number="1001", job_title="Jurist", preferred_language="en", department=None
    )
    columns = ("personeelsnummer", "voornaam", "achternaam")
    row = {"personeelsnummer": "1001", "voornaam": employee.first_name}
    row["achternaam"] = employee.last_name
    outcome = run(staff_csv([row], columns=columns))
    assert outcome.plan.counts["unchanged"] == 1
    employee.refresh_from_db()
    assert (employee.job_title, employee.preferred_language) == ("Jurist", "en")


def test_blank_lines_are_skipped_and_line_numbers_stay_true(departments):
    text = staff_csv([person("1001")]).decode() + "\r\n\r\n" + "1002;;;;;;;;;;\r\n"
    outcome = run(text.encode(), dry_run=True)
    assert {problem.line for problem in outcome.plan.problems} == {5}
    assert outcome.plan.counts["new"] == 1
