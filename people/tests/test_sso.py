"""Single sign-on rules (the browser journeys through a real provider are in
e2e/test_sso_journey.py)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from config.sso import openid_connect_apps
from people.auth.adapters import MunicipalSocialAccountAdapter
from people.auth.sso import IDP_MFA_SESSION_KEY, asserts_mfa, find_employee
from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def municipal_app(db):
    """The identity provider as an administrator configures it in the admin."""
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="municipal",
        name="Gemeente-account",
        client_id="portal",
        secret="s",
        settings={"server_url": "https://login.example"},
    )


def _request():
    request = RequestFactory().get("/account/oidc/municipal/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _sociallogin(*, email="", verified=True, employee_number="", amr=None):
    userinfo = {"sub": "abc", "email": email, "email_verified": verified}
    if employee_number:
        userinfo["employee_number"] = employee_number
    id_token = {"sub": "abc", **({"amr": amr} if amr is not None else {})}
    account = SocialAccount(
        provider="municipal", uid="abc", extra_data={"userinfo": userinfo, "id_token": id_token}
    )
    addresses = [EmailAddress(email=email, verified=verified, primary=True)] if email else []
    return SocialLogin(account=account, email_addresses=addresses)


# --------------------------------------------------------------------------- matching


def test_matched_by_verified_email_case_insensitively():
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    assert find_employee(_sociallogin(email="Jan.Jansen@VOORBEELDSTAD.nl")) == employee


def test_unverified_email_does_not_match_unless_trusted(settings):
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    login = _sociallogin(email="jan.jansen@voorbeeldstad.nl", verified=False)
    assert find_employee(login) is None
    settings.PORTAL_OIDC_TRUST_EMAIL = True
    assert find_employee(login) is not None


def test_matched_by_employee_number_claim(settings):
    employee = EmployeeFactory(employee_number="123456")
    login = _sociallogin(email="iemand@elders.example", employee_number="123456")
    assert find_employee(login) == employee
    settings.PORTAL_OIDC_EMPLOYEE_NUMBER_CLAIM = ""
    assert find_employee(login) is None


def test_inactive_employee_is_not_matched():
    EmployeeFactory(email="weg@voorbeeldstad.nl", employee_number="555555", is_active=False)
    assert find_employee(_sociallogin(email="weg@voorbeeldstad.nl")) is None
    assert find_employee(_sociallogin(employee_number="555555")) is None


def test_adapter_connects_the_matched_employee():
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    login = _sociallogin(email="jan.jansen@voorbeeldstad.nl")

    MunicipalSocialAccountAdapter().pre_social_login(_request(), login)

    assert login.is_existing
    assert SocialAccount.objects.get(uid="abc").user == employee


@pytest.mark.parametrize("active", [True, False])
def test_adapter_refuses_unknown_and_inactive_people_with_the_contact(settings, active):
    settings.PORTAL_SUPPORT_CONTACT = "servicedesk@voorbeeldstad.nl"
    EmployeeFactory(email="weg@voorbeeldstad.nl", is_active=False)
    email = "onbekend@voorbeeldstad.nl" if active else "weg@voorbeeldstad.nl"

    with pytest.raises(ImmediateHttpResponse) as refused:
        MunicipalSocialAccountAdapter().pre_social_login(_request(), _sociallogin(email=email))

    response = refused.value.response
    assert response.status_code == 403
    assert "servicedesk@voorbeeldstad.nl" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_without_a_contact_the_refusal_names_the_service_desk_in_dutch(settings):
    settings.PORTAL_SUPPORT_CONTACT = ""

    with pytest.raises(ImmediateHttpResponse) as refused, translation.override("nl"):
        MunicipalSocialAccountAdapter().pre_social_login(
            _request(), _sociallogin(email="onbekend@voorbeeldstad.nl")
        )

    page = refused.value.response.content.decode()
    assert "Neem contact op met de servicedesk" in page
    assert "service desk" not in page


def test_adapter_refuses_a_connected_account_of_someone_no_longer_active():
    employee = EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    login = _sociallogin(email="jan.jansen@voorbeeldstad.nl")
    MunicipalSocialAccountAdapter().pre_social_login(_request(), login)
    employee.is_active = False
    employee.save()

    again = _sociallogin(email="jan.jansen@voorbeeldstad.nl")
    again.lookup()
    with pytest.raises(ImmediateHttpResponse):
        MunicipalSocialAccountAdapter().pre_social_login(_request(), again)


def test_nobody_signs_up_by_single_sign_on():
    adapter = MunicipalSocialAccountAdapter()
    login = _sociallogin(email="nieuw@voorbeeldstad.nl")
    assert adapter.is_open_for_signup(_request(), login) is False
    assert adapter.is_auto_signup_allowed(_request(), login) is False


# --------------------------------------------------------------------------- settings


def test_openid_connect_apps_built_from_the_environment():
    apps = openid_connect_apps(
        server_url="https://login.example/tenant/v2.0",
        client_id="portal",
        client_secret="s3cret",
        name="Gemeente-account",
    )
    assert apps == [
        {
            "provider_id": "municipal",
            "name": "Gemeente-account",
            "client_id": "portal",
            "secret": "s3cret",
            "settings": {"server_url": "https://login.example/tenant/v2.0"},
        }
    ]


def test_no_openid_connect_app_without_server_or_client():
    assert openid_connect_apps(server_url="", client_id="x", client_secret="", name="n") == []
    assert (
        openid_connect_apps(server_url="https://x", client_id="", client_secret="", name="n") == []
    )


# --------------------------------------------------------------------------- two-factor


def test_mfa_asserted_by_amr_or_acr(settings):
    settings.PORTAL_OIDC_MFA_AMR = ["mfa", "otp", "hwk"]
    settings.PORTAL_OIDC_MFA_ACR = ["urn:eidas:loa:high"]
    assert asserts_mfa({"amr": ["pwd", "mfa"]})
    assert asserts_mfa({"amr": ["OTP"]})
    assert asserts_mfa({"amr": "hwk"})
    assert asserts_mfa({"acr": "urn:eidas:loa:high"})
    assert not asserts_mfa({"amr": ["pwd"]})
    assert not asserts_mfa({"acr": "urn:eidas:loa:low"})
    assert not asserts_mfa({})
    settings.PORTAL_OIDC_MFA_AMR = []
    assert not asserts_mfa({"amr": ["mfa"]})


def test_middleware_lets_hr_through_only_with_the_providers_mfa_flag(client):
    hr = EmployeeFactory(hr=True)
    client.force_login(hr)
    assert client.get(reverse("home")).status_code == 302

    session = client.session
    session[IDP_MFA_SESSION_KEY] = hr.pk
    session.save()
    assert client.get(reverse("home")).status_code == 200

    session[IDP_MFA_SESSION_KEY] = hr.pk + 1  # another person's flag counts for nothing
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_password_login_clears_the_providers_mfa_flag(client):
    hr = EmployeeFactory(hr=True)
    session = client.session
    session[IDP_MFA_SESSION_KEY] = hr.pk
    session.save()

    client.post(reverse("account_login"), {"login": hr.email, "password": DEFAULT_PASSWORD})

    assert IDP_MFA_SESSION_KEY not in client.session


# --------------------------------------------------------------------------- local log-in


def test_login_page_shows_the_sso_button_when_a_provider_is_configured(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "municipal account" in html or "gemeenteaccount" in html.lower()
    assert reverse("openid_connect_login", kwargs={"provider_id": "municipal"}) in html
    assert 'name="password"' in html


def test_local_login_off_hides_the_form_and_refuses_passwords(client, settings):
    settings.PORTAL_LOCAL_LOGIN = False
    employee = EmployeeFactory()

    html = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' not in html
    assert reverse("openid_connect_login", kwargs={"provider_id": "municipal"}) in html

    response = client.post(
        reverse("account_login"), {"login": employee.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account_reset_password")).status_code == 404


def test_saml_apps_built_from_the_environment():
    from config.sso import saml_apps

    assert saml_apps(idp_metadata_url="", idp_entity_id="x", sp_entity_id="", name="n") == []
    (app,) = saml_apps(
        idp_metadata_url="https://adfs.example/FederationMetadata/2007-06/FederationMetadata.xml",
        idp_entity_id="http://adfs.example/adfs/services/trust",
        sp_entity_id="https://portal.example/",
        name="ADFS",
        employee_number_attribute="urn:gemeente:personeelsnummer",
    )
    assert app["provider_id"] == "saml"
    assert app["client_id"] == "gemeente"
    assert app["settings"]["idp"] == {
        "entity_id": "http://adfs.example/adfs/services/trust",
        "metadata_url": "https://adfs.example/FederationMetadata/2007-06/FederationMetadata.xml",
    }
    assert app["settings"]["sp"] == {"entity_id": "https://portal.example/"}
    assert app["settings"]["attribute_mapping"]["employee_number"] == [
        "urn:gemeente:personeelsnummer"
    ]


def test_saml_login_matched_by_employee_number_attribute(settings):
    settings.PORTAL_SAML_EMPLOYEE_NUMBER_ATTRIBUTE = "urn:gemeente:personeelsnummer"
    employee = EmployeeFactory(employee_number="424242")
    account = SocialAccount(
        provider="saml", uid="x", extra_data={"urn:gemeente:personeelsnummer": ["424242"]}
    )
    assert find_employee(SocialLogin(account=account, email_addresses=[])) == employee


def test_connecting_another_identity_to_ones_account_is_refused():
    EmployeeFactory(email="jan.jansen@voorbeeldstad.nl")
    login = _sociallogin(email="jan.jansen@voorbeeldstad.nl")
    login.state["process"] = "connect"

    with pytest.raises(ImmediateHttpResponse):
        MunicipalSocialAccountAdapter().pre_social_login(_request(), login)
    assert not SocialAccount.objects.exists()
