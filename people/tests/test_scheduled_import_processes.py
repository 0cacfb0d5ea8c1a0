"""The scheduled import's lock with real processes on one database (as two machines
sharing it would be): two runs started together apply the file once, whether the
second skips or waits; a run that crashed while holding the lock does not block the
next one; on PostgreSQL a run that hangs loses its lock after STAFF_IMPORT_LOCK_SECONDS.

The processes use the test's database (portal.testing.servers.shared_database), so
these tests commit for real (transaction=True)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from people.models import Employee, StaffImport
from people.tests.staff_import_support import organisation, person, staff_csv
from portal.testing.servers import shared_database

pytestmark = pytest.mark.django_db(transaction=True)

# A run whose import takes TEST_SLOW_SECONDS longer, so that a second run started with
# it certainly finds the lock taken; then the command, exiting with its code.
SLOW_RUN = """
import os, sys, time
import django
django.setup()
from people.services import scheduled_import
applying = scheduled_import.import_staff
def slowly(**arguments):
    time.sleep(float(os.environ["TEST_SLOW_SECONDS"]))
    return applying(**arguments)
scheduled_import.import_staff = slowly
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "import_staff_from_folder", *sys.argv[1:]])
"""

# Another run that takes the lock (with TEST_LOCK_SECONDS as its expiry), says so and
# then hangs (or is killed) while holding it.
HOLDER = """
import os, sys, time
import django
from django.conf import settings
settings.STAFF_IMPORT_LOCK_SECONDS = int(os.environ.get("TEST_LOCK_SECONDS", "900"))
django.setup()
from people.services.import_lock import import_lock
with import_lock() as held:
    print("held" if held else "busy", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def folder(tmp_path, settings):
    organisation()
    folder = tmp_path / "hr-export"
    folder.mkdir()
    settings.STAFF_IMPORT_FOLDER = str(folder)
    data = staff_csv([person("5001"), person("5002")])
    path = folder / "personeel.csv"
    path.write_bytes(data)
    moment = time.time() - 3600
    os.utime(path, (moment, moment))
    return folder


@pytest.fixture
def database(tmp_path):
    with shared_database(tmp_path) as url:
        yield url


def start(script: str, database: str, *args: str, **environment: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database,
            "PYTHONDONTWRITEBYTECODE": "1",
            **environment,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def applied() -> int:
    return StaffImport.objects.filter(mode=StaffImport.Mode.APPLIED).count()


def wait_for_line(process: subprocess.Popen, expected: str) -> None:
    line = process.stdout.readline().strip()
    if line != expected:
        process.kill()
        raise AssertionError(f"{line!r}: {process.stderr.read()}")


def test_two_runs_started_together_apply_the_file_once_the_second_skipping(folder, database):
    runs = [
        start(SLOW_RUN, database, "--folder", str(folder), TEST_SLOW_SECONDS="4") for _ in range(2)
    ]
    results = [finish(run) for run in runs]

    assert [code for code, _ in results] == [0, 0], results
    outputs = sorted(output.split(":")[0] for _, output in results)
    assert outputs == ["applied personeel.csv", "busy"], results
    assert applied() == 1
    assert len(list((folder / "verwerkt").iterdir())) == 1
    assert Employee.objects.filter(employee_number__in=["5001", "5002"]).count() == 2


def test_two_runs_started_together_apply_the_file_once_the_second_waiting(folder, database):
    runs = [
        start(SLOW_RUN, database, "--folder", str(folder), "--wait", "60", TEST_SLOW_SECONDS="4")
        for _ in range(2)
    ]
    results = [finish(run) for run in runs]

    assert [code for code, _ in results] == [0, 0], results
    # The one that waited found the folder empty once it had the lock: nothing to say.
    assert sorted(output for _, output in results)[0] == ""
    assert applied() == 1
    assert StaffImport.objects.count() == 1


def test_a_run_that_crashed_holding_the_lock_does_not_block_the_next(folder, database):
    holder = start(HOLDER, database)
    wait_for_line(holder, "held")
    blocked = finish(start(SLOW_RUN, database, "--folder", str(folder), TEST_SLOW_SECONDS="0"))
    assert blocked[1].startswith("busy"), blocked

    holder.kill()  # SIGKILL: no clean-up runs, as when a server dies
    holder.wait(30)
    holder.stdout.close()
    holder.stderr.close()
    code, output = finish(start(SLOW_RUN, database, "--folder", str(folder), TEST_SLOW_SECONDS="0"))

    assert code == 0, output
    assert output.startswith("applied personeel.csv"), output
    assert applied() == 1


def test_a_run_that_hangs_holding_the_lock_loses_it_after_the_expiry(folder, database):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lives on one machine: its lock goes with the process (above)")
    holder = start(HOLDER, database, TEST_LOCK_SECONDS="2")
    try:
        wait_for_line(holder, "held")
        time.sleep(4)  # the holder is alive but idle past its expiry

        code, output = finish(
            start(SLOW_RUN, database, "--folder", str(folder), TEST_SLOW_SECONDS="0")
        )
    finally:
        holder.kill()
        holder.wait(30)
        holder.stdout.close()
        holder.stderr.close()

    assert code == 0, output
    assert output.startswith("applied personeel.csv"), output
    assert applied() == 1


def test_the_lock_file_of_sqlite_lies_beside_the_database(tmp_path, database):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks in the server")
    from people.services.import_lock import lock_file_path

    assert lock_file_path() == Path(f"{connection.settings_dict['NAME']}.staff-import.lock")
