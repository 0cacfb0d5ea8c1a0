"""Who may open what: every URL of the portal, asked for by every role.

The tables below are the portal's access policy, one row per URL name and one column
per role. The URLs themselves come from the resolver, so a new URL without a row (or a
row whose URL is gone) fails ``test_every_url_of_the_portal_has_a_row`` /
``test_every_row_names_a_url_of_the_portal``. Each (row, role) pair is its own test.

What a cell means:

    200, 400, 403, 404   that status code
    P (POST_ONLY)        405: a POST-only URL asked for with GET by a role that may use
                         it (roles that may not get 403 before the method is looked at)
    L (LOGIN)            302 to the log-in page, with ?next= back to the URL
    to("name")           302 to that URL; HOME is to("home")
    R (REAUTH)           302 to allauth's "enter your password again" page

A URL pattern without a name has its path as its row's name. Add rows for POSTs where
the check differs from GET's to POST_ROWS.

The last column, "adviser", is an HR adviser of one part of the organisation (the HR
role held on Directie Ruimte, people.ObjectRoleGrant): the world's employee, their
manager, the field worker and the person on leave work there. Rows labelled "outside"
ask for the same pages about someone or something in Directie Sociaal (another
department's employee, record, assignment, campaign or report): the adviser gets 404
(403 where the page refuses before looking), central HR what it gets inside. Campaigns
follow one rule: an adviser views a campaign that touches their part, and changes it
only when its audience lies wholly within it (rows labelled "within").

The objects in the URLs (a published version and a draft, a tip, the employee's quiz
attempts and acknowledgement, someone else's on-behalf record with a scanned form, a
campaign, an assignment, a failed reminder, a report) are made once for the module and
every test runs in its own rolled-back transaction on top of them. Users log in with
``login_with_second_factor`` (people.tests.factories): those whose role needs two-factor
authentication have TOTP set up and a session that passed it, so ``PORTAL_MFA_REQUIRED``
stays on; ``test_privileged_page_in_a_session_without_the_second_factor`` asks every
privileged cell again in a session that has only the password. The admin site (/beheer/)
has rows of its own at the end, and every model registered there is checked to be closed
to everyone but staff.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = (
    "anonymous",
    "employee",
    "manager",
    "hr",
    "editor",
    "auditor",
    "administrator",
    "adviser",
)

LOGIN = "LOGIN"
POST_ONLY = 405
ADMIN_PREFIX = "beheer/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclasses.dataclass(frozen=True)
class To:
    """A redirect to the URL with this name (its path; the query string is not compared)."""

    name: str
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return f"redirect to {self.name}"


def to(name: str, **kwargs) -> To:
    """A redirect to the named URL; kwargs as in ``get``."""
    return To(name, kwargs)


# allauth asks for the password again before anything is done to one's second factor,
# also just after logging in; whoever has TOTP is asked for its code instead (MFA_R).
REAUTH = to("account_reauthenticate")
MFA_REAUTH = to("mfa_reauthenticate")


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    expected: tuple
    kwargs: dict[str, Any]
    method: str = "get"
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        label = f"[{self.label}]" if self.label else ""
        return f"{self.method.upper()} {self.name}{label}"


def get(name: str, *expected, label: str = "", **kwargs) -> Row:
    """A GET row. ``name``: the URL's name with its namespace, or the path of a URL
    pattern without a name. Keyword arguments are the URL's kwargs: a string names an
    object of the world (see ``world``), anything else is used as it is."""
    assert len(expected) == len(ROLES), f"{name}: one expectation per role: {ROLES}"
    return Row(name, expected, kwargs, label=label)


def post(name: str, *expected, data=None, label: str = "", **kwargs) -> Row:
    assert len(expected) == len(ROLES), f"{name}: one expectation per role: {ROLES}"
    return Row(name, expected, kwargs, method="post", data=data or {}, label=label)


# fmt: off
# Columns: anonymous, employee, manager, hr, editor, auditor, administrator, adviser (an HR
# adviser of the employee's department only).
# L: log in first; P: POST only (405 to GET); R: password again; M: the code again;
# HOME: to the home page.
L, P, R, M, HOME = LOGIN, POST_ONLY, REAUTH, MFA_REAUTH, to("home")
SAML_FINISH = to("saml_finish_acs", organization_slug="gemeente")

GET_ROWS = [
    #   URL name                                   anon emp  man  hr   edit aud  admin adv
    # The portal's own pages.
    get("home",                                    L,   200, 200, 200, 200, 200, 200, 200),
    get("accessibility",                           200, 200, 200, 200, 200, 200, 200, 200),
    get("people:switch_language",                  P,   P,   P,   P,   P,   P,   P,   P),
    get("campaigns_team:team",                     L,   403, 200, 403, 403, 403, 403, 403),
    get("people:staff",                            L,   403, 403, 200, 403, 200, 200, 200),
    get("people:staff_import",                     L,   403, 403, 200, 403, 403, 200, 403),
    get("people:staff_import_log",                 L,   403, 403, 200, 403, 403, 200, 403),
    get("people:staff_import_detail",              L,   403, 403, 200, 403, 403, 200, 403,
        pk="staff_import"),
    get("people:staff_import_apply",               L,   403, 403, P,   403, 403, P,   403),

    # The handbook: every page for everyone logged in; drafts and editing for editors.
    get("handbook:list",                           L,   200, 200, 200, 200, 200, 200, 200),
    get("handbook:library",                        L,   403, 403, 403, 200, 403, 403, 403),
    get("handbook:create_guideline",               L,   403, 403, 403, 200, 403, 403, 403),
    get("handbook:current",                        L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    get("handbook:current_tip",                    L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline", tip=1),
    get("handbook:history",                        L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    get("handbook:version",                        L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline", number="v1"),
    get("handbook:version",                        L,   404, 404, 404, 200, 404, 200, 404,
        guideline="guideline", number="v2", label="draft"),
    get("handbook:tip",                            L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline", number="v1", tip=1),
    get("handbook:print",                          L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline", number="v1"),
    get("handbook:pdf",                            L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline", number="v1"),
    get("handbook:diff",                           L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    get("handbook:editor",                         L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("handbook:create_draft",                   L,   403, 403, 403, P,   403, 403, 403,
        guideline="guideline"),
    get("handbook:edit",                           L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v2"),
    get("handbook:publish",                        L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v2"),
    get("handbook:topics",                         L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v1"),
    get("handbook:retire",                         L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v1"),
    get("handbook:confirm_retirement",             L,   403, 403, 403, P,   403, 403, 403,
        guideline="guideline", number="v1"),
    get("handbook:cancel_retirement",              L,   403, 403, 403, P,   403, 403, 403,
        guideline="guideline", number="v1"),
    get("handbook:discard",                        L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v2"),
    get("handbook:audience",                       L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("handbook:import",                         L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("handbook:confirm_import",                 L,   403, 403, 403, P,   403, 403, 403,
        guideline="guideline"),
    get("handbook:export",                         L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline", number="v1", format="markdown"),
    # The addresses from when there was one guideline lead to the default one's pages.
    get("handbook_legacy:legacy",
        *[to("handbook:history", guideline="guideline")] * 8, rest="legacy_rest"),

    # The quiz: one's own attempts only; the bank for editors, statistics also for auditors.
    # (The editor of one guideline only: test_the_editor_of_one_guideline_...)
    get("quizzes:start",                           L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    get("quizzes:attempt",                         L,   200, 404, 404, 404, 404, 404, 404,
        guideline="guideline", pk="attempt"),
    get("quizzes:result",                          L,   200, 404, 404, 404, 404, 404, 404,
        guideline="guideline", pk="result"),
    get("quiz_editor:bank",                        L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("quiz_editor:settings",                    L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("quiz_editor:export",                      L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("quiz_editor:import",                      L,   403, 403, 403, 200, 403, 403, 403,
        guideline="guideline"),
    get("quiz_editor:import_confirm",              L,   403, 403, 403, P,   403, 403, 403,
        guideline="guideline"),
    get("quiz_editor:statistics",                  L,   403, 403, 403, 200, 200, 403, 403,
        guideline="guideline"),
    get("quiz_editor:statistics_csv",              L,   403, 403, 403, 200, 200, 403, 403,
        guideline="guideline"),
    # The quiz's addresses from before there were several guidelines: the default one's.
    get("quizzes_legacy:start", *[to("quizzes:start", guideline="guideline")] * 8),
    get("quizzes_legacy:page", *[to("quiz_editor:bank", guideline="guideline")] * 8,
        rest="quiz_editor_rest"),

    # Acknowledgements: one's own records; every record for those who may see them all.
    get("signing:sign",                            L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    get("signing:changes",                         L,   200, 200, 200, 200, 200, 200, 200,
        guideline="guideline"),
    # The addresses from before there were several guidelines lead to the default one's.
    get("acknowledgements:legacy_sign", *[to("signing:sign", guideline="guideline")] * 8),
    get("acknowledgements:legacy_changes",
        *[to("signing:changes", guideline="guideline")] * 8),
    get("acknowledgements:overview",               L,   200, 200, 200, 200, 200, 200, 200),
    get("acknowledgements:verify",                 L,   200, 200, 200, 200, 200, 200, 200),
    get("acknowledgements:personal_data",          L,   200, 200, 200, 200, 200, 200, 200),
    get("acknowledgements:personal_data_download", L,   200, 200, 200, 200, 200, 200, 200),
    get("acknowledgements:personal_data_pdf",      L,   200, 200, 200, 200, 200, 200, 200),
    get("acknowledgements:receipt",                L,   200, 404, 200, 404, 200, 200, 200,
        code="code"),
    get("acknowledgements:certificate",            L,   200, 404, 200, 404, 200, 200, 200,
        code="code"),
    get("acknowledgements:receipt",                L,   404, 404, 200, 404, 200, 200, 200,
        code="paper_code", label="on behalf of someone else"),
    get("ledger:overview",                         L,   403, 403, 200, 403, 200, 200, 403),
    get("ledger:check",                            L,   403, 403, P,   403, P,   P,   403),
    get("ledger:export",                           L,   403, 403, 200, 403, 200, 200, 403),
    get("ledger:on_behalf",                        L,   403, 200, 200, 403, 403, 403, 200),
    get("ledger:paper_form",                       L,   403, 403, 200, 403, 200, 200, 200,
        sequence="paper_sequence"),
    # Another directorate's record (signed on paper): not found for the adviser.
    get("acknowledgements:receipt",                L,   404, 404, 200, 404, 200, 200, 404,
        code="outside_code", label="outside"),
    get("acknowledgements:certificate",            L,   404, 404, 200, 404, 200, 200, 404,
        code="outside_code", label="outside"),
    get("ledger:paper_form",                       L,   403, 403, 200, 403, 200, 200, 404,
        sequence="outside_sequence", label="outside"),
    # Retention: destruction lists for central HR (propose, approve, carry out), auditors look.
    get("ledger:destruction_lists",                L,   403, 403, 200, 403, 200, 403, 403),
    get("ledger:destruction_list",                 L,   403, 403, 200, 403, 200, 403, 403,
        pk="destruction"),
    get("ledger:destruction_csv",                  L,   403, 403, 200, 403, 200, 403, 403,
        pk="destruction"),
    get("ledger:destruction_propose",              L,   403, 403, P,   403, 403, 403, 403),
    get("ledger:destruction_approve",              L,   403, 403, P,   403, 403, 403, 403,
        pk="destruction"),
    get("ledger:destruction_carry_out",            L,   403, 403, P,   403, 403, 403, 403,
        pk="destruction"),

    # Campaigns: dashboards for HR, auditors and administrators; changes for HR. An HR
    # adviser views the campaigns that touch their part (the running one asks everyone,
    # the employee too; the planned one asks nobody yet) and changes only those wholly
    # within it; they exempt the people of their part.
    get("campaigns:list",                          L,   403, 403, 200, 403, 200, 200, 200),
    get("campaigns:create",                        L,   403, 403, 200, 403, 403, 403, 200),
    get("campaigns:onboarding",                    L,   403, 403, 200, 403, 200, 200, 200),
    get("campaigns:onboarding_guidelines",         L,   403, 403, 200, 403, 403, 403, 403),
    get("campaigns:detail",                        L,   403, 403, 200, 403, 200, 200, 200,
        pk="running"),
    get("campaigns:launch",                        L,   403, 403, 200, 403, 403, 403, 404,
        pk="planned"),
    get("campaigns:close",                         L,   403, 403, 200, 403, 403, 403, 403,
        pk="running"),
    get("campaigns:schedule",                      L,   403, 403, 200, 403, 403, 403, 403,
        pk="running"),
    get("campaigns:people",                        L,   403, 403, 200, 403, 200, 200, 200,
        pk="running"),
    get("campaigns:overdue_csv",                   L,   403, 403, 200, 403, 200, 200, 200,
        pk="running"),
    get("campaigns:reminders",                     L,   403, 403, 200, 403, 200, 200, 200,
        pk="running"),
    get("campaigns:reminder_retry",                L,   403, 403, P,   403, 403, 403, P, pk="mail"),
    get("campaigns:exempt",                        L,   403, 403, 200, 403, 403, 403, 200,
        pk="assignment"),
    get("campaigns:lift_exemption",                L,   403, 403, 200, 403, 403, 403, 200,
        pk="exempted"),
    # Exemptions wait for a second HR person (HR's own request: the page, no form).
    get("campaigns:exemptions_waiting",            L,   403, 403, 200, 403, 403, 403, 200),
    get("campaigns:exemption_decide",              L,   403, 403, 200, 403, 403, 403, 200,
        pk="request"),
    # A campaign of the adviser's part alone: theirs to view and to change.
    get("campaigns:detail",                        L,   403, 403, 200, 403, 200, 200, 200,
        pk="within", label="within"),
    get("campaigns:launch",                        L,   403, 403, 200, 403, 403, 403, 200,
        pk="planned_within", label="within"),
    get("campaigns:close",                         L,   403, 403, 200, 403, 403, 403, 200,
        pk="within", label="within"),
    get("campaigns:schedule",                      L,   403, 403, 200, 403, 403, 403, 200,
        pk="within", label="within"),
    # Another directorate's campaign, assignment, exemption and mail: not the adviser's.
    get("campaigns:detail",                        L,   403, 403, 200, 403, 200, 200, 404,
        pk="outside", label="outside"),
    get("campaigns:close",                         L,   403, 403, 200, 403, 403, 403, 404,
        pk="outside", label="outside"),
    get("campaigns:schedule",                      L,   403, 403, 200, 403, 403, 403, 404,
        pk="outside", label="outside"),
    get("campaigns:people",                        L,   403, 403, 200, 403, 200, 200, 404,
        pk="outside", label="outside"),
    get("campaigns:overdue_csv",                   L,   403, 403, 200, 403, 200, 200, 404,
        pk="outside", label="outside"),
    get("campaigns:reminders",                     L,   403, 403, 200, 403, 200, 200, 404,
        pk="outside", label="outside"),
    get("campaigns:exempt",                        L,   403, 403, 200, 403, 403, 403, 404,
        pk="outside_assignment", label="outside"),
    get("campaigns:lift_exemption",                L,   403, 403, 200, 403, 403, 403, 404,
        pk="outside_exempted", label="outside"),
    get("campaigns:exemption_decide",              L,   403, 403, 200, 403, 403, 403, 404,
        pk="outside_request", label="outside"),
    # The manager's reminder buttons are POST only for everyone (who may: see POST_ROWS).
    get("campaigns_team:remind_all",               L,   P,   P,   P,   P,   P,   P,   P),
    get("campaigns_team:remind_one",               L,   P,   P,   P,   P,   P,   P,   P,
        pk="assignment"),

    # Reports: HR, auditors and administrators; an HR adviser the reports of their part
    # (the world's report, central HR's on everyone, is not theirs: 404).
    get("reports:list",                            L,   403, 403, 200, 403, 200, 200, 200),
    get("reports:create",                          L,   403, 403, 200, 403, 200, 200, 200),
    get("reports:individual",                      L,   403, 403, 200, 403, 200, 200, 200),
    get("reports:log",                             L,   403, 403, 200, 403, 200, 200, 200),
    get("reports:detail",                          L,   403, 403, 200, 403, 200, 200, 404,
        pk="report"),
    get("reports:status",                          L,   403, 403, 200, 403, 200, 200, 404,
        pk="report"),
    get("reports:download",                        L,   403, 403, 200, 403, 200, 200, 404,
        pk="report"),
    get("reports:retry",                           L,   403, 403, P,   403, P,   P,   P,
        pk="report"),
    # A report on the adviser's part (theirs too), and one on another directorate.
    get("reports:detail",                          L,   403, 403, 200, 403, 200, 200, 200,
        pk="part_report", label="part"),
    get("reports:status",                          L,   403, 403, 200, 403, 200, 200, 200,
        pk="part_report", label="part"),
    get("reports:download",                        L,   403, 403, 200, 403, 200, 200, 200,
        pk="part_report", label="part"),
    get("reports:detail",                          L,   403, 403, 200, 403, 200, 200, 404,
        pk="other_report", label="outside"),
    get("reports:status",                          L,   403, 403, 200, 403, 200, 200, 404,
        pk="other_report", label="outside"),
    get("reports:download",                        L,   403, 403, 200, 403, 200, 200, 404,
        pk="other_report", label="outside"),

    # The security event log: auditors and administrators.
    get("security:log",                            L,   403, 403, 403, 403, 200, 200, 403),

    # django-allauth under /account/. Sign-up is closed (a page that says so); log-in and
    # sign-up send whoever is logged in home.
    get("account_login",                           200, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    get("account_logout",                          HOME, 200, 200, 200, 200, 200, 200, 200),
    get("account_inactive",                        200, 200, 200, 200, 200, 200, 200, 200),
    get("account_signup",                          200, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    get("account_reauthenticate",                  L,   200, 200, M,   M,   M,   M,   M),
    # Not offered: e-mail addresses are HR's (see portal.views.NotOfferedView).
    get("account_email",                           404, 404, 404, 404, 404, 404, 404, 404),
    get("account_email_verification_sent",         200, 200, 200, 200, 200, 200, 200, 200),
    get("account_confirm_email",                   200, 200, 200, 200, 200, 200, 200, 200,
        key="bogus"),
    get("account_change_password",                 L,   200, 200, 200, 200, 200, 200, 200),
    get("account_set_password",                    L,   *[to("account_change_password")] * 7),
    get("account_reset_password",                  200, 200, 200, 200, 200, 200, 200, 200),
    get("account_reset_password_done",             200, 200, 200, 200, 200, 200, 200, 200),
    get("account_reset_password_from_key",         200, 200, 200, 200, 200, 200, 200, 200,
        uidb36=1, key="bogus"),
    get("account_reset_password_from_key_done",    200, 200, 200, 200, 200, 200, 200, 200),
    # Log-in by code is not switched on: nothing to confirm.
    get("account_confirm_login_code",              to("account_login"), *[HOME] * 7),
    get("mfa_index",                               L,   200, 200, 200, 200, 200, 200, 200),
    get("mfa_authenticate",                        to("account_login"), *[HOME] * 7),
    get("mfa_reauthenticate",                      L,   R,   R,   200, 200, 200, 200, 200),
    get("mfa_activate_totp",                       L,   R,   R,   M,   M,   M,   M,   M),
    get("mfa_deactivate_totp",                     L,   404, 404, M,   M,   M,   M,   M),
    get("mfa_view_recovery_codes",                 L,   404, 404, M,   M,   M,   M,   M),
    get("mfa_generate_recovery_codes",             L,   R,   R,   M,   M,   M,   M,   M),
    get("mfa_download_recovery_codes",             L,   404, 404, M,   M,   M,   M,   M),

    # Single sign-on (allauth's social accounts, OpenID Connect, SAML). Nobody signs up;
    # no provider is configured in this world, so its log-in pages are not found.
    get("socialaccount_login_cancelled",           200, 200, 200, 200, 200, 200, 200, 200),
    get("socialaccount_login_error",               401, 401, 401, 401, 401, 401, 401, 401),
    get("socialaccount_signup",                    *[to("account_login")] * 8),
    get("socialaccount_connections",               L,   200, 200, 200, 200, 200, 200, 200),
    get("/account/social/login/cancelled/",        *[301] * 8),
    get("/account/social/login/error/",            *[301] * 8),
    get("/account/social/signup/",                 *[301] * 8),
    get("/account/social/connections/",            *[301] * 8),
    get("openid_connect_login",                    *[404] * 8, provider_id="municipal"),
    get("openid_connect_callback",                 *[404] * 8, provider_id="municipal"),
    get("saml_login",                              *[404] * 8, organization_slug="gemeente"),
    get("saml_acs",                                *[SAML_FINISH] * 8,
        organization_slug="gemeente"),
    get("saml_finish_acs",                         *[404] * 8, organization_slug="gemeente"),
    get("saml_sls",                                *[404] * 8, organization_slug="gemeente"),
    get("saml_metadata",                           *[404] * 8, organization_slug="gemeente"),
]

# POSTs where who may differs from who may look (or where GET says only "POST only").
TEAM, ONBOARDING = to("campaigns_team:team"), to("campaigns:onboarding")
EDITOR = to("handbook:editor", guideline="guideline")
REMINDER_LOG = to("campaigns:reminders", pk="running")
BANK_IMPORT = to("quiz_editor:import", guideline="guideline")
LEDGER = to("ledger:overview")
REPORT = to("reports:detail", pk="report")
PART_REPORT = to("reports:detail", pk="part_report")
OTHER_REPORT = to("reports:detail", pk="other_report")
RETIRE = to("handbook:retire", guideline="guideline", number="v1")
TEXT_IMPORT = to("handbook:import", guideline="guideline")
POST_ROWS = [
    #    URL name                                  anon emp  man  hr   edit aud  admin adv
    post("people:switch_language",                 HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME,
         data={"language": "en", "next": "/"}),
    post("campaigns_team:remind_all",              L,   403, TEAM, 403, 403, 403, 403, 403),
    post("campaigns_team:remind_one",              L,   403, TEAM, 403, 403, 403, 403, 403,
         pk="assignment"),
    post("campaigns:onboarding",                   L,   403, 403, ONBOARDING, 403, 403, 403, 403),
    post("campaigns:onboarding_guidelines",        L,   403, 403, 400, 403, 403, 403, 403),
    post("campaigns:reminder_retry",               L,   403, 403, REMINDER_LOG, 403, 403, 403, 403,
         pk="mail"),
    post("campaigns:reminder_retry",               L,   403, 403,
         to("campaigns:reminders", pk="outside"), 403, 403, 403, 404,
         pk="outside_mail", label="outside"),
    # The one who asked for an exemption never decides on it (a forged POST: 403); the
    # adviser, another HR person, may (here without a decision: 400).
    post("campaigns:exemption_decide",             L,   403, 403, 403, 403, 403, 403, 400,
         pk="request", data={"note": "goedgekeurd"}),
    post("ledger:on_behalf",                       L,   403, 400, 400, 403, 403, 403, 400),
    post("ledger:check",                           L,   403, 403, LEDGER, 403, LEDGER, LEDGER, 403),
    post("handbook:create_draft",                  L,   403, 403, 403, EDITOR, 403, 403, 403,
         guideline="guideline"),
    post("handbook:create_guideline",              L,   403, 403, 403, 400, 403, 403, 403),
    post("handbook:audience",                      L,   403, 403, 403, 400, 403, 403, 403,
         guideline="guideline", data={"audience": "departments"}),
    # A confirmation without a valid signed upload imports nothing: back to the upload.
    post("handbook:confirm_import",                L,   403, 403, 403, TEXT_IMPORT, 403, 403, 403,
         guideline="guideline", data={"upload": "forged"}),
    # Without an open request (and version 1 is the last in force): refused, back to its page.
    post("handbook:retire",                        L,   403, 403, 403, 400, 403, 403, 403,
         guideline="guideline", number="v1", data={"reason": "Vervangen."}),
    post("handbook:confirm_retirement",            L,   403, 403, 403, RETIRE, 403, 403, 403,
         guideline="guideline", number="v1", data={"request": 1}),
    post("handbook:cancel_retirement",             L,   403, 403, 403, RETIRE, 403, 403, 403,
         guideline="guideline", number="v1", data={"request": 1}),
    post("quiz_editor:import_confirm",             L,   403, 403, 403, BANK_IMPORT, 403, 403, 403,
         guideline="guideline"),
    post("quizzes:attempt",                        L,   400, 404, 404, 404, 404, 404, 404,
         guideline="guideline", pk="attempt"),
    post("reports:create",                         L,   403, 403, 400, 403, 400, 400, 400),
    # The world's report was made: making it again is refused (a message on its page).
    post("reports:retry",                          L,   403, 403, REPORT, 403, REPORT, REPORT, 404,
         pk="report"),
    post("reports:retry",                          L,   403, 403, PART_REPORT, 403, PART_REPORT,
         PART_REPORT, PART_REPORT, pk="part_report", label="part"),
    post("reports:retry",                          L,   403, 403, OTHER_REPORT, 403,
         OTHER_REPORT, OTHER_REPORT, 404, pk="other_report", label="outside"),
    post("account_email",                          404, 404, 404, 404, 404, 404, 404, 404,
         data={"action_add": "", "email": "prive@example.com"}),
]
# fmt: on

ROWS = GET_ROWS + POST_ROWS


# The world the URLs point into -------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The users (one per role) and the objects the URLs name, made once per module.

    Returns a dict: ``users`` (role -> employee), ``media_root``, and what the rows'
    kwargs name (``v1``, ``attempt``, ``code`` …). The employee has a manager, read every
    tip, passed the quiz (``result``), signed (``code``) and has an open attempt
    (``attempt``); the field worker's record was made on their behalf by HR with a
    scanned form (``paper_code``, ``paper_sequence``)."""
    media_root = tmp_path_factory.mktemp("access-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        built = _build_world()
        built["media_root"] = media_root
        yield built
        transaction.set_rollback(True)


def _build_world() -> dict:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from acknowledgements import services as ledger
    from acknowledgements.tests.factories import ready_to_sign, signed
    from campaigns import services as campaign_services
    from campaigns.models import Assignment, Campaign, Reminder
    from campaigns.tests.factories import draft_campaign, launched_campaign
    from handbook import services as handbook_services
    from handbook.tests.factories import GuidelineFactory
    from people.models import StaffImport
    from people.roles import Role
    from people.services.object_roles import grant_object_role
    from people.tests.factories import DepartmentFactory, EmployeeFactory
    from quizzes.models import Attempt
    from quizzes.tests.factories import quiz_version, served_attempt
    from reports import services as report_services
    from reports.services import generation

    # The adviser's part (where the employee works) and another directorate.
    ruimte = DepartmentFactory(code="RUIMTE", name="Directie Ruimte")
    sociaal = DepartmentFactory(code="SOCIAAL", name="Directie Sociaal")
    manager = EmployeeFactory(first_name="Mila", last_name="Manager", department=ruimte)
    employee = EmployeeFactory(
        first_name="Eef", last_name="Medewerker", manager=manager, department=ruimte
    )
    users = {
        "anonymous": None,
        "employee": employee,
        "manager": manager,
        "hr": EmployeeFactory(hr=True, totp=True),
        "editor": EmployeeFactory(editor=True, totp=True),
        "auditor": EmployeeFactory(auditor=True, totp=True),
        "administrator": EmployeeFactory(administrator=True, totp=True),
        "adviser": EmployeeFactory(first_name="Ad", last_name="Adviseur", totp=True),
    }
    grant_object_role(
        actor=users["administrator"], employee=users["adviser"], role=Role.HR, target=ruimte
    )
    with_totp = ("hr", "editor", "auditor", "administrator", "adviser")
    for role in with_totp:
        RecoveryCodes.activate(users[role])
    field_worker = EmployeeFactory(first_name="Piet", last_name="Veld", department=ruimte)
    on_leave = EmployeeFactory(first_name="Lot", last_name="Verlof", department=ruimte)
    # Outside the adviser's part: someone of Directie Sociaal, who signed on paper.
    outsider = EmployeeFactory(first_name="Otto", last_name="Buiten", department=sociaal)
    absent = EmployeeFactory(first_name="Olga", last_name="Afwezig", department=sociaal)

    version = quiz_version(tips=3)
    draft = handbook_services.create_draft(guideline=version.guideline, actor=users["editor"])
    # A second guideline with its own quiz, and the editor of that guideline alone.
    other = quiz_version(guideline=GuidelineFactory(slug="privacy", title="Privacy"), tips=2)
    guideline_editor = EmployeeFactory(first_name="Gea", last_name="Redacteur", totp=True)
    grant_object_role(
        actor=users["administrator"],
        employee=guideline_editor,
        role=Role.EDITOR,
        target=other.guideline,
    )

    ready_to_sign(employee, version)
    record = signed(employee, version)
    submitted = Attempt.objects.filter(employee=employee, submitted_at__isnull=False).get()
    open_attempt = served_attempt(employee=employee, version=version)
    on_behalf = ledger.record_on_behalf(
        employee=field_worker,
        version=version,
        recorded_by=users["hr"],
        reason="buitendienst, getekend op papier",
        signed_at=timezone.now(),
        paper_form=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
    )
    outside_record = ledger.record_on_behalf(
        employee=outsider,
        version=version,
        recorded_by=users["hr"],
        reason="buitendienst, getekend op papier",
        signed_at=timezone.now(),
        paper_form=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
    )

    campaign = launched_campaign(version, by=users["hr"])
    planned = draft_campaign(version, by=users["hr"], name="Nog niet gestart")
    # A campaign of the adviser's part alone, and one of another directorate alone.
    within = launched_campaign(
        version,
        by=users["hr"],
        name="Ruimte",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[ruimte],
    )
    planned_within = draft_campaign(
        version,
        by=users["hr"],
        name="Ruimte, nog niet gestart",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[ruimte],
    )
    outside = launched_campaign(
        version,
        by=users["hr"],
        name="Sociaal",
        audience=Campaign.Audience.DEPARTMENTS,
        departments=[sociaal],
    )
    assignment = Assignment.objects.get(campaign=campaign, employee=employee)
    exempt = campaign_services.exempt(
        assignment=Assignment.objects.get(campaign=campaign, employee=on_leave),
        reason="langdurig verlof",
        by=users["hr"],
    )
    now = timezone.now()
    reminder = Reminder.objects.create(
        assignment=assignment,
        kind=Reminder.Kind.REMINDER,
        step="before-14",
        status=Reminder.Status.FAILED,
        created_at=now - datetime.timedelta(days=1),
        next_attempt_at=now,
        attempts=10,
        last_error="550 mailbox unavailable",
    )
    outside_assignment = Assignment.objects.get(campaign=outside, employee=absent)
    outside_mail = Reminder.objects.create(
        assignment=outside_assignment,
        kind=Reminder.Kind.REMINDER,
        step="before-14",
        status=Reminder.Status.FAILED,
        created_at=now - datetime.timedelta(days=1),
        next_attempt_at=now,
        attempts=10,
        last_error="550 mailbox unavailable",
    )
    outside_exempt = campaign_services.exempt(
        assignment=Assignment.objects.get(campaign=campaign, employee=absent),
        reason="langdurig verlof",
        by=users["hr"],
    )
    # Exemptions HR asked for, waiting for a second HR person: in the part and outside.
    from campaigns.services import exemptions as four_eyes

    request = four_eyes.request_exemption(
        assignment=Assignment.objects.get(campaign=campaign, employee=field_worker),
        reason="buitendienst",
        by=users["hr"],
    )
    outside_request = four_eyes.request_exemption(
        assignment=Assignment.objects.get(campaign=campaign, employee=outsider),
        reason="buitendienst",
        by=users["hr"],
    )
    # Central HR's report on everyone; one on the adviser's part, one on another's.
    reports = {
        name: generation.generate(
            report_id=report_services.request_report(
                format="csv",
                version=version,
                departments=departments,
                by=users["hr"],
                enqueue=False,
            ).pk
        )
        for name, departments in (("report", []), ("part", [ruimte]), ("other", [sociaal]))
    }
    staff_import = StaffImport.objects.create(
        imported_by=users["hr"],
        filename="personeel.csv",
        file_sha256="0" * 64,
        mode=StaffImport.Mode.DRY_RUN,
    )
    from acknowledgements.services.destruction import propose_destruction

    destruction = propose_destruction(proposed_by=users["hr"])

    return {
        "users": users,
        "guideline": version.guideline.slug,
        "v1": version.number,
        "v2": draft.number,
        "attempt": open_attempt.pk,
        "result": submitted.pk,
        "code": record.entry.verification_code,
        "paper_code": on_behalf.entry.verification_code,
        "paper_sequence": on_behalf.entry.sequence,
        "outside_code": outside_record.entry.verification_code,
        "outside_sequence": outside_record.entry.sequence,
        "running": campaign.pk,
        "planned": planned.pk,
        "within": within.pk,
        "planned_within": planned_within.pk,
        "outside": outside.pk,
        "assignment": assignment.pk,
        "outside_assignment": outside_assignment.pk,
        "exempted": exempt.pk,
        "outside_exempted": outside_exempt.pk,
        "request": request.pk,
        "outside_request": outside_request.pk,
        "mail": reminder.pk,
        "outside_mail": outside_mail.pk,
        "report": reports["report"].pk,
        "part_report": reports["part"].pk,
        "other_report": reports["other"].pk,
        "staff_import": staff_import.pk,
        "destruction": destruction.pk,
        "other_guideline": other.guideline.slug,
        "guideline_editor": guideline_editor,
        "quiz_editor_rest": "redactie/",
        "bogus": "bogus-key",
        "markdown": "markdown",
        "legacy_rest": "versies/",
        # Single sign-on providers that are not configured here.
        "municipal": "municipal",
        "gemeente": "gemeente",
    }


@pytest.fixture(autouse=True)
def _world_files(_media_root, settings, world, db):
    """The world's files (the scanned form, the report) stay where they were made."""
    settings.MEDIA_ROOT = world["media_root"]


def reverse_in(world: dict, name: str, kwargs: dict[str, Any]) -> str:
    """The URL, with kwargs that name objects of the world filled in. A URL pattern
    without a name has its path as its row's name."""
    if name.startswith("/"):
        return name
    filled = {key: world[v] if isinstance(v, str) else v for key, v in kwargs.items()}
    return reverse(name, kwargs=filled)


def client_as(role: str, world: dict) -> Client:
    from people.tests.factories import login_with_second_factor

    client = Client()
    user = world["users"][role]
    if user is not None:
        login_with_second_factor(client, user)
    return client


def assert_answer(response, expected, what: str, world: dict) -> None:
    location = response.get("Location", "")
    got = f"{response.status_code} {location}".strip()
    if expected == LOGIN:
        login = reverse("account_login")
        assert response.status_code == 302 and location.startswith(f"{login}?next="), (
            f"{what}: expected a redirect to log in, got {got}"
        )
    elif isinstance(expected, To):
        assert response.status_code == 302, f"{what}: expected {expected}, got {got}"
        assert urlsplit(location).path == reverse_in(world, expected.name, expected.kwargs), (
            f"{what}: expected {expected}, got {got}"
        )
    elif expected == POST_ONLY:
        assert response.status_code == 405, f"{what}: POST only, so GET must be 405; got {got}"
    else:
        assert response.status_code == expected, f"{what}: expected {expected}, got {got}"


@pytest.mark.parametrize(
    ("row", "role"),
    [pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in ROLES],
)
def test_access(world, row, role):
    url = reverse_in(world, row.name, row.kwargs)
    client = client_as(role, world)

    response = getattr(client, row.method)(url, row.data)

    expected = row.expected[ROLES.index(role)]
    assert_answer(response, expected, f"{row.method.upper()} {url} as {role}", world)


# The editor of one guideline ---------------------------------------------------------------

# Every editor's page of a guideline, with what its editor gets on their own guideline's.
GUIDELINE_EDITOR_PAGES = [
    ("handbook:editor", {}, 200),
    ("handbook:create_draft", {}, POST_ONLY),
    ("handbook:version", {"number": 2}, 200),  # the draft
    ("handbook:edit", {"number": 2}, 200),
    ("handbook:publish", {"number": 2}, 200),
    ("handbook:discard", {"number": 2}, 200),
    ("handbook:retire", {"number": 1}, 200),
    ("handbook:topics", {"number": 1}, 200),
    ("handbook:confirm_retirement", {"number": 1}, POST_ONLY),
    ("handbook:cancel_retirement", {"number": 1}, POST_ONLY),
    ("handbook:audience", {}, 200),
    ("handbook:import", {}, 200),
    ("handbook:confirm_import", {}, POST_ONLY),
    ("handbook:export", {"number": 1, "format": "yaml"}, 200),
]
# Every editor's POST: on the other guideline refused before anything is looked at.
GUIDELINE_EDITOR_POSTS = [
    ("handbook:create_draft", {}, {}),
    ("handbook:edit", {"number": 2}, {"title": "Overgenomen"}),
    ("handbook:publish", {"number": 2}, {}),
    ("handbook:discard", {"number": 2}, {}),
    ("handbook:retire", {"number": 1}, {"reason": "Weg ermee."}),
    ("handbook:topics", {"number": 1}, {"topics-0-topic": "Overgenomen"}),
    ("handbook:confirm_retirement", {"number": 1}, {"request": 1}),
    ("handbook:cancel_retirement", {"number": 1}, {"request": 1}),
    ("handbook:audience", {}, {"audience": "roles", "roles": ["hr"]}),
    ("handbook:import", {}, {}),
    ("handbook:confirm_import", {}, {"upload": "forged"}),
]


def _guideline_editor_client(world: dict) -> Client:
    """The editor of the second guideline alone (world["other_guideline"]), with a draft
    (version 2) of that guideline open, as the default guideline has one."""
    from handbook import services as handbook_services
    from handbook.models import Guideline
    from people.tests.factories import login_with_second_factor

    handbook_services.create_draft(
        guideline=Guideline.objects.get(slug=world["other_guideline"]),
        actor=world["users"]["editor"],
    )
    client = Client()
    login_with_second_factor(client, world["guideline_editor"])
    return client


@pytest.mark.parametrize(("name", "kwargs", "own"), GUIDELINE_EDITOR_PAGES)
def test_the_editor_of_one_guideline_opens_its_editor_pages_and_gets_403_on_anothers(
    world, name, kwargs, own
):
    client = _guideline_editor_client(world)

    mine = client.get(reverse(name, kwargs={"guideline": world["other_guideline"], **kwargs}))
    theirs = client.get(reverse(name, kwargs={"guideline": world["guideline"], **kwargs}))

    assert mine.status_code == own
    assert theirs.status_code == (404 if name == "handbook:version" else 403)


@pytest.mark.parametrize(("name", "kwargs", "data"), GUIDELINE_EDITOR_POSTS)
def test_the_editor_of_one_guideline_cannot_post_to_anothers_editor_pages(
    world, name, kwargs, data
):
    from handbook.models import HandbookEvent

    client = _guideline_editor_client(world)
    events = HandbookEvent.objects.count()

    response = client.post(reverse(name, kwargs={"guideline": world["guideline"], **kwargs}), data)

    assert response.status_code == 403
    assert HandbookEvent.objects.count() == events


def test_the_editor_of_one_guideline_sees_that_one_alone_among_the_guidelines_to_edit(world):
    client = _guideline_editor_client(world)

    page = client.get(reverse("handbook:library")).content.decode()

    assert reverse("handbook:editor", kwargs={"guideline": world["other_guideline"]}) in page
    assert reverse("handbook:editor", kwargs={"guideline": world["guideline"]}) not in page
    assert client.get(reverse("handbook:create_guideline")).status_code == 403


# Every URL has a row, every row a URL ------------------------------------------------------


def portal_urls(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, name) for every URL pattern, following includes; a pattern without a
    name is named by its path."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from portal_urls(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route, f"/{route}"


def _own_urls() -> list[tuple[str, str]]:
    return [(route, name) for route, name in portal_urls() if not route.startswith(ADMIN_PREFIX)]


def test_every_url_of_the_portal_has_a_row():
    covered = {row.name for row in GET_ROWS}
    missing = [f"{name} (/{route})" for route, name in _own_urls() if name not in covered]

    assert not missing, "add a row to GET_ROWS for: " + ", ".join(missing)


def test_every_row_names_a_url_of_the_portal():
    names = {name for _route, name in _own_urls()}
    stale = sorted({row.name for row in ROWS} - names)

    assert not stale, "these rows name no URL of the portal any more: " + ", ".join(stale)


# The editor of one guideline (an object role) ----------------------------------------------

# Every quiz editor page, and what the editor of that guideline gets on it.
GUIDELINE_QUIZ_EDITOR_PAGES = {
    "quiz_editor:bank": 200,
    "quiz_editor:settings": 200,
    "quiz_editor:export": 200,
    "quiz_editor:import": 200,
    "quiz_editor:import_confirm": POST_ONLY,
    "quiz_editor:statistics": 200,
    "quiz_editor:statistics_csv": 200,
}


def test_every_quiz_editor_page_is_asked_for_by_the_editor_of_one_guideline():
    names = {name for _route, name in _own_urls() if name.startswith("quiz_editor:")}

    assert names == set(GUIDELINE_QUIZ_EDITOR_PAGES)


@pytest.mark.parametrize(("name", "expected"), GUIDELINE_QUIZ_EDITOR_PAGES.items())
def test_the_editor_of_one_guideline_opens_its_quiz_editor_pages(world, name, expected):
    from people.tests.factories import login_with_second_factor

    url = reverse(name, kwargs={"guideline": world["other_guideline"]})
    client = Client()
    login_with_second_factor(client, world["guideline_editor"])

    response = client.get(url)

    assert_answer(response, expected, f"GET {url} as the editor of that guideline", world)


@pytest.mark.parametrize("name", GUIDELINE_QUIZ_EDITOR_PAGES)
def test_the_editor_of_one_guideline_is_refused_another_guidelines_quiz_editor_pages(world, name):
    from people.tests.factories import login_with_second_factor

    url = reverse(name, kwargs={"guideline": world["guideline"]})
    client = Client()
    login_with_second_factor(client, world["guideline_editor"])

    response = client.get(url)

    assert_answer(response, 403, f"GET {url} as the editor of another guideline", world)


@pytest.mark.parametrize(("name", "expected"), GUIDELINE_QUIZ_EDITOR_PAGES.items())
def test_the_editor_of_every_guideline_opens_the_second_guidelines_quiz_editor_pages(
    world, name, expected
):
    url = reverse(name, kwargs={"guideline": world["other_guideline"]})

    response = client_as("editor", world).get(url)

    assert_answer(response, expected, f"GET {url} as the editor", world)


def test_nobody_changes_their_own_e_mail_address(world):
    employee = world["users"]["employee"]
    client = client_as("employee", world)

    client.post(reverse("account_email"), {"action_add": "", "email": "prive@example.com"})
    client.post(reverse("account_email"), {"action_primary": "", "email": "prive@example.com"})

    employee.refresh_from_db()
    assert employee.email != "prive@example.com"
    assert not EmailAddress.objects.filter(email="prive@example.com").exists()


# The admin site (/beheer/) -----------------------------------------------------------------

# fmt: off
ADMIN = to("admin:login")
ADMIN_ROWS = [
    #   URL name                                     anon … aud (6)   admin adv
    get("admin:index",                               *[ADMIN] * 6, 200, ADMIN),
    get("admin:people_employee_changelist",          *[ADMIN] * 6, 200, ADMIN),
    get("admin:people_department_changelist",        *[ADMIN] * 6, 200, ADMIN),
    get("admin:acknowledgements_ledgerentry_changelist",
                                                     *[ADMIN] * 6, 200, ADMIN),
    get("admin:auth_group_changelist",               *[ADMIN] * 6, 403, ADMIN),
    # Read-only: the administrator role may view security events, not change them.
    get("admin:security_securityevent_changelist",   *[ADMIN] * 6, 200, ADMIN),
    # The admin's own log-in is no log-in: to the portal's (allauth, with its limits and
    # second factor), on to the admin for staff, 403 for anyone else logged in.
    get("admin:login",                               to("account_login"), 403, 403, 403, 403,
                                                     403, to("admin:index"), 403),
    post("admin:login",                              to("account_login"), 403, 403, 403, 403,
                                                     403, to("admin:index"), 403,
         data={"username": "beheerder@voorbeeldstad.nl", "password": "Voorbeeldstad-2026!"}),
]
# fmt: on


@pytest.mark.parametrize(
    ("row", "role"),
    [pytest.param(row, role, id=f"{row.id}-{role}") for row in ADMIN_ROWS for role in ROLES],
)
def test_admin_access(world, row, role):
    url = reverse_in(world, row.name, row.kwargs)

    response = getattr(client_as(role, world), row.method)(url, row.data)

    what = f"{row.method.upper()} {url} as {role}"
    assert_answer(response, row.expected[ROLES.index(role)], what, world)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "administrator"])
