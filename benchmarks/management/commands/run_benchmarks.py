"""Measure the portal at scale, against the database that generate_scale_data filled.

    DJANGO_SETTINGS_MODULE=config.settings.benchmark \\
        python manage.py run_benchmarks --output results.md --json results.json

Pages (server time and queries), a campaign launch for everyone (rolled back),
verify_ledger, the code check's lookup, signing under load through gunicorn and wrk (on
a copy of the database) and the compliance report's own benchmark; a Markdown report on
standard output and in --output, the figures in --json. Exits non-zero when a step fails
to run or a target is missed. scripts/benchmark.sh (`make benchmark`) does everything
from an empty machine.
"""

from __future__ import annotations

import json
import os
import signal
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STEPS = ("pages", "launch", "ledger", "code_check", "signing", "reports")


def _steps(value: str) -> set[str]:
    chosen = {step.strip() for step in value.split(",") if step.strip()}
    unknown = chosen - set(STEPS)
    if unknown:
        raise CommandError(f"Unknown step(s): {', '.join(sorted(unknown))}; steps: {STEPS}.")
    return chosen


def _terminate(signum, frame):
    # SystemExit unwinds the stack: gunicorn is stopped and the scratch database dropped.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Measure pages, campaign launch, signing under load, verify_ledger and reports."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per page.")
        parser.add_argument("--output", default="", help="Write the Markdown report here.")
        parser.add_argument("--json", default="", help="Write the figures here as JSON.")
        parser.add_argument("--skip", default="", help=f"Steps to leave out, of {STEPS}.")
        parser.add_argument("--only", default="", help="Only these steps (comma-separated).")
        parser.add_argument("--campaign", type=int, default=None, help="The dashboard's campaign.")
        parser.add_argument("--launch-repeat", type=int, default=3)
        parser.add_argument("--ledger-repeat", type=int, default=3)
        parser.add_argument(
            "--code-check-lookups", type=int, default=200, help="Codes looked up, timed."
        )
        parser.add_argument("--signing-rounds", type=int, default=5)
        parser.add_argument("--signing-duration", type=int, default=10, help="Seconds per run.")
        parser.add_argument("--signing-threads", type=int, default=2)
        parser.add_argument("--signing-connections", type=int, default=4)
        parser.add_argument("--gunicorn-workers", type=int, default=2)
        parser.add_argument(
            "--report-formats", default="csv,xlsx", help="Formats for benchmark_reports."
        )
        parser.add_argument(
            "--generate-seconds",
            type=float,
            default=None,
            help="How long generate_scale_data took (shown in the report).",
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError(
                "DEBUG is on: use DJANGO_SETTINGS_MODULE=config.settings.benchmark "
                "(DEBUG inflates the figures)."
            )
        steps = _steps(options["only"]) if options["only"] else set(STEPS)
        steps -= _steps(options["skip"])
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            results = self._measure(steps, options)
        finally:
            signal.signal(signal.SIGTERM, previous)
        from benchmarks.measure.report import render_markdown

        markdown = render_markdown(results)
        self.stdout.write(markdown)
        if options["output"]:
            Path(options["output"]).write_text(markdown)
            self.stderr.write(f"Wrote {options['output']}")
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2, default=str) + "\n")
            self.stderr.write(f"Wrote {options['json']}")
        if results["errors"]:
            raise CommandError(f"Steps that failed to run: {', '.join(results['errors'])}.")
        if not results["passed"]:
            raise CommandError("Targets missed: see the report.", returncode=3)

    def _log(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _measure(self, steps: set[str], options: dict) -> dict:
        from benchmarks.measure.machine import data_counts, machine

        results: dict = {
            "machine": machine(),
            "data": data_counts(),
            "generate_seconds": options["generate_seconds"],
            "skipped": {},
            "errors": {},
        }
        results["settled"] = []
        # Vacuumed before the first step (after the load) and after the launches (their
        # dead rows): see benchmarks.measure.settle.
        settle = True
        for step in STEPS:
            if step not in steps:
                continue
            if settle:
                self._settle(results, before=step)
            settle = step == "launch"
            self._log(f"== {step}")
            try:
                outcome = getattr(self, f"_{step}")(options)
            except (SystemExit, KeyboardInterrupt):
                raise
            except Exception as error:  # noqa: BLE001 - reported, and the run goes on
                self._log(traceback.format_exc())
                results["errors"][step] = f"{type(error).__name__}: {error}"
                continue
            if isinstance(outcome, str):
                results["skipped"][step] = outcome
            else:
                results[step] = outcome
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        verdicts = [
            *(page["passed"] for page in results.get("pages") or []),
            *(
                results[s]["passed"]
                for s in ("launch", "ledger", "code_check", "signing")
                if results.get(s)
            ),
        ]
        results["passed"] = all(verdicts)
        return results

    def _settle(self, results: dict, *, before: str) -> None:
        from benchmarks.measure.settle import settle

        seconds = settle()
        if seconds is not None:
            self._log(f"== VACUUM (ANALYZE) before {before}: {seconds:.1f} s")
            results["settled"].append({"before": before, "seconds": round(seconds, 1)})

    def _pages(self, options):
        from benchmarks.measure.pages import measure_pages

        found = measure_pages(
            repeat=options["repeat"], campaign_id=options["campaign"], log=self._log
        )
        return [result.to_dict() for result in found]

    def _launch(self, options):
        from benchmarks.measure.launch import measure_launch

        return measure_launch(repeat=options["launch_repeat"], log=self._log).to_dict()

    def _ledger(self, options):
        from benchmarks.measure.ledger import measure_ledger

        return measure_ledger(repeat=options["ledger_repeat"], log=self._log).to_dict()

    def _code_check(self, options):
        from benchmarks.measure.code_check import measure_code_check

        return measure_code_check(lookups=options["code_check_lookups"], log=self._log).to_dict()

    def _signing(self, options):
        from django.db import connection

        from benchmarks.measure.signing import measure_signing

        if connection.vendor != "postgresql":
            return "it needs PostgreSQL (a copy of the database is made for it)"
        return measure_signing(
            rounds=options["signing_rounds"],
            duration=options["signing_duration"],
            threads=options["signing_threads"],
            connections=options["signing_connections"],
            workers=options["gunicorn_workers"],
            log=self._log,
        ).to_dict()

    def _reports(self, options):
        from benchmarks.measure.pages import running_campaign_id
        from benchmarks.measure.reports import measure_reports

        campaign = options["campaign"] or running_campaign_id()
        found = measure_reports(
            campaign_id=campaign, formats=options["report_formats"], log=self._log
        )
        if not found.ran:
            return found.reason
        return found.to_dict()
