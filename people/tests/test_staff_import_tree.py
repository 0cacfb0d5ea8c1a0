"""The staff import builds and keeps the department tree (issue 21): from a path per
person, from code columns, or from an organisation-unit file. New, renamed, moved,
closed and reopened units; never a department deleted; the same file twice changes
nothing the second time."""

from __future__ import annotations

import pytest

from people.models import Department, Employee, StaffImport
from people.services import create_department
from people.staff_import import tree as tree_module
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import organisation, person, staff_csv
from people.tests.staff_import_tree_support import (
    SIX_LEVELS,
    changes_of,
    code_file,
    path_file,
    people_file,
    problems_of,
    run,
    unit_file,
)

pytestmark = pytest.mark.django_db


def tree_rows() -> list[tuple[str, str, str, str]]:
    return [
        (d.code, d.parent.code if d.parent else "", d.name, d.kind)
        for d in Department.objects.select_related("parent").order_by("path")
    ]


def department_of(number: str) -> Department:
    return Employee.objects.select_related("department").get(employee_number=number).department


# Paths -------------------------------------------------------------------------------


def test_a_first_import_into_an_empty_portal_builds_the_tree_from_the_paths():
    assert not Department.objects.exists()
    outcome = run(
        path_file(
            {
                "1001": "Directie Ruimte/Afdeling Vergunningen",
                "1002": "Directie Ruimte/Afdeling Vergunningen/Team Handhaving",
                "1003": "Directie Middelen",
            }
        )
    )
    assert outcome.applied, problems_of(outcome)
    names = {d.name: d for d in Department.objects.all()}
    assert set(names) == {
        "Directie Ruimte",
        "Afdeling Vergunningen",
        "Team Handhaving",
        "Directie Middelen",
    }
    assert names["Team Handhaving"].parent == names["Afdeling Vergunningen"]
    assert names["Afdeling Vergunningen"].parent == names["Directie Ruimte"]
    ruimte, vergunningen = names["Directie Ruimte"], names["Afdeling Vergunningen"]
    assert names["Team Handhaving"].path == (
        f"/{ruimte.code}/{vergunningen.code}/{names['Team Handhaving'].code}/"
    )
    assert department_of("1002") == names["Team Handhaving"]
    assert department_of("1003") == names["Directie Middelen"]


def test_the_first_import_lists_every_new_unit_with_its_place():
    outcome = run(path_file({"1001": "Directie Ruimte/Afdeling Vergunningen"}), dry_run=True)
    new = outcome.plan.tree.of_kind(tree_module.NEW)
    assert [(unit.name, unit.new) for unit in new] == [
        ("Directie Ruimte", "Directie Ruimte"),
        ("Afdeling Vergunningen", "Directie Ruimte / Afdeling Vergunningen"),
    ]
    assert not Department.objects.exists()


def test_importing_the_same_path_file_twice_changes_nothing_the_second_time():
    data = path_file({"1001": SIX_LEVELS, "1002": "Directie Ruimte/Afdeling Vergunningen"})
    assert run(data, full_export=True).applied
    before = tree_rows()
    second = run(data, full_export=True)
    assert second.applied
    assert not second.plan.has_changes
    assert not second.plan.tree.changes
    assert tree_rows() == before


def test_a_six_level_path_makes_six_nested_units_with_kinds_from_the_depth():
    assert run(path_file({"1001": SIX_LEVELS})).applied
    unit = department_of("1001")
    chain = []
    while unit is not None:
        chain.append((unit.name, unit.kind, unit.depth))
        unit = unit.parent
    assert list(reversed(chain)) == [
        ("Directie Ruimte", "directie", 1),
        ("Afdeling Vergunningen", "afdeling", 2),
        ("Team Omgevingsvergunning", "team", 3),
        ("Cluster Bouwen", "eenheid", 4),
        ("Bureau Toetsing", "eenheid", 5),
        ("Unit Constructie", "eenheid", 6),
    ]


def test_a_kind_column_gives_the_kind_of_the_persons_unit():
    columns = (
        "personeelsnummer",
        "voornaam",
        "achternaam",
        "email",
        "afdelingspad",
        "soort_afdeling",
    )
    data = staff_csv(
        [person("1001", afdelingspad="Gemeentesecretaris/Concernstaf", soort_afdeling="Afdeling")],
        columns=columns,
    )
    assert run(data).applied
    unit = department_of("1001")
    assert (unit.name, unit.kind) == ("Concernstaf", "afdeling")
    assert unit.parent.kind == "directie"


