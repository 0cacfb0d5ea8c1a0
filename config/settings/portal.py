"""The portal's own settings: the municipality, the apps' rules (staff import, handbook,
quiz, retention, campaigns, reports, PDF signing) and the performance settings. Read in by
config.settings.base."""

from pathlib import Path

from config import theme
from config.env import at_least, env, env_bool, env_int, env_list, report_retired

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# The portal's own settings.
PORTAL_MUNICIPALITY_NAME = env("PORTAL_MUNICIPALITY_NAME", "Gemeente Voorbeeldstad")
# The portal's address as staff reach it, for links in e-mails (no request to read it from).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# The look (config/theme.py; README "Your municipality's look"): the logo and favicon,
# style sheets of NL Design System design tokens, and the class their tokens hang under.
PORTAL_LOGO = theme.static_paths(
    [env("PORTAL_LOGO", "portal/logo.svg")], name="PORTAL_LOGO", pattern=theme.STATIC_IMAGE_PATH
)[0]
PORTAL_FAVICON = theme.static_paths(
    [env("PORTAL_FAVICON", "portal/favicon.svg")],
    name="PORTAL_FAVICON",
    pattern=theme.STATIC_IMAGE_PATH,
)[0]
PORTAL_THEME_STYLESHEETS = theme.static_paths(
    env_list(
        "PORTAL_THEME_STYLESHEETS",
        ["vendor/fonts/noto.css", "vendor/nl-design-system/voorbeeld-theme.css"],
    ),
    name="PORTAL_THEME_STYLESHEETS",
    pattern=theme.STATIC_CSS_PATH,
)
PORTAL_THEME_CLASS = theme.theme_class(env("PORTAL_THEME_CLASS", "voorbeeld-theme"))
theme.refuse_main_colour()
# Roles that must use two-factor authentication (TOTP) before they can work.
PORTAL_MFA_REQUIRED = env_bool("PORTAL_MFA_REQUIRED", True)
# Staff log in with an e-mail address and a password of their own: people the staff
# import adds are invited by e-mail to set one. Off when everyone logs in another way.
PORTAL_LOCAL_LOGIN = env_bool("PORTAL_LOCAL_LOGIN", True)
# The staff import's invitations: a worker's claim on one runs out after this many
# seconds (then another run takes it over); a mail server error is retried this often.
# (A setting, not an environment variable: see "Performance settings" below.)
INVITATION_CLAIM_SECONDS = 300
INVITATION_MAX_ATTEMPTS = 5
# Caps on the staff CSV (checked before it is parsed): bytes and rows (they grow with the
# organisation: environment variables), characters per line and per cell, and the
# problems listed (the rest are counted).
STAFF_IMPORT_MAX_BYTES = env_int(
    "PORTAL_STAFF_IMPORT_MAX_BYTES", 5 * 1024 * 1024, old="STAFF_IMPORT_MAX_BYTES"
)
STAFF_IMPORT_MAX_ROWS = env_int("PORTAL_STAFF_IMPORT_MAX_ROWS", 20_000, old="STAFF_IMPORT_MAX_ROWS")
STAFF_IMPORT_MAX_LINE_CHARS = 4_000
STAFF_IMPORT_MAX_CELL_CHARS = 1_000
STAFF_IMPORT_MAX_PROBLEMS_SHOWN = 50
# The scheduled import (`manage.py import_staff_from_folder`, README "Staff from the HR
# system"): the folder the HR system drops its exports in (empty: the command refuses to
# run without --folder) and where its result goes (empty: everyone with the HR role); a
# file is taken once it has been left alone this many seconds, and a run that hangs
# loses its lock (PostgreSQL) after this many idle seconds.
STAFF_IMPORT_FOLDER = env("PORTAL_STAFF_IMPORT_FOLDER", "")
STAFF_IMPORT_EMAIL = env_list("PORTAL_STAFF_IMPORT_EMAIL", [])
STAFF_IMPORT_SETTLE_SECONDS = 120
STAFF_IMPORT_LOCK_SECONDS = 900
# Four-eyes: the editor who last changed a draft may not publish it.
HANDBOOK_FOUR_EYES = env_bool("PORTAL_HANDBOOK_FOUR_EYES", True, old="HANDBOOK_FOUR_EYES")
# Days before the review date on which the guideline's owner is reminded.
HANDBOOK_REVIEW_REMINDER_DAYS = env_int(
    "PORTAL_HANDBOOK_REVIEW_REMINDER_DAYS", 30, old="HANDBOOK_REVIEW_REMINDER_DAYS"
)
# Per-question quiz answers are a learning aid: removed after this many days by
# `manage.py prune_quiz_answers` (scores and pass/fail stay).
QUIZ_ANSWER_RETENTION_DAYS = env_int(
    "PORTAL_QUIZ_ANSWER_RETENTION_DAYS", 365, old="QUIZ_ANSWER_RETENTION_DAYS"
)
# Retention (Selectielijst gemeenten 2020), applied by `manage.py apply_retention`:
# acknowledgement evidence is a personnel file item, kept this many years after
# employment ends; quiz attempts are internal training, kept this many years.
RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT = env_int(
    "PORTAL_RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT",
    10,
    old="RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT",
)
RETENTION_QUIZ_ATTEMPT_YEARS = env_int(
    "PORTAL_RETENTION_QUIZ_ATTEMPT_YEARS", 5, old="RETENTION_QUIZ_ATTEMPT_YEARS"
)
# Nothing is destroyed before the archivist approves the destruction list
# (acknowledgements.services.destruction); a proposal older than this many days is
# refused (propose a new one). Retention periods fail closed: a period below its minimum
# stops the portal from starting rather than destroying too early (docs/privacy.md).
RETENTION_DESTRUCTION_LIST_VALID_DAYS = env_int("PORTAL_RETENTION_DESTRUCTION_LIST_VALID_DAYS", 30)
at_least(
    PORTAL_RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT=(
        RETENTION_ACKNOWLEDGEMENT_YEARS_AFTER_EMPLOYMENT,
        1,
    ),
    PORTAL_RETENTION_QUIZ_ATTEMPT_YEARS=(RETENTION_QUIZ_ATTEMPT_YEARS, 1),
    PORTAL_QUIZ_ANSWER_RETENTION_DAYS=(QUIZ_ANSWER_RETENTION_DAYS, 1),
    PORTAL_RETENTION_DESTRUCTION_LIST_VALID_DAYS=(RETENTION_DESTRUCTION_LIST_VALID_DAYS, 1),
)
# Where the customer's version 1 text lives (verbatim copy kept in the repository).
HANDBOOK_SEED_FILE = Path(
    env(
        "PORTAL_HANDBOOK_SEED_FILE",
        str(BASE_DIR / "handbook" / "seed" / "handreiking-sociale-media.txt"),
        old="HANDBOOK_SEED_FILE",
    )
)

