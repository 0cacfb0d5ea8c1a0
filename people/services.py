"""Writes about people and the organisation."""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

from people.models import Department, Employee
from people.roles import Role


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
def grant_role(*, employee: Employee, role: str) -> None:
    from django.contrib.auth.models import Group

    employee.groups.add(Group.objects.get(name=role))
    if role == Role.ADMINISTRATOR and not employee.is_staff:
        Employee.objects.filter(pk=employee.pk).update(is_staff=True)
        employee.is_staff = True
    employee.__dict__.pop("_portal_roles", None)