def test_a_path_finds_a_department_made_by_hand_by_its_names_and_makes_no_duplicate():
    departments = organisation()
    outcome = run(path_file({"1001": "directie ruimte / Afdeling  Vergunningen"}))
    assert outcome.applied
    assert department_of("1001") == departments["AFD-VERG"]
    assert Department.objects.count() == 4


def test_the_same_path_gives_the_same_code_whatever_its_case_and_spacing():
    a = tree_module.derived_code(["Directie Ruimte", "Afdeling  Vergunningen"])
    b = tree_module.derived_code(["directie ruimte", "afdeling vergunningen"])
    assert a == b
    assert a.startswith("P-") and len(a) <= 32
    assert a != tree_module.derived_code(["Directie Ruimte", "Afdeling Sport"])


def test_with_paths_alone_a_moved_unit_is_a_new_unit_and_the_old_one_is_closed():
    assert run(
        path_file({"1001": "Directie Ruimte/Team Handhaving", "1002": "Directie Ruimte"}),
        full_export=True,
    ).applied
    old = department_of("1001")
    outcome = run(
        path_file(
            {
                "1001": "Directie Ruimte/Afdeling Vergunningen/Team Handhaving",
                "1002": "Directie Ruimte",
            }
        ),
        full_export=True,
    )
    assert outcome.applied
    closed = outcome.plan.tree.of_kind(tree_module.CLOSED)
    assert [unit.code for unit in closed] == [old.code]
    assert "Directie Ruimte / Afdeling Vergunningen / Team Handhaving" in closed[0].note
    assert "With paths alone the portal cannot tell" in closed[0].note
    assert outcome.plan.tree.paths_only
    old.refresh_from_db()
    assert old.closed_on is not None
    assert department_of("1001") != old
    assert department_of("1001").name == "Team Handhaving"


def test_a_path_in_the_afdeling_column_creates_the_missing_units():
    organisation()
    outcome = run(staff_csv([person("1001", afdeling="Directie Ruimte/Afdeling Sport")]))
    assert outcome.applied, problems_of(outcome)
    unit = department_of("1001")
    assert unit.name == "Afdeling Sport"
    assert unit.parent.code == "DIR-RUI"
    assert unit.kind == "afdeling"


def test_names_in_the_afdeling_column_alone_close_nothing_in_a_full_export():
    organisation()
    outcome = run(
        staff_csv([person("1001", afdeling="Directie Ruimte/Afdeling Sport")]), full_export=True
    )
    assert outcome.applied
    assert not outcome.plan.tree.of_kind(tree_module.CLOSED)
    assert not Department.objects.filter(closed_on__isnull=False).exists()


# Codes in the staff file ---------------------------------------------------------------


def test_code_columns_create_units_under_their_parent_codes():
    outcome = run(
        code_file(
            [
                ("1001", "DIR-RUI", "", "Directie Ruimte"),
                ("1002", "AFD-VERG", "DIR-RUI", "Afdeling Vergunningen"),
                ("1003", "TEAM-HAN", "AFD-VERG", "Team Handhaving"),
            ]
        )
    )
    assert outcome.applied, problems_of(outcome)
    assert tree_rows() == [
        ("DIR-RUI", "", "Directie Ruimte", "directie"),
        ("AFD-VERG", "DIR-RUI", "Afdeling Vergunningen", "afdeling"),
        ("TEAM-HAN", "AFD-VERG", "Team Handhaving", "team"),
    ]
    assert Department.objects.get(code="TEAM-HAN").path == "/DIR-RUI/AFD-VERG/TEAM-HAN/"


def test_a_new_name_for_a_code_is_a_rename_of_the_same_unit():
    departments = organisation()
    EmployeeFactory(employee_number="1001", department=departments["AFD-VERG"])
    outcome = run(code_file([("1001", "AFD-VERG", "DIR-RUI", "Afdeling Vergunningen en Toezicht")]))
    assert outcome.applied
    assert changes_of(outcome)["renamed"] == ["AFD-VERG"]
    renamed = Department.objects.get(code="AFD-VERG")
    assert renamed.pk == departments["AFD-VERG"].pk
    assert renamed.name == "Afdeling Vergunningen en Toezicht"


