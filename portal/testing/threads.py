"""Run callables in threads that start together, each with its own database connection
(the concurrency tests of several apps).

Django's SQLite test database is in memory with a shared cache. There a connection
that meets another's write lock gets "database table is locked" at once, instead of
waiting for the busy timeout (20 s) as it does with the database file used in real
life. On that database only, the threads wait and try again, as the timeout would.
"""

import threading
import time

from django.db import OperationalError, connection, connections

BUSY_TIMEOUT = 20


def waiting_for_shared_cache_locks(call):
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            return call()
        except OperationalError as error:
            shared_cache_lock = (
                connection.vendor == "sqlite"
                and connection.is_in_memory_db()
                and "table is locked" in str(error)
            )
            if not shared_cache_lock or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def in_threads(targets) -> tuple[list, list]:
    """Run each target in its own thread, all starting together."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            barrier.wait(timeout=30)
            results.append(waiting_for_shared_cache_locks(target))
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
