"""Benchmark of the compliance report: time and peak memory per format.

Not a test: it measures, and prints a Markdown table for the README. It never touches
the portal's own database: it makes a throwaway SQLite database in a temporary folder
(or uses --database-url, e.g. a throwaway PostgreSQL), fills it with an organisation of
--employees people in a running campaign of which about 60 % signed, then makes the
report once per format, each in a fresh process (`export_compliance_report`), and reads
that process's wall time and peak resident memory (getrusage of the child).

    python manage.py benchmark_reports --employees 5000
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

FILL_FLAG = "--fill-only"


class Command(BaseCommand):
    help = "Measure the compliance report's time and peak memory per format (PDF, CSV, xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=5000)
        parser.add_argument(
            "--formats", default="csv,xlsx,pdf", help="Comma-separated, default csv,xlsx,pdf."
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="An empty database to fill (default: SQLite in a temporary folder).",
        )
        parser.add_argument(FILL_FLAG, action="store_true", help="Internal: fill this database.")

    def handle(self, *args, employees: int, formats: str, database_url: str, **options):
        if options["fill_only"]:
            campaign_id = fill(employees)
            self.stdout.write(str(campaign_id))
            return
        wanted = [f.strip() for f in formats.split(",") if f.strip()]
        unknown = set(wanted) - {"pdf", "csv", "xlsx"}
        if unknown:
            raise CommandError(f"Unknown format(s): {', '.join(sorted(unknown))}.")
        with tempfile.TemporaryDirectory(prefix="portal-benchmark-") as folder:
            env = dict(os.environ)
            env["DATABASE_URL"] = database_url or f"sqlite:///{folder}/benchmark.sqlite3"
            env["DJANGO_MEDIA_ROOT"] = f"{folder}/media"
            env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
            env["REPORTS_SELF_SIGNED"] = "true"
            # DEBUG keeps every query in memory: it would inflate the figures.
            env["DJANGO_DEBUG"] = "false"
            self.stdout.write(f"Filling a database with {employees} employees ...")
            self._run(["migrate", "--no-input", "-v", "0"], env)
            started = time.perf_counter()
            campaign_id = (
                self._run(["benchmark_reports", FILL_FLAG, "--employees", str(employees)], env)[0]
                .strip()
                .splitlines()[-1]
            )
            self.stdout.write(f"  filled in {time.perf_counter() - started:.1f} s")
            rows = []
            for name in wanted:
                output = Path(folder) / f"report.{name}"
                _out, seconds, peak = self._run(
                    [
                        "export_compliance_report",
                        "--campaign",
                        campaign_id,
                        "--format",
                        name,
                        "--output",
                        str(output),
                    ],
                    env,
                )
                rows.append((name, seconds, peak, output.stat().st_size))
                self.stdout.write(f"  {name}: {seconds:.1f} s, peak {peak:.0f} MiB")
        self.stdout.write("")
        self.stdout.write("| Format | Employees | Time | Peak memory | File size |")
        self.stdout.write("|---|---|---|---|---|")
        for name, seconds, peak, size in rows:
            self.stdout.write(
                f"| {name.upper()} | {employees:,} | {seconds:.1f} s | {peak:.0f} MiB "
                f"| {size / 1024 / 1024:.1f} MiB |"
            )

    def _run(self, arguments: list[str], env: dict) -> tuple[str, float, float]:
        """Run manage.py in a fresh process; its output, wall time and peak memory."""
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]
        # Output to files, not pipes: a chatty child cannot block on a full pipe.
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as errors:
            started = time.perf_counter()
            process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
                command, env=env, stdout=out, stderr=errors, text=True
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            out.seek(0)
            errors.seek(0)
            output, problems = out.read(), errors.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise CommandError(f"{' '.join(arguments)} failed:\n{problems or output}")
        return output, seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def fill(employees: int) -> int:
    """An organisation, version 1, a campaign for everyone past its deadline; ~60 % of
    them signed (through the ledger, so the cover's check is real). Returns its id."""
    from acknowledgements.services import import_acknowledgement
    from campaigns import services as campaigns
    from handbook.models import GuidelineVersion
    from people.models import Department, Employee

    call_command("load_handbook", verbosity=0)
    version = GuidelineVersion.objects.get(number=1)
    departments = []
    parent = None
    for d in range(max(1, employees // 100)):
        if d % 10 == 0:
            code = f"DIR{d // 10:02d}"
            parent = Department.objects.create(
                code=code, name=f"Directie {d // 10}", kind="directie", path=f"/{code}/"
            )
        code = f"AFD{d:04d}"
        departments.append(
            Department.objects.create(
                code=code,
                name=f"Afdeling {d}",
                kind="afdeling",
                parent=parent,
                path=f"{parent.path}{code}/",
            )
        )
    Employee.objects.bulk_create(
        (
            Employee(
                employee_number=f"{500000 + n}",
                first_name=f"Voornaam{n}",
                last_name=f"Achternaam{n:06d}",
                email=f"medewerker{n}@benchmark.example",
                department=departments[n % len(departments)],
                password="!",  # noqa: S106 - Django's "unusable password" marker
            )
            for n in range(employees)
        ),
        batch_size=2000,
    )
    today = timezone.localdate()
    launched = timezone.now() - datetime.timedelta(days=30)
    campaign = campaigns.create_campaign(
        name="Benchmark",
        version=version,
        audience="all",
        start_date=today - datetime.timedelta(days=30),
        deadline=today - datetime.timedelta(days=1),
    )
    campaigns.launch_campaign(campaign=campaign, by=None, now=launched)
    signed_at = timezone.now() - datetime.timedelta(days=10)
    with transaction.atomic():
        for n, employee in enumerate(Employee.objects.order_by("pk").iterator()):
            if n % 5 < 3:  # 60 %
                import_acknowledgement(
                    employee=employee,
                    version=version,
                    signed_at=signed_at,
                    recorded_by=None,
                    reason="Benchmark",
                )
    return campaign.pk
