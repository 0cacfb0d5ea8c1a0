"""The acknowledgement ledger: who signed which version, provably.

Two tables, so that a person's data can be erased without breaking the evidence:

- ``LedgerEntry`` is the hash chain. Each entry covers the digest of its content and the
  previous entry's hash; it holds nothing personal and is never changed or removed
  (database triggers, see acknowledgements.triggers).
- ``Acknowledgement`` is the content of an entry: the employee, the text they saw, how
  and when they signed. It is never changed either; it may only be removed (retention,
  erasure) after an ERASURE entry in the chain names it, and the chain still verifies
  because the entry keeps the content's digest.

Writes go through acknowledgements.services only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        CORRECTION = "correction", _("Correction")
        ERASURE = "erasure", _("Erasure of personal data")

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    refers_to = models.ForeignKey(
        "self",
        verbose_name=_("refers to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_by",
        help_text=_("The entry that a correction corrects or an erasure erases."),
        db_index=False,  # see Meta.indexes: signatures, nearly all entries, refer to none
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # NULL, not "", for entries without a code: the unique constraint lets NULLs repeat.
    verification_code = models.CharField(  # noqa: DJ001
        _("verification code"), max_length=20, null=True, blank=True
    )
    content_digest = models.CharField(_("SHA-256 of the content"), max_length=64)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64)
    # Not indexed: nothing looks an entry up by its hash (verify_chain reads them in
    # order), and SHA-256 needs no unique index to be unique. Every index on a random key
    # costs each signature a write to a random page under the ledger's lock.
    record_hash = models.CharField(_("hash of this entry"), max_length=64)
    # Which keys its content was hashed with (acknowledgements.ledger,
    # CONTENT_KEYS_BY_FORMAT): entries are never rewritten, so a later format is for new
    # entries only. No default: every writer says which form it hashed.
    format_version = models.PositiveSmallIntegerField(_("format version"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["sequence"]
        constraints = [
            # A constraint, not unique=True: that would add a second index on PostgreSQL
            # for LIKE 'prefix%', which no lookup uses (codes are looked up exactly).
            models.UniqueConstraint(
                fields=["verification_code"], name="acknowledgements_one_entry_per_code"
            ),
        ]
        indexes = [
            models.Index(
                fields=["refers_to"],
                condition=models.Q(refers_to__isnull=False),
                name="ack_entry_refers_to",
            ),
        ]
        permissions = [("view_ledger", _("Can see the ledger and its check"))]

    def __str__(self) -> str:
        return gettext("Entry %(sequence)s") % {"sequence": self.sequence}


class LedgerHead(models.Model):
    """One row: the chain's last sequence and hash. Locked while an entry is added, so
    that entries are numbered one after another also under concurrency."""

    sequence = models.PositiveBigIntegerField(default=0)
    record_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger head")

    def __str__(self) -> str:
        return f"{self.sequence}"


class Acknowledgement(models.Model):
    """What an employee signed, how and when: the content of a ledger entry."""

    class Method(models.TextChoices):
        SELF = "self", _("By the employee")
        ON_BEHALF = "on_behalf", _("On behalf of the employee")
        IMPORTED = "imported", _("Imported from an earlier system")

    entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="acknowledgement",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerEntry.Kind.choices)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    # The employee's number and name as they were at signing: the record must stay true
    # (and its digest match) when the person later changes name or number.
    employee_number = models.CharField(_("employee number at signing"), max_length=32)
    employee_name = models.CharField(_("name at signing"), max_length=300)
    language = models.CharField(_("language shown"), max_length=2)
    text_hash = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    statement = models.TextField(_("statement signed"))
    typed_name = models.CharField(_("name typed"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    quiz_attempt = models.ForeignKey(
        "quizzes.Attempt",
        verbose_name=_("quiz attempt that qualified it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    paper_form = models.FileField(_("scanned signed form"), upload_to="ledger/forms/", blank=True)
    paper_form_hash = models.CharField(_("SHA-256 of the form"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    # The campaign (round) the signature answers, or None. A plain number, not a foreign
    # key: campaigns sits above this app (.importlinter), and the ledger's evidence
    # outlives any campaign row. Hashed from entry format 2 on (acknowledgements.ledger).
    campaign_id = models.PositiveBigIntegerField(
        _("campaign"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-signed_at"]
        constraints = [
            # One acknowledgement per employee per version outside a round, and one per
            # employee, version and round (a yearly round asks for a new one), also under
            # concurrency. (Two constraints: a NULL campaign never equals another.)
            models.UniqueConstraint(
                fields=["employee", "version"],
                condition=models.Q(kind="acknowledgement", campaign_id__isnull=True),
                name="acknowledgements_one_per_employee_and_version",
            ),
            models.UniqueConstraint(
                fields=["employee", "version", "campaign_id"],
                condition=models.Q(kind="acknowledgement", campaign_id__isnull=False),
                name="acknowledgements_one_per_employee_version_and_round",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(employee)s signed version %(number)s") % {
            "employee": self.employee,
            "number": self.version.number,
        }


class TipRead(models.Model):
    """An employee opened a tip of a version (reading is tracked per tip)."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="tip_reads",
    )
    tip = models.ForeignKey(
        "handbook.Tip", verbose_name=_("tip"), on_delete=models.CASCADE, related_name="reads"
    )
    first_opened_at = models.DateTimeField(_("first opened at"), auto_now_add=True)
    # The latest opening (at most a minute off): a yearly round counts reading from its
    # start (campaigns.triggers). NULL on rows from before it was kept: the first then.
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tip read")
        verbose_name_plural = _("tips read")
        constraints = [
            models.UniqueConstraint(fields=["employee", "tip"], name="acknowledgements_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee} – {self.tip}"


class Notification(models.Model):
    """An e-mail sent to an employee about a version: one per employee, version and kind,
    so that running the sending command again sends nothing twice."""

    class Kind(models.TextChoices):
        REACKNOWLEDGEMENT = "reacknowledgement", _("Asked to sign again")

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="acknowledgement_notifications",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "version", "kind"],
                name="acknowledgements_notification_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} – {self.version} ({self.kind})"


class LedgerCheck(models.Model):
    """One check of the whole chain (acknowledgements.selectors.verification.verify_chain), asked
    for on the ledger page and run by the background worker, or run by ``manage.py
    verify_ledger`` (``requested_by`` empty). The page shows the stored result instead
    of checking the chain on every visit. Written by acknowledgements.services.ledger_checks."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: a nightly or other system run (manage.py verify_ledger)."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # While it runs: the worker's last sign of life and how often one took it on
    # (portal.heartbeat: a check whose worker died is run once more, then failed).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    ok = models.BooleanField(_("ledger intact"), null=True, blank=True)
    entries_checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    head_sequence = models.PositiveBigIntegerField(_("last entry"), default=0)
    head_hash = models.CharField(_("hash of the last entry"), max_length=64, blank=True)
    problem_sequence = models.PositiveBigIntegerField(
        _("entry with the first problem"), null=True, blank=True
    )
    # In English (the message id of acknowledgements.selectors.verification); shown translated.
    problem_reason = models.CharField(_("first problem"), max_length=300, blank=True)
    # Not a field: set by services.ledger_checks.request_check (queued now, or waiting).
    newly_requested: bool

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "-requested_at"], name="ack_ledgercheck_state")]
        constraints = [
            # One waiting check at a time, also when two people click at the same moment.
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state="queued"), name="ack_one_waiting_check"
            )
        ]

    def __str__(self) -> str:
        at = date_format(timezone.localtime(self.requested_at), "DATETIME_FORMAT")
        return gettext("Ledger check of %(at)s") % {"at": at}

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class DestructionList(models.Model):
    """A destruction list (vernietigingslijst): what the retention periods say must go,
    proposed, approved on the municipality's archivist's or records manager's
    declaration of destruction (verklaring van vernietiging), then carried out
    (acknowledgements.services.destruction). The items are stored as proposed: carrying
    out touches only what is on the approved list and still due. The checks below hold
    in the database too, so that a row marked approved by hand (raw SQL) without a
    named approver other than the proposer is refused there; the carry-out asks again."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not carried out yet")
        CARRIED_OUT = "carried_out", _("Carried out")
        SUPERSEDED = "superseded", _("Superseded by a newer list")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the list was proposed on the command line."),
    )
    day = models.DateField(_("retention applied as of"))
    employment_ended_before = models.DateField(_("employment ended before"))
    attempts_submitted_before = models.DateField(_("quiz attempts submitted before"))
    # [{"category", "identifier", "employee_number", "description", "period",
    #   "legal_ground"}]: the list as proposed, in the portal's language.
    items = models.JSONField(_("items"), default=list, blank=True)
    approver_name = models.CharField(_("name of the approver"), max_length=200, blank=True)
    approver_function = models.CharField(_("function of the approver"), max_length=200, blank=True)
    approval_date = models.DateField(_("date of the declaration"), null=True, blank=True)
    approval_reference = models.CharField(
        _("reference of the declaration"), max_length=200, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approval recorded at"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the carry-out removed: {"employees": 2, "acknowledgements": 3, ...}.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-proposed_at", "-pk"]
        permissions = [
            ("propose_destruction", _("Can propose and carry out destruction lists")),
            ("approve_destruction", _("Can record the approval of a destruction list")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "superseded"])
                | (
                    ~models.Q(approver_name="")
                    & ~models.Q(approver_function="")
                    & ~models.Q(approval_reference="")
                    & models.Q(approval_date__isnull=False)
                    & models.Q(approved_by__isnull=False)
                    & models.Q(approved_at__isnull=False)
                ),
                name="ack_destruction_approved_by_someone_named",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | models.Q(proposed_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="ack_destruction_four_eyes",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="carried_out") | models.Q(carried_out_at__isnull=False),
                name="ack_destruction_carried_out_at",
            ),
        ]

    def __str__(self) -> str:
        at = date_format(timezone.localtime(self.proposed_at), "DATE_FORMAT")
        return gettext("Destruction list of %(at)s") % {"at": at}