def test_a_new_parent_code_moves_the_unit_and_the_paths_of_its_whole_subtree():
    departments = organisation()
    below = create_department(
        code="CL-BOUW", name="Cluster Bouwen", kind="eenheid", parent=departments["TEAM-HAN"]
    )
    outcome = run(code_file([("1001", "AFD-VERG", "AFD-PO", "Afdeling Vergunningen")]))
    assert outcome.applied, problems_of(outcome)
    assert changes_of(outcome)["moved"] == ["AFD-VERG"]
    moved = outcome.plan.tree.of_kind(tree_module.MOVED)[0]
    assert (moved.old, moved.new) == ("Directie Ruimte", "Afdeling P&O")
    paths = dict(Department.objects.values_list("code", "path"))
    assert paths["AFD-VERG"] == "/AFD-PO/AFD-VERG/"
    assert paths["TEAM-HAN"] == "/AFD-PO/AFD-VERG/TEAM-HAN/"
    assert paths["CL-BOUW"] == "/AFD-PO/AFD-VERG/TEAM-HAN/CL-BOUW/"
    assert paths["DIR-RUI"] == "/DIR-RUI/"
    below.refresh_from_db()
    assert below.parent_id == departments["TEAM-HAN"].pk


def test_a_unit_missing_from_a_full_export_is_closed_and_keeps_its_people():
    departments = organisation()
    inactive = EmployeeFactory(
        employee_number="9001", department=departments["TEAM-HAN"], is_active=False
    )
    outcome = run(
        code_file(
            [
                ("1001", "AFD-VERG", "DIR-RUI", "Afdeling Vergunningen"),
                ("1002", "AFD-PO", "", "Afdeling P&O"),
            ]
        ),
        full_export=True,
    )
    assert outcome.applied, problems_of(outcome)
    assert changes_of(outcome)["closed"] == ["TEAM-HAN"]
    team = Department.objects.get(code="TEAM-HAN")
    assert team.closed_on == outcome.plan.today
    inactive.refresh_from_db()
    assert inactive.department_id == team.pk
    # The parent of a unit in the file stays open, though no row names it as a unit.
    assert Department.objects.get(code="DIR-RUI").closed_on is None


def test_a_closed_unit_named_again_is_reopened():
    organisation()
    Department.objects.filter(code="TEAM-HAN").update(closed_on="2026-01-01")
    outcome = run(code_file([("1001", "TEAM-HAN", "AFD-VERG", "Team Handhaving")]))
    assert outcome.applied
    assert changes_of(outcome)["reopened"] == ["TEAM-HAN"]
    assert Department.objects.get(code="TEAM-HAN").closed_on is None


def test_a_partial_export_closes_no_unit():
    organisation()
    outcome = run(code_file([("1001", "AFD-PO", "", "Afdeling P&O")]))
    assert outcome.applied
    assert not Department.objects.filter(closed_on__isnull=False).exists()


def test_the_same_code_file_twice_changes_nothing_the_second_time():
    data = code_file(
        [
            ("1001", "DIR-RUI", "", "Directie Ruimte"),
            ("1002", "AFD-VERG", "DIR-RUI", "Afdeling Vergunningen"),
        ]
    )
    assert run(data, full_export=True).applied
    second = run(data, full_export=True)
    assert second.applied and not second.plan.has_changes


# The unit file ---------------------------------------------------------------------------

UNITS = [
    ("GEM", "", "Gemeente Voorbeeldstad", ""),
    ("DIR-RUI", "GEM", "Directie Ruimte", "directie"),
    ("AFD-VERG", "DIR-RUI", "Afdeling Vergunningen", "afdeling"),
    ("TEAM-HAN", "AFD-VERG", "Team Handhaving", "team"),
    ("DIR-MID", "GEM", "Directie Middelen", "directie"),
]


