"""Leave autovacuum nothing to do before a timed step.

A freshly loaded database (COPY of millions of rows) and the rolled-back campaign
launches (392,000 dead assignment rows at 100,000 employees) make PostgreSQL's
autovacuum start on the big tables, at a moment of its choosing: during the signing
rounds it took a core from them (ratios of 0.40 and 0.51 in one run). A real portal
has no such heap of dead rows in the middle of a campaign. So the runner vacuums and
analyses the database itself, outside the timed parts, and reports how long it took.
"""

from __future__ import annotations

import time

from django.db import connection


def settle() -> float | None:
    """VACUUM (ANALYZE) the whole database; its seconds. None on SQLite, and inside a
    transaction (the tests'), where VACUUM cannot run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started
