"""Scale data for the benchmarks: a large, realistic municipality in an empty database.

    from benchmarks.scale import generate, ready_to_sign
    from benchmarks.scale.constants import HR_EMAIL, MANAGER_EMAIL, EMPLOYEE_EMAIL

``generate(employees=100_000, seed=1)`` fills an EMPTY database (after migrate) with a
municipality of that many employees: a department tree six levels deep, five guidelines
(the social-media one in three versions, four generated ones with other audiences) with
quiz banks, last year's closed campaign and this year's running one for all five, quiz
attempts, tips read and a ledger (about one social-media entry per employee, and the
other guidelines' signatures) that verifies. Bulk inserts (COPY on PostgreSQL).
``manage.py generate_scale_data --employees N`` runs it.

The well-known log-ins (part of the N employees, unusable passwords):

- HR_EMAIL: has the HR role (which asks for two-factor authentication in the portal);
- MANAGER_EMAIL: leads a team of MANAGER_TEAM_SIZE direct reports, some signed, some not;
  can sign the social-media guideline now; five guidelines due;
- EMPLOYEE_EMAIL: in that team, has an open assignment, read three tips, did not sign;
  four guidelines due (not the managers' one).

``ready_to_sign()``: the employees who can sign the current version right now (about
16 % of all), in pk order.

The parts: constants (log-ins, proportions), names, organisation (tree and people),
handbook (versions 1-3 and quiz banks), guidelines (the four others), activity (who did
what when), quizdata and ledgerdata (those plans as rows), selectors, generate (the
steps); benchmarks.bulk does the inserts.
"""

from benchmarks.scale.constants import (
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    MANAGER_EMAIL,
    MANAGER_TEAM_SIZE,
    MINIMUM_EMPLOYEES,
)
from benchmarks.scale.generate import DatabaseNotEmpty, ScaleSummary, check_empty, generate
from benchmarks.scale.selectors import ready_to_sign

__all__ = [
    "EMPLOYEE_EMAIL",
    "HR_EMAIL",
    "MANAGER_EMAIL",
    "MANAGER_TEAM_SIZE",
    "MINIMUM_EMPLOYEES",
    "DatabaseNotEmpty",
    "ScaleSummary",
    "check_empty",
    "generate",
    "ready_to_sign",
]
