import uuid
from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.roles import Role
from portal.models import AuditEvent


class VersionFrozen(Exception):
    """Raised when something tries to change a published or retired version."""


class Guideline(models.Model):
    """A guideline, such as the "Handreiking gebruik sociale media", with its versions.

    Its audience says whom it applies to: everyone (the default), chosen departments
    (AudienceDepartment, each with or without its sub-departments) or chosen roles
    (AudienceRole). handbook.selectors.guidelines_for and audience_of read it.
    """

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("All staff")
        DEPARTMENTS = "departments", _("Chosen departments")
        ROLES = "roles", _("Chosen roles")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    departments = models.ManyToManyField(
        "people.Department",
        verbose_name=_("departments"),
        through="AudienceDepartment",
        related_name="+",
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_guidelines",
        help_text=_("Reminded by e-mail when the yearly review of the text is due."),
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return (self.title_en or self.title) if language == "en" else self.title


class AudienceDepartment(models.Model):
    """A department in a guideline's audience, with or without its sub-departments."""

    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("guideline"),
        on_delete=models.CASCADE,
        related_name="audience_departments",
    )
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    include_subdepartments = models.BooleanField(_("including its sub-departments"), default=True)

    class Meta:
        verbose_name = _("department in the audience")
        verbose_name_plural = _("departments in the audience")
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "department"], name="handbook_audience_department_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.department)


class AudienceRole(models.Model):
    """A role (people.roles.Role) in a guideline's audience."""

    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("guideline"),
        on_delete=models.CASCADE,
        related_name="audience_roles",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role in the audience")
        verbose_name_plural = _("roles in the audience")
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "role"], name="handbook_audience_role_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="handbook_audience_role_known"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_role_display())


class GuidelineVersion(models.Model):
    """One numbered version of a guideline's text.

    A draft can be edited; publishing (handbook.services.publish_version) freezes it.
    The database refuses any change to a published or retired version's content
    (see handbook.triggers); the model and the admin refuse it earlier and more kindly.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), help_text=_("Markdown."))
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    change_summary = models.TextField(_("summary of changes"), blank=True)
    change_summary_en = models.TextField(_("summary of changes (English)"), blank=True)
    effective_date = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("The version becomes the current one on this date."),
    )
    requires_reacknowledgement = models.BooleanField(
        _("everyone must acknowledge again"),
        default=False,
        help_text=_("Tick this when the meaning of the guideline changed."),
    )
    # {lineage: note}. NULL: published before removals were marked (migration 0007);
    # a removal in such a version asks nobody to sign again, as it did then.
    editorial_removals = models.JSONField(
        _("removed tips that are not a change in meaning"),
        null=True,
        blank=True,
        default=dict,
        help_text=_(
            "Tips of the previous version that this version leaves out, and that the editor "
            "marked as not a change in meaning (for example: merged into another tip), with "
            "the editor's note, by lineage. Any other removed tip is a change in meaning."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_hash = models.CharField(
        _("SHA-256 of the Dutch text"), max_length=64, blank=True, editable=False
    )
    content_hash_en = models.CharField(
        _("SHA-256 of the English text"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_edited_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retired by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        ordering = ["guideline", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="handbook_version_number_unique"
            ),
            # One open draft per guideline: two editors never edit rival drafts.
            models.UniqueConstraint(
                fields=["guideline"],
                condition=models.Q(status="draft"),
                name="handbook_one_draft_per_guideline",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    ~models.Q(content_hash="")
                    & models.Q(published_at__isnull=False)
                    & models.Q(effective_date__isnull=False)
                ),
                name="handbook_published_version_complete",
            ),
        ]
        permissions = [
            ("publish_guidelineversion", _("Can publish a guideline version")),
            ("view_draft_guidelineversion", _("Can see draft guideline versions")),
        ]

    def __str__(self) -> str:
        return gettext("%(title)s – version %(number)s") % {
            "title": self.title,
            "number": self.number,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Guard only: a stored version that is no longer a draft is frozen. Status
        # changes go through handbook.services with queryset updates.
        if getattr(self, "_stored_status", self.Status.DRAFT) != self.Status.DRAFT:
            raise VersionFrozen(
                f"Version {self.number} is {self._stored_status}: it cannot change."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if getattr(self, "_stored_status", self.Status.DRAFT) != self.Status.DRAFT:
            raise VersionFrozen(f"Version {self.number} is {self._stored_status}: it cannot go.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def title_in(self, language: str) -> str:
        return (self.title_en or self.title) if language == "en" else self.title

    def introduction_in(self, language: str) -> str:
        return (
            (self.introduction_en or self.introduction) if language == "en" else self.introduction
        )

    def removal_is_material(self, lineage: uuid.UUID) -> bool:
        """Whether leaving out the previous version's tip of this lineage is a change in
        meaning: yes, unless the editor marked it otherwise (or the version was published
        before removals were marked)."""
        return self.editorial_removals is not None and str(lineage) not in self.editorial_removals

    def removal_note(self, lineage: uuid.UUID) -> str:
        """The editor's note on a removal that is not a change in meaning, or ""."""
        return str((self.editorial_removals or {}).get(str(lineage)) or "")

    def change_summary_in(self, language: str) -> str:
        if language == "en":
            return self.change_summary_en or self.change_summary
        return self.change_summary


