"""manage.py seed_demo and demo_totp: the demo organisation 'Gemeente Voorbeeldstad'."""

import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.campaigns import DEMO_CAMPAIGN_NAME
from demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD, PEOPLE
from demo.services import SIGNS_AGAIN
from demo.totp import demo_totp_secret, stored_totp_secret, totp_code
from handbook.models import Guideline, GuidelineVersion, HandbookEvent, Tip
from handbook.selectors import DEFAULT_GUIDELINE_SLUG
from people.models import Department, Employee
from people.roles import ROLE_PERMISSIONS, Role
from people.selectors import must_use_two_factor, roles_of

pytestmark = pytest.mark.django_db


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "employees": Employee.objects.count(),
        "memberships": Employee.groups.through.objects.count(),
        "groups": Group.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "guidelines": Guideline.objects.count(),
        "versions": GuidelineVersion.objects.count(),
        "tips": Tip.objects.count(),
        "events": HandbookEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes a second or two); each test then runs in a
    savepoint inside this transaction, and everything is rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    return _seeded_once


def _account(email: str) -> Employee:
    return Employee.objects.get(email=email)


def _social_media() -> Guideline:
    return Guideline.objects.get(slug=DEFAULT_GUIDELINE_SLUG)


def _version(number: int) -> GuidelineVersion:
    """A version of the social-media guideline (the demo has a second guideline too)."""
    return GuidelineVersion.objects.get(guideline__slug=DEFAULT_GUIDELINE_SLUG, number=number)


def _draft() -> GuidelineVersion:
    return _version(2)


# --------------------------------------------------------------------------- running


def test_seed_demo_runs_with_force_without_debug(settings, seeded):
    assert Employee.objects.count() == len(PEOPLE)


def test_running_seed_demo_twice_changes_nothing(seeded):
    before = _counts()

    _seed()

    assert _counts() == before


def test_the_second_run_reports_nothing_created(seeded):
    output = _seed()

    assert "0 departments and 0 employees created" in output
    assert "already there" in output


def test_the_second_run_keeps_the_same_draft(seeded):
    draft = _draft()

    _seed()

    assert _version(2).pk == draft.pk


def test_seed_demo_completes_an_organisation_that_was_partly_there(seeded):
    from campaigns.models import Assignment

    Assignment.objects.filter(employee__employee_number="300087").delete()
    Employee.objects.filter(employee_number="300087").delete()

    _seed()

    assert Employee.objects.count() == len(PEOPLE)
    added = Employee.objects.get(employee_number="300087")
    assert added.manager.employee_number == "300080"


def test_seed_demo_leaves_a_published_version_two_alone(seeded):
    from handbook.services import publish_version

    publish_version(draft=_draft(), actor=_account("redacteur2@voorbeeldstad.nl"))

    _seed()

    assert not GuidelineVersion.objects.filter(status=GuidelineVersion.Status.DRAFT).exists()


# --------------------------------------------------------------------------- organisation


def test_seed_demo_loads_version_one(seeded):
    assert _version(1).status == GuidelineVersion.Status.PUBLISHED


def test_seed_demo_creates_about_sixty_employees(seeded):
    assert 55 <= Employee.objects.count() <= 65


def test_the_departments_form_a_tree_of_directorates_departments_and_teams(seeded):
    paths = dict(Department.objects.values_list("code", "path"))

    assert paths["DIR-RUI"] == "/DIR-RUI/"
    assert paths["AFD-VERG"] == "/DIR-RUI/AFD-VERG/"
    assert paths["TEAM-OMG"] == "/DIR-RUI/AFD-VERG/TEAM-OMG/"
    assert paths["AFD-COM"] == "/DIR-BED/AFD-COM/"


def test_every_department_kind_is_used(seeded):
    assert set(Department.objects.values_list("kind", flat=True)) == set(Department.Kind.values)


def test_only_the_gemeentesecretaris_has_no_manager(seeded):
    top = Employee.objects.filter(manager__isnull=True)

    assert [e.job_title for e in top] == ["Gemeentesecretaris / algemeen directeur"]


def test_every_manager_in_the_demo_is_still_employed(seeded):
    assert not Employee.objects.filter(reports__isnull=False, is_active=False).exists()


def test_every_employee_works_in_a_department(seeded):
    assert not Employee.objects.filter(department__isnull=True).exists()


