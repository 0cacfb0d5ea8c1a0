"""Compliance reports for HR and auditors, and the log of who made and saw them.

A ``Report`` is one export: its scope (a campaign, for one of its guidelines or all of
them combined, or a guideline version, optionally narrowed to departments and a date;
or one employee's file), its format and language,
who asked for it, its progress while a background task makes it, and the file with its
SHA-256. Files are kept for REPORTS_RETENTION_DAYS, then removed (the row stays, as the
log). ``ReportEvent`` records every request, generation, download and removal: an
auditor may ask who saw the data.

Writes go through reports.services and reports.services.generation only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent


class Report(models.Model):
    class Kind(models.TextChoices):
        COMPLIANCE = "compliance", _("Compliance report")
        INDIVIDUAL = "individual", _("Individual file")

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF (signed)")
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel workbook")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        REMOVED = "removed", _("Removed after the retention period")

    number = models.CharField(_("report number"), max_length=32, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    language = models.CharField(_("language"), max_length=2, default="nl")
    delimiter = models.CharField(_("CSV delimiter"), max_length=1, default=";")
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    # The guideline the report is on; empty in a report on a campaign: all the
    # campaign's guidelines (campaigns.CampaignGuideline), a column each, combined.
    guideline = models.ForeignKey(
        "handbook.Guideline",
        verbose_name=_("guideline"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a campaign: all its guidelines, combined."),
    )
    departments = models.ManyToManyField(
        "people.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    as_of = models.DateField(_("status on"), null=True, blank=True)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For an individual file."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: made on the command line."),
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # While it is made: the worker's last sign of life and how often a worker took it on
    # (portal.heartbeat: a report whose worker died is made once more, then failed).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    ledger_ok = models.BooleanField(_("ledger check passed"), null=True, blank=True)
    ledger_summary = models.TextField(_("ledger check"), blank=True)
    # The ledger's head when the report was made, printed in it: an anchor outside the
    # database (verify_ledger --anchor SEQ:HASH). Empty for reports made before.
    ledger_head_sequence = models.PositiveBigIntegerField(
        _("last ledger entry when made"), null=True, blank=True
    )
    ledger_head_hash = models.CharField(
        _("hash of the last ledger entry when made"), max_length=64, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    expires_at = models.DateTimeField(_("file removed after"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        permissions = [("export_reports", _("Can make and download compliance reports"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="individual", employee__isnull=False)
                | models.Q(kind="compliance", campaign__isnull=False)
                | models.Q(kind="compliance", version__isnull=False),
                name="reports_report_has_a_scope",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def guideline_title(self) -> str:
        """The guideline's title in the language of the page (empty: none named)."""
        if self.guideline is None:
            return ""
        return self.guideline.title_in(get_language() or "nl")

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ReportEvent(AuditEvent):
    """Who asked for, made, downloaded or removed which report, and the file's hash."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Report requested")
        GENERATED = "generated", _("Report made")
        FAILED = "failed", _("Report failed")
        RETRIED = "retried", _("Report requested again")
        DOWNLOADED = "downloaded", _("Report downloaded")
        REMOVED = "removed", _("Report file removed")

    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(AuditEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
