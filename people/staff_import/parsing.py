"""Reading the HR system's CSV: the encoding, the delimiter, the header and the cells.

Header names are case-insensitive, Dutch or English, with spaces, underscores, dashes
or dots between words ("Datum in dienst", "datum_in_dienst", "E-mail"). Nothing here
touches the database.

A file is refused before it is parsed when it breaks a cap (settings
STAFF_IMPORT_MAX_BYTES, _ROWS, _LINE_CHARS, _CELL_CHARS): the checks run from the
cheapest up, so a huge, binary or endless file costs the server a moment, not a parse.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
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
    # The person's unit described in the row (see people.staff_import.tree): its whole
    # path of names, or its code (the "afdeling" column) with its parent's code, its
    # name and its kind.
    "department_path": (
        "afdelingspad",
        "organisatiepad",
        "pad",
        "department_path",
        "unit_path",
        "path",
    ),
    "department_parent": (
        "bovenliggende_afdeling",
        "bovenliggende_afdelingscode",
        "bovenliggende_code",
        "parent_department",
        "department_parent_code",
        "parent_code",
    ),
    "department_name": ("afdelingsnaam", "naam_afdeling", "department_name", "unit_name"),
    "department_kind": (
        "soort_afdeling",
        "afdelingssoort",
        "soort_eenheid",
        "department_kind",
        "unit_kind",
    ),
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
KEY = "employee_number"

# The organisation-unit file an HR system exports beside the staff file: a row per unit.
UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "eenheidcode",
        "afdelingscode",
        "organisatiecode",
        "unit_code",
        "department_code",
        "org_unit_code",
    ),
    "parent": (
        "bovenliggende_code",
        "bovenliggende_eenheid",
        "bovenliggende_afdeling",
        "parent_code",
        "parent",
        "parent_unit_code",
    ),
    "name": ("naam", "omschrijving", "eenheidnaam", "afdelingsnaam", "name", "unit_name"),
    "kind": ("soort", "type", "soort_eenheid", "kind", "unit_kind"),
}
UNIT_KEY = "code"

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
    key: str = KEY

    @property
    def readable(self) -> bool:
        """Whether the rows could be read at all (the key column was found)."""
        return self.key in self.columns


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


def read_text(data: bytes) -> tuple[str | None, str | None]:
    """The file's text, or None and why it is refused: too big, UTF-16, binary, not
    UTF-8 or Windows-1252, too many rows or a line too long. Cheapest checks first."""
    limit = settings.STAFF_IMPORT_MAX_BYTES
    if len(data) > limit:
        return None, _("The file is too big: it may be at most %(limit)s.") % {
            "limit": filesizeformat(limit)
        }
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _(
            "The file is in UTF-16 (“Unicode text”). In Excel, choose Save as and then CSV UTF-8."
        )
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        return None, _(
            "The file is not a CSV file but another kind of file (an Excel workbook?). "
            "In Excel, choose Save as and then CSV."
        )
    text = decode(data)
    if text is None:
        return None, _("The file is not text in UTF-8 or Windows-1252. Export it again.")
    lines = text.splitlines()
    rows = sum(1 for line in lines if line.strip()) - 1  # the header
    if rows > settings.STAFF_IMPORT_MAX_ROWS:
        return None, _(
            "The file has %(count)s rows; at most %(limit)s can be imported at once. Split "
            "the file or ask the application manager to raise the limit."
        ) % {"count": rows, "limit": settings.STAFF_IMPORT_MAX_ROWS}
    too_long = next(
        (n for n, line in enumerate(lines, 1) if len(line) > settings.STAFF_IMPORT_MAX_LINE_CHARS),
        None,
    )
    if too_long is not None:
        return None, _(
            "Line %(line)s is longer than %(limit)s characters: this is not a staff export."
        ) % {"line": too_long, "limit": settings.STAFF_IMPORT_MAX_LINE_CHARS}
    return text, None


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


def _rows(reader, previous_end: int, parsed: ParsedFile):
    """(first line, cells) per row; a row the csv module cannot read (a quote never
    closed) ends the file with a problem instead of an error."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            parsed.problems.append(
                Problem(
                    previous_end + 1,
                    _(
                        'From this line on the file cannot be read: a quote (") is not '
                        "closed, or a cell is far too long."
                    ),
                )
            )
            return
        line, previous_end = previous_end + 1, reader.line_num
        yield line, row


def parse(
    data: bytes, *, columns: dict[str, tuple[str, ...]] = COLUMNS, key: str = KEY
) -> ParsedFile:
    """Split the file into rows of cells per model field; problems with the file as a
    whole or its header are collected, not raised. ``columns`` and ``key``: the staff
    file's (the default) or the unit file's (UNIT_COLUMNS, UNIT_KEY)."""
    aliases = (
        ALIASES
        if columns is COLUMNS
        else {alias: name for name, names in columns.items() for alias in names}
    )
    parsed = ParsedFile(key=key)
    text, refusal = read_text(data)
    if text is None:
        parsed.problems.append(Problem(None, refusal))
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
    for _line, row in _rows(reader, 0, parsed):
        if excel_hint and reader.line_num == header_index + 1:
            continue
        if any(cell.strip() for cell in row):
            header = row
            break
    if not header:
        if not parsed.problems:
            parsed.problems.append(Problem(None, _("The file is empty.")))
        return parsed
    header_line = reader.line_num
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        normalised = normalise_header(name)
        if not normalised:
            continue
        column = aliases.get(normalised)
        if column is None:
            parsed.problems.append(
                Problem(
                    header_line,
                    _("The column “%(name)s” is unknown. Known columns: %(known)s.")
                    % {
                        "name": name.strip(),
                        "known": ", ".join(names[0] for names in columns.values()),
                    },
                )
            )
        elif column in positions:
            parsed.problems.append(
                Problem(
                    header_line,
                    _("The column “%(name)s” appears twice.") % {"name": columns[column][0]},
                )
            )
        else:
            positions[column] = index
    parsed.columns = list(positions)
    if key not in positions:
        parsed.problems.append(
            Problem(
                header_line,
                _("The column “%(name)s” is missing.") % {"name": columns[key][0]},
            )
        )
        return parsed
    previous_end = header_line
    cell_limit = settings.STAFF_IMPORT_MAX_CELL_CHARS
    for line, row in _rows(reader, previous_end, parsed):
        if not any(cell.strip() for cell in row):
            continue
        if any(len(cell) > cell_limit for cell in row):
            parsed.problems.append(
                Problem(
                    line,
                    _("A cell is longer than %(limit)s characters.") % {"limit": cell_limit},
                )
            )
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
