import datetime
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from campaigns.models import Campaign
from handbook.models import Guideline, GuidelineVersion
from people.models import Department
from reports import services
from reports.models import Report
from reports.pdf import render as render_pdf
from reports.services import generation


class Command(BaseCommand):
    """The compliance report from the command line: the same file as HR's web export,
    made here and now (not by the background worker), and logged the same way (as made
    on the command line)."""

    help = (
        "Make a compliance report (signed PDF, CSV or Excel) for a campaign (one of its "
        "guidelines, or all combined) or a guideline version and write it to --output."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version is the guideline version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--campaign", type=int, metavar="ID", help="The campaign's id.")
        scope.add_argument(
            "--version",
            type=int,
            dest="version_number",
            metavar="N",
            help="The guideline version's number.",
        )
        parser.add_argument(
            "--guideline",
            metavar="SLUG",
            help=(
                "The guideline's short name, or 'all': with --campaign, all the campaign's "
                "guidelines combined (the default); with --version, needed when more than "
                "one guideline has a version of that number."
            ),
        )
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this department with its sub-departments (repeatable).",
        )
        parser.add_argument("--format", choices=Report.Format.values, default=Report.Format.PDF)
        parser.add_argument("--language", choices=["nl", "en"], default="nl")
        parser.add_argument(
            "--delimiter", choices=[";", ","], default=";", help="CSV only (default ;)."
        )
        parser.add_argument("--date", help="Status at the end of this day (YYYY-MM-DD).")
        parser.add_argument(
            "--pdf-method",
            choices=["auto", *render_pdf.METHODS],
            default="auto",
            help=(
                "PDF only, for benchmarks: 'single' renders one document in this process, "
                "'parts' renders parts in worker processes and joins them; 'auto' (the "
                "default, as the portal does) uses parts above REPORTS_PDF_PARTS_ABOVE "
                "people."
            ),
        )
        parser.add_argument("--output", required=True, help="Where to write the file.")

    def handle(self, *args, **options):
        campaign = version = guideline = None
        slug = options["guideline"]
        if slug and slug != "all":
            guideline = Guideline.objects.filter(slug=slug).first()
            if guideline is None:
                raise CommandError(f"There is no guideline {slug!r}.")
        if options["campaign"] is not None:
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"There is no campaign {options['campaign']}.")
        else:
            version = self.version(options["version_number"], guideline, all_=slug == "all")
            guideline = None  # the version's own
        codes = options["department"]
        departments = list(Department.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in departments})
        if unknown:
            raise CommandError(f"Unknown department code(s): {', '.join(unknown)}.")
        as_of = None
        if options["date"]:
            try:
                as_of = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        try:
            # The command speaks English, also in the service's messages.
            with translation.override("en"):
                report = services.request_report(
                    format=options["format"],
                    language=options["language"],
                    delimiter=options["delimiter"],
                    campaign=campaign,
                    version=version,
                    guideline=guideline,
                    departments=departments,
                    as_of=as_of,
                    by=None,
                    enqueue=False,
                )
        except services.ReportError as error:
            raise CommandError(str(error)) from error
        method = None if options["pdf_method"] == "auto" else options["pdf_method"]
        with render_pdf.pdf_method(method):
            report = generation.generate(report_id=report.pk)
        with report.file.open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(
            f"{report.number}: {report.progress_total} employee(s), {output} "
            f"({report.file_size} bytes, SHA-256 {report.file_sha256})."
        )

    def version(self, number: int, guideline: Guideline | None, *, all_: bool) -> GuidelineVersion:
        """The version of that number: of the guideline named, or of the only guideline
        that has one."""
        if all_:
            raise CommandError("--guideline all is for a campaign; name one guideline.")
        versions = GuidelineVersion.objects.filter(number=number)
        if guideline is not None:
            versions = versions.filter(guideline=guideline)
        found = list(versions.select_related("guideline")[:2])
        if not found:
            raise CommandError(f"There is no version {number}.")
        if len(found) > 1:
            raise CommandError(
                f"More than one guideline has a version {number}: name one with --guideline."
            )
        return found[0]
