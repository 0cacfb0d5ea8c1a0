"""Building staff files for the staff import's tests."""

from __future__ import annotations

import datetime

from people.models import Department
from people.services import create_department

COLUMNS = (
    "personeelsnummer",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "email",
    "afdeling",
    "functie",
    "leidinggevende",
    "datum_in_dienst",
    "datum_uit_dienst",
    "taal",
)


def person(number: str, **values) -> dict:
    """A row: defaults for every column, overridden by the keyword arguments (Dutch
    column names)."""
    row = {
        "personeelsnummer": number,
        "voornaam": f"Voornaam{number}",
        "tussenvoegsel": "",
        "achternaam": f"Achternaam{number}",
        "email": f"p{number}@voorbeeldstad.nl",
        "afdeling": "AFD-VERG",
        "functie": "Medewerker",
        "leidinggevende": "",
        "datum_in_dienst": "01-01-2020",
        "datum_uit_dienst": "",
        "taal": "nl",
    }
    row.update(values)
    return row


def staff_csv(
    rows: list[dict],
    *,
    columns: tuple[str, ...] = COLUMNS,
    delimiter: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(str(row.get(column, "")) for column in columns) for row in rows]
    data = (newline.join(lines) + newline).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def organisation() -> dict[str, Department]:
    """Directie Ruimte > Afdeling Vergunningen > Team Handhaving, and Afdeling P&O."""
    ruimte = create_department(code="DIR-RUI", name="Directie Ruimte", kind="directie")
    vergunningen = create_department(
        code="AFD-VERG", name="Afdeling Vergunningen", kind="afdeling", parent=ruimte
    )
    handhaving = create_department(
        code="TEAM-HAN", name="Team Handhaving", kind="team", parent=vergunningen
    )
    po = create_department(code="AFD-PO", name="Afdeling P&O", kind="afdeling")
    return {d.code: d for d in (ruimte, vergunningen, handhaving, po)}


TODAY = datetime.date(2026, 6, 15)