def test_there_is_one_leaver_with_an_end_date_in_the_past(seeded):
    leavers = Employee.objects.filter(is_active=False)

    assert len(leavers) == 1
    assert leavers[0].end_date < timezone.localdate()


def test_the_names_have_tussenvoegsels(seeded):
    prefixes = set(Employee.objects.values_list("name_prefix", flat=True))

    assert {"van der", "de", "van den"} <= prefixes


def test_the_names_have_diacritics(seeded):
    first_names = set(Employee.objects.values_list("first_name", flat=True))

    assert {"Ümit", "Zoë", "Frédérique"} <= first_names


def test_a_few_employees_prefer_english(seeded):
    assert 2 <= Employee.objects.filter(preferred_language="en").count() <= 6


def test_every_employee_has_a_number_job_title_and_start_date(seeded):
    assert not Employee.objects.filter(employee_number__isnull=True).exists()
    assert not Employee.objects.filter(job_title="").exists()
    assert not Employee.objects.filter(start_date__isnull=True).exists()


def test_the_generated_email_addresses_are_plain_ascii(seeded):
    assert all(email.isascii() for email in Employee.objects.values_list("email", flat=True))


def test_an_employee_address_is_made_from_the_name(seeded):
    assert Employee.objects.get(first_name="Gerrit").email == "gerrit.vanthof@voorbeeldstad.nl"


# --------------------------------------------------------------------------- accounts


@pytest.mark.parametrize(
    "account",
    [a for a in DEMO_ACCOUNTS if not a.guideline and not a.department],
    ids=lambda a: a.email,
)
def test_each_demo_account_holds_its_role(seeded, account):
    assert account.role in roles_of(user=_account(account.email))


def test_there_is_a_demo_account_for_every_role(seeded):
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)


def test_the_employee_account_holds_no_other_role(seeded):
    assert roles_of(user=_account("medewerker@voorbeeldstad.nl")) == {Role.EMPLOYEE}


def test_the_manager_account_leads_a_team_with_the_employee_account(seeded):
    manager = _account("leidinggevende@voorbeeldstad.nl")

    assert _account("medewerker@voorbeeldstad.nl").manager == manager
    assert manager.reports.filter(is_active=True).count() >= 4


def test_there_are_two_editors_for_four_eyes_publishing(seeded):
    assert Employee.objects.filter(groups__name=Role.EDITOR).count() == 2


def test_the_administrator_may_use_the_admin_site_but_is_not_a_superuser(seeded):
    administrator = _account("beheerder@voorbeeldstad.nl")

    assert administrator.is_staff
    assert not administrator.is_superuser


def test_the_administrator_holds_exactly_the_administrator_roles_permissions(seeded):
    administrator = _account("beheerder@voorbeeldstad.nl")

    assert administrator.get_all_permissions() == set(ROLE_PERMISSIONS[Role.ADMINISTRATOR])
    assert roles_of(user=administrator) == {Role.EMPLOYEE, Role.ADMINISTRATOR}


def test_seeding_again_takes_superuser_away_from_an_earlier_demo_administrator(seeded):
    Employee.objects.filter(email="beheerder@voorbeeldstad.nl").update(is_superuser=True)

    _seed()

    assert not _account("beheerder@voorbeeldstad.nl").is_superuser


ADMIN_PAGES_OPEN = [
    "admin:index",
    "admin:people_employee_changelist",
    "admin:people_employee_add",
    "admin:people_department_changelist",
    "admin:handbook_guideline_changelist",
    "admin:handbook_guidelineversion_changelist",
    "admin:campaigns_campaign_changelist",
    "admin:acknowledgements_ledgerentry_changelist",
]
ADMIN_PAGES_CLOSED = [
    "admin:auth_group_changelist",
    "admin:auth_group_add",
    "admin:campaigns_reminder_changelist",
    "admin:reports_report_changelist",
    "admin:quizzes_attempt_changelist",
]


def _admin_client(client):
    from people.tests import factories

    administrator = _account("beheerder@voorbeeldstad.nl")
    login = getattr(factories, "login_with_second_factor", None)
    if login is None:  # pragma: no cover - before per-session two-factor existed
        client.force_login(administrator)
    else:
        login(client, administrator)
    return client