# Campaigns (see README, "Campaigns"): a new employee's assignment is due this many
# days after their start date; someone who joins a running campaign's audience gets at
# least this many days; quiz figures are shown only for groups of at least this size.
CAMPAIGN_ONBOARDING_DAYS = env_int(
    "PORTAL_CAMPAIGN_ONBOARDING_DAYS", 14, old="CAMPAIGN_ONBOARDING_DAYS"
)
CAMPAIGN_JOINER_MINIMUM_DAYS = env_int(
    "PORTAL_CAMPAIGN_JOINER_MINIMUM_DAYS", 14, old="CAMPAIGN_JOINER_MINIMUM_DAYS"
)
CAMPAIGN_MIN_GROUP_SIZE = env_int(
    "PORTAL_CAMPAIGN_MIN_GROUP_SIZE", 5, old="CAMPAIGN_MIN_GROUP_SIZE"
)
# Campaigns with more assignments show dashboard figures worked out in the background
# (campaigns.services.figures), at most CAMPAIGN_FIGURES_MAX_AGE seconds old.
CAMPAIGN_LIVE_FIGURES_LIMIT = 5000
CAMPAIGN_FIGURES_MAX_AGE = 60
# Escalations to HR go to this mailbox; empty: to everyone with the HR role.
CAMPAIGN_HR_EMAIL = env("PORTAL_CAMPAIGN_HR_EMAIL", "", old="CAMPAIGN_HR_EMAIL")
# The monthly list of the exemptions granted (`manage.py mail_exemptions`, from cron)
# goes to the HR lead; empty: the command refuses, so that nobody is left out unseen.
PORTAL_HR_LEAD_EMAIL = env("PORTAL_HR_LEAD_EMAIL", "")
# Delivery of reminders: retries with back-off (seconds), then "failed" for HR to see.
CAMPAIGN_REMINDER_MAX_ATTEMPTS = 10
CAMPAIGN_REMINDER_FIRST_BACKOFF = 60
CAMPAIGN_REMINDER_MAX_BACKOFF = 6 * 60 * 60
# A worker's claim on a mail runs out after this many seconds (then another may take it);
# rows handed to the worker but not taken are handed over again after the timeout.
CAMPAIGN_REMINDER_CLAIM_SECONDS = 600
CAMPAIGN_REMINDER_DISPATCH_TIMEOUT = 1800

