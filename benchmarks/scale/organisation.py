"""The organisation: a department tree six levels deep and the people in it, planned in
Python (plain objects, no model instances) and inserted in bulk.

gemeente > directie > sector > afdeling > team > sub-team. The portal knows three kinds
of unit (directie, afdeling, team); the six levels map onto them. Every unit has a head:
the manager of the unit's own staff and of the heads of its sub-units, and managed by
the head of the unit above.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from benchmarks import bulk
from benchmarks.scale import constants as c
from benchmarks.scale import names
from people.models import Department, Employee

KIND_BY_LEVEL = {
    1: Department.Kind.DIRECTORATE,
    2: Department.Kind.DIRECTORATE,
    3: Department.Kind.DEPARTMENT,
    4: Department.Kind.DEPARTMENT,
    5: Department.Kind.TEAM,
    6: Department.Kind.TEAM,
}
EMPLOYEE_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "employee_number", "first_name",
    "name_prefix", "last_name", "email", "job_title", "department_id", "manager_id",
    "start_date", "end_date", "preferred_language", "is_active", "is_staff", "date_joined",
)  # fmt: skip
PEOPLE_PER_LEAF = 20  # on average; sizes vary a lot around it
SUBTEAM_SHARE = 0.3  # of teams split into sub-teams


@dataclass(slots=True)
class Unit:
    id: int
    code: str
    name: str
    level: int
    path: str
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    head: Person | None = None
    size: int = 0  # staff besides the head


@dataclass(slots=True)
class Person:
    id: int
    unit: Unit
    manager_id: int | None
    is_head: bool
    first_name: str = ""
    name_prefix: str = ""
    last_name: str = ""
    number: str = ""
    email: str = ""
    job_title: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    language: str = "nl"
    # What they did (benchmarks.scale.activity fills these in).
    state: str = "idle"
    signed_previous: bool = False

    @property
    def active(self) -> bool:
        return self.end_date is None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)


@dataclass
class Organisation:
    units: list[Unit]
    people: list[Person]
    hr: Person
    manager: Person
    employee: Person

    @property
    def depth(self) -> int:
        return max(unit.level for unit in self.units)


# --------------------------------------------------------------------------- the tree


def _pick_names(rng: random.Random, pool: tuple[str, ...], count: int) -> list[str]:
    """``count`` different names from the pool; numbered once the pool runs out."""
    picked = rng.sample(pool, min(count, len(pool)))
    while len(picked) < count:
        picked.append(f"{rng.choice(pool)} {len(picked) + 1}")
    return picked


def _fan_out(rng: random.Random, mean: float) -> int:
    """Uneven numbers of sub-units around a mean, at least one."""
    return max(1, round(mean * rng.uniform(0.4, 1.6)))


def _fits(units: list[Unit], employees: int) -> bool:
    """Whether the tree can be staffed: a head per unit, the manager's team, and at
    least two staff in every other leaf."""
    leaves = sum(1 for unit in units if not unit.children)
    return len(units) + c.MANAGER_TEAM_SIZE + 2 * (leaves - 1) <= employees


def _tree(rng: random.Random, employees: int, first_id: int) -> list[Unit]:
    """A tree for this many people; smaller tries for small numbers."""
    # Units per level below the gemeente, so that the leaves (teams and sub-teams) hold
    # about PEOPLE_PER_LEAF people each.
    mean = (employees / PEOPLE_PER_LEAF / (1 + SUBTEAM_SHARE * 2)) ** 0.25
    for _attempt in range(40):
        units = _build_tree(rng, mean, first_id)
        if _fits(units, employees):
            return units
        mean *= 0.9
    raise ValueError("Too few employees for a tree six levels deep.")


def _build_tree(rng: random.Random, mean: float, first_id: int) -> list[Unit]:
    units: list[Unit] = []

    def add(code: str, name: str, parent: Unit | None) -> Unit:
        path = f"{parent.path if parent else '/'}{code}/"  # as people.services computes it
        unit = Unit(first_id + len(units), code, name, (parent.level + 1) if parent else 1, path)
        unit.parent = parent
        if parent is not None:
            parent.children.append(unit)
        units.append(unit)
        return unit

    root = add("GEM", c.MUNICIPALITY, None)
    directorates = _pick_names(rng, names.DIRECTORATES, max(2, min(9, _fan_out(rng, mean))))
    for d, dir_name in enumerate(directorates, start=1):
        directorate = add(f"D{d:02d}", f"Directie {dir_name}", root)
        for s, sector_name in enumerate(_pick_names(rng, names.SECTORS, _fan_out(rng, mean)), 1):
            sector = add(f"{directorate.code}S{s:02d}", f"Sector {sector_name}", directorate)
            afdelingen = _pick_names(rng, names.DEPARTMENTS, _fan_out(rng, mean))
            for a, afd_name in enumerate(afdelingen, start=1):
                afdeling = add(f"{sector.code}A{a:02d}", f"Afdeling {afd_name}", sector)
                _add_teams(rng, add, afdeling, _fan_out(rng, mean * 1.2))
    teams = [unit for unit in units if unit.level == 5]
    if not any(team.children for team in teams):
        _add_subteams(rng, add, teams[0])  # the tree is always six levels deep
    return units


def _add_teams(rng: random.Random, add, afdeling: Unit, count: int) -> None:
    numbers: dict[str, int] = {}
    for t in range(1, count + 1):
        topic = rng.choice(names.TEAMS)
        numbers[topic] = numbers.get(topic, 0) + 1
        team = add(f"{afdeling.code}T{t:02d}", f"Team {topic} {numbers[topic]}", afdeling)
        if rng.random() < SUBTEAM_SHARE:
            _add_subteams(rng, add, team)


def _add_subteams(rng: random.Random, add, team: Unit) -> None:
    for s in range(rng.randint(2, 4)):
        add(f"{team.code}-{s + 1}", f"{team.name}{'ABCD'[s]}", team)


# --------------------------------------------------------------------------- the people


def _sizes(rng: random.Random, units: list[Unit], employees: int, fixed: Unit) -> None:
    """Staff per unit: a few in higher units, the rest over the leaves, unevenly; the
    ``fixed`` leaf gets exactly MANAGER_TEAM_SIZE."""
    leaves = [unit for unit in units if not unit.children]
    others = [leaf for leaf in leaves if leaf is not fixed]
    fixed.size = c.MANAGER_TEAM_SIZE
    # Every unit has a head, every other leaf at least two staff.
    free = employees - len(units) - fixed.size - 2 * len(others)
    for unit in units:
        if unit.children and unit.level <= 4 and free > 40:
            unit.size = rng.choice((0, 0, 1, 2, 3))  # advisers, secretaries
            free -= unit.size
    weights = [rng.lognormvariate(0, 0.7) for _ in others]
    total = sum(weights)
    shares = [free * w / total for w in weights]
    sizes = [int(share) for share in shares]
    # Largest remainders first, so that the sizes add up exactly.
    order = sorted(range(len(others)), key=lambda i: shares[i] - sizes[i], reverse=True)
    for i in order[: free - sum(sizes)]:
        sizes[i] += 1
    for leaf, size in zip(others, sizes, strict=True):
        leaf.size = 2 + size


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("ş", "s").replace("Ş", "S")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _name(rng: random.Random, person: Person) -> None:
    person.first_name = rng.choice(names.FIRST_NAMES)
    if rng.random() < 0.8:
        person.name_prefix, person.last_name = rng.choice(names.DUTCH_LAST_NAMES)
    else:
        person.last_name = rng.choice(names.OTHER_LAST_NAMES)


def _email(person: Person, taken: dict[str, int]) -> str:
    base = f"{_ascii(person.first_name)}.{_ascii(person.name_prefix + person.last_name)}"
    count = taken.get(base, 0) + 1
    taken[base] = count
    local = base if count == 1 else f"{base}{count}"
    return f"{local}@{c.EMAIL_DOMAIN}"


def _start_date(rng: random.Random, latest: datetime.date, head: bool) -> datetime.date:
    # Many recent hires, a long tail of old hands; heads have been around longer.
    years = min(rng.expovariate(1 / (11 if head else 8)), 42)
    return latest - datetime.timedelta(days=int(years * 365))


def plan(rng: random.Random, *, employees: int, first_unit_id: int, first_person_id: int):
    """The tree and its people (names, numbers, dates, managers): an Organisation."""
    if employees < c.MINIMUM_EMPLOYEES:
        raise ValueError(f"Generate at least {c.MINIMUM_EMPLOYEES} employees.")
    units = _tree(rng, employees, first_unit_id)
    leaves = [unit for unit in units if not unit.children]
    # The manager's team: a leaf, preferably a team of its own (level 5).
    fixed = next((u for u in leaves if u.level == 5), leaves[0])
    _sizes(rng, units, employees, fixed)

    people: list[Person] = []
    for unit in units:  # parents come first: heads know their manager's id
        head = Person(first_person_id + len(people), unit, None, True)
        head.manager_id = unit.parent.head.id if unit.parent else None
        unit.head = head
        people.append(head)
        for _ in range(unit.size):
            people.append(Person(first_person_id + len(people), unit, head.id, False))

    today = timezone.localdate()
    latest_start = today - datetime.timedelta(days=c.CAMPAIGN_STARTED_AGO + 1)
    numbers = rng.sample(range(100_000, 100_000 + max(900_000, 10 * len(people))), len(people))
    for person, number in zip(people, numbers, strict=True):
        _name(rng, person)
        person.number = str(number)
        person.start_date = _start_date(rng, latest_start, person.is_head)
        person.language = "en" if rng.random() < c.ENGLISH else "nl"
        unit = person.unit
        if person.is_head and unit.parent is None:
            person.job_title = names.HEAD_TITLES[1]
        elif person.is_head:
            person.job_title = f"{names.HEAD_TITLES[unit.level]} {unit.name.split(' ', 1)[-1]}"
        else:
            person.job_title = rng.choice(names.JOB_TITLES)

    manager = fixed.head
    employee = next(p for p in people if p.unit is fixed and not p.is_head)
    hr = next(p for p in people if not p.is_head and p.unit is not fixed)
    hr.job_title = "HR-adviseur"
    known = {id(manager), id(employee), id(hr)} | {id(p) for p in people if p.unit is fixed}
    for person in (manager, employee, hr):
        person.language = "nl"
        person.start_date = min(
            person.start_date, today - datetime.timedelta(days=c.VERSION_2_AGO + 400)
        )

    staff = [p for p in people if not p.is_head and id(p) not in known]
    for person in rng.sample(staff, round(employees * c.LEAVERS)):
        earliest = max(person.start_date, today - datetime.timedelta(days=300))
        span = max(1, (today - earliest).days - 1)
        person.end_date = earliest + datetime.timedelta(days=rng.randint(0, span - 1))

    taken: dict[str, int] = {}
    for person in people:
        person.email = _email(person, taken)
    # The well-known log-ins keep their addresses, whatever the names are.
    hr.email, manager.email, employee.email = c.HR_EMAIL, c.MANAGER_EMAIL, c.EMPLOYEE_EMAIL
    return Organisation(units, people, hr=hr, manager=manager, employee=employee)


# --------------------------------------------------------------------------- storing


def insert(organisation: Organisation) -> None:
    """Departments, then employees (one COPY each), then the HR role."""
    from people.roles import Role
    from people.services import grant_role

    bulk.insert_rows(
        Department,
        ["id", "code", "name", "kind", "parent_id", "path"],
        (
            (u.id, u.code, u.name, KIND_BY_LEVEL[u.level], u.parent and u.parent.id, u.path)
            for u in organisation.units
        ),
    )
    password = make_password(None)  # unusable ("!..."), hashed once
    tz = timezone.get_current_timezone()
    rows = (_employee_row(p, password, tz) for p in organisation.people)
    bulk.insert_rows(Employee, EMPLOYEE_COLUMNS, rows)
    grant_role(employee=Employee.objects.get(pk=organisation.hr.id), role=Role.HR)


def _employee_row(p: Person, password: str, tz: datetime.tzinfo) -> tuple:
    joined = datetime.datetime.combine(p.start_date, datetime.time(8, 30), tz)
    return (
        p.id, password, None, False, p.number, p.first_name, p.name_prefix, p.last_name,
        p.email, p.job_title, p.unit.id, p.manager_id, p.start_date, p.end_date, p.language,
        p.active, False, joined,
    )  # fmt: skip
