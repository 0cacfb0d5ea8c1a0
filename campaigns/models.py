"""Campaigns: who must sign which version by when, and the mails that chase them.

- ``Campaign``: the yearly re-acknowledgement (or any other round) for one or more
  guidelines and an audience, with a deadline and a reminder schedule; and one standing
  ``onboarding`` campaign whose assignments come from the onboarding rule (a new
  employee's start date).
- ``CampaignGuideline``: a guideline the campaign covers (a campaign covers one or more),
  with the version it asks for, or for onboarding the days until it is due.
- ``Assignment``: one employee, one guideline, in one campaign, with the version and due
  date (campaign x employee x guideline: a yearly round can ask again for a version
  signed before). Its status (not started, read, quiz passed, signed, overdue, exempt)
  is never stored: it follows from the ledger, the quiz and the reading record
  (campaigns.selectors.with_status), whose timestamps the database copies onto the
  assignment (campaigns.triggers); campaigns.selectors.combined gives an employee's
  status over all the guidelines of a campaign.
- ``Reminder``: one step of the schedule for one assignment, unique per (assignment,
  step), so that planning twice plans nothing twice. The steps of one person planned
  together travel in one e-mail (the lowest row; the others are ``bundle``d into it),
  which lists everything open for that person; delivered by a background task
  (campaigns.services.delivery) with retries.
- ``Exemption``: one exemption of an assignment with its reason (erasable).
- ``CampaignEvent``: the audit trail (launch, exemptions, closing); it holds no free
  text about a person, only ids of the rows that do.

Writes go through campaigns.services and campaigns.services.reminders only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import AuditEvent


class Campaign(models.Model):
    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Acknowledgement campaign")
        ONBOARDING = "onboarding", _("Onboarding of new employees")

    class Audience(models.TextChoices):
        ALL = "all", _("All active employees")
        DEPARTMENTS = "departments", _("Chosen departments")
        EMPLOYEES = "employees", _("A list of employees")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not launched yet")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class Signing(models.TextChoices):
        """Who signs: everyone again (a yearly round: only a signature that names this
        campaign completes an assignment), or only who has not signed the version yet."""

        AGAIN = "again", _("Everyone signs again, also who signed this version before")
        MISSING = "missing", _("Only who has not signed this version yet")

    class Reread(models.TextChoices):
        """What someone signing again reads (Signing.AGAIN only)."""

        ALL = "all", _("Every tip again")
        WRONG = "wrong", _("Only the tips of the questions they answered wrongly last time")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CAMPAIGN)
    # What it asks for: its guidelines (CampaignGuideline, ``subjects``), each with a
    # version, or for the onboarding rule with a number of days.
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    departments = models.ManyToManyField(
        "people.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    include_subdepartments = models.BooleanField(_("with their sub-departments"), default=True)
    employees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("employees"), blank=True, related_name="+"
    )
    signing = models.CharField(
        _("who signs"), max_length=16, choices=Signing.choices, default=Signing.MISSING
    )
    reread = models.CharField(
        _("what is read again"), max_length=16, choices=Reread.choices, default=Reread.ALL
    )
    start_date = models.DateField(pgettext_lazy("campaign", "start date"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Days before an assignment's due date on which its employee is reminded, e.g. [14, 3].
    reminder_days = models.JSONField(_("reminders (days before the deadline)"), default=list)
    # Days after the due date on which the employee is reminded again, e.g. [3, 10] (the
    # due date itself always has one: campaigns.services.reminders).
    reminder_after_days = models.JSONField(
        _("reminders (days after the deadline)"), default=list, blank=True
    )
    manager_escalation_days = models.PositiveSmallIntegerField(
        _("tell the manager (days after the deadline)"), null=True, blank=True
    )
    hr_escalation_days = models.PositiveSmallIntegerField(
        _("tell HR (days after the deadline)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("manage_campaigns", _("Can set up, launch and close campaigns")),
            ("view_campaign_dashboard", _("Can see campaign dashboards")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="onboarding"),
                name="campaigns_one_onboarding_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="onboarding") | models.Q(deadline__isnull=False),
                name="campaigns_campaign_has_a_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_onboarding(self) -> bool:
        return self.kind == self.Kind.ONBOARDING

    @property
    def signs_again(self) -> bool:
        return self.signing == self.Signing.AGAIN


class CampaignGuideline(models.Model):
    """One guideline a campaign covers.

    A campaign asks for the version chosen when it was set up; the onboarding rule has no
    version (a new employee signs the version current when they start) but a number of
    days after the start date, per guideline (empty: CAMPAIGN_ONBOARDING_DAYS). Only
    employees in the guideline's own audience are asked (handbook.selectors.audience).
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="subjects",
    )
    guideline = models.ForeignKey(
        "handbook.Guideline",
        verbose_name=_("guideline"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(
        _("days after the start date"),
        null=True,
        blank=True,
        help_text=_("Onboarding only. Empty: the standard number of days."),
    )

    class Meta:
        verbose_name = _("guideline of a campaign")
        verbose_name_plural = _("guidelines of a campaign")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "guideline"], name="campaigns_guideline_once_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.guideline_id}"


class Assignment(models.Model):
    class Reason(models.TextChoices):
        LAUNCH = "launch", _("In the audience at launch")
        JOINED = "joined", _("Joined the audience later")
        ONBOARDING = "onboarding", _("New employee")

    class Status(models.TextChoices):
        """Derived, never stored: see campaigns.selectors.with_status. In the order of
        progress; every assignment has exactly one, so the counts add up to the total."""

        NOT_STARTED = "not_started", _("Not started")
        READING = "reading", _("Reading")
        QUIZ_FAILED = "quiz_failed", _("Quiz not passed yet")
        QUIZ_PASSED = "quiz_passed", _("Quiz passed")
        SIGNED = "signed", _("Signed")
        OVERDUE = "overdue", _("Overdue")
        EXEMPT = "exempt", _("Exempt")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    # The version's guideline, kept beside it so that the database can hold an employee
    # to one assignment per guideline in a campaign.
    guideline = models.ForeignKey(
        "handbook.Guideline",
        verbose_name=_("guideline"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    due_date = models.DateField(_("due date"))
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    added_at = models.DateTimeField(_("added at"))
    exempt_reason = models.TextField(_("reason for exemption"), blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exempted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exempted_at = models.DateTimeField(_("exempted at"), null=True, blank=True)
    # A round in which everyone signs again (Campaign.Signing.AGAIN): reading and the
    # quiz count from this moment (the campaign's start), and only a signature naming
    # the campaign completes the assignment. NULL: any signature of the version does.
    counts_from = models.DateTimeField(_("counts from"), null=True, blank=True, editable=False)
    # Facts kept by the database (campaigns.triggers triggers), never written by code.
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    # The signature that completed it (its ledger entry): kept, so that which round an
    # earlier signature answered stays known, whatever is signed later.
    signature = models.ForeignKey(
        "acknowledgements.Acknowledgement",
        verbose_name=_("signature"),
        on_delete=models.DO_NOTHING,  # the triggers keep it right when one is erased
        db_constraint=False,
        # No index: the signing updates stay HOT (in place) on PostgreSQL.
        db_index=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    opened_at = models.DateTimeField(
        _("first tip opened at"), null=True, blank=True, editable=False
    )
    quiz_failed_at = models.DateTimeField(
        _("quiz not passed at"), null=True, blank=True, editable=False
    )
    quiz_passed_at = models.DateTimeField(
        _("quiz passed at"), null=True, blank=True, editable=False
    )
    read_at = models.DateTimeField(_("everything read at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee", "guideline"],
                name="campaigns_one_assignment_per_guideline",
            )
        ]
        indexes = [
            models.Index(fields=["employee", "version"]),
            models.Index(fields=["campaign", "guideline", "due_date"]),
            models.Index(fields=["campaign", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} – {self.campaign}"

    @property
    def is_exempt(self) -> bool:
        return self.exempted_at is not None


class SkippedTip(models.Model):
    """A tip that someone signing again need not read again in this round: the campaign
    asks to reread only the tips of the questions answered wrongly (Campaign.Reread.WRONG),
    and they answered this tip's questions right in their last quiz of the version (or it
    had none). Written when the assignment is made; none when their answers are not known
    (then every tip is read again). The reading fact (campaigns.triggers) leaves these out."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="skipped_tips",
    )
    tip = models.ForeignKey(
        "handbook.Tip", verbose_name=_("tip"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("tip not read again")
        verbose_name_plural = _("tips not read again")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "tip"], name="campaigns_skipped_tip_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.tip_id}"


class Exemption(models.Model):
    """One exemption of an assignment: who asked for it, when and why, who approved or
    refused it (four eyes: never the one who asked), and when it was lifted. Asked for,
    it changes nothing: the assignment stays open (reminders go on) until another HR
    person approves it; only then is ``exempted_at`` set, here and on the assignment
    (campaigns.services.exemptions). The reason and the decision's note (free text
    about a person) live here, never in the audit trail: the CampaignEvents refer to
    this row by id (``details["exemption"]``), so that the trail stays append-only
    while an erasure (campaigns.services.erase_exemption_reasons) clears them. The
    assignment's ``exempt_reason`` is the reason of the exemption in force."""

    class Decision(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="exemptions",
    )
    reason = models.TextField(_("reason for exemption"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.REQUESTED
    )
    # Who asked for the exemption, with the reason (before four eyes: who exempted).
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    # When the exemption took effect: set at approval only (NULL while it waits, or
    # when it was refused).
    exempted_at = models.DateTimeField(_("exempted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused at"), null=True, blank=True)
    decision_note = models.TextField(_("note with the decision"), blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    reason_erased_at = models.DateTimeField(_("reason erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Four eyes, kept by the database too: who asked never decides.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | models.Q(exempted_by__isnull=True)
                | ~models.Q(decided_by=models.F("exempted_by")),
                name="campaigns_exemption_four_eyes",
            ),
            # An exemption is in force (exempted_at) only when approved.
            models.CheckConstraint(
                condition=models.Q(decision="approved", exempted_at__isnull=False)
                | (~models.Q(decision="approved") & models.Q(exempted_at__isnull=True)),
                name="campaigns_exemption_in_force_only_approved",
            ),
            # A decided request names when; a waiting one has no decision yet.
            models.CheckConstraint(
                condition=(models.Q(decision="requested") & models.Q(decided_at__isnull=True))
                | (models.Q(decision="refused") & models.Q(decided_at__isnull=False))
                | models.Q(decision="approved"),
                name="campaigns_exemption_decided_at",
            ),
            # One open exemption (waiting or in force) per assignment: two requests at
            # once give one.
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(decision__in=["requested", "approved"], lifted_at__isnull=True),
                name="campaigns_one_open_exemption",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.requested_at:%Y-%m-%d})"


class Reminder(models.Model):
    """One step of the schedule for one assignment, and the e-mail that goes for it.

    Unique per (assignment, step): a second planning run, or a concurrent one, adds
    nothing. The steps of one person and one kind planned together (across guidelines
    and campaigns) go as one e-mail: the row with the lowest id is the mail, the others
    are ``bundle``d into it ("sent in another mail") and never sent on their own; the
    mail lists everything open for that person when it goes
    (campaigns.services.reminders.bundle, campaigns.services.mails). Delivery claims
    the row before sending and marks it (and its bundled rows) sent after, so that a
    crashed worker's rows are picked up again (see campaigns.services.delivery).
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder to the employee")
        MANAGER = "manager", _("Escalation to the manager")
        HR = "hr", _("Escalation to HR")
        MANUAL = "manual", _("Reminder sent by the manager")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not needed any more")
        BUNDLED = "bundled", _("Sent in another mail")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # "before-14", "after-7", "manual-2026-11-25": what makes this mail unique.
    step = models.CharField(_("step"), max_length=32)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("planned at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    dispatched_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=64, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.TextField(_("sent to"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    bundle = models.ForeignKey(
        "self",
        verbose_name=_("sent in the mail of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bundled",
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "step"], name="campaigns_reminder_once_per_step"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.step}) – {self.assignment}"

    @property
    def message_id_local_part(self) -> str:
        """Stable per reminder, so that a mail system can drop a duplicate (see
        campaigns.services.delivery on the one window in which a resend is possible). The moment
        it was planned keeps it unique if the database is ever rebuilt."""
        return f"reminder-{self.pk}-{self.created_at:%Y%m%d%H%M%S}"


class CampaignEvent(AuditEvent):
    """Audit trail of campaigns: set up, launched, closed, exemptions, manual retries."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Campaign set up")
        LAUNCHED = "launched", _("Campaign launched")
        CLOSED = "closed", _("Campaign closed")
        JOINED = "joined", _("Employees added to a running campaign")
        ONBOARDING = "onboarding", _("New employees assigned")
        EXEMPTION_REQUESTED = "exemption_requested", _("Exemption requested")
        EXEMPTED = "exempted", _("Employee exempted")
        EXEMPTION_REFUSED = "exemption_refused", _("Exemption refused")
        EXEMPTION_LIFTED = "exemption_lifted", _("Exemption lifted")
        REMINDER_RETRIED = "reminder_retried", _("Failed reminder tried again")
        SCHEDULE_CHANGED = "schedule_changed", _("Reminder schedule changed")
        ONBOARDING_CHANGED = "onboarding_changed", _("Guidelines of the onboarding changed")

    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )

    class Meta(AuditEvent.Meta):
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")


class CampaignFigures(models.Model):
    """The dashboard's figures of a large campaign, worked out in the background.

    Counting 100,000 assignments per department, per day and per quiz result takes the
    database a few seconds: too long for a page. Campaigns above
    CAMPAIGN_LIVE_FIGURES_LIMIT show the latest of these (at most
    CAMPAIGN_FIGURES_MAX_AGE seconds old, with their time); smaller ones are counted
    live. See campaigns.services.figures.
    """

    campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
    )
    on = models.DateField(_("status on"), null=True, blank=True)
    computed_at = models.DateTimeField(_("worked out at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds it took"), default=0)
    data = models.JSONField(_("figures"), default=dict, blank=True)
    requested_at = models.DateTimeField(_("asked for at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign figures")
        verbose_name_plural = _("campaign figures")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.computed_at:%Y-%m-%d %H:%M})" if self.computed_at else ""
