"""Demo data for trying the portal: "Gemeente Voorbeeldstad".

Used by ``manage.py seed_demo`` and ``manage.py demo_totp``. Everything here is
deterministic (fixed names, numbers, dates and TOTP secrets) and idempotent: a second
run finds what the first one made and changes nothing.

Never for production: every demo employee shares one known password and the privileged
accounts get TOTP secrets that are printed on the console.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import time
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from people.models import Department, Employee
from people.roles import MFA_ROLES, Role
from people.services import create_department, grant_role

DEMO_PASSWORD = "Voorbeeldstad-2026!"  # noqa: S105 (a demo password, printed on purpose)
DEMO_DOMAIN = "voorbeeldstad.nl"
DEMO_URL = "http://127.0.0.1:8000/"


# --------------------------------------------------------------------------- departments


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    kind: str
    parent: str | None = None


D = Department.Kind
DEPARTMENTS: tuple[DemoDepartment, ...] = (
    DemoDepartment("DIR-CON", "Concernstaf", D.DIRECTORATE),
    DemoDepartment("DIR-RUI", "Directie Ruimte", D.DIRECTORATE),
    DemoDepartment("AFD-VERG", "Afdeling Vergunningen", D.DEPARTMENT, "DIR-RUI"),
    DemoDepartment("TEAM-OMG", "Team Omgevingsvergunningen", D.TEAM, "AFD-VERG"),
    DemoDepartment("TEAM-HAN", "Team Handhaving", D.TEAM, "AFD-VERG"),
    DemoDepartment("AFD-OR", "Afdeling Openbare Ruimte", D.DEPARTMENT, "DIR-RUI"),
    DemoDepartment("DIR-BED", "Directie Bedrijfsvoering", D.DIRECTORATE),
    DemoDepartment("AFD-PO", "Afdeling P&O", D.DEPARTMENT, "DIR-BED"),
    DemoDepartment("AFD-COM", "Afdeling Communicatie", D.DEPARTMENT, "DIR-BED"),
    DemoDepartment("AFD-IV", "Afdeling Informatievoorziening", D.DEPARTMENT, "DIR-BED"),
    DemoDepartment("DIR-SAM", "Directie Samenleving", D.DIRECTORATE),
    DemoDepartment("AFD-SC", "Afdeling Sport en Cultuur", D.DEPARTMENT, "DIR-SAM"),
    DemoDepartment("AFD-WI", "Afdeling Werk en Inkomen", D.DEPARTMENT, "DIR-SAM"),
)
del D


# --------------------------------------------------------------------------- employees


@dataclass(frozen=True)
class DemoPerson:
    number: str
    first_name: str
    name_prefix: str
    last_name: str
    job_title: str
    department: str
    manager: str | None
    start_date: datetime.date
    email: str = ""  # derived from the name unless given (demo accounts)
    language: str = "nl"
    end_date: datetime.date | None = None
    roles: tuple[str, ...] = field(default=())
    superuser: bool = False

    @property
    def address(self) -> str:
        return self.email or default_email(self.first_name, self.name_prefix, self.last_name)


def _ascii(text: str) -> str:
    text = text.replace("ı", "i")  # Turkish dotless i has no decomposition
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "-"))


def default_email(first_name: str, name_prefix: str, last_name: str) -> str:
    """An address from a name: Gerrit van 't Hof -> gerrit.vanthof@voorbeeldstad.nl."""
    first = _ascii(first_name).lower()
    last = _ascii(f"{name_prefix}{last_name}".replace(" ", "")).lower()
    return f"{first}.{last}@{DEMO_DOMAIN}"


def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