@pytest.mark.parametrize("url_name", ADMIN_PAGES_OPEN)
def test_the_demo_administrator_opens_the_admin_pages_of_the_role(client, seeded, url_name):
    from django.urls import reverse

    assert _admin_client(client).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ADMIN_PAGES_CLOSED)
def test_the_demo_administrator_is_refused_admin_pages_outside_the_role(client, seeded, url_name):
    from django.urls import reverse

    assert _admin_client(client).get(reverse(url_name)).status_code == 403


def test_the_demo_administrator_can_open_an_employee_in_the_admin(client, seeded):
    from django.urls import reverse

    employee = _account("medewerker@voorbeeldstad.nl")
    url = reverse("admin:people_employee_change", args=[employee.pk])
    assert _admin_client(client).get(url).status_code == 200


def test_the_other_demo_accounts_may_not_use_the_admin_site(seeded):
    assert list(Employee.objects.filter(is_staff=True).values_list("email", flat=True)) == [
        "beheerder@voorbeeldstad.nl"
    ]


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_each_demo_account_logs_in_with_the_demo_password(client, seeded, account):
    assert client.login(email=account.email, password=DEMO_PASSWORD)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_exactly_the_two_factor_roles_get_a_totp_authenticator(seeded, account):
    employee = _account(account.email)

    assert (stored_totp_secret(employee) is not None) == must_use_two_factor(user=employee)


def test_a_demo_totp_secret_is_the_fixed_one(seeded):
    employee = _account("hr@voorbeeldstad.nl")

    assert stored_totp_secret(employee) == demo_totp_secret("hr@voorbeeldstad.nl")


def test_an_authenticator_set_up_by_hand_is_kept(seeded):
    from allauth.mfa.totp.internal.auth import TOTP

    employee = _account("hr@voorbeeldstad.nl")
    Authenticator.objects.filter(user=employee).delete()
    TOTP.activate(employee, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    _seed()

    assert stored_totp_secret(employee) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_the_demo_output_names_url_accounts_password_and_secrets(seeded):
    assert "http://127.0.0.1:8000/" in seeded
    assert DEMO_PASSWORD in seeded
    assert all(account.email in seeded for account in DEMO_ACCOUNTS)
    assert "manage.py demo_totp hr@voorbeeldstad.nl" in seeded
    assert demo_totp_secret("redacteur2@voorbeeldstad.nl") in seeded


# --------------------------------------------------------------------------- draft version 2


def test_the_guideline_is_owned_by_the_editor(seeded):
    assert _social_media().owner == _account("redacteur@voorbeeldstad.nl")


def test_the_review_date_is_the_one_the_loader_set(seeded):
    version_one = _version(1)

    assert _social_media().review_date == version_one.effective_date.replace(
        year=version_one.effective_date.year + 1
    )


def test_version_two_is_a_draft_by_the_first_editor(seeded):
    draft = _draft()

    assert draft.status == GuidelineVersion.Status.DRAFT
    assert draft.created_by == draft.last_edited_by == _account("redacteur@voorbeeldstad.nl")


def test_version_two_marks_each_tip_as_expected(seeded):
    marks = dict(_draft().tips.values_list("number", "change"))

    assert marks == {
        1: "unchanged",
        2: "editorial",
        3: "unchanged",
        4: "editorial",
        5: "unchanged",
        6: "material",
        7: "unchanged",
        8: "unchanged",
        9: "editorial",
        10: "unchanged",
        11: "editorial",
    }


def test_version_two_keeps_the_lineage_of_every_tip(seeded):
    one = dict(_version(1).tips.values_list("number", "lineage"))

    assert dict(_draft().tips.values_list("number", "lineage")) == one


def test_version_two_fixes_the_language_slips(seeded):
    tips = dict(_draft().tips.values_list("number", "text"))

    assert "Houd het professioneel" in tips[2]
    assert "Sociale media kunnen behulpzaam zijn" in tips[4]
    assert tips[4].endswith("Wees je daarvan bewust.")
    assert "‘call to action’" in tips[9]
    assert "logo’s (van de gemeente of andere organisaties)" in tips[11]


def test_version_two_adds_the_legal_basis_to_tip_six(seeded):
    tip = _draft().tips.get(number=6)

    assert "artikel 10 van de Ambtenarenwet 2017" in tip.text
    assert "article 10 of the Civil Servants Act 2017" in tip.text_en


def test_version_two_updates_the_legal_reference_in_the_introduction(seeded):
    draft = _draft()

    assert "art. 10 Ambtenarenwet 2017" in draft.introduction
    assert "125a" not in draft.introduction
    assert "125a" not in draft.introduction_en


def test_version_two_explains_its_changes_in_dutch_and_english(seeded):
    draft = _draft()

    assert "Inleiding" in draft.change_summary
    assert "Introduction" in draft.change_summary_en


def test_version_two_takes_effect_in_two_weeks(seeded):
    assert _draft().effective_date == timezone.localdate() + datetime.timedelta(days=14)


def test_version_two_asks_everyone_to_acknowledge_again(seeded):
    assert _draft().requires_reacknowledgement


def test_the_second_editor_may_publish_version_two(seeded):
    from handbook.services import publish_blockers

    draft = _draft()

    assert publish_blockers(draft=draft, actor=_account("redacteur2@voorbeeldstad.nl")) == []
    assert publish_blockers(draft=draft, actor=_account("redacteur@voorbeeldstad.nl")) != []


# --------------------------------------------------------------------------- TOTP codes


def test_totp_code_follows_rfc_6238():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    assert totp_code(secret, at=59) == "287082"


def test_demo_totp_prints_the_code_the_login_accepts(settings, seeded):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo_totp", "hr@voorbeeldstad.nl", stdout=out, stderr=io.StringIO())

    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(demo_totp_secret("hr@voorbeeldstad.nl"), code)


def test_demo_totp_ignores_the_case_of_the_address(settings, seeded):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo_totp", "HR@Voorbeeldstad.nl", stdout=out, stderr=io.StringIO())

    assert out.getvalue().strip().isdigit()


def test_demo_totp_refuses_to_run_without_debug(settings, seeded):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp", "hr@voorbeeldstad.nl", stdout=io.StringIO())


def test_demo_totp_explains_an_account_without_totp(settings, seeded):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="no TOTP"):
        call_command("demo_totp", "medewerker@voorbeeldstad.nl", stdout=io.StringIO())


