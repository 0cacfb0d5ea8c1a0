"""Benchmark of the compliance report: time and peak memory per format.

Not a test: it measures, and prints a Markdown table for the README (and, with --json,
the figures for a runner). It never touches the portal's own database. Either

- it makes a throwaway SQLite database in a temporary folder (or fills the empty one
  of --database-url), with --employees people in a running campaign of which about
  60 % signed: benchmarks.scale.generate from its minimum size, else a plain organisation;
- or it measures a database that is filled already: --database-url with --campaign ID,
  or without it the running campaign there (the newest).

Then it makes the report once per format, each in a fresh process
(`export_compliance_report`), and measures that process's wall time and the peak
memory of its process tree (it and the PDF workers), sampled with psutil: the sum of
their resident memory (shared pages counted in each process: an upper bound) ten times
a second and of their proportional set size once a second. "pdf-single" is the PDF as
one WeasyPrint document, "pdf-parts" the portal's way for large reports (parts in
worker processes, joined), "pdf" as the portal chooses by size.

Installed with the benchmarks app (benchmark and test settings only):

    DJANGO_SETTINGS_MODULE=config.settings.benchmark \
        python manage.py benchmark_reports --employees 5000
    DJANGO_SETTINGS_MODULE=config.settings.benchmark \
        python manage.py benchmark_reports --database-url postgres://... --formats pdf-parts
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

FILL_FLAG = "--fill-only"
FIND_FLAG = "--find-campaign"
# Format name: (export_compliance_report --format, --pdf-method, label in the table).
FORMATS = {
    "csv": ("csv", "auto", "CSV"),
    "xlsx": ("xlsx", "auto", "XLSX"),
    "pdf-single": ("pdf", "single", "PDF, one document"),
    "pdf-parts": ("pdf", "parts", "PDF, in parts"),
    "pdf": ("pdf", "auto", "PDF"),
}
DEFAULT_FORMATS = "csv,xlsx,pdf-single,pdf-parts"
SAMPLE_SECONDS = 0.1
# The resident size (/proc/PID/statm) costs next to nothing to read; the proportional
# set size walks every mapping (/proc/PID/smaps): 20 ms of CPU for a report's process
# tree, which at every sample took a tenth of this 2-core machine from what is measured.
PSS_EVERY = 10  # samples
MIB = 1024 * 1024


@dataclass
class Measurement:
    format: str
    rows: int
    seconds: float
    peak_tree_rss_mib: float
    peak_tree_pss_mib: float
    peak_processes: int
    children: list[str]
    parent_maxrss_mib: float
    file_bytes: int
    load_before: float


class Command(BaseCommand):
    help = (
        "Measure the compliance report's time and peak memory (of the process and its "
        "workers) per format: CSV, xlsx, the PDF as one document and in parts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=5000, help="People to fill a database with."
        )
        parser.add_argument(
            "--formats",
            default=DEFAULT_FORMATS,
            help=f"Comma-separated, of {', '.join(FORMATS)} (default {DEFAULT_FORMATS}).",
        )
        parser.add_argument(
            "--database-url",
            default="",
            metavar="URL",
            help=(
                "The database to measure: an empty one is filled (with --employees), a "
                "filled one measured as it is. Default: SQLite in a temporary folder."
            ),
        )
        parser.add_argument(
            "--campaign",
            type=int,
            metavar="ID",
            help="Measure this campaign of --database-url (filled already): no filling.",
        )
        parser.add_argument(
            "--json", metavar="PATH", help="Also write the figures to this JSON file."
        )
        parser.add_argument(FILL_FLAG, action="store_true", help="Internal: fill this database.")
        parser.add_argument(FIND_FLAG, action="store_true", help="Internal: the campaign to use.")

    def handle(self, *args, employees: int, formats: str, database_url: str, **options):
        if options["fill_only"]:
            self.stdout.write(str(fill(employees)))
            return
        if options["find_campaign"]:
            self.stdout.write(str(running_campaign() or ""))
            return
        wanted = [name.strip() for name in formats.split(",") if name.strip()]
        unknown = set(wanted) - set(FORMATS)
        if unknown:
            raise CommandError(f"Unknown format(s): {', '.join(sorted(unknown))}.")
        if options["campaign"] is not None and not database_url:
            raise CommandError("--campaign needs --database-url (the portal's own is not used).")
        with tempfile.TemporaryDirectory(prefix="portal-benchmark-") as folder:
            env = _environment(database_url or f"sqlite:///{folder}/benchmark.sqlite3", folder)
            campaign_id, filled = self._campaign(options["campaign"], employees, env)
            measured = []
            for name in wanted:
                m = self._measure(name, campaign_id, Path(folder), env)
                measured.append(m)
                self.stdout.write(
                    f"  {name}: {m.seconds:.1f} s, peak {m.peak_tree_rss_mib:.0f} MiB in "
                    f"{m.peak_processes} process(es), load before {m.load_before:.2f}"
                )
        self._table(measured)
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {
                        "campaign": campaign_id,
                        "filled": filled,
                        "database": env["DATABASE_URL"].split(":", 1)[0],
                        "cpus": os.cpu_count(),
                        "pdf_workers": settings.REPORTS_PDF_WORKERS or os.cpu_count(),
                        "pdf_part_rows": settings.REPORTS_PDF_PART_ROWS,
                        "pdf_parts_speedup": _speedup(measured),
                        "results": [asdict(measurement) for measurement in measured],
                    },
                    indent=2,
                )
            )

    def _campaign(self, campaign_id: int | None, employees: int, env: dict) -> tuple[str, bool]:
        """The campaign to measure, and whether this run filled the database."""
        if campaign_id is not None:
            return str(campaign_id), False
        self._run(["migrate", "--no-input", "-v", "0"], env)
        self._run(["createcachetable"], env)
        found = self._run(["benchmark_reports", FIND_FLAG], env)[0].strip().splitlines()
        if found and found[-1]:
            self.stdout.write(f"Measuring the running campaign {found[-1]} as it is.")
            return found[-1], False
        self.stdout.write(f"Filling a database with {employees} employees ...")
        started = time.perf_counter()
        output = self._run(["benchmark_reports", FILL_FLAG, "--employees", str(employees)], env)
        self.stdout.write(f"  filled in {time.perf_counter() - started:.1f} s")
        return output[0].strip().splitlines()[-1], True

    def _measure(self, name: str, campaign_id: str, folder: Path, env: dict) -> Measurement:
        file_format, method, _label = FORMATS[name]
        output = folder / f"report-{name}.{file_format}"
        load = os.getloadavg()[0]
        printed, seconds, peaks, maxrss = self._run(
            [
                "export_compliance_report",
                "--campaign",
                campaign_id,
                "--format",
                file_format,
                "--pdf-method",
                method,
                "--output",
                str(output),
            ],
            env,
            sample=True,
        )
        rows = re.search(r": (\d+) employee\(s\)", printed)
        return Measurement(
            format=name,
            rows=int(rows.group(1)) if rows else 0,
            seconds=round(seconds, 2),
            peak_tree_rss_mib=round(peaks["rss"] / MIB, 1),
            peak_tree_pss_mib=round(peaks["pss"] / MIB, 1),
            peak_processes=peaks["processes"],
            children=peaks["children"],
            parent_maxrss_mib=round(maxrss, 1),
            file_bytes=output.stat().st_size,
            load_before=round(load, 2),
        )

    def _table(self, measured: list[Measurement]) -> None:
        self.stdout.write("")
        self.stdout.write(
            "Peak memory: the report's process and its PDF workers together (resident)."
        )
        self.stdout.write("")
        self.stdout.write("| Format | Employees | Time | Peak memory | File size |")
        self.stdout.write("|---|---|---|---|---|")
        for m in measured:
            self.stdout.write(
                f"| {FORMATS[m.format][2]} | {m.rows:,} | {m.seconds:.1f} s "
                f"| {m.peak_tree_rss_mib:,.0f} MiB | {m.file_bytes / MIB:.1f} MiB |"
            )
        speedup = _speedup(measured)
        if speedup:
            self.stdout.write("")
            self.stdout.write(f"The PDF in parts took 1/{speedup:.1f} of the time as one document.")

    def _run(self, arguments: list[str], env: dict, *, sample: bool = False):
        """Run manage.py in a fresh process: its output, wall time, the peaks of its
        process tree (sampled if ``sample``) and its own peak resident memory (MiB)."""
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]
        # Output to files, not pipes: a chatty child cannot block on a full pipe.
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as errors:
            started = time.perf_counter()
            process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
                command, env=env, stdout=out, stderr=errors, text=True
            )
            sampler = TreeSampler(process.pid) if sample else None
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            peaks = sampler.stop() if sampler else {}
            out.seek(0)
            errors.seek(0)
            output, problems = out.read(), errors.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise CommandError(f"{' '.join(arguments)} failed:\n{problems or output}")
        return output, seconds, peaks, usage.ru_maxrss / 1024  # kilobytes on Linux


class TreeSampler:
    """Samples the memory of a process and all its descendants in a thread."""

    def __init__(self, pid: int):
        import psutil

        self._psutil = psutil
        self._process = psutil.Process(pid)
        self.peaks = {"rss": 0, "pss": 0, "processes": 0}
        self.samples = 0
        self._named: dict[int, str] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        psutil = self._psutil
        while not self._done.is_set():
            try:
                tree = [self._process, *self._process.children(recursive=True)]
            except psutil.Error:
                break
            with_pss = not self.samples % PSS_EVERY
            rss = pss = 0
            for process in tree:
                try:
                    memory = process.memory_full_info() if with_pss else process.memory_info()
                    if process is not self._process and process.pid not in self._named:
                        self._named[process.pid] = " ".join(process.cmdline())[:80]
                except psutil.Error:
                    continue  # ended between the listing and the reading
                rss += memory.rss
                pss += memory.pss if with_pss else 0
            self.samples += 1
            self.peaks["rss"] = max(self.peaks["rss"], rss)
            self.peaks["pss"] = max(self.peaks["pss"], pss)
            self.peaks["processes"] = max(self.peaks["processes"], len(tree))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> dict:
        self._done.set()
        self._thread.join()
        # What the descendants were (the PDF workers' fork server, the workers).
        self.peaks["children"] = sorted(set(self._named.values()))
        return self.peaks


def _environment(database_url: str, folder: str) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["DJANGO_MEDIA_ROOT"] = f"{folder}/media"
    # The children run this command again (FILL_FLAG, FIND_FLAG): settings with the app.
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.benchmark")
    env["PORTAL_REPORTS_SELF_SIGNED"] = "true"
    # DEBUG keeps every query in memory: it would inflate the figures.
    env["DJANGO_DEBUG"] = "false"
    return env


def _speedup(measured: list[Measurement]) -> float | None:
    seconds = {m.format: m.seconds for m in measured}
    if seconds.get("pdf-single") and seconds.get("pdf-parts"):
        return round(seconds["pdf-single"] / seconds["pdf-parts"], 2)
    return None


def running_campaign() -> int | None:
    """The newest running campaign of this database, if any."""
    from campaigns.models import Campaign

    return (
        Campaign.objects.filter(status=Campaign.Status.RUNNING)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


def fill(employees: int) -> int:
    """Fill this (empty) database; the running campaign's id. The realistic scale data
    (benchmarks.scale) when big enough, else a plain organisation."""
    from benchmarks.scale import MINIMUM_EMPLOYEES, generate

    if employees < MINIMUM_EMPLOYEES:
        return fill_plain(employees)
    return generate(employees=employees, seed=1).campaign_id


def fill_plain(employees: int) -> int:
    """An organisation, version 1, a campaign for everyone past its deadline; ~60 % of
    them signed (through the ledger, so the cover's check is real). Returns its id."""
    from acknowledgements.services.importing import import_acknowledgement
    from campaigns import services as campaigns
    from handbook.models import GuidelineVersion
    from people.models import Department, Employee

    # In force before the campaign below starts (a campaign asks nothing earlier).
    in_force = timezone.localdate() - datetime.timedelta(days=60)
    call_command("load_handbook", verbosity=0, effective_date=in_force)
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
        versions=[version],
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
