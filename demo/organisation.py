"""The demo organisation "Gemeente Voorbeeldstad": departments, about 60 employees and
one account per role, and how they are created (through people's services where there
is one; the employees in one bulk insert).

Used by ``demo.services.seed_demo`` (``manage.py seed_demo``). Everything here is
deterministic (fixed names, numbers and dates) and idempotent: a second run finds what
the first one made and changes nothing.

Never for production: every demo employee shares one known password.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models.functions import Lower
from django.utils import timezone

from demo.second_guideline import SLUG as SECOND_GUIDELINE
from people.models import Department, Employee
from people.roles import MFA_ROLES, Role
from people.services import create_department, grant_role
from people.services.object_roles import grant_object_role

DEMO_PASSWORD = "Voorbeeldstad-2026!"  # noqa: S105 (a demo password, printed on purpose)
DEMO_DOMAIN = "voorbeeldstad.nl"
DEMO_ADDRESS = "127.0.0.1:8000"


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
    # A fourth level, as HR files have them (a unit under a team).
    DemoDepartment("EEN-BOA", "Boa-eenheid Centrum", D.UNIT, "TEAM-HAN"),
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
    # HR adviser of Directie Ruimte only: the HR role on that directorate (DEMO_ACCOUNTS).
    P("300047", "Sevda", "", "Arslan", "HR-adviseur Directie Ruimte", "AFD-PO", "300041",
      _d("2020-03-01"), email="hr-ruimte@voorbeeldstad.nl"),
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
    P("300066", "Lieke", "", "Koopman", "Adviseur informatiebeveiliging", "AFD-IV", "300060",
      _d("2021-01-01"), email="redacteur-thuiswerken@voorbeeldstad.nl"),
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
    # The short name of the one guideline the role is held on (an object role, granted
    # by demo.second_guideline); empty: the role holds everywhere.
    guideline: str = ""
    # The code of the one department the role is held on, with everything below it (an
    # object role, granted by ensure_department_roles): an HR adviser of a directorate.
    department: str = ""

    @property
    def uses_totp(self) -> bool:
        return self.role in MFA_ROLES


# One account per role, in the order they are printed.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("medewerker@voorbeeldstad.nl", Role.EMPLOYEE, "employee (medewerker)"),
    DemoAccount(
        "leidinggevende@voorbeeldstad.nl",
        Role.MANAGER,
        "manager of Team Omgevingsvergunningen; signed last year, signs again now",
    ),
    DemoAccount("hr@voorbeeldstad.nl", Role.HR, "HR adviser (P&O)"),
    DemoAccount(
        "hr-ruimte@voorbeeldstad.nl",
        Role.HR,
        "HR adviser of Directie Ruimte only (HR-adviseur Directie Ruimte)",
        department="DIR-RUI",
    ),
    DemoAccount("redacteur@voorbeeldstad.nl", Role.EDITOR, "communications editor"),
    DemoAccount("redacteur2@voorbeeldstad.nl", Role.EDITOR, "second editor (four-eyes publishing)"),
    DemoAccount(
        "redacteur-thuiswerken@voorbeeldstad.nl",
        Role.EDITOR,
        "editor of the Thuiswerken guideline only "
        "(redacteur van alleen de handreiking Thuiswerken)",
        guideline=SECOND_GUIDELINE,
    ),
    DemoAccount("auditor@voorbeeldstad.nl", Role.AUDITOR, "auditor (read-only)"),
    DemoAccount(
        "beheerder@voorbeeldstad.nl", Role.ADMINISTRATOR, "administrator (admin site at /beheer/)"
    ),
)


# --------------------------------------------------------------------------- creating


def ensure_departments() -> tuple[dict[str, Department], int]:
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


def ensure_employees(departments: dict[str, Department]) -> int:
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


def ensure_department_roles(*, administrator: Employee) -> None:
    """The roles the demo accounts hold on one department (an HR adviser of Directie
    Ruimte), given by the demo administrator as in the admin. Idempotent."""
    for account in DEMO_ACCOUNTS:
        if not account.department:
            continue
        grant_object_role(
            actor=administrator,
            employee=Employee.objects.get(email__iexact=account.email),
            role=account.role,
            target=Department.objects.get(code=account.department),
        )


def ensure_roles() -> None:
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
