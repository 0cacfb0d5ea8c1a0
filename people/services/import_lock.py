"""The scheduled staff import's lock: one run at a time.

The lock (one run at a time, also on two machines that share the database): on
PostgreSQL a session advisory lock, which the server frees when the run's connection
ends: a run that crashed, or whose machine went away, never blocks the next one; a run
that hangs loses its session (and so its lock) after ``STAFF_IMPORT_LOCK_SECONDS`` idle
(idle_session_timeout, idle_in_transaction_session_timeout), its import rolled back. On
SQLite, which lives on one machine, an exclusive ``flock`` on a file beside the database,
which the kernel frees when the process ends. The lock is held from choosing the file
until it is moved, so a second run never sees a file the first has applied.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

# The key of the PostgreSQL advisory lock (campaigns' planning lock is 7_319_001).
LOCK_KEY = 7_319_021
LOCK_POLL_SECONDS = 0.2


@contextlib.contextmanager
def import_lock(*, wait_seconds: float = 0) -> Iterator[bool]:
    """Hold the scheduled import's lock while the block runs; yields whether it was
    taken (within ``wait_seconds``; 0: one try). Not re-entrant on PostgreSQL within
    one connection: a second run must be another process or connection."""
    if connection.vendor == "postgresql":
        with _advisory_lock(wait_seconds) as held:
            yield held
    else:
        with _file_lock(wait_seconds) as held:
            yield held


@contextlib.contextmanager
def _advisory_lock(wait_seconds: float) -> Iterator[bool]:
    expiry = f"{int(settings.STAFF_IMPORT_LOCK_SECONDS)}s"
    deadline = time.monotonic() + wait_seconds
    with connection.cursor() as cursor:
        # The expiry of a run that hangs: the server ends its session, freeing the lock.
        cursor.execute(
            "SELECT set_config('idle_session_timeout', %s, false), "
            "set_config('idle_in_transaction_session_timeout', %s, false)",
            [expiry, expiry],
        )
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            held = bool(cursor.fetchone()[0])
            if held or time.monotonic() >= deadline:
                break
            time.sleep(LOCK_POLL_SECONDS)
    try:
        yield held
    finally:
        with connection.cursor() as cursor:
            if held:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
            cursor.execute("RESET idle_session_timeout")
            cursor.execute("RESET idle_in_transaction_session_timeout")


def lock_file_path() -> Path:
    """SQLite: the file beside the database whose flock is the lock. An in-memory
    database belongs to one process, and so does its lock file."""
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:  # as SQLite's is_in_memory_db()
        return Path(tempfile.gettempdir()) / f"portal-staff-import-{os.getpid()}.lock"
    return Path(f"{name}.staff-import.lock")


@contextlib.contextmanager
def _file_lock(wait_seconds: float) -> Iterator[bool]:
    deadline = time.monotonic() + wait_seconds
    descriptor = os.open(lock_file_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
            if held or time.monotonic() >= deadline:
                break
            time.sleep(LOCK_POLL_SECONDS)
        yield held
    finally:
        os.close(descriptor)  # frees the lock
