"""The fixed log-ins and the proportions of the scale data (imported by the benchmarks)."""

# Well-known log-ins, part of the N employees. Passwords are unusable: benchmarks log
# them in directly (a session), not through the log-in form.
HR_EMAIL = "hr@schaal.example"
MANAGER_EMAIL = "leidinggevende@schaal.example"
EMPLOYEE_EMAIL = "medewerker@schaal.example"

EMAIL_DOMAIN = "schaal.example"
MUNICIPALITY = "Gemeente Schaalstad"
MINIMUM_EMPLOYEES = 60

# The manager's team: direct reports, and how many of them are in each state
# (the employee above is one of the "reading" ones).
MANAGER_TEAM_SIZE = 12
MANAGER_TEAM_STATES = ("signed",) * 5 + ("ready",) * 2 + ("reading",) * 3 + ("idle",) * 2

# Shares of all employees.
SIGNED_CURRENT = 0.60  # signed version 3 (the current one)
SIGNED_PREVIOUS = 0.40  # signed version 2 earlier
READY_TO_SIGN = 0.24  # read everything and passed the quiz of version 3, not signed
# (24,000 at 100,000: five signing rounds of 10 s at up to about 450 signatures a second)
FAILED_ONLY = 0.04  # only failed attempts at version 3
READING = 0.06  # opened some tips of version 3, nothing more
LEAVERS = 0.02  # left the organisation (inactive, end date past)
FAILED_FIRST = 0.20  # of those who passed: failed once before
ENGLISH = 0.06  # prefer English

# Days before today (the timeline of the data).
VERSION_1_AGO = 1100
VERSION_2_AGO = 420
VERSION_2_SIGNING_DAYS = 45  # version 2 signatures fall in the 45 days after it
VERSION_3_AGO = 28
CAMPAIGN_STARTED_AGO = 21
CAMPAIGN_DEADLINE_AHEAD = 21
PREVIOUS_CAMPAIGN_WEEKS = 6

# The four other guidelines (benchmarks.scale.guidelines): published this many days ago;
# of the people each applies to, these shares signed it (some before this year's
# campaign, most in it) or opened some of its tips. The well-known manager and employee
# did nothing on them yet: the manager's home page lists five guidelines due.
OTHER_GUIDELINES_AGO = 60
OTHER_SIGNED = 0.35
OTHER_READING = 0.10
OTHER_FAILED_FIRST = 0.10
