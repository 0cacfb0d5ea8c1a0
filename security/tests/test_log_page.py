"""/beveiligingslog/: the security event log for administrators and auditors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, links, parse, select
from security.models import SecurityEvent
from security.services import record_event
from security.tests.factories import backdate

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
URL = "/beveiligingslog/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False  # the second factor is the access matrix's part


@pytest.fixture
def auditor_client(client):
    client.force_login(EmployeeFactory(auditor=True))
    SecurityEvent.objects.all().delete()  # the role granted, the log-in: not this test's
    return client


def at(event, moment):
    return backdate(event, moment)


def shown(response):
    return [event.pk for event in response.context["events"]]


def test_the_log_lives_under_a_dutch_address():
    assert reverse("security:log") == URL


def test_the_auditor_sees_the_events_newest_first_in_dutch(auditor_client):
    jan = EmployeeFactory(email="jan@voorbeeldstad.nl")
    older = at(record_event(kind=Kind.LOGIN, actor=jan), timezone.now() - datetime.timedelta(1))
    newer = record_event(kind=Kind.LOGIN_FAILED, actor_identifier="piet@example.org")

    response = auditor_client.get(URL)

    assert response.status_code == 200
    assert shown(response) == [newer.pk, older.pk]
    html = response.content.decode()
    assert "Beveiligingslog" in html
    assert "Inloggen mislukt" in html
    assert "jan@voorbeeldstad.nl" in html


def test_the_menu_links_to_the_log_for_auditors_only(client):
    client.force_login(EmployeeFactory(auditor=True))
    assert URL in links(parse(client.get(reverse("home"))), "nav.portal-nav")

    client.force_login(EmployeeFactory(hr=True))
    assert URL not in links(parse(client.get(reverse("home"))))


def test_the_filter_by_kind_shows_that_kind_only(auditor_client):
    record_event(kind=Kind.LOGIN, actor=EmployeeFactory())
    failed = record_event(kind=Kind.LOGIN_FAILED, actor_identifier="x@example.org")

    response = auditor_client.get(URL, {"soort": "login_failed"})

    assert shown(response) == [failed.pk]


def test_the_filter_by_person_finds_events_by_and_about_them(auditor_client):
    jan = EmployeeFactory(email="jan@voorbeeldstad.nl")
    by_jan = record_event(kind=Kind.LOGIN, actor=jan)
    about_jan = record_event(kind=Kind.ROLE_GRANTED, actor=EmployeeFactory(), subject=jan)
    record_event(kind=Kind.LOGIN, actor=EmployeeFactory())

    response = auditor_client.get(URL, {"persoon": "JAN@voorbeeldstad"})

    assert sorted(shown(response)) == sorted([by_jan.pk, about_jan.pk])


def test_the_period_counts_whole_days_from_and_to(auditor_client):
    now = timezone.localtime()
    today = now.date()
    inside = at(record_event(kind=Kind.LOGIN, actor=EmployeeFactory()), now)
    at(record_event(kind=Kind.LOGIN, actor=EmployeeFactory()), now - datetime.timedelta(days=3))

    response = auditor_client.get(
        URL, {"van": (today - datetime.timedelta(days=1)).isoformat(), "tot": today.isoformat()}
    )

    assert shown(response) == [inside.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"van": "gisteren"}, "van"),
        ({"van": "2026-03-02", "tot": "2026-03-01"}, "tot"),
        ({"soort": "iets"}, "soort"),
        ({"persoon": "a " * 60}, "persoon"),
    ],
)
def test_a_refused_filter_says_why_in_dutch_and_shows_no_events(auditor_client, query, field):
    record_event(kind=Kind.LOGIN, actor=EmployeeFactory())

    with translation.override("nl"):
        response = auditor_client.get(URL, query)

    assert response.status_code == 200
    assert shown(response) == []
    assert response.context["form"].errors[field]
    page = parse(response)
    assert attribute(page, f"#id_{field}", "aria-invalid") == "true"
    assert f"id_{field}_error" in attribute(page, f"#id_{field}", "aria-describedby").split()
    assert select(page, f".utrecht-form-field-error-message#id_{field}_error")


@pytest.mark.parametrize("count", [3, 120])
def test_the_page_costs_a_fixed_number_of_queries(auditor_client, count, django_assert_num_queries):
    actor = EmployeeFactory()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=Kind.LOGIN, actor=actor, actor_identifier=actor.email)
        for _ in range(count)
    )

    # session, user, the user's permissions (2), count, the menu's roles (2), the events
    with django_assert_num_queries(8):
        response = auditor_client.get(URL, {"soort": "login", "persoon": "voorbeeldstad"})

    assert len(response.context["events"]) == min(count, 50)


def test_the_second_page_shows_the_rest(auditor_client):
    actor = EmployeeFactory()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=Kind.LOGIN, actor=actor, actor_identifier=actor.email) for _ in range(51)
    )

    response = auditor_client.get(URL, {"pagina": 2})

    assert len(response.context["events"]) == 1


def test_hr_may_not_read_the_log(client):
    client.force_login(EmployeeFactory(hr=True))

    assert client.get(URL).status_code == 403


def test_the_admin_shows_events_but_changes_none(admin_client):
    event = record_event(kind=Kind.LOGIN, actor=EmployeeFactory())

    page = admin_client.get(reverse("admin:security_securityevent_change", args=[event.pk]))
    deleted = admin_client.post(
        reverse("admin:security_securityevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert page.status_code == 200
    assert deleted.status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    assert admin_client.get(reverse("admin:security_securityevent_add")).status_code == 403


def test_the_details_are_shown_in_dutch(auditor_client):
    record_event(
        kind=Kind.LOGIN,
        actor=EmployeeFactory(),
        details={"method": "password", "second_factor": "totp"},
    )

    with translation.override("nl"):
        html = auditor_client.get(URL).content.decode()

    assert "Manier: Wachtwoord" in html
    assert "Tweede stap: Authenticator-app" in html


def test_roles_and_admin_flags_are_shown_by_their_dutch_names(auditor_client):
    record_event(
        kind=Kind.PRIVILEGED_CHANGE_REFUSED,
        subject=EmployeeFactory(),
        details={"roles": ["administrator", "is_staff"]},
    )
    record_event(kind=Kind.ROLE_GRANTED, subject=EmployeeFactory(), details={"role": "hr"})

    with translation.override("nl"):
        html = auditor_client.get(URL).content.decode()

    assert "Rollen: Beheerder, toegang tot de beheeromgeving" in html
    assert "Rol: P&amp;O (HR)" in html
    assert "administrator" not in html
