"""A real background worker process (``manage.py db_worker``) killed part-way, for tests
of what survives a crash (portal.heartbeat).

    kill_worker_when(HANGING_WORKER, ready=lambda: row_has_progressed())

runs the script (Python that sets up Django and calls ``db_worker``) in its own process
on the test's database, waits until ``ready()`` says the work is under way, and kills
the process with SIGKILL: no clean-up runs, as when a server dies. The database must be
one another process can see: PostgreSQL (tests skip otherwise); the test must commit for
real (``transaction=True``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

# The task backend of the tests that run a real worker (the test settings run tasks at once).
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_due_tasks() -> None:
    """What ``manage.py db_worker --batch`` does, in this process: run every task that is
    due, then stop."""
    from django.core.management import call_command

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", verbosity=0
    )


# A worker that sends mail through the test's SMTP server (mailers as JSON in
# TEST_MAILERS) with the database task backend, runs what is due and stops.
MAILING_WORKER_SCRIPT = """
import json, os, sys
from django.conf import settings
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
settings.MAILERS = json.loads(os.environ["TEST_MAILERS"])
import django
django.setup()
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0")
"""


def database_url() -> str:
    """The test database as DATABASE_URL, for another process."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{db['NAME']}"


def needs_a_shared_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can see (PostgreSQL)")


def kill_worker_when(script: str, *, ready: Callable[[], bool], timeout: float = 90) -> None:
    """Start the worker script, wait until ``ready()``, kill it (SIGKILL) and reap it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
    }
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if worker.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                raise AssertionError(f"the worker did not get going: {worker.stderr.read()!r}")
            time.sleep(0.2)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
        worker.stderr.close()
