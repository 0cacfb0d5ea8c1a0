"""The machine, the software and the data a benchmark ran on, for the report."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata

import django
from django.conf import settings
from django.db import connection


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            return cursor.fetchone()[0].split(" on ")[0]
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def _database_settings() -> str:
    """The PostgreSQL settings that matter most for these figures."""
    if connection.vendor != "postgresql":
        return ""
    names = ("fsync", "synchronous_commit", "shared_buffers", "work_mem", "max_connections")
    with connection.cursor() as cursor:
        found = []
        for name in names:
            cursor.execute(f"SHOW {name}")
            found.append(f"{name} {cursor.fetchone()[0]}")
    return ", ".join(found)


def _wrk_version() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        return "not installed"
    completed = subprocess.run(  # noqa: S603 - wrk -v
        [wrk, "-v"], capture_output=True, text=True, check=False
    )
    first = (completed.stdout or completed.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "unknown"


def machine() -> dict:
    import psutil

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": _database_version(),
        "database_settings": _database_settings(),
        "gunicorn": _version("gunicorn"),
        "psycopg": _version("psycopg"),
        "wrk": _wrk_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        "debug": settings.DEBUG,
        "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE"),
        "mfa_required": settings.PORTAL_MFA_REQUIRED,
        "command": " ".join(["manage.py", *sys.argv[1:]]) if len(sys.argv) > 1 else "",
    }


def data_counts() -> dict:
    """How much data the measurements ran on."""
    from acknowledgements.models import Acknowledgement, LedgerEntry, TipRead
    from campaigns.models import Assignment, Campaign
    from handbook.models import GuidelineVersion
    from people.models import Department, Employee
    from quizzes.models import Attempt

    counts = {
        "employees": Employee.objects.count(),
        "active_employees": Employee.objects.filter(is_active=True).count(),
        "departments": Department.objects.count(),
        "managers": Employee.objects.exclude(manager=None).values("manager_id").distinct().count(),
        "guideline_versions": GuidelineVersion.objects.count(),
        "campaigns": Campaign.objects.count(),
        "assignments": Assignment.objects.count(),
        "acknowledgements": Acknowledgement.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
        "tip_reads": TipRead.objects.count(),
        "quiz_attempts": Attempt.objects.count(),
    }
    try:
        from benchmarks.scale import ready_to_sign

        counts["ready_to_sign"] = ready_to_sign().count()
    except ImportError:
        pass
    return counts
