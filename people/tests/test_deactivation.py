"""A deactivated account (a leaver, or one switched off) loses its open sessions at once,
on every server: the sessions are in the database, Django's ModelBackend (and allauth's,
which inherits it) refuses an inactive user on the next request, and the portal deletes
the session rows when it deactivates someone (people.services.sessions)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from people.models import Employee
from people.services import import_staff
from people.services.sessions import end_sessions_of
from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory, login_with_second_factor
from people.tests.staff_import_support import TODAY, organisation, person, staff_csv

pytestmark = pytest.mark.django_db


def logged_in_by_password(employee) -> Client:
    """A real log-in through allauth's form (its backend is the session's)."""
    client = Client()
    client.post(reverse("account_login"), {"login": employee.email, "password": DEFAULT_PASSWORD})
    assert int(client.session[SESSION_KEY]) == employee.pk
    return client


def is_anonymous_now(client: Client) -> bool:
    response = client.get(reverse("home"))
    return (
        not response.wsgi_request.user.is_authenticated
        and response.status_code == 302
        and response["Location"].startswith(reverse("account_login"))
    )


def sessions_of(employee) -> int:
    return sum(
        1
        for session in Session.objects.all()
        if str(session.get_decoded().get(SESSION_KEY)) == str(employee.pk)
    )


def test_sessions_are_kept_in_the_database_shared_by_every_server():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_session_of_someone_deactivated_in_bulk_gets_nothing_on_the_next_request():
    """As the staff import does it: an UPDATE, no save() and no signal. Django's backend
    (ModelBackend.get_user, inherited by allauth's) refuses an inactive user."""
    employee = EmployeeFactory()
    client = logged_in_by_password(employee)
    assert client.get(reverse("home")).status_code == 200

    Employee.objects.filter(pk=employee.pk).update(is_active=False)

    assert is_anonymous_now(client)


def test_a_session_made_by_force_login_is_refused_as_well_after_deactivation():
    """force_login uses Django's ModelBackend: the same refusal."""
    employee = EmployeeFactory()
    client = Client()
    client.force_login(employee)

    Employee.objects.filter(pk=employee.pk).update(is_active=False)

    assert is_anonymous_now(client)


def _admin_deactivates(employee) -> None:
    administrator = EmployeeFactory(administrator=True, is_superuser=True, totp=True)
    admin = Client()
    login_with_second_factor(admin, administrator)
    page = admin.get(reverse("admin:people_employee_change", args=[employee.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "last_login", "date_joined", "groups")
    }
    data.update(is_active="", department=employee.department_id, manager="", start_date="")
    response = admin.post(reverse("admin:people_employee_change", args=[employee.pk]), data)
    assert response.status_code == 302, page.context["adminform"].form.errors


def test_a_session_of_someone_the_admin_switches_off_gets_nothing_on_the_next_request():
    employee = EmployeeFactory()
    client = logged_in_by_password(employee)

    _admin_deactivates(employee)

    employee.refresh_from_db()
    assert not employee.is_active
    assert is_anonymous_now(client)


def test_the_admin_switching_someone_off_deletes_their_session_rows():
    employee = EmployeeFactory()
    logged_in_by_password(employee)
    logged_in_by_password(employee)  # a second browser
    assert sessions_of(employee) == 2

    _admin_deactivates(employee)

    assert sessions_of(employee) == 0


def test_switched_on_again_the_old_session_stays_ended():
    """Deleted rows: reactivating an account does not revive a session (or a stolen
    cookie) from before."""
    employee = EmployeeFactory()
    client = logged_in_by_password(employee)
    employee.is_active = False
    employee.save()

    Employee.objects.filter(pk=employee.pk).update(is_active=True)

    assert is_anonymous_now(client)


def test_a_leaver_of_the_staff_import_loses_their_session_rows():
    organisation()
    stays = EmployeeFactory(employee_number="1001")
    leaver = EmployeeFactory(employee_number="1002", start_date=datetime.date(2010, 1, 1))
    client = logged_in_by_password(leaver)

    with translation.override("en"):
        outcome = import_staff(
            data=staff_csv([person("1001", email=stays.email)]),
            filename="personeel.csv",
            by=None,
            full_export=True,
            today=TODAY,
        )

    assert outcome.plan.counts["leaving"] == 1
    assert sessions_of(leaver) == 0
    Employee.objects.filter(pk=leaver.pk).update(is_active=True)
    assert is_anonymous_now(client)


def test_ending_sessions_leaves_everyone_elses_alone():
    employee, colleague = EmployeeFactory(), EmployeeFactory()
    logged_in_by_password(employee)
    colleagues_browser = logged_in_by_password(colleague)

    assert end_sessions_of(employee_ids=[employee.pk]) == 1

    assert sessions_of(colleague) == 1
    assert colleagues_browser.get(reverse("home")).status_code == 200


def test_saving_an_active_employee_ends_no_sessions():
    employee = EmployeeFactory()
    client = logged_in_by_password(employee)

    employee.job_title = "Teamleider"
    employee.save()

    assert client.get(reverse("home")).status_code == 200
