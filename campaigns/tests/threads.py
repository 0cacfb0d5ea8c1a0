"""Running the same thing in several threads at once, each with its own database
connection (tests with ``django_db(transaction=True)``).

Django's SQLite test database is in memory with a shared cache. There a connection that
meets another's lock gets "database table is locked" at once instead of waiting for the
busy timeout (20 s), as it does with the database file used in real life. On that
database only, each statement of the threads waits and tries again, as the timeout
would (see also acknowledgements/tests/test_concurrency.py).
"""

from __future__ import annotations

import contextlib
import threading
import time

from django.db import OperationalError, connection, connections

BUSY_TIMEOUT = 20
LOCKED = ("table is locked", "database is locked", "schema is locked")


def _shared_cache() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _waiting_for_locks(execute, sql, params, many, context):
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if not any(text in str(error) for text in LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(0.002)


def in_threads(targets, *, timeout: float = 60) -> tuple[list, list]:
    """Run each target in its own thread, all starting together; returns (results,
    errors). Each thread closes its database connections at its end."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            with contextlib.ExitStack() as stack:
                if _shared_cache():
                    stack.enter_context(connection.execute_wrapper(_waiting_for_locks))
                barrier.wait(timeout=30)
                results.append(target())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors
