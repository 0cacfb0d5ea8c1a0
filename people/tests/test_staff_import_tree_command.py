"""`manage.py import_staff PATH --units FILE`: the department tree from the command
line, its changes printed before the people's; the same files twice change nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people.models import Department, Employee, StaffImport
from people.tests.staff_import_support import TODAY
from people.tests.staff_import_tree_support import path_file, people_file, unit_file

pytestmark = pytest.mark.django_db

UNITS = [
    ("DIR-RUI", "", "Directie Ruimte", ""),
    ("AFD-VERG", "DIR-RUI", "Afdeling Vergunningen", ""),
]


def command(*args) -> str:
    out = StringIO()
    call_command("import_staff", *map(str, args), "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def files(tmp_path, staff: bytes, units: bytes | None = None):
    staff_path = tmp_path / "personeel.csv"
    staff_path.write_bytes(staff)
    if units is None:
        return (staff_path,)
    units_path = tmp_path / "eenheden.csv"
    units_path.write_bytes(units)
    return (staff_path, "--units", units_path)


def test_the_command_builds_the_tree_from_a_unit_file_in_an_empty_portal(tmp_path):
    output = command(*files(tmp_path, people_file({"1001": "AFD-VERG"}), unit_file(UNITS)))
    assert Department.objects.get(code="AFD-VERG").path == "/DIR-RUI/AFD-VERG/"
    assert Employee.objects.get(employee_number="1001").department.code == "AFD-VERG"
    log = StaffImport.objects.get()
    assert log.units_filename == "eenheden.csv"
    assert "Imported" in output


def test_the_dry_run_prints_the_tree_before_the_people(tmp_path):
    output = command(
        *files(tmp_path, people_file({"1001": "AFD-VERG"}), unit_file(UNITS)), "--dry-run"
    )
    lines = output.splitlines()
    assert lines[0] == "Units: 2 new, 0 renamed, 0 moved, 0 retyped, 0 closed, 0 reopened"
    assert lines[1] == "+ unit new DIR-RUI Directie Ruimte: Directie Ruimte"
    assert lines[2] == (
        "+ unit new AFD-VERG Afdeling Vergunningen: Directie Ruimte / Afdeling Vergunningen"
    )
    assert lines[3].startswith("1 new, 0 changed")
    assert not Department.objects.exists()


def test_the_same_files_twice_through_the_command_change_nothing_the_second_time(tmp_path):
    arguments = files(tmp_path, people_file({"1001": "AFD-VERG"}), unit_file(UNITS))
    command(*arguments, "--full")
    before = list(Department.objects.values_list("code", "name", "path", "closed_on"))
    output = command(*arguments, "--full")
    assert output.splitlines()[0] == (
        "0 new, 0 changed, 0 leaving, 0 reactivated, 1 unchanged, 0 problems (full export)"
    )
    assert "unit" not in output
    assert list(Department.objects.values_list("code", "name", "path", "closed_on")) == before


def test_the_command_says_that_a_changed_path_is_a_new_unit_and_a_closed_one(tmp_path):
    command(*files(tmp_path, path_file({"1001": "Directie Ruimte/Team A"})), "--full")
    output = command(
        *files(tmp_path, path_file({"1001": "Directie Ruimte/Afdeling B/Team A"})),
        "--full",
        "--dry-run",
    )
    assert "- unit closed" in output
    assert "a unit whose path changed is a new unit and the old one is closed" in output


def test_a_refused_unit_file_exits_non_zero_and_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="nothing has changed"):
        command(
            *files(
                tmp_path,
                people_file({"1001": "A"}),
                unit_file([("A", "B", "Eenheid A", ""), ("B", "A", "Eenheid B", "")]),
            )
        )
    assert not Department.objects.exists()
    assert StaffImport.objects.get().mode == StaffImport.Mode.REFUSED


def test_a_missing_unit_file_is_a_clear_error(tmp_path):
    staff = tmp_path / "personeel.csv"
    staff.write_bytes(people_file({"1001": "A"}))
    with pytest.raises(CommandError, match="Cannot read .*eenheden.csv"):
        command(staff, "--units", tmp_path / "eenheden.csv")


def test_the_sample_files_in_demo_data_import_into_an_empty_portal_as_the_readme_says():
    from django.conf import settings

    data = settings.BASE_DIR / "demo" / "data"
    output = command(
        data / "personeel_met_eenheden.csv", "--units", data / "eenheden.csv", "--dry-run"
    )
    assert output.splitlines()[0].startswith("Units: 7 new")
    assert "4 new, 0 changed" in output
    assert "Dry run: nothing has changed." in output
