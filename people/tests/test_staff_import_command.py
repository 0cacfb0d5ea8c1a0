"""`manage.py import_staff PATH [--dry-run] [--full]`: prints the plan, exits non-zero
and changes nothing when any row has a problem."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people.models import Employee, StaffImport
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


def command(path, *args) -> str:
    out = StringIO()
    call_command("import_staff", str(path), *args, "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_plan_and_changes_nothing(tmp_path):
    EmployeeFactory(employee_number="1001", last_name="Jansen", job_title="Jurist")
    leaver = EmployeeFactory(employee_number="1002", first_name="Lies", last_name="Weg")
    existing = Employee.objects.get(employee_number="1001")
    path = tmp_path / "personeel.csv"
    path.write_bytes(
        staff_csv(
            [
                person(
                    "1001",
                    voornaam=existing.first_name,
                    achternaam="Jansen-Bos",
                    email=existing.email,
                    afdeling=existing.department.code,
                    functie="Jurist",
                    datum_in_dienst="",
                ),
                person("1003", voornaam="Nina", tussenvoegsel="van", achternaam="Dijk"),
            ]
        )
    )
    output = command(path, "--dry-run", "--full")
    lines = output.splitlines()
    assert lines[0] == (
        "1 new, 1 changed, 1 leaving, 0 reactivated, 0 unchanged, 0 problems (full export)"
    )
    assert "+ new 1003 Nina van Dijk" in lines
    assert (
        "~ changed 1001 " + existing.first_name + " Jansen-Bos: last name Jansen → Jansen-Bos"
        in lines
    )
    assert "- leaving 1002 Lies Weg: end date – → 15-06-2026" in lines
    assert lines[-1] == "Dry run: nothing has changed."
    assert not Employee.objects.filter(employee_number="1003").exists()
    leaver.refresh_from_db()
    assert leaver.is_active
    log = StaffImport.objects.get()
    assert (log.mode, log.imported_by, log.full_export) == (StaffImport.Mode.DRY_RUN, None, True)


def test_applying_writes_and_logs_the_run_without_a_person(tmp_path):
    path = tmp_path / "personeel.csv"
    path.write_bytes(staff_csv([person("1001"), person("1002", leidinggevende="1001")]))
    output = command(path)
    assert output.splitlines()[0].startswith("2 new, 0 changed")
    log = StaffImport.objects.get()
    assert f"Imported (log {log.pk}, SHA-256 {log.file_sha256})." in output
    assert log.mode == StaffImport.Mode.APPLIED and log.imported_by is None
    assert Employee.objects.get(employee_number="1002").manager.employee_number == "1001"
    # Again: nothing changes.
    assert command(path).splitlines()[0] == (
        "0 new, 0 changed, 0 leaving, 0 reactivated, 2 unchanged, 0 problems"
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_with_problems_exits_non_zero_lists_them_and_changes_nothing(tmp_path, dry_run):
    path = tmp_path / "fout.csv"
    path.write_bytes(
        staff_csv([person("1001"), person(""), person("1002", datum_in_dienst="32-01-2026")])
    )
    out = StringIO()
    args = ["import_staff", str(path), "--today", TODAY.isoformat()]
    if dry_run:
        args.append("--dry-run")
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out)
    assert raised.value.returncode == 1
    assert "2 problem(s); nothing has changed" in str(raised.value)
    output = out.getvalue()
    assert "Problems:" in output
    assert "  line 3: The employee number (personeelsnummer) is missing." in output
    assert (
        "  line 4: “32-01-2026” in datum_in_dienst is not a date (use dd-mm-jjjj or yyyy-mm-dd)."
        in output
    )
    assert not Employee.objects.exists()


def test_an_unreadable_path(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        command(tmp_path / "bestaat-niet.csv")


def test_the_command_says_which_privileged_fields_it_left_alone(tmp_path):
    admin = EmployeeFactory(employee_number="2001", administrator=True)
    path = tmp_path / "personeel.csv"
    path.write_bytes(staff_csv([person("2001", email="hr.inbox@voorbeeldstad.nl")]))
    output = command(path)
    assert "! left alone 2001" in output
    assert "e-mail address stays" in output
    admin.refresh_from_db()
    assert admin.email != "hr.inbox@voorbeeldstad.nl"
