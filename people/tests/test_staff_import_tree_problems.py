"""Units the import refuses, whole and with each line and reason: loops in parent codes,
a unit moved under its own sub-unit, unknown parents, two names or parents for one
code, a malformed unit file, layouts mixed; and a huge file within the caps."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Department, Employee, StaffImport
from people.tests.staff_import_support import organisation, person, staff_csv
from people.tests.staff_import_tree_support import (
    PATH_COLUMNS,
    code_file,
    path_file,
    people_file,
    problems_of,
    run,
    unit_file,
)

pytestmark = pytest.mark.django_db


def refused(data: bytes, **kwargs) -> list[tuple[int | None, str]]:
    before = (Department.objects.count(), Employee.objects.count())
    outcome = run(data, **kwargs)
    assert not outcome.applied
    assert outcome.log.mode == StaffImport.Mode.REFUSED
    assert (Department.objects.count(), Employee.objects.count()) == before
    return problems_of(outcome)


def test_parent_codes_in_a_loop_are_refused_on_each_line_of_the_loop():
    problems = refused(
        code_file(
            [
                ("1001", "A", "C", "Eenheid A"),
                ("1002", "B", "A", "Eenheid B"),
                ("1003", "C", "B", "Eenheid C"),
            ]
        )
    )
    assert [line for line, _message in problems] == [2, 3, 4]
    assert problems[0][1] == (
        "The parent units form a loop: A → C → B → A. A unit cannot be part of itself or "
        "of one of its own units."
    )


def test_a_unit_with_itself_as_parent_is_refused():
    problems = refused(code_file([("1001", "A", "A", "Eenheid A")]))
    assert problems == [
        (
            2,
            "The parent units form a loop: A → A. A unit cannot be part of itself or of one "
            "of its own units.",
        )
    ]


def test_a_unit_moved_under_its_own_sub_unit_is_refused_and_nothing_moves():
    organisation()
    problems = refused(code_file([("1001", "DIR-RUI", "TEAM-HAN", "Directie Ruimte")]))
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 2
    assert "DIR-RUI → TEAM-HAN → AFD-VERG → DIR-RUI" in message
    assert Department.objects.get(code="DIR-RUI").path == "/DIR-RUI/"
    assert Department.objects.get(code="TEAM-HAN").path == "/DIR-RUI/AFD-VERG/TEAM-HAN/"


def test_an_unknown_parent_code_is_refused():
    problems = refused(code_file([("1001", "AFD-X", "DIR-ONBEKEND", "Afdeling X")]))
    assert problems == [
        (
            2,
            "The parent unit DIR-ONBEKEND of AFD-X is unknown: it is neither in the file nor "
            "in the portal.",
        )
    ]


def test_two_names_for_one_code_are_refused_with_both_lines():
    problems = refused(
        code_file(
            [
                ("1001", "AFD-X", "", "Afdeling Burgerzaken"),
                ("1002", "AFD-X", "", "Afdeling Publiekszaken"),
            ]
        )
    )
    assert problems == [
        (
            3,
            "The unit AFD-X has two names: “Afdeling Publiekszaken” here and “Afdeling "
            "Burgerzaken” on line 2.",
        )
    ]


def test_two_parents_for_one_code_are_refused():
    problems = refused(
        code_file(
            [
                ("1001", "TOP", "", "Top"),
                ("1002", "AFD-X", "TOP", "Afdeling X"),
                ("1003", "AFD-X", "", "Afdeling X"),
            ]
        )
    )
    assert problems == [
        (
            4,
            "The unit AFD-X has two parent units: none (at the top) here and TOP on line 3.",
        )
    ]


def test_a_new_code_without_a_name_is_refused():
    problems = refused(code_file([("1001", "AFD-X", "", "")]))
    assert problems == [(2, "The unit AFD-X is new: give its name.")]


def test_a_code_too_long_or_with_a_slash_is_refused():
    problems = refused(code_file([("1001", "X" * 33, "", "Lang"), ("1002", "A/B", "", "Schuin")]))
    assert [line for line, _message in problems] == [2, 3]
    assert "too long (at most 32 characters)" in problems[0][1]
    assert "contains “/”" in problems[1][1]


def test_an_unknown_kind_is_refused_with_the_kinds_that_are_known():
    problems = refused(
        people_file({"1001": "A"}), units=unit_file([("A", "", "Eenheid A", "Koninkrijk")])
    )
    assert problems == [
        (
            None,
            "Unit file, line 2: “Koninkrijk” is not a kind of unit: use directie, afdeling, "
            "team or eenheid, or leave the cell empty to take the kind from the depth.",
        )
    ]


def test_the_unit_file_problems_name_the_unit_file_and_its_line():
    problems = refused(
        people_file({"1001": "A"}),
        units=unit_file(
            [("A", "", "Eenheid A", ""), ("A", "", "Eenheid A", ""), ("B", "Z", "", "")]
        ),
    )
    assert problems == [
        (
            None,
            "Unit file, line 3: The unit A appears more than once (also on line 2 of the unit "
            "file).",
        ),
        (None, "Unit file, line 4: The name of unit B is missing."),
        (
            None,
            "Unit file, line 4: The parent unit Z of B is unknown: it is neither in the file "
            "nor in the portal.",
        ),
    ]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (b"\x00\x01PK binary", "Unit file: The file is not a CSV file"),
        (b"naam;soort\r\nA;team\r\n", "Unit file, line 1: The column “code” is missing."),
        (b"code;naam\r\nA;Eenheid A\r\n", "Unit file: the column “bovenliggende_code” is missing."),
        (b"code;bovenliggende_code;naam\r\n", "Unit file: The file has no rows under the header."),
        (
            b'code;bovenliggende_code;naam\r\nA;;"Eenheid A\r\nB;;Eenheid B\r\n',
            "Unit file, line 2: A cell holds a line break",
        ),
        (
            b"code;bovenliggende_code;naam;salaris\r\nA;;Eenheid A;100\r\n",
            "Unit file, line 1: The column “salaris” is unknown.",
        ),
    ],
    ids=["binary", "no-code-column", "no-parent-column", "no-rows", "open-quote", "unknown-column"],
)
def test_a_malformed_unit_file_is_refused_with_what_is_wrong(units, expected):
    problems = refused(people_file({"1001": "A"}), units=units)
    assert any(message.startswith(expected) for _line, message in problems), problems


def test_a_staff_row_naming_a_code_that_is_in_neither_file_nor_portal_is_refused():
    problems = refused(
        people_file({"1001": "ONBEKEND"}), units=unit_file([("A", "", "Eenheid A", "")])
    )
    assert problems == [
        (2, "There is no unit “ONBEKEND”: it is neither in the unit file nor in the portal.")
    ]


def test_a_unit_file_with_unit_columns_in_the_staff_file_is_refused():
    problems = refused(
        code_file([("1001", "A", "", "Eenheid A")]), units=unit_file([("A", "", "Eenheid A", "")])
    )
    assert len(problems) == 1
    assert problems[0][1].startswith(
        "With a unit file, the staff file gives each person's unit by its code in the column "
        "“afdeling” only"
    )


def test_a_path_and_a_code_column_together_are_refused():
    columns = (*PATH_COLUMNS, "afdeling")
    problems = refused(path_file({"1001": "Directie Ruimte"}, columns=columns))
    assert problems == [
        (
            1,
            "Give each person's unit one way: as a path in “afdelingspad”, or as a code in "
            "“afdeling” (with its parent and name); not both.",
        )
    ]


def test_a_name_column_without_a_parent_column_is_refused():
    columns = ("personeelsnummer", "voornaam", "achternaam", "email", "afdeling", "afdelingsnaam")
    data = staff_csv([person("1001", afdeling="A", afdelingsnaam="Eenheid A")], columns=columns)
    problems = refused(data)
    assert len(problems) == 1
    assert "missing: “bovenliggende_afdeling”" in problems[0][1]


def test_a_bad_person_row_refuses_the_units_of_the_file_too():
    data = path_file({"1001": "Directie Ruimte", "": "Directie Middelen"})
    refused(data)
    assert not Department.objects.exists()


def test_the_problems_are_in_dutch_for_a_dutch_user():
    outcome = run(code_file([("1001", "A", "A", "Eenheid A")]), language="nl")
    assert outcome.plan.problems[0].message.startswith("De bovenliggende eenheden vormen een kring")


# A huge file within the caps ---------------------------------------------------------------


def test_a_huge_file_with_a_six_level_tree_is_read_and_written_in_a_bounded_number_of_queries(
    settings,
):
    settings.PORTAL_LOCAL_LOGIN = False
    paths = {}
    for n in range(3000):
        a, b, c = n % 3, n % 12, n % 60
        paths[str(10000 + n)] = (
            f"Directie {a}/Afdeling {b}/Team {c}/Cluster {c}/Bureau {c}/Unit {n % 240}"
        )
    data = path_file(paths)
    assert len(data) < settings.STAFF_IMPORT_MAX_BYTES
    with CaptureQueriesContext(connection) as queries:
        outcome = run(data)
    assert outcome.applied, problems_of(outcome)[:3]
    assert Department.objects.filter(kind="eenheid").count() == 60 + 60 + 240
    unit_writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(('INSERT INTO "people_department"', 'UPDATE "people_department"'))
    ]
    assert len(unit_writes) <= 6  # a statement per level of new units
    assert len(queries) < 120
    assert run(data).plan.has_changes is False


def test_a_unit_file_over_the_row_cap_is_refused_before_it_is_read(settings):
    settings.STAFF_IMPORT_MAX_ROWS = 5
    units = unit_file([(f"U{n}", "", f"Eenheid {n}", "") for n in range(6)])
    problems = refused(people_file({"1001": "U1"}), units=units)
    assert problems[0] == (
        None,
        "Unit file: The file has 6 rows; at most 5 can be imported at once. Split the file "
        "or ask the application manager to raise the limit.",
    )