P = DemoPerson
ROLE = Role
# The organisation, top down: gemeentesecretaris, directors, afdelingshoofden,
# teamleiders, staff. Every person except the gemeentesecretaris has a manager.
PEOPLE: tuple[DemoPerson, ...] = (
    # Concernstaf
    P("300001", "Marijke", "van der", "Heijden", "Gemeentesecretaris / algemeen directeur",
      "DIR-CON", None, _d("2012-03-01")),
    P("300002", "Ümit", "", "Yıldız", "Concerncontroller", "DIR-CON", "300001",
      _d("2018-09-01"), email="auditor@voorbeeldstad.nl", roles=(ROLE.AUDITOR,)),
    P("300003", "Sanne", "de", "Bruijn", "Bestuursadviseur", "DIR-CON", "300001",
      _d("2019-02-01")),
    P("300004", "Gijs", "van den", "Heuvel", "Integriteitscoördinator", "DIR-CON", "300001",
      _d("2016-05-01")),
    # Directie Ruimte
    P("300010", "Pieter-Jan", "", "Bakker", "Directeur Ruimte", "DIR-RUI", "300001",
      _d("2010-01-01")),
    P("300011", "Ingrid", "van den", "Berg", "Afdelingshoofd Vergunningen", "AFD-VERG",
      "300010", _d("2014-04-01")),
    P("300012", "Mohamed", "", "El Amrani", "Teamleider Omgevingsvergunningen", "TEAM-OMG",
      "300011", _d("2015-10-01"), email="leidinggevende@voorbeeldstad.nl"),
    P("300013", "Lotte", "", "Jansen", "Vergunningverlener omgevingsrecht", "TEAM-OMG",
      "300012", _d("2021-03-01"), email="medewerker@voorbeeldstad.nl"),
    P("300014", "Kees", "de", "Vries", "Vergunningverlener omgevingsrecht", "TEAM-OMG",
      "300012", _d("2003-08-01")),
    P("300015", "Zoë", "", "Visser", "Medewerker vergunningen", "TEAM-OMG", "300012",
      _d("2022-01-01")),
    P("300016", "Bram", "van", "Dijk", "Juridisch medewerker omgevingsrecht", "TEAM-OMG",
      "300012", _d("2020-06-01")),
    P("300017", "Fatma", "", "Demir", "Medewerker vergunningen", "TEAM-OMG", "300012",
      _d("2023-09-01")),
    P("300018", "Jeroen", "", "Smit", "Adviseur ruimtelijke ordening", "TEAM-OMG", "300012",
      _d("2017-01-01"), end_date=_d("2026-06-30")),  # the leaver
    P("300020", "Esther", "", "Mulder", "Teamleider Handhaving", "TEAM-HAN", "300011",
      _d("2013-02-01")),
    P("300021", "Ruud", "van", "Leeuwen", "Toezichthouder bouw en wonen", "TEAM-HAN",
      "300020", _d("2009-11-01")),
    P("300022", "Naima", "", "Bouzid", "Boa openbare ruimte", "TEAM-HAN", "300020",
      _d("2021-05-01")),
    P("300023", "Thijs", "de", "Graaf", "Handhaver", "TEAM-HAN", "300020", _d("2024-02-01")),
    P("300024", "Anouk", "", "Kok", "Juridisch medewerker handhaving", "TEAM-HAN", "300020",
      _d("2019-09-01")),
    P("300025", "Daan", "ter", "Horst", "Toezichthouder milieu", "TEAM-HAN", "300020",
      _d("2018-04-01")),
    P("300030", "Wim", "", "Hendriks", "Afdelingshoofd Openbare Ruimte", "AFD-OR", "300010",
      _d("2011-07-01")),
    P("300031", "Gerrit", "van 't", "Hof", "Opzichter wegen", "AFD-OR", "300030",
      _d("1998-03-01")),
    P("300032", "Mirjam", "", "Dekker", "Beleidsmedewerker groen", "AFD-OR", "300030",
      _d("2016-09-01")),
    P("300033", "Sven", "", "Bos", "Medewerker wegbeheer", "AFD-OR", "300030",
      _d("2022-04-01")),
    P("300034", "Joyce", "van der", "Linden", "Projectleider openbare ruimte", "AFD-OR",
      "300030", _d("2015-01-01")),
    P("300035", "Lukas", "", "Schneider", "Adviseur riolering", "AFD-OR", "300030",
      _d("2023-03-01"), language="en"),
    P("300036", "Hatice", "", "Kaya", "Medewerker afval en reiniging", "AFD-OR", "300030",
      _d("2020-10-01")),
    # Directie Bedrijfsvoering
    P("300040", "Annemarie", "", "Vermeulen", "Directeur Bedrijfsvoering", "DIR-BED",
      "300001", _d("2014-01-01")),
    P("300041", "Frédérique", "de", "Wit", "Afdelingshoofd P&O", "AFD-PO", "300040",
      _d("2017-06-01")),
    P("300042", "Yvonne", "", "Peters", "HR-adviseur", "AFD-PO", "300041", _d("2018-11-01"),
      email="hr@voorbeeldstad.nl", roles=(ROLE.HR,)),
    P("300043", "Ahmed", "", "Benali", "Salarisadministrateur", "AFD-PO", "300041",
      _d("2012-05-01")),
    P("300044", "Els", "van den", "Broek", "HR-adviseur", "AFD-PO", "300041",
      _d("2008-02-01")),
    P("300045", "Niels", "", "Koster", "Adviseur arbeidszaken", "AFD-PO", "300041",
      _d("2021-08-01")),
    P("300046", "Priya", "", "Raman", "Recruiter", "AFD-PO", "300041", _d("2024-05-01"),
      language="en"),
    P("300050", "Marloes", "de", "Jong", "Afdelingshoofd Communicatie", "AFD-COM", "300040",
      _d("2016-03-01")),
    P("300051", "Tom", "van der", "Meer", "Communicatieadviseur", "AFD-COM", "300050",
      _d("2019-04-01"), email="redacteur@voorbeeldstad.nl", roles=(ROLE.EDITOR,)),
    P("300052", "Noor", "", "Haddou", "Webredacteur", "AFD-COM", "300050", _d("2022-09-01"),
      email="redacteur2@voorbeeldstad.nl", roles=(ROLE.EDITOR,)),
    P("300053", "Iris", "", "Prins", "Woordvoerder", "AFD-COM", "300050", _d("2015-09-01")),
    P("300054", "Jesse", "", "Brouwer", "Medewerker webcare", "AFD-COM", "300050",
      _d("2023-01-01")),
    P("300060", "René", "", "Willems", "Afdelingshoofd Informatievoorziening", "AFD-IV",
      "300040", _d("2013-10-01")),
    P("300061", "Bas", "", "Verhoeven", "Functioneel beheerder", "AFD-IV", "300060",
      _d("2017-02-01"), email="beheerder@voorbeeldstad.nl", roles=(ROLE.ADMINISTRATOR,)),
    P("300062", "Chantal", "de", "Haan", "Informatieadviseur", "AFD-IV", "300060",
      _d("2019-12-01")),
    P("300063", "Stefan", "", "Janssens", "Privacy officer", "AFD-IV", "300060",
      _d("2020-02-01")),
    P("300064", "Siobhan", "", "O'Brien", "Informatiebeveiliger (CISO)", "AFD-IV", "300060",
      _d("2022-06-01"), language="en"),
    P("300065", "Kevin", "", "Huisman", "Applicatiebeheerder", "AFD-IV", "300060",
      _d("2011-09-01")),
    # Directie Samenleving
    P("300070", "Hans", "", "Veenstra", "Directeur Samenleving", "DIR-SAM", "300001",
      _d("2009-05-01")),
    P("300071", "Brigitte", "", "Postma", "Afdelingshoofd Sport en Cultuur", "AFD-SC",
      "300070", _d("2018-01-01")),
    P("300072", "Joëlle", "van", "Beek", "Coördinator cultuur", "AFD-SC", "300071",
      _d("2020-09-01")),
    P("300073", "Rick", "", "Zwart", "Beleidsmedewerker sport", "AFD-SC", "300071",
      _d("2016-11-01")),
    P("300074", "Loes", "", "Groen", "Combinatiefunctionaris sport", "AFD-SC", "300071",
      _d("2023-08-01")),
    P("300075", "Sjoerd", "", "Hoekstra", "Medewerker zwembad", "AFD-SC", "300071",
      _d("2010-04-01")),
    P("300076", "Ayşe", "", "Öztürk", "Beleidsmedewerker cultuur", "AFD-SC", "300071",
      _d("2021-10-01")),
    P("300077", "Björn", "", "Kuipers", "Medewerker sporthal", "AFD-SC", "300071",
      _d("2024-09-01")),
    P("300080", "Erik", "van der", "Wal", "Afdelingshoofd Werk en Inkomen", "AFD-WI",
      "300070", _d("2012-08-01")),
    P("300081", "Maartje", "", "Boer", "Klantmanager werk", "AFD-WI", "300080",
      _d("2017-03-01")),
    P("300082", "Dennis", "", "Schouten", "Consulent inkomen", "AFD-WI", "300080",
      _d("2014-06-01")),
    P("300083", "Fleur", "de", "Ruiter", "Consulent schuldhulpverlening", "AFD-WI", "300080",
      _d("2022-02-01")),
    P("300084", "Youssef", "", "Ouali", "Klantmanager werk", "AFD-WI", "300080",
      _d("2019-07-01")),
    P("300085", "Wendy", "van", "Vliet", "Medewerker bijzondere bijstand", "AFD-WI",
      "300080", _d("2006-01-01")),
    P("300086", "Marco", "", "Rossi", "Jobcoach", "AFD-WI", "300080", _d("2024-11-01"),
      language="en"),
    P("300087", "Anne-Marie", "", "Dijkstra", "Consulent inkomen", "AFD-WI", "300080",
      _d("2018-05-01")),
)  # fmt: skip
del P, ROLE


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    description: str

    @property
    def uses_totp(self) -> bool:
        return self.role in MFA_ROLES