def test_demo_totp_explains_an_unknown_address(settings, seeded):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="No account"):
        call_command("demo_totp", "niemand@voorbeeldstad.nl", stdout=io.StringIO())


def test_seed_demo_gives_the_statistics_finished_quiz_attempts(seeded):
    from quizzes.models import Attempt

    attempts = Attempt.objects.filter(submitted_at__isnull=False)
    # 40 staff took the quiz; who signed again this year (demo.campaigns) took it again.
    assert attempts.values("employee").distinct().count() == 40 + 1  # + SIGNS_AGAIN
    assert attempts.filter(passed=True).exists()
    assert attempts.filter(passed=False).exists()


def test_the_demo_accounts_can_take_the_quiz_fresh(seeded):
    from quizzes.models import Attempt

    assert not Attempt.objects.filter(employee__email="medewerker@voorbeeldstad.nl").exists()


# --------------------------------------------------------------------------- campaigns


def test_seed_demo_launches_a_running_campaign_for_all_active_staff(seeded):
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN_NAME)

    assert campaign.status == Campaign.Status.RUNNING
    assert campaign.launched_by.email == "hr@voorbeeldstad.nl"
    assert (
        campaign.assignments.filter(guideline__slug=DEFAULT_GUIDELINE_SLUG).count()
        == Employee.objects.filter(is_active=True)
        .exclude(end_date__lt=timezone.localdate())
        .count()
    )


def test_seed_demo_has_some_staff_signed_but_of_the_demo_accounts_only_who_signs_again(seeded):
    from acknowledgements.models import Acknowledgement

    signers = set(Acknowledgement.objects.values_list("employee__email", flat=True))

    assert 10 <= len(signers) <= 40
    assert signers & {account.email for account in DEMO_ACCOUNTS} == {SIGNS_AGAIN}


def test_seed_demo_launches_the_campaign_once(seeded):
    from campaigns.models import Assignment, Campaign

    before = (Campaign.objects.count(), Assignment.objects.count())

    _seed()

    assert (Campaign.objects.count(), Assignment.objects.count()) == before


def test_the_printed_link_is_where_make_run_serves_the_portal():
    assert " Open:      http://0.0.0.0:8080/" in _seed(address="0.0.0.0:8080")


def test_the_printed_link_defaults_to_the_local_development_server():
    assert " Open:      http://127.0.0.1:8000/" in _seed()
