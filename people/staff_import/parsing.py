"""Reading the HR system's CSV: the encoding, the delimiter, the header and the cells.

Header names are case-insensitive, Dutch or English, with spaces, underscores, dashes
or dots between words ("Datum in dienst", "datum_in_dienst", "E-mail"). Nothing here
touches the database.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Model field → the header names accepted for it (normalised: lower case, words joined
# by "_"). The first name is the one shown in messages.
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_number": (
        "personeelsnummer",
        "personeelsnr",
        "employee_number",
        "employee_no",
        "employee_id",
    ),
    "first_name": ("voornaam", "roepnaam", "first_name", "given_name"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsels", "name_prefix", "prefix"),
    "last_name": ("achternaam", "geslachtsnaam", "last_name", "surname", "family_name"),
    "email": (
        "email",
        "e_mail",
        "emailadres",
        "e_mailadres",
        "email_address",
        "e_mail_address",
    ),
    "department": ("afdeling", "afdelingscode", "department", "department_code"),
    "job_title": ("functie", "functienaam", "job_title", "function"),
    "manager": (
        "leidinggevende",
        "personeelsnummer_leidinggevende",
        "manager",
        "manager_employee_number",
    ),
    "start_date": ("datum_in_dienst", "in_dienst", "start_date", "date_started"),
    "end_date": ("datum_uit_dienst", "uit_dienst", "end_date", "date_left"),
    "preferred_language": ("taal", "voorkeurstaal", "language", "preferred_language"),
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
KEY = "employee_number"

LANGUAGES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")
SEP_LINE = re.compile(r"^sep=([;,\t|])$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file; ``line`` None: the file as a whole."""

    line: int | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.message}


@dataclass
class Row:
    line: int
    cells: dict[str, str]  # model field → the stripped cell, for the columns present


@dataclass
class ParsedFile:
    columns: list[str] = field(default_factory=list)  # model fields present, in file order
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Whether the rows could be read at all (the key column was found)."""
        return KEY in self.columns


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252; None when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "_", name.replace("\ufeff", "").strip().lower()).strip("_")


def detect_delimiter(header_line: str) -> str:
    """``;`` or ``,``: whichever the header line has more of (``;`` on a tie). A first
    line ``sep=;`` (written by Excel) names it instead."""
    return "," if header_line.count(",") > header_line.count(";") else ";"


def parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_language(value: str) -> str | None:
    return LANGUAGES.get(value.strip().lower())


def parse(data: bytes) -> ParsedFile:
    """Split the file into rows of cells per model field; problems with the file as a
    whole or its header are collected, not raised."""
    parsed = ParsedFile()
    text = decode(data)
    if text is None:
        parsed.problems.append(
            Problem(None, _("The file is not text in UTF-8 or Windows-1252. Export it again."))
        )
        return parsed
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        parsed.problems.append(Problem(None, _("The file is empty.")))
        return parsed
    # Excel may start the file with "sep=;", naming the delimiter.
    excel_hint = SEP_LINE.match(lines[header_index].strip())
    delimiter = excel_hint.group(1) if excel_hint else detect_delimiter(lines[header_index])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    for row in reader:
        if excel_hint and reader.line_num == header_index + 1:
            continue
        if any(cell.strip() for cell in row):
            header = row
            break
    header_line = reader.line_num
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        normalised = normalise_header(name)
        if not normalised:
            continue
        column = ALIASES.get(normalised)
        if column is None:
            parsed.problems.append(
                Problem(
                    header_line,
                    _("The column “%(name)s” is unknown. Known columns: %(known)s.")
                    % {
                        "name": name.strip(),
                        "known": ", ".join(names[0] for names in COLUMNS.values()),
                    },
                )
            )
        elif column in positions:
            parsed.problems.append(
                Problem(
                    header_line,
                    _("The column “%(name)s” appears twice.") % {"name": COLUMNS[column][0]},
                )
            )
        else:
            positions[column] = index
    parsed.columns = list(positions)
    if KEY not in positions:
        parsed.problems.append(
            Problem(
                header_line,
                _("The column “%(name)s” is missing.") % {"name": COLUMNS[KEY][0]},
            )
        )
        return parsed
    previous_end = header_line
    for row in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any(cell.strip() for cell in row[len(header) :]):
            parsed.problems.append(
                Problem(line, _("The row has more cells than the header has columns."))
            )
        parsed.rows.append(
            Row(
                line=line,
                cells={
                    column: (row[i].strip() if i < len(row) else "")
                    for column, i in positions.items()
                },
            )
        )
    if not parsed.rows:
        parsed.problems.append(Problem(None, _("The file has no rows under the header.")))
    return parsed
