from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A unit in the organisation tree: directie > afdeling > team, and deeper units
    (eenheid) where the organisation has more levels. The staff import builds the tree
    from the HR file (people.staff_import.tree); a unit is closed, never deleted, once
    the HR system no longer has it."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directie", _("Directorate")
        DEPARTMENT = "afdeling", _("Department")
        TEAM = "team", _("Team")
        UNIT = "eenheid", _("Unit")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Materialised path of codes ("/DIR/AFD/TEAM/") so that a subtree is one indexed
    # prefix query. Kept by people.services, never typed in.
    path = models.CharField(_("path"), max_length=1000, editable=False, db_index=True)
    # Roles held on this department only (an HR adviser of this part): removed with it.
    role_grants = GenericRelation("ObjectRoleGrant")
    # The day the HR system stopped having this unit (the staff import closed it): it
    # keeps its people and history but is offered for no new audience. None: open.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]

    def __str__(self) -> str:
        if self.closed_on is not None:
            return str(_("%(name)s (closed)") % {"name": self.name})
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class EmployeeManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An employee needs an e-mail address.")
        employee = self.model(email=self.normalize_email(email).lower(), **extra)
        employee.set_password(password)
        employee.save(using=self._db)
        return employee

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class Employee(AbstractBaseUser, PermissionsMixin):
    """A member of staff, and the portal's user account."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    employee_number = models.CharField(
        _("employee number"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The key from the HR system (personeelsnummer)."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    name_prefix = models.CharField(
        _("name prefix"), max_length=30, blank=True, help_text=_("For example “van der”.")
    )
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"), unique=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("may use the admin"),
        default=False,
        help_text=_("Only administrators use the admin site."),
    )
    date_joined = models.DateTimeField(_("account created"), default=timezone.now)

    objects = EmployeeManager()
    # Not a field: people.selectors.roles_of caches the roles here for the request.
    _portal_roles: set[str]
    _portal_object_roles: set[str]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="employee_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="employee_end_after_start",
            ),
        ]
        permissions = [
            ("view_all_employees", _("Can see every employee's data")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Name as written in Dutch: "Jan van der Berg"."""
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        """Name as sorted in Dutch lists: "Berg, Jan van der"."""
        rest = " ".join(p for p in (self.first_name, self.name_prefix) if p)
        return f"{self.last_name}, {rest}" if rest else self.last_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name


class StaffImport(models.Model):
    """One run of the staff import from the HR system: who, when, which file, what it did
    (or would have done) and every problem found. Written by people.services."""

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("Dry run")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")

    imported_by = models.ForeignKey(
        Employee,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the import ran on the command line."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    filename = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    full_export = models.BooleanField(
        _("full export"),
        default=False,
        help_text=_("Active employees missing from the file were treated as leavers."),
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    leaving_count = models.PositiveIntegerField(_("leaving"), default=0)
    reactivated_count = models.PositiveIntegerField(_("reactivated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    # [{"line": 3, "message": "..."}], in the language of whoever ran the import.
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    # {"new": [{"number", "name"}], "changed": [{"number", "name", "fields": [...]}], ...}
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The organisation-unit file uploaded beside the staff file, if any.
    units_filename = models.CharField(_("unit file name"), max_length=255, blank=True)
    units_sha256 = models.CharField(_("SHA-256 of the unit file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("import_staff", _("Can import staff from the HR system")),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class Invitation(models.Model):
    """The welcome e-mail to one new person from one import, as a row of its own so that
    a crash part-way loses none and a retry sends none twice: the worker claims the row,
    sends, and marks it sent (people.services.invitations)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not needed any more")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    staff_import = models.ForeignKey(
        StaffImport,
        verbose_name=_("staff import"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("worker"), max_length=64, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "staff_import"], name="people_invitation_once_per_import"
            )
        ]
        indexes = [models.Index(fields=["status"], name="people_invitation_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} ({self.get_status_display()})"


class ObjectRoleGrant(models.Model):
    """A role held on one object only: the editor of one guideline, the HR adviser of
    one department. The object is named generically (content type and id), so that
    people names no model of an app above it. What the role allows on that object is
    its permissions in people.roles.ROLE_PERMISSIONS (people.auth.object_roles answers
    ``user.has_perm(perm, obj)``). Written only by people.services.object_roles, which
    logs each grant and revocation in the security log."""

    employee = models.ForeignKey(
        "Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="object_role_grants",
    )
    role = models.CharField(_("role"), max_length=32)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of object"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("object number"))
    target = GenericForeignKey("content_type", "object_id")
    granted_by = models.ForeignKey(
        "Employee",
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role on an object")
        verbose_name_plural = _("roles on objects")
        ordering = ["content_type", "object_id", "role", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "role", "content_type", "object_id"],
                name="people_objectrolegrant_once",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="people_objectrolegrant_target")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.role} @ {self.content_type_id}/{self.object_id}"
