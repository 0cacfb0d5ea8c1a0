"""Every app has the one layout of docs/architecture.md ("One layout in every app"):
the same names for the same things, so that a newcomer learns it once.

The check is on the file system, next to import-linter's check of the imports: a new
``views_hr.py``, ``urls_team.py`` or ``figures.py`` beside ``services`` fails here and
names the place it belongs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["people", "security", "handbook", "quizzes", "acknowledgements", "campaigns", "reports"]
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# What any app may have at its top level (a module, a package, or either). Data that is
# not Python (templates/, the seed text, a quiz bank's YAML) may sit beside it.
COMMON = {
    "__init__.py",
    "apps.py",
    "models.py",
    "admin.py",
    "admin",
    "urls.py",
    "tasks.py",
    "signals.py",
    "hooks.py",
    "receivers.py",
    "triggers.py",
    "triggers",  # a package when old migrations keep an earlier version's SQL (campaigns)
    "middleware.py",
    "context_processors.py",
    "services.py",
    "services",
    "selectors.py",
    "selectors",
    "views.py",
    "views",
    "forms.py",
    "forms",
    "management",
    "migrations",
    "templatetags",
    "tests",
}

# Each app's own machinery, in one named subpackage (or module), documented.
OWN = {
    "people": {"roles.py", "auth", "staff_import"},
    "handbook": {"text_io"},
    "quizzes": {"bank_io"},
    "acknowledgements": {"ledger"},
    "reports": {"pdf", "tabular.py"},
}


def top_level(app: str) -> set[str]:
    return {
        path.name
        for path in (ROOT / app).iterdir()
        if path.suffix == ".py" or (path.is_dir() and any(path.glob("*.py")))
    }


@pytest.mark.parametrize("app", APPS)
def test_an_app_has_only_the_layouts_names_at_its_top_level(app):
    unexpected = top_level(app) - COMMON - OWN.get(app, set())

    assert not unexpected, (
        f"{app}: {sorted(unexpected)} has no place in the layout: writes go in services/, "
        "reads in selectors/, pages in views/ and forms/, URLs in the one urls.py "
        "(docs/architecture.md, 'One layout in every app')."
    )


@pytest.mark.parametrize("app", APPS)
def test_an_app_never_has_both_a_module_and_a_package_of_one_name(app):
    names = top_level(app)

    doubled = {name for name in names if name.endswith(".py") and name[:-3] in names}
    assert not doubled


@pytest.mark.parametrize("app", APPS)
def test_every_package_in_an_app_says_what_it_holds(app):
    """A services/, selectors/, views/ or forms/ package starts with a docstring."""
    for name in ("services", "selectors", "views", "forms"):
        init = ROOT / app / name / "__init__.py"
        if init.exists():
            assert init.read_text().lstrip().startswith('"""'), init


@pytest.mark.parametrize(("app", "name"), [(a, n) for a, names in OWN.items() for n in names])
def test_each_apps_own_machinery_is_documented(app, name):
    assert f"`{app}/{name.removesuffix('.py')}" in ARCHITECTURE.read_text()


def _public_functions(app: str, kind: str):
    """(module, name, function) for every public function an app's services or selectors
    define (modules and packages alike)."""
    import importlib
    import inspect
    import pkgutil

    try:
        package = importlib.import_module(f"{app}.{kind}")
    except ModuleNotFoundError:
        return
    modules = [package]
    if hasattr(package, "__path__"):
        modules += [
            importlib.import_module(f"{app}.{kind}.{found.name}")
            for found in pkgutil.iter_modules(package.__path__)
        ]
    for module in modules:
        for name, value in vars(module).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(value)
                and value.__module__ == module.__name__
            ):
                yield module.__name__, name, value


def _positional(function) -> list[str]:
    import inspect

    parameters = list(inspect.signature(function).parameters.values())
    # A signal receiver gets the sender positionally from Django (documented exception).
    if parameters and parameters[0].name == "sender":
        parameters = parameters[1:]
    return [
        parameter.name
        for parameter in parameters
        if parameter.kind not in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)
    ]


@pytest.mark.parametrize("kind", ["services", "selectors"])
@pytest.mark.parametrize("app", APPS)
def test_public_services_and_selectors_take_keyword_only_arguments(app, kind):
    """docs/architecture.md, "Services and selectors: keyword-only and typed": a call says
    what it passes. A helper that only its own module uses gets a leading underscore."""
    positional = [
        f"{module}.{name}({', '.join(_positional(function))})"
        for module, name, function in _public_functions(app, kind)
        if _positional(function)
    ]

    assert not positional
