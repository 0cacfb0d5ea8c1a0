"""Writes about people and the organisation."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from people import staff_import
from people.models import Department, Employee, StaffImport
from people.roles import Role
from people.signals import employees_arrived

IMPORT_PERMISSION = "people.import_staff"


def _path_for(code: str, parent: Department | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def create_department(
    *, code: str, name: str, kind: str, parent: Department | None = None
) -> Department:
    return Department.objects.create(
        code=code, name=name, kind=kind, parent=parent, path=_path_for(code, parent)
    )


def _rewrite_paths(old_path: str, new_path: str) -> None:
    """Replace the path prefix of a department and its whole subtree in one update."""
    if old_path == new_path:
        return
    Department.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1, Length(F("path"))))
    )


def _refuse_cycle(department: Department, parent: Department | None, path: str) -> None:
    if parent is not None and (parent.pk == department.pk or parent.path.startswith(path)):
        raise ValueError("A department cannot be moved under itself.")


@transaction.atomic
def move_department(*, department: Department, parent: Department | None) -> Department:
    """Hang a department (and its subtree) under another parent."""
    _refuse_cycle(department, parent, department.path)
    old_path = department.path
    new_path = _path_for(department.code, parent)
    _rewrite_paths(old_path, new_path)
    department.parent = parent
    department.path = new_path
    department.save(update_fields=["parent"])
    return department


@transaction.atomic
def update_department(
    *, department: Department, code: str, name: str, kind: str, parent: Department | None
) -> Department:
    """Change a department; a new code or parent rewrites the paths of its subtree.

    The stored path is read from the database, so the passed object may already carry
    the new values (as a ModelAdmin's object does).
    """
    if "/" in code:
        raise ValueError("A department code cannot contain “/”.")
    stored = Department.objects.select_for_update().get(pk=department.pk)
    _refuse_cycle(stored, parent, stored.path)
    new_path = _path_for(code, parent)
    Department.objects.filter(pk=stored.pk).update(code=code, name=name, kind=kind, parent=parent)
    _rewrite_paths(stored.path, new_path)
    department.refresh_from_db()
    return department


@transaction.atomic
def set_preferred_language(*, employee: Employee, language: str) -> None:
    if language not in Employee.Language.values:
        raise ValueError(f"Unknown language {language!r}.")
    Employee.objects.filter(pk=employee.pk).update(preferred_language=language)
    employee.preferred_language = language


@transaction.atomic
def grant_role(*, employee: Employee, role: str, by: Employee | None = None) -> None:
    """Give someone a role. Only an administrator grants roles (``by`` None: the command
    line, whose operator has the database anyway); the security event log records the
    grant (signals on Employee.groups)."""
    from django.contrib.auth.models import Group

    from people.selectors import has_role

    if by is not None and not has_role(user=by, role=Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an administrator may grant roles."))
    employee.groups.add(Group.objects.get(name=role))
    if role == Role.ADMINISTRATOR and not employee.is_staff:
        Employee.objects.filter(pk=employee.pk).update(is_staff=True)
        employee.is_staff = True
    employee.__dict__.pop("_portal_roles", None)


# The staff import from the HR system ---------------------------------------------------


@dataclass
class StaffImportOutcome:
    plan: staff_import.Plan
    log: StaffImport
    added: list[Employee]

    @property
    def applied(self) -> bool:
        return self.log.mode == StaffImport.Mode.APPLIED


LEFT_ALONE = "left_alone"  # the log's key for privileged fields the import left alone
UNITS = "units"  # the log's key for the tree's changes (people.staff_import.tree)


def _logged(
    entry: staff_import.Entry, changes: list[staff_import.FieldChange]
) -> dict[str, object]:
    logged: dict[str, object] = {
        "number": entry.number,
        "name": entry.name,
        "line": entry.line,
        "fields": [change.field for change in changes],
    }
    if entry.privileged:
        logged["privileged"] = list(entry.privileged)
    return logged


def log_staff_import(
    *,
    by: Employee | None,
    filename: str,
    file_sha256: str,
    full_export: bool,
    mode: str,
    plan: staff_import.Plan,
    units_filename: str = "",
    units_sha256: str = "",
) -> StaffImport:
    """Write the log row of one import run (the caller's transaction)."""
    counts = plan.counts
    changes: dict[str, object] = {
        kind: [_logged(entry, entry.changes) for entry in plan.of_kind(kind)]
        for kind in (
            staff_import.NEW,
            staff_import.CHANGED,
            staff_import.LEAVING,
            staff_import.REACTIVATED,
        )
    }
    changes[LEFT_ALONE] = [_logged(entry, entry.left_alone) for entry in plan.left_alone]
    if plan.tree is not None:
        changes[UNITS] = plan.tree.as_log()
    return StaffImport.objects.create(
        imported_by=by,
        filename=filename[:255],
        file_sha256=file_sha256,
        full_export=full_export,
        mode=mode,
        new_count=counts[staff_import.NEW],
        changed_count=counts[staff_import.CHANGED],
        leaving_count=counts[staff_import.LEAVING],
        reactivated_count=counts[staff_import.REACTIVATED],
        unchanged_count=counts[staff_import.UNCHANGED],
        problem_count=counts["problems"],
        # The first problems only (problem_count has them all): a broken file of
        # thousands of rows must not make a log row of megabytes.
        problems=[
            problem.as_dict()
            for problem in plan.problems[: settings.STAFF_IMPORT_MAX_PROBLEMS_SHOWN]
        ],
        changes=changes,
        units_filename=units_filename[:255],
        units_sha256=units_sha256,
    )


def import_staff(
    *,
    data: bytes,
    filename: str,
    by: Employee | None,
    full_export: bool = False,
    dry_run: bool = False,
    today: datetime.date | None = None,
    units: bytes | None = None,
    units_filename: str = "",
) -> StaffImportOutcome:
    """Check a staff file from the HR system and, unless ``dry_run``, apply it: all or
    nothing, in one transaction with its log row. A file with any problem changes
    nothing (logged as refused). ``by`` None: the command line.

    The files build and keep the organisation's tree (people.staff_import.tree): units
    named by a path or by codes in the staff file, or by the organisation-unit file
    ``units`` (named ``units_filename``), are created, renamed, moved, closed and
    reopened before the people are written; no department is ever deleted.

    After applying, the new people (and people who came back) fall under the onboarding
    rule, and once the transaction is committed the new ones are invited by e-mail to
    set a password (when local log-in is on), by a background task. Privileged accounts
    keep their address and stay out once deactivated (staff_import.privileged); what
    the import did or left alone there goes to the security event log and, by e-mail,
    to the administrators.
    """
    if by is not None and not by.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(_("You may not import staff."))
    today = today or timezone.localdate()
    digest = hashlib.sha256(data).hexdigest()
    units_digest = hashlib.sha256(units).hexdigest() if units is not None else ""
    added: list[Employee] = []
    with transaction.atomic():
        plan = staff_import.build_plan(
            data, full=full_export, today=today, lock=not dry_run, units=units
        )
        if dry_run:
            mode = StaffImport.Mode.DRY_RUN
        elif plan.problems:
            mode = StaffImport.Mode.REFUSED
        else:
            mode = StaffImport.Mode.APPLIED
            added = staff_import.apply_plan(plan)
            _end_sessions_of_leavers(plan)
        log = log_staff_import(
            by=by,
            filename=filename,
            file_sha256=digest,
            full_export=full_export,
            mode=mode,
            plan=plan,
            units_filename=units_filename if units is not None else "",
            units_sha256=units_digest,
        )
        if mode != StaffImport.Mode.REFUSED:
            _privileged_aftermath(plan, log, by, applied=mode == StaffImport.Mode.APPLIED)
        if mode == StaffImport.Mode.APPLIED:
            _welcome(plan, added, today, log)
    return StaffImportOutcome(plan=plan, log=log, added=added)


def _end_sessions_of_leavers(plan: staff_import.Plan) -> None:
    """The import deactivates in bulk (no save signals): log the leavers out here."""
    from people.services.sessions import end_sessions_of

    end_sessions_of(employee_ids=[e.employee.pk for e in plan.of_kind(staff_import.LEAVING)])


def _privileged_aftermath(
    plan: staff_import.Plan, log: StaffImport, by: Employee | None, *, applied: bool
) -> None:
    """The security event log gets every privileged change left alone (also in a
    preview: an attempt counts) and every account switched off or on again; once an
    import is applied and committed, the administrators are told by the worker."""
    from people.tasks import tell_administrators
    from security.models import SecurityEvent
    from security.services import record_event

    switched = (
        [(SecurityEvent.Kind.ACCOUNT_DEACTIVATED, e) for e in plan.of_kind(staff_import.LEAVING)]
        + [
            (SecurityEvent.Kind.ACCOUNT_ACTIVATED, e)
            for e in plan.of_kind(staff_import.REACTIVATED)
        ]
        if applied
        else []
    )
    for kind, entry in switched:
        record_event(
            kind=kind,
            actor=by,
            subject=entry.employee,
            details={
                "source": "staff_import",
                "staff_import": log.pk,
                "privileged": bool(entry.privileged),
            },
        )
    for entry in plan.left_alone:
        record_event(
            kind=SecurityEvent.Kind.PRIVILEGED_CHANGE_REFUSED,
            actor=by,
            subject=entry.employee,
            details={
                "source": "staff_import",
                "staff_import": log.pk,
                "action": "privileged_fields_left_alone",
                "applied": applied,
                "fields": [change.field for change in entry.left_alone],
                "roles": list(entry.privileged),
            },
        )
    if applied and (plan.privileged_leavers or plan.left_alone):
        transaction.on_commit(lambda: tell_administrators.enqueue(log.pk))


def _welcome(
    plan: staff_import.Plan, added: list[Employee], today: datetime.date, log: StaffImport
) -> None:
    from people.services.invitations import queue_invitations
    from people.tasks import send_staff_invitations

    arrived = [e for e in added if e.is_active] + [
        entry.employee for entry in plan.of_kind(staff_import.REACTIVATED)
    ]
    if arrived:
        now = (
            None
            if today == timezone.localdate()
            else timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        )
        # The onboarding rule (campaigns), in this transaction: people.signals.
        employees_arrived.send(sender=StaffImport, employees=arrived, now=now)
    # A row per invitation in this transaction: the worker sends each once, also after
    # a crash (people.services.invitations).
    if queue_invitations(employees=added, staff_import_id=log.pk):
        transaction.on_commit(lambda: send_staff_invitations.enqueue(log.pk))