# One account per role, in the order they are printed.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("medewerker@voorbeeldstad.nl", Role.EMPLOYEE, "employee (medewerker)"),
    DemoAccount(
        "leidinggevende@voorbeeldstad.nl", Role.MANAGER, "manager of Team Omgevingsvergunningen"
    ),
    DemoAccount("hr@voorbeeldstad.nl", Role.HR, "HR adviser (P&O)"),
    DemoAccount("redacteur@voorbeeldstad.nl", Role.EDITOR, "communications editor"),
    DemoAccount("redacteur2@voorbeeldstad.nl", Role.EDITOR, "second editor (four-eyes publishing)"),
    DemoAccount("auditor@voorbeeldstad.nl", Role.AUDITOR, "auditor (read-only)"),
    DemoAccount(
        "beheerder@voorbeeldstad.nl", Role.ADMINISTRATOR, "administrator (admin site at /beheer/)"
    ),
)


# --------------------------------------------------------------------------- TOTP


def demo_totp_secret(email: str) -> str:
    """The fixed base32 TOTP secret of a demo account (derived from its address)."""
    digest = hashlib.sha256(f"voorbeeldstad-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit TOTP code for a base32 secret at a moment (default now).

    Uses allauth's own algorithm and settings (period, digits), so the code is exactly
    what the login page accepts. For browser tests: allauth accepts each code only
    once per user per period; wait for the next period to log in again.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def seconds_left_for_code(at: float | None = None) -> int:
    from allauth.mfa import app_settings

    moment = time.time() if at is None else at
    return app_settings.TOTP_PERIOD - int(moment) % app_settings.TOTP_PERIOD


def stored_totp_secret(employee: Employee) -> str | None:
    """The TOTP secret allauth stores for an employee, or None without TOTP."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(
        user=employee, type=Authenticator.Type.TOTP
    ).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_totp_code_for(email: str) -> str:
    """The code an account's authenticator app would show now (reads its stored secret)."""
    employee = Employee.objects.get(email__iexact=email)
    secret = stored_totp_secret(employee)
    if secret is None:
        raise LookupError(f"{email} has no TOTP authenticator.")
    return totp_code(secret)


def _ensure_totp(employee: Employee) -> str:
    """Give the employee a TOTP authenticator with the demo secret, unless they have one."""
    from allauth.mfa.totp.internal.auth import TOTP

    existing = stored_totp_secret(employee)
    if existing is not None:
        return existing
    secret = demo_totp_secret(employee.email)
    TOTP.activate(employee, secret)
    return secret


# --------------------------------------------------------------------------- version 2

INTRO_V1 = "art. 125a Ambtenarenwet"
INTRO_V2 = "art. 10 Ambtenarenwet 2017"
INTRO_V1_EN = "art. 125a of the Civil Servants Act (Ambtenarenwet)"
INTRO_V2_EN = "art. 10 of the Civil Servants Act 2017 (Ambtenarenwet 2017)"

TIP6_ADDITION = (
    " Dit volgt uit artikel 10 van de Ambtenarenwet 2017: je onthoudt je van uitingen als "
    "daardoor de goede vervulling van je functie of de goede functionering van de openbare "
    "dienst niet in redelijkheid zou zijn verzekerd."
)
TIP6_ADDITION_EN = (
    " This follows from article 10 of the Civil Servants Act 2017: you refrain from "
    "expressing views if that would mean that the proper performance of your duties or the "
    "proper functioning of the public service could no longer reasonably be ensured."
)

# tip number -> (Dutch replacements, English replacements, change)
V2_TIP_CHANGES: dict[int, tuple[list[tuple[str, str]], list[tuple[str, str]], str]] = {
    2: ([("Houdt het professioneel", "Houd het professioneel")], [], "editorial"),
    4: (
        [
            ("Sociale media kan behulpzaam zijn", "Sociale media kunnen behulpzaam zijn"),
            ("Realiseer dit.", "Wees je daarvan bewust."),
        ],
        [],
        "editorial",
    ),
    6: ([], [], "material"),  # a sentence is appended, see TIP6_ADDITION
    9: ([("‘call of action’", "‘call to action’")], [], "editorial"),
    11: (
        [("logo’s van (gemeente…)", "logo’s (van de gemeente of andere organisaties)")],
        [],
        "editorial",
    ),
}

V2_SUMMARY = (
    "Inleiding: de verwijzing naar art. 125a Ambtenarenwet is bijgewerkt naar art. 10 "
    "Ambtenarenwet 2017 (sinds 1 januari 2020 geldt de Ambtenarenwet 2017).\n\n"
    "Tip 6 (inhoudelijke wijziging): toegevoegd dat de terughoudendheid volgt uit artikel 10 "
    "van de Ambtenarenwet 2017. Iedereen leest de handreiking opnieuw en bevestigt die.\n\n"
    "Tips 2, 4, 9 en 11 (redactioneel): taalfouten verbeterd, zoals ‘Houd het professioneel’ "
    "en ‘call to action’. De inhoud van deze tips is niet veranderd."
)
V2_SUMMARY_EN = (
    "Introduction: the reference to art. 125a of the Civil Servants Act has been updated to "
    "art. 10 of the Civil Servants Act 2017 (in force since 1 January 2020).\n\n"
    "Tip 6 (change in meaning): added that the duty of restraint follows from article 10 of "
    "the Civil Servants Act 2017. Everyone reads the guideline again and acknowledges it.\n\n"
    "Tips 2, 4, 9 and 11 (editorial): language slips corrected in the Dutch text, such as "
    "‘Houd het professioneel’ and ‘call to action’. The meaning of these tips is unchanged."
)


def _replace(text: str, old: str, new: str, where: str) -> str:
    if old not in text:
        raise ValueError(f"Expected {old!r} in {where}; has the text of version 1 changed?")
    return text.replace(old, new)


def create_demo_draft(*, editor: Employee):
    """Draft version 2 of the guideline, by the editor. Returns None if one exists."""
    from django.db.models import Q

    from handbook.models import Guideline, GuidelineVersion
    from handbook.selectors import DEFAULT_GUIDELINE_SLUG
    from handbook.services import TipInput, create_draft, update_draft

    guideline = Guideline.objects.get(slug=DEFAULT_GUIDELINE_SLUG)
    if guideline.versions.filter(
        Q(status=GuidelineVersion.Status.DRAFT) | Q(number__gte=2)
    ).exists():
        return None
    draft = create_draft(guideline=guideline, actor=editor)
    tips = []
    for tip in draft.tips.order_by("number"):
        dutch, english, change = V2_TIP_CHANGES.get(tip.number, ([], [], ""))
        text, text_en = tip.text, tip.text_en
        for old, new in dutch:
            text = _replace(text, old, new, f"tip {tip.number}")
        for old, new in english:
            text_en = _replace(text_en, old, new, f"tip {tip.number} (English)")
        if tip.number == 6:
            text += TIP6_ADDITION
            text_en = (text_en + TIP6_ADDITION_EN) if text_en else ""
        tips.append(TipInput(text=text, text_en=text_en, change=change, lineage=tip.lineage))
    introduction_en = draft.introduction_en
    if introduction_en:
        introduction_en = _replace(introduction_en, INTRO_V1_EN, INTRO_V2_EN, "introduction_en")
    return update_draft(
        draft=draft,
        actor=editor,
        title=draft.title,
        title_en=draft.title_en,
        introduction=_replace(draft.introduction, INTRO_V1, INTRO_V2, "the introduction"),
        introduction_en=introduction_en,
        change_summary=V2_SUMMARY,
        change_summary_en=V2_SUMMARY_EN,
        effective_date=timezone.localdate() + datetime.timedelta(days=14),
        requires_reacknowledgement=True,
        tips=tips,
    )


# --------------------------------------------------------------------------- the builder


@dataclass
class SeedReport:
    departments_created: int = 0
    employees_created: int = 0
    draft_created: bool = False
    quiz_attempts_created: int = 0
    assignments_created: int = 0
    totp_secrets: dict[str, str] = field(default_factory=dict)


def _ensure_departments() -> tuple[dict[str, Department], int]:
    existing = {
        d.code: d for d in Department.objects.filter(code__in=[d.code for d in DEPARTMENTS])
    }
    created = 0
    for spec in DEPARTMENTS:  # parents come before their children
        if spec.code in existing:
            continue
        existing[spec.code] = create_department(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=existing[spec.parent] if spec.parent else None,
        )
        created += 1
    return existing, created


def _ensure_employees(departments: dict[str, Department]) -> int:
    numbers = [p.number for p in PEOPLE]
    addresses = [p.address.lower() for p in PEOPLE]
    taken_numbers = set(
        Employee.objects.filter(employee_number__in=numbers).values_list(
            "employee_number", flat=True
        )
    )
    taken_addresses = set(
        Employee.objects.annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )
    missing = [
        p
        for p in PEOPLE
        if p.number not in taken_numbers and p.address.lower() not in taken_addresses
    ]
    if not missing:
        return 0
    password = make_password(DEMO_PASSWORD)  # hashed once: a demo, not a vault
    today = timezone.localdate()
    new = Employee.objects.bulk_create(
        Employee(
            employee_number=p.number,
            first_name=p.first_name,
            name_prefix=p.name_prefix,
            last_name=p.last_name,
            email=p.address.lower(),
            job_title=p.job_title,
            department=departments[p.department],
            start_date=p.start_date,
            end_date=p.end_date,
            is_active=p.end_date is None or p.end_date >= today,
            preferred_language=p.language,
            is_superuser=p.superuser,
            is_staff=p.superuser,
            password=password,
        )
        for p in missing
    )
    # Managers second: they may be created in the same batch.
    by_number = dict(
        Employee.objects.filter(employee_number__in=numbers).values_list("employee_number", "pk")
    )
    manager_of = {p.number: p.manager for p in missing}
    for employee in new:
        manager_number = manager_of[employee.employee_number]
        employee.manager_id = by_number.get(manager_number) if manager_number else None
    Employee.objects.bulk_update(new, ["manager"])
    return len(new)


def _ensure_roles() -> None:
    for person in PEOPLE:
        if not person.roles:
            continue
        employee = Employee.objects.get(email__iexact=person.address)
        for role in person.roles:
            grant_role(employee=employee, role=role)
        if employee.is_superuser != person.superuser:
            # The demo administrator is staff with the administrator role's permissions,
            # not a superuser (also in a database seeded before that was so).
            Employee.objects.filter(pk=employee.pk).update(is_superuser=person.superuser)


@transaction.atomic
def seed_demo() -> SeedReport:
    """Build (or complete) the demo organisation, accounts and draft version 2."""
    from handbook.models import Guideline
    from handbook.selectors import DEFAULT_GUIDELINE_SLUG

    report = SeedReport()
    call_command("load_handbook", verbosity=0, stdout=io.StringIO())
    departments, report.departments_created = _ensure_departments()
    report.employees_created = _ensure_employees(departments)
    _ensure_roles()

    for account in DEMO_ACCOUNTS:
        if account.uses_totp:
            employee = Employee.objects.get(email__iexact=account.email)
            report.totp_secrets[account.email] = _ensure_totp(employee)

    # Fresh objects: permissions are cached per user object.
    editor = Employee.objects.get(email__iexact="redacteur@voorbeeldstad.nl")
    Guideline.objects.filter(slug=DEFAULT_GUIDELINE_SLUG, owner__isnull=True).update(owner=editor)
    report.draft_created = create_demo_draft(editor=editor) is not None
    report.quiz_attempts_created = _ensure_quiz_attempts()
    report.assignments_created = _ensure_campaign()
    return report


def _ensure_campaign() -> int:
    """A running yearly campaign, launched by the demo HR account."""
    from campaigns.demo import seed_demo_campaigns
    from handbook.selectors import current_version, default_guideline

    return seed_demo_campaigns(
        hr=Employee.objects.get(email__iexact="hr@voorbeeldstad.nl"),
        version=current_version(default_guideline()),
        keep_unsigned=[account.email for account in DEMO_ACCOUNTS],
    )


def _ensure_quiz_attempts() -> int:
    """Finished quiz attempts of most staff, for the statistics pages. The demo accounts
    themselves are left without, so that they can take the quiz fresh."""
    from handbook.selectors import current_version, default_guideline
    from quizzes.demo import seed_demo_attempts

    call_command("load_quiz_bank", verbosity=0, stdout=io.StringIO())
    version = current_version(default_guideline())
    if version is None or not version.questions.exists():
        return 0
    demo_addresses = [account.email for account in DEMO_ACCOUNTS]
    employees = list(
        Employee.objects.filter(is_active=True)
        .exclude(email__in=demo_addresses)
        .order_by("employee_number")[:40]
    )
    return seed_demo_attempts(employees=employees, version=version)
