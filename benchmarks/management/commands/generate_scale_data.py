"""manage.py generate_scale_data --employees N [--seed S]"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.scale import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    MANAGER_EMAIL,
    MINIMUM_EMPLOYEES,
    DatabaseNotEmpty,
    ScaleSummary,
    check_empty,
    generate,
)


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database (after migrate) with a large, realistic organisation for "
        "benchmarks: departments, employees, five guidelines (the social-media one in three "
        "versions), campaigns, quiz "
        "attempts, tips read and a verifiable ledger. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            required=True,
            help=f"How many employees (N, at least {MINIMUM_EMPLOYEES}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")

    def handle(self, *args, employees: int, seed: int, **options):
        if employees < MINIMUM_EMPLOYEES:
            raise CommandError(f"--employees must be at least {MINIMUM_EMPLOYEES}.")
        try:
            check_empty()
        except DatabaseNotEmpty as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Generating {employees:,} employees (seed {seed}) on {connection.vendor}..."
        )
        try:
            summary = generate(employees=employees, seed=seed, progress=self._step)
        except DatabaseNotEmpty as error:
            raise CommandError(str(error)) from error
        self._report(summary)

    def _step(self, name: str, seconds: float) -> None:
        self.stdout.write(f"  {name:<45} {seconds:7.2f} s")

    def _report(self, s: ScaleSummary) -> None:
        lines = [
            f"Done in {s.total_seconds:.1f} s.",
            f"  employees        {s.employees:>10,}   managers {s.managers:,}",
            f"  departments      {s.departments:>10,}   depth {s.depth}",
            f"  guidelines       {s.guidelines:>10}   versions {s.versions}",
            f"  running campaign id {s.campaign_id:>7} ({s.assignments:,} assignments)",
            f"  ledger entries   {s.ledger_entries:>10,}   signed the current version "
            f"{s.signed_current:,}",
            f"  ready to sign    {s.ready_to_sign:>10,}",
            f"  quiz attempts    {s.attempts:>10,}   questions served {s.served_questions:,},"
            f" answers {s.answers:,}",
            f"  tips read        {s.tip_reads:>10,}",
            f"  log-ins: HR {HR_EMAIL}, manager {MANAGER_EMAIL}, employee {EMPLOYEE_EMAIL}",
        ]
        self.stdout.write("\n".join(lines))