def test_every_admin_page_is_closed_to_everyone_but_staff(world, role):
    client = client_as(role, world)
    admin_login = reverse("admin:login")
    opened = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        if not (response.status_code == 302 and response["Location"].startswith(admin_login)):
            opened.append(f"{url} ({response.status_code})")

    assert not opened, f"open to {role}: " + ", ".join(opened)


# A privileged page in a session that has not passed the second factor ---------------------

# Every cell where a role that must use two-factor may do what an employee may not (a
# page, a POST, a download) is asked again in a session with the password only: the
# answer is the code page, never the page. Generated from the tables above, so a new
# privileged URL is covered as soon as it has its row.
PRIVILEGED_ROLES = ("hr", "editor", "auditor", "administrator", "adviser")
REFUSED = (403, 404, ADMIN)


def _privileged_cells():
    for row in ROWS + ADMIN_ROWS:
        if row.expected[ROLES.index("employee")] not in REFUSED:
            continue
        for role in PRIVILEGED_ROLES:
            if row.expected[ROLES.index(role)] not in (*REFUSED, LOGIN):
                yield pytest.param(row, role, id=f"{row.id}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_privileged_cells()))
def test_privileged_page_in_a_session_without_the_second_factor(world, row, role):
    from people.tests.factories import login_with_password_only

    url = reverse_in(world, row.name, row.kwargs)
    client = Client()
    login_with_password_only(client, world["users"][role])

    response = getattr(client, row.method)(url, row.data)

    what = f"{row.method.upper()} {url} as {role} without the second factor"
    assert_answer(response, MFA_REAUTH, what, world)
    assert parse_qs(urlsplit(response["Location"]).query).get("next") == [url], what


def test_every_privileged_role_is_asked_again_somewhere():
    asked = {param.values[1] for param in _privileged_cells()}

    assert asked == set(PRIVILEGED_ROLES)


@pytest.mark.parametrize("role", PRIVILEGED_ROLES)
def test_a_password_posted_to_the_admin_log_in_logs_nobody_in(world, role):
    from people.tests.factories import DEFAULT_PASSWORD

    client = Client()
    user = world["users"][role]

    response = client.post(
        reverse("admin:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )

    assert_answer(response, to("account_login"), f"POST admin:login for {role}", world)
    assert "_auth_user_id" not in client.session
