"""Read settings from the environment, failing closed.

Only what an operator sets per installation is an environment variable: `PORTAL_*`, plus
Django's own `DJANGO_*` and `DATABASE_URL` (docs/architecture.md, "Settings"). Every one
is listed in .env.example and README.md ("Configuration"); a test keeps them in step.

A variable that was renamed is read under its old name for one release (`old=`), and a
performance setting that is no longer an environment variable is reported when it is
still set (`report_retired`): both with a warning at start-up (`EnvironmentWarning`) and
in `manage.py check` (config.checks).
"""

import os
import warnings

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()

# Old variable name -> what to tell the operator; by name, so that two settings modules
# reading the same variable (base and dev) warn once.
_renamed: dict[str, str] = {}
_retired: dict[str, str] = {}


class EnvironmentWarning(UserWarning):
    """An environment variable under a name the portal reads no longer, or for one release."""


def renamed_variables() -> list[str]:
    """What start-up said about old names of renamed variables, for `manage.py check`."""
    return list(_renamed.values())


def retired_variables() -> list[str]:
    """What start-up said about variables that are settings now, for `manage.py check`."""
    return list(_retired.values())


def _tell(notes: dict[str, str], variable: str, message: str, *, stacklevel: int) -> None:
    if variable not in notes:
        notes[variable] = message
        # stacklevel: the line of the settings module that reads the variable.
        warnings.warn(message, EnvironmentWarning, stacklevel=stacklevel + 1)


def _read(name: str, old: str | None) -> tuple[str, str | None]:
    """The variable's name as read and its value: the new name wins over the old one."""
    value = os.environ.get(name)
    old_value = os.environ.get(old) if old else None
    if old is None or old_value is None:
        return name, value
    if value is None:
        _tell(
            _renamed,
            old,
            f"The environment variable {old} is renamed {name}: set {name} instead "
            f"({old} is still read in this release only).",
            stacklevel=3,
        )
        return old, old_value
    _tell(
        _renamed,
        old,
        f"The environment variable {old} is ignored: {name} is set and wins. Remove {old}.",
        stacklevel=3,
    )
    return name, value


def env(name: str, default=_MISSING, *, old: str | None = None) -> str:
    """Return the variable's value; without a default, a missing variable is an error."""
    _, value = _read(name, old)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool, *, old: str | None = None) -> bool:
    read, value = _read(name, old)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{read} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, old: str | None = None) -> int:
    read, value = _read(name, old)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{read} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str], *, old: str | None = None) -> list[str]:
    _, value = _read(name, old)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def at_least(**values: tuple[int, int]) -> None:
    """Refuse to start when a setting (named by its environment variable) is below its
    minimum: ``at_least(PORTAL_X=(value, 1))``. For retention periods, so that a typo
    cannot destroy records early (they fail closed)."""
    for variable, (value, minimum) in values.items():
        if value < minimum:
            raise ImproperlyConfigured(f"{variable} must be at least {minimum}, not {value}.")


def report_retired(variables: dict[str, str]) -> None:
    """Warn about each variable (key) still set that is now the Django setting (value),
    with its default in the settings module: its value is not read."""
    for variable, setting in variables.items():
        if variable in os.environ:
            _tell(
                _retired,
                variable,
                f"The environment variable {variable} is ignored: the setting {setting} "
                f"has its default in config/settings/base.py and is no longer read from "
                f"the environment. To change it, set {setting} in a settings module of "
                f"your own; remove {variable} from the environment.",
                stacklevel=2,
            )