TOPIC_LENGTH = 80


class Tip(models.Model):
    """One numbered tip of a version. Its lineage ties it to the same tip in other versions."""

    class Change(models.TextChoices):
        NEW = "new", _("New")
        UNCHANGED = "unchanged", _("Unchanged")
        EDITORIAL = "editorial", _("Editorial change")
        MATERIAL = "material", _("Change in meaning")

    version = models.ForeignKey(
        GuidelineVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="tips"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    text_en = models.TextField(_("text (English)"), blank=True)
    # A label shown with the number ("Tip 3 – Judgement"), outside the version's text:
    # not hashed (handbook.selectors.canonical) and, alone of a published version's tip,
    # it may change (handbook.triggers.TOPIC_COLUMNS; handbook.services.topics).
    topic = models.CharField(
        _("topic"),
        max_length=TOPIC_LENGTH,
        blank=True,
        help_text=_("A few words on what the tip is about. Not part of the signed text."),
    )
    topic_en = models.CharField(_("topic (English)"), max_length=TOPIC_LENGTH, blank=True)
    change = models.CharField(
        _("change since the previous version"),
        max_length=16,
        choices=Change.choices,
        default=Change.NEW,
        help_text=_(
            "Editorial: nobody has to acknowledge again. Change in meaning: staff re-read it."
        ),
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="handbook_tip_number_unique"
            ),
            models.UniqueConstraint(
                fields=["version", "lineage"], name="handbook_tip_lineage_unique"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Tip %(number)s") % {"number": self.number}

    def text_in(self, language: str) -> str:
        return (self.text_en or self.text) if language == "en" else self.text

    def topic_in(self, language: str) -> str:
        return (self.topic_en or self.topic) if language == "en" else self.topic

    @property
    def is_material(self) -> bool:
        return self.change in (self.Change.MATERIAL, self.Change.NEW)


class HandbookEvent(AuditEvent):
    """Audit trail of the handbook: who did what to which version, and when."""

    class Kind(models.TextChoices):
        DRAFT_CREATED = "draft_created", _("Draft created")
        DRAFT_CHANGED = "draft_changed", _("Draft changed")
        DRAFT_DISCARDED = "draft_discarded", _("Draft discarded")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")
        RETIREMENT_REQUESTED = "retirement_requested", _("Retirement requested")
        RETIREMENT_CANCELLED = "retirement_cancelled", _("Retirement request cancelled")
        REVIEW_REMINDER_SENT = "review_reminder_sent", _("Review reminder sent")
        GUIDELINE_CREATED = "guideline_created", _("Guideline created")
        AUDIENCE_CHANGED = "audience_changed", _("Audience changed")
        TOPICS_CHANGED = "topics_changed", _("Tip topics changed")

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.PROTECT, related_name="events"
    )
    version_number = models.PositiveIntegerField(_("version number"), null=True, blank=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("handbook event")
        verbose_name_plural = _("handbook events")


class RetirementRequest(models.Model):
    """One editor's request to retire a published version, with the reason. Another
    editor confirms it (then the version is retired) or either cancels it; at most one
    request per version is open. Written by handbook.services.retirement."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a second editor")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    version = models.ForeignKey(
        GuidelineVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="retirement_requests",
    )
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("confirmed or cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retirement request")
        verbose_name_plural = _("retirement requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(state="open"),
                name="handbook_one_open_retirement_request",
            )
        ]

    def __str__(self) -> str:
        return gettext("Retirement of version %(number)s") % {"number": self.version.number}