def test_a_unit_file_builds_the_tree_and_the_staff_file_names_units_by_code():
    outcome = run(
        people_file({"1001": "TEAM-HAN", "1002": "DIR-MID"}),
        units=unit_file(UNITS),
        units_filename="eenheden.csv",
    )
    assert outcome.applied, problems_of(outcome)
    assert tree_rows() == [
        ("GEM", "", "Gemeente Voorbeeldstad", "directie"),
        ("DIR-MID", "GEM", "Directie Middelen", "directie"),
        ("DIR-RUI", "GEM", "Directie Ruimte", "directie"),
        ("AFD-VERG", "DIR-RUI", "Afdeling Vergunningen", "afdeling"),
        ("TEAM-HAN", "AFD-VERG", "Team Handhaving", "team"),
    ]
    assert department_of("1001").code == "TEAM-HAN"
    assert outcome.log.units_filename == "eenheden.csv"
    assert len(outcome.log.units_sha256) == 64


def test_a_unit_file_row_may_come_before_its_parent():
    outcome = run(people_file({"1001": "TEAM-HAN"}), units=unit_file(list(reversed(UNITS))))
    assert outcome.applied, problems_of(outcome)
    assert Department.objects.get(code="TEAM-HAN").path == "/GEM/DIR-RUI/AFD-VERG/TEAM-HAN/"


def test_the_same_unit_file_twice_changes_nothing_the_second_time():
    people, units = people_file({"1001": "TEAM-HAN"}), unit_file(UNITS)
    assert run(people, units=units, full_export=True).applied
    before = tree_rows()
    second = run(people, units=units, full_export=True)
    assert second.applied and not second.plan.has_changes
    assert tree_rows() == before


def test_a_unit_without_people_in_a_full_unit_file_stays_open():
    outcome = run(people_file({"1001": "TEAM-HAN"}), units=unit_file(UNITS), full_export=True)
    assert outcome.applied
    assert Department.objects.get(code="DIR-MID").closed_on is None


def test_a_unit_dropped_from_the_unit_file_of_a_full_export_is_closed_never_deleted():
    run(people_file({"1001": "TEAM-HAN"}), units=unit_file(UNITS), full_export=True)
    outcome = run(people_file({"1001": "TEAM-HAN"}), units=unit_file(UNITS[:-1]), full_export=True)
    assert changes_of(outcome)["closed"] == ["DIR-MID"]
    assert Department.objects.filter(code="DIR-MID", closed_on__isnull=False).exists()


def test_the_log_keeps_the_tree_changes_for_the_import_log_page():
    outcome = run(people_file({"1001": "TEAM-HAN"}), units=unit_file(UNITS))
    log = StaffImport.objects.get(pk=outcome.log.pk)
    units = log.changes["units"]
    assert units["layout"] == "unit_file"
    assert [unit["code"] for unit in units["new"]] == [
        "GEM",
        "DIR-RUI",
        "AFD-VERG",
        "TEAM-HAN",
        "DIR-MID",
    ]
    assert units["new"][3]["new"] == (
        "Gemeente Voorbeeldstad / Directie Ruimte / Afdeling Vergunningen / Team Handhaving"
    )


def test_a_dry_run_writes_no_unit():
    outcome = run(people_file({"1001": "TEAM-HAN"}), units=unit_file(UNITS), dry_run=True)
    assert len(outcome.plan.tree.of_kind(tree_module.NEW)) == 5
    assert not Department.objects.exists()
    assert not Employee.objects.filter(employee_number="1001").exists()


def test_a_department_made_by_hand_keeps_its_code_when_the_unit_file_renames_it():
    departments = organisation()
    outcome = run(
        people_file({"1001": "AFD-PO"}),
        units=unit_file([("AFD-PO", "", "Afdeling HR", "afdeling")]),
    )
    assert changes_of(outcome)["renamed"] == ["AFD-PO"]
    assert Department.objects.get(pk=departments["AFD-PO"].pk).name == "Afdeling HR"


def test_a_unit_name_alone_in_the_afdeling_column_finds_the_unit_another_row_s_path_makes():
    outcome = run(
        staff_csv(
            [
                person("1001", afdeling="Directie Ruimte"),
                person("1002", afdeling="Directie Ruimte/Afdeling Vergunningen"),
            ]
        )
    )
    assert outcome.applied, problems_of(outcome)
    assert department_of("1001") == department_of("1002").parent