# Compliance reports (see README, "Compliance reports"): files are kept this many days,
# then removed by `manage.py remove_expired_reports` (the log of who made and downloaded
# them stays). PDFs are signed with the municipality's certificate: a PKCS#12 file and
# its password. Without one, PORTAL_REPORTS_SELF_SIGNED (on in development and tests)
# makes a self-signed certificate on first use; otherwise making a PDF report fails.
REPORTS_RETENTION_DAYS = env_int("PORTAL_REPORTS_RETENTION_DAYS", 30, old="REPORTS_RETENTION_DAYS")
REPORTS_SIGNING_CERTIFICATE = env(
    "PORTAL_REPORTS_SIGNING_CERTIFICATE", "", old="REPORTS_SIGNING_CERTIFICATE"
)
REPORTS_SIGNING_PASSWORD = env(
    "PORTAL_REPORTS_SIGNING_PASSWORD", "", old="REPORTS_SIGNING_PASSWORD"
)
REPORTS_SELF_SIGNED = env_bool("PORTAL_REPORTS_SELF_SIGNED", False, old="REPORTS_SELF_SIGNED")
# Archival signatures (PAdES B-LTA) on reports and certificates (portal/pdf/signing.py,
# docs/deployment.md): the RFC 3161 timestamp service, and the CA certificates (a PEM
# file) that the signing certificate and the timestamp service chain up to, if the
# PKCS#12 file lacks them. Without a timestamp service the signatures are PAdES B-B
# only, and `manage.py check` warns (portal.W004) when a real certificate is used.
PDF_TIMESTAMP_URL = env("PORTAL_PDF_TIMESTAMP_URL", "")
PDF_TRUST_ROOTS = env("PORTAL_PDF_TRUST_ROOTS", "")

# Performance settings: defaults measured on the benchmark (docs/benchmarks.md), the same
# for every installation, so settings rather than environment variables (docs/
# architecture.md, "Settings"); a settings module may still change them.
# A compliance PDF of more than REPORTS_PDF_PARTS_ABOVE people is rendered in parts of
# REPORTS_PDF_PART_ROWS table rows by REPORTS_PDF_WORKERS processes at a time (0: one
# per CPU) and joined (reports.pdf.workers): faster, and a worker's memory is that of a part.
REPORTS_PDF_PARTS_ABOVE = 1000
REPORTS_PDF_PART_ROWS = 1000
REPORTS_PDF_WORKERS = 0
# Background work whose row records progress (a report, a ledger check) writes a heartbeat
# every WORK_HEARTBEAT_SECONDS while it runs; work whose heartbeat stopped for
# WORK_STALLED_AFTER_SECONDS (at least three heartbeats: check portal.E001) lost its
# worker: the periodic command hands it to the worker once more, then marks it failed
# (portal.heartbeat).
WORK_HEARTBEAT_SECONDS = 30
WORK_STALLED_AFTER_SECONDS = 300
# Such work still waiting after WORK_TASK_LOST_AFTER_SECONDS with no task for it in the
# queue lost its task (the process died before queueing it, or the task row was removed):
# the periodic command queues it once more, then marks it failed (portal.heartbeat).
WORK_TASK_LOST_AFTER_SECONDS = 300
# These were environment variables until this release: one still set is ignored, with a
# warning that says where to set it instead (config.env).
report_retired(
    {
        name: name
        for name in (
            "INVITATION_CLAIM_SECONDS",
            "INVITATION_MAX_ATTEMPTS",
            "STAFF_IMPORT_MAX_LINE_CHARS",
            "STAFF_IMPORT_MAX_CELL_CHARS",
            "STAFF_IMPORT_MAX_PROBLEMS_SHOWN",
            "CAMPAIGN_LIVE_FIGURES_LIMIT",
            "CAMPAIGN_FIGURES_MAX_AGE",
            "CAMPAIGN_REMINDER_MAX_ATTEMPTS",
            "CAMPAIGN_REMINDER_FIRST_BACKOFF",
            "CAMPAIGN_REMINDER_MAX_BACKOFF",
            "CAMPAIGN_REMINDER_CLAIM_SECONDS",
            "CAMPAIGN_REMINDER_DISPATCH_TIMEOUT",
            "REPORTS_PDF_PARTS_ABOVE",
            "REPORTS_PDF_PART_ROWS",
            "REPORTS_PDF_WORKERS",
        )
    }
    | {
        "PORTAL_WORK_HEARTBEAT_SECONDS": "WORK_HEARTBEAT_SECONDS",
        "PORTAL_WORK_STALLED_AFTER_SECONDS": "WORK_STALLED_AFTER_SECONDS",
    }
)
