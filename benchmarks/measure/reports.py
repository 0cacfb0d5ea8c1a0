"""The compliance report's figures: `manage.py benchmark_reports`, run as a
subprocess against the database being measured, when it has the options for that
(--database-url and --campaign: measure an existing campaign rather than fill a new
database). Otherwise the step is skipped and the report says why.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from benchmarks.measure.server import current_database_url

NEEDED_OPTIONS = ("--database-url", "--campaign")


@dataclass
class ReportsResult:
    ran: bool
    reason: str = ""
    formats: str = ""
    command: str = ""
    seconds: float = 0.0
    table: list[str] = field(default_factory=list)
    data: object = None

    def to_dict(self) -> dict:
        return asdict(self)


def _manage(arguments: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]
    return subprocess.run(  # noqa: S603 - our own manage.py
        command, capture_output=True, text=True, check=False, timeout=timeout, env=dict(os.environ)
    )


def markdown_table(text: str) -> list[str]:
    """The Markdown table lines of a command's output."""
    return [line for line in text.splitlines() if line.startswith("|")]


def measure_reports(*, campaign_id: int, formats: str, log=print) -> ReportsResult:
    if connection.vendor != "postgresql":
        return ReportsResult(ran=False, reason="the database is not PostgreSQL")
    helped = _manage(["benchmark_reports", "--help"], timeout=120)
    if helped.returncode != 0:
        return ReportsResult(ran=False, reason="`benchmark_reports --help` failed")
    missing = [option for option in NEEDED_OPTIONS if option not in helped.stdout]
    if missing:
        return ReportsResult(
            ran=False,
            reason=f"`benchmark_reports` has no {' or '.join(missing)} option yet: it can "
            "only fill a database of its own",
        )
    arguments = [
        "benchmark_reports",
        "--database-url",
        current_database_url(),
        "--campaign",
        str(campaign_id),
        "--formats",
        formats,
    ]
    shown = " ".join(a if not a.startswith("postgres") else "$DATABASE_URL" for a in arguments)
    with tempfile.TemporaryDirectory(prefix="portal-reports-") as folder:
        json_path = Path(folder) / "reports.json"
        if re.search(r"--json [A-Z_]+", helped.stdout):  # --json takes a file name
            arguments += ["--json", str(json_path)]
        log(f"  manage.py {shown}")
        connection.close()  # the child may need the database to itself
        started = time.perf_counter()
        completed = _manage(arguments)
        seconds = time.perf_counter() - started
        if completed.returncode != 0:
            problem = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
            return ReportsResult(
                ran=False,
                reason="benchmark_reports failed: " + " / ".join(problem),
                formats=formats,
                command=f"manage.py {shown}",
                seconds=seconds,
            )
        data = json.loads(json_path.read_text()) if json_path.exists() else None
    return ReportsResult(
        ran=True,
        formats=formats,
        command=f"manage.py {shown}",
        seconds=seconds,
        table=markdown_table(completed.stdout),
        data=data,
    )
