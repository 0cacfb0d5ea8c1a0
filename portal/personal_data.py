"""The register of personal data: every kind of data the portal keeps about a person.

The right of access (AVG art. 15) asks for all of it, and the portal's apps each keep
some: the ledger its signatures, campaigns the assignments and reminders, reports the
reports that listed someone. Each app registers its own categories here from its
``AppConfig.ready()``, so that the export (``acknowledgements.selectors.personal_data``)
gathers everything without importing the apps above it.

A ``Category`` says what it holds, why, on which legal ground and for how long, which
models it covers (``"app_label.Model"``), how to collect one employee's data (JSON-ready
values, in a fixed number of queries however much there is) and how to show it on the
page and in the PDF (labels for its keys, labels for its coded values). A model that
links to a person and is deliberately left out is ``exclude``d with the reason. A test
(acknowledgements/tests/test_personal_data_register.py) walks every model with a link to
the user model and fails on one that is neither covered nor excluded.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

type Text = str | Promise
type Collector = Callable[..., Any]


LEGAL_GROUND = "art. 4 Ambtenarenwet 2017; AVG art. 6(1)(c)"


def legal_ground() -> str:
    """The ground for what the portal keeps about staff, in the current language."""
    return gettext(
        "The municipality must have an integrity policy that includes training, and must "
        "account for it (%(ground)s)."
    ) % {"ground": LEGAL_GROUND}


# The same, as a lazy text for a category's ``legal_ground``.
STAFF_GROUND: Promise = lazy(legal_ground, str)()


@dataclass(frozen=True)
class Category:
    """One kind of personal data, as the export and the page show it."""

    key: str  # the export's key, stable: part of the JSON format
    label: Text  # the heading on the page and in the PDF
    contains: Text  # in a sentence: what it holds
    why: Text
    legal_ground: Text
    kept_for: Text | Callable[[], str]  # a callable when it names a setting's value
    models: tuple[str, ...]  # "app_label.Model": what the model-walking test checks
    collect: Collector  # (employee=...) -> JSON-ready data
    order: int = 100
    labels: Mapping[str, Text] = field(default_factory=dict)  # a key's name on the page
    choices: Mapping[str, Mapping[Any, Text]] = field(default_factory=dict)  # coded values

    def kept(self) -> str:
        return str(self.kept_for() if callable(self.kept_for) else self.kept_for)

    def explanation(self) -> dict[str, str]:
        return {
            "label": str(self.label),
            "contains": str(self.contains),
            "why": str(self.why),
            "legal_ground": str(self.legal_ground),
            "kept_for": self.kept(),
        }


_categories: dict[str, Category] = {}
_excluded: dict[str, Text] = {}


def register(category: Category) -> None:
    """Add a category. A key or a model already registered is a mistake, as is a model
    also excluded: each model has one place in the register."""
    if category.key in _categories and _categories[category.key] is not category:
        raise ValueError(f"A personal-data category {category.key!r} is already registered.")
    for label in category.models:
        owner = covering(label)
        if owner is not None and owner.key != category.key:
            raise ValueError(f"{label} is already covered by the category {owner.key!r}.")
        if label in _excluded:
            raise ValueError(f"{label} is excluded from the personal data; it cannot be covered.")
    _categories[category.key] = category


def exclude(model: str, reason: Text) -> None:
    """Leave ``model`` ("app_label.Model") out of the export on purpose, saying why."""
    if covering(model) is not None:
        raise ValueError(f"{model} is covered by a category; it cannot be excluded.")
    _excluded[model] = reason


def unregister(key: str) -> Category:
    """Take a category out (tests prove the model walk notices)."""
    return _categories.pop(key)


def categories() -> list[Category]:
    """Every registered category, in the order of the page."""
    return sorted(_categories.values(), key=lambda category: (category.order, category.key))


def exclusions() -> dict[str, str]:
    """The models left out on purpose, with the reason in the current language."""
    return {model: str(reason) for model, reason in sorted(_excluded.items())}


def covering(model: str) -> Category | None:
    """The category that covers ``model`` ("app_label.Model"), if any."""
    return next((c for c in _categories.values() if model in c.models), None)


def when(value: datetime.datetime | None) -> str | None:
    """A moment as the export writes it: local time, ISO 8601, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def day(value: datetime.date | None) -> str | None:
    """A date as the export writes it: ISO 8601."""
    return value.isoformat() if value else None


# Reading it: the same data as the JSON, as rows of label and value ----------------------

# Keys many categories share; a category's own labels come first.
COMMON_LABELS: dict[str, Text] = {
    "at": _("When"),
    "kind": _("Kind"),
    "status": _("Status"),
    "event": _("Event"),
    "details": _("Details"),
    "guideline": _("Guideline"),
    "guideline_version": _("Version"),
    "campaign": _("Campaign"),
    "reason": _("Reason"),
    "language": _("Language"),
    "created_at": _("Created at"),
    "sent_at": _("Sent at"),
}

LANGUAGES: dict[str, Text] = {"nl": _("Dutch"), "en": _("English")}


@dataclass(frozen=True)
class Row:
    """One line of the readable view: a label and either a text or nested rows."""

    label: str
    text: str = ""
    rows: tuple[Row, ...] = ()
    items: tuple[tuple[Row, ...], ...] = ()  # a list of records, each its rows
    code: bool = False  # shown as it is (technical details)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, str):
        try:
            moment = parse_datetime(value) if "T" in value else None
        except ValueError:
            moment = None
        if moment is not None:
            return formats.date_format(moment, "DATETIME_FORMAT")
        if len(value) == 10 and value[4:5] == "-":
            day = parse_date(value)
            if day is not None:
                return formats.date_format(day, "DATE_FORMAT")
        return value
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float):
        return formats.number_format(value)
    return str(value)


def _rows(category: Category, data: Mapping[str, Any]) -> tuple[Row, ...]:
    return tuple(_row(category, key, value) for key, value in data.items())


def _row(category: Category, key: str, value: Any) -> Row:
    label = str(category.labels.get(key) or COMMON_LABELS.get(key) or key)
    return Row(label=label, **_content(category, key, value))


def _content(category: Category, key: str, value: Any) -> dict[str, Any]:
    choices = category.choices.get(key)
    if key == "details" and isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        return {"text": text or "–", "code": bool(text)}
    if key == "language" and isinstance(value, str):
        return {"text": str(LANGUAGES.get(value, value))}
    if isinstance(value, dict):
        return {"rows": _rows(category, value)}
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, dict) for item in value):
            return {"items": tuple(_rows(category, item) for item in value)}
        shown = [str(choices.get(v, v)) if choices else _display(v) for v in value]
        return {"text": ", ".join(shown) if shown else str(_("Nothing"))}
    if choices is not None and value in choices:
        return {"text": str(choices[value])}
    return {"text": _display(value)}


def readable(*, category: Category, data: Any) -> Row:
    """A category's data as rows for the page and the PDF, in the current language."""
    return Row(label=str(category.label), **_content(category, category.key, data))


def unlabelled_keys(*, category: Category, data: Any) -> set[str]:
    """The keys in ``data`` the readable view would show by their JSON name (a test
    keeps this empty, so that no English key reaches the Dutch page)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if not (category.labels.get(key) or COMMON_LABELS.get(key)):
                    found.add(key)
                if key != "details":
                    walk(inner)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(data)
    return found
