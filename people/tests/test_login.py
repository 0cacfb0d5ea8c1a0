"""Log-in through django-allauth, with the Django test client (the browser journeys are in e2e/)."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.urls import reverse

from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from portal.testing.html import attribute, error_summary, links, one, parse, select, text

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    """The code an authenticator app shows now (allauth's own TOTP arithmetic)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, email, password=DEFAULT_PASSWORD, **kwargs):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **kwargs)


def test_login_page_has_labelled_fields_and_no_sign_up_invitation(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    page = parse(response)
    assert attribute(page, "html", "lang") == "nl"
    assert select(page, "main#main")
    for field in ("id_login", "id_password"):
        assert select(page, f"main label.utrecht-form-label[for={field}]") and select(
            page, f"#{field}"
        )
    assert reverse("account_signup") not in links(page)


def test_login_with_email_and_password(client):
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    response = log_in(client, "jan.jansen@voorbeeldstad.nl")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == employee.pk
    assert client.get(reverse("home")).status_code == 200


def test_login_email_is_case_insensitive(client):
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    log_in(client, "Jan.Jansen@Voorbeeldstad.NL")

    assert int(client.session["_auth_user_id"]) == employee.pk


def test_wrong_password_shows_error_summary_and_does_not_log_in(client):
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    response = log_in(client, "jan.jansen@voorbeeldstad.nl", password="niet-het-wachtwoord")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert attribute(parse(response), "#error-summary", "role") == "alert"


def test_missing_field_error_is_tied_to_the_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": "x"})

    page = parse(response)
    assert attribute(page, "#id_login", "aria-invalid") == "true"
    assert "id_login_error" in attribute(page, "#id_login", "aria-describedby").split()
    assert select(page, "#id_login_error")
    assert "#id_login" in dict(error_summary(page))  # the summary links to the field


def test_inactive_employee_cannot_log_in(client):
    EmployeeFactory(email="oud@voorbeeldstad.nl", is_active=False)

    log_in(client, "oud@voorbeeldstad.nl")

    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed_and_points_to_hr(client):
    response = client.get(reverse("account_signup"), headers={"Accept-Language": "en"})

    page = parse(response)
    assert "created by HR" in text(one(page, "main"))

    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@voorbeeldstad.nl",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
        },
    )
    from people.models import Employee

    assert not Employee.objects.filter(email="nieuw@voorbeeldstad.nl").exists()


def test_password_reset_sends_a_mail_with_a_working_link(client):
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")

    response = client.post(
        reverse("account_reset_password"), {"email": "jan.jansen@voorbeeldstad.nl"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jan.jansen@voorbeeldstad.nl"]
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    follow = client.get(link.group(1), follow=True)
    assert follow.status_code == 200
    assert 'name="password1"' in follow.content.decode()


def test_password_reset_changes_the_password(client):
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    client.post(reverse("account_reset_password"), {"email": employee.email})
    path = re.search(r"(/account/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    new_password = "Nieuw-wachtwoord-voor-2027"

    response = client.post(action, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password(new_password)


def test_hr_without_totp_is_sent_to_totp_activation(client):
    EmployeeFactory(email="hr@voorbeeldstad.nl", hr=True)
    log_in(client, "hr@voorbeeldstad.nl")

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db(transaction=True)  # allauth tells of a new device once committed
def test_hr_activates_totp_and_can_then_work(client):
    EmployeeFactory(email="hr@voorbeeldstad.nl", hr=True)
    log_in(client, "hr@voorbeeldstad.nl")
    activate_url = client.get(reverse("home"))["Location"]

    # allauth asks for the password once more before a second factor is added.
    response = client.get(activate_url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    page = client.get(activate_url)
    assert page.status_code == 200
    qr_codes = [
        image
        for image in select(parse(page), "img[src]")
        if image.attributes["src"].startswith("data:image/svg+xml")
    ]
    assert len(qr_codes) == 1 and qr_codes[0].attributes.get("alt")
    secret = text(one(parse(page), "code#totp-secret"))
    assert secret and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    response = client.post(activate_url, {"code": current_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_editor_without_totp_is_sent_to_totp_activation(client):
    EmployeeFactory(email="redactie@voorbeeldstad.nl", editor=True)
    log_in(client, "redactie@voorbeeldstad.nl")

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_ordinary_employee_is_not_asked_for_totp(client):
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    log_in(client, "jan.jansen@voorbeeldstad.nl")

    assert client.get(reverse("home")).status_code == 200


def test_hr_without_totp_may_work_when_mfa_is_not_required(client, settings):
    settings.PORTAL_MFA_REQUIRED = False
    EmployeeFactory(email="hr@voorbeeldstad.nl", hr=True)
    log_in(client, "hr@voorbeeldstad.nl")

    assert client.get(reverse("home")).status_code == 200


def test_hr_with_totp_logs_in_with_a_code(client):
    employee = EmployeeFactory(email="hr@voorbeeldstad.nl", hr=True)
    secret = generate_totp_secret()
    TOTP.activate(employee, secret)

    response = log_in(client, employee.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert select(parse(page), "label.utrecht-form-label[for=id_code]")
    assert select(parse(page), "input#id_code")

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk
    assert client.get(reverse("home")).status_code == 200


def test_wrong_totp_code_does_not_log_in(client):
    employee = EmployeeFactory(email="hr@voorbeeldstad.nl", hr=True)
    TOTP.activate(employee, generate_totp_secret())
    log_in(client, employee.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'id="error-summary"' in response.content.decode()
