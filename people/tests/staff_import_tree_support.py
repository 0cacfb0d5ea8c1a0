"""Staff and organisation-unit files for the tests of the department tree import."""

from __future__ import annotations

from django.utils import translation

from people.services import import_staff
from people.tests.staff_import_support import TODAY, person, staff_csv

PATH_COLUMNS = ("personeelsnummer", "voornaam", "achternaam", "email", "afdelingspad")
CODE_COLUMNS = (
    "personeelsnummer",
    "voornaam",
    "achternaam",
    "email",
    "afdeling",
    "bovenliggende_afdeling",
    "afdelingsnaam",
)
UNIT_HEADER = ("code", "bovenliggende_code", "naam", "soort")
PEOPLE_COLUMNS = ("personeelsnummer", "voornaam", "achternaam", "email", "afdeling")

SIX_LEVELS = (
    "Directie Ruimte/Afdeling Vergunningen/Team Omgevingsvergunning/Cluster Bouwen"
    "/Bureau Toetsing/Unit Constructie"
)


def path_file(paths: dict[str, str], **columns) -> bytes:
    """A staff file with a path per person: {employee number: path}."""
    return staff_csv(
        [person(number, afdelingspad=path) for number, path in paths.items()],
        columns=columns.get("columns", PATH_COLUMNS),
    )


def code_file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """A staff file with code columns: (number, code, parent code, name) per person."""
    return staff_csv(
        [
            person(number, afdeling=code, bovenliggende_afdeling=parent, afdelingsnaam=name)
            for number, code, parent, name in rows
        ],
        columns=CODE_COLUMNS,
    )


def unit_file(rows: list[tuple[str, ...]], header: tuple[str, ...] = UNIT_HEADER) -> bytes:
    lines = [";".join(header)] + [";".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def people_file(units: dict[str, str]) -> bytes:
    """A staff file naming each person's unit by code: {employee number: code}."""
    return staff_csv(
        [person(number, afdeling=code) for number, code in units.items()],
        columns=PEOPLE_COLUMNS,
    )


def run(data: bytes, **kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("by", None)
    with translation.override(kwargs.pop("language", "en")):
        return import_staff(data=data, filename="personeel.csv", **kwargs)


def problems_of(outcome) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in outcome.plan.problems]


def changes_of(outcome) -> dict[str, list[str]]:
    """The tree's changes per kind: the codes."""
    tree = outcome.plan.tree
    return {kind: [unit.code for unit in tree.of_kind(kind)] for kind in tree.counts}
