"""Signing per guideline: the guideline comes from the URL (/handreikingen/<short
name>/bevestigen/), an unknown one is not found, signing one never records anything for
another, the old addresses redirect to the default guideline's pages, and the receipt
and certificate name the guideline."""

import pytest
from django.test import Client
from django.urls import reverse

from acknowledgements.models import Acknowledgement
from acknowledgements.selectors import eligibility
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.tests.factories import GuidelineFactory
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee():
    return EmployeeFactory(first_name="Jan", last_name="Berg", preferred_language="en")


@pytest.fixture
def privacy():
    return GuidelineFactory(slug="privacy", title="Privacyregels", title_en="Privacy rules")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign_url(slug: str) -> str:
    return reverse("signing:sign", kwargs={"guideline": slug})


def changes_url(slug: str) -> str:
    return reverse("signing:changes", kwargs={"guideline": slug})


def _post(client, slug: str):
    data = {"typed_name": "Jan Berg", "confirmed": "on", "language": "en"}
    return client.post(sign_url(slug), data)


def test_the_signing_pages_live_under_the_guideline():
    assert sign_url("privacy") == "/handreikingen/privacy/bevestigen/"
    assert changes_url("privacy") == "/handreikingen/privacy/wat-is-er-veranderd/"


def test_signing_the_second_guideline_records_its_version_and_nothing_of_the_first(
    employee, privacy
):
    social = ready_to_sign(employee)
    second = ready_to_sign(employee, quiz_version(guideline=privacy, tips=2))

    response = _post(client_for(employee), "privacy")

    record = Acknowledgement.objects.get(employee=employee)
    assert record.version == second
    assert response["Location"] == reverse(
        "acknowledgements:receipt", args=[record.entry.verification_code]
    )
    assert not Acknowledgement.objects.filter(version=social).exists()


def test_what_was_done_for_one_guideline_does_not_open_signing_another(employee, privacy):
    ready_to_sign(employee)  # read and passed the social-media guideline only
    quiz_version(guideline=privacy, tips=2)

    response = _post(client_for(employee), "privacy")

    assert response.status_code == 200
    assert not Acknowledgement.objects.exists()


def test_the_sign_page_names_its_guideline_in_the_readers_language(employee, privacy):
    ready_to_sign(employee, quiz_version(guideline=privacy, tips=2))

    page = parse(client_for(employee).get(sign_url("privacy")))

    assert text_of(page, "h1") == "Sign “Privacy rules”"
    assert page.css_first("#sign-form").attributes["action"] == sign_url("privacy")


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_guideline_is_not_found(employee, method):
    ready_to_sign(employee)

    response = getattr(client_for(employee), method)(sign_url("bestaat-niet"))

    assert response.status_code == 404
    assert not Acknowledgement.objects.exists()


def test_the_changes_page_of_an_unknown_guideline_is_not_found(employee):
    ready_to_sign(employee)

    assert client_for(employee).get(changes_url("bestaat-niet")).status_code == 404


def test_a_guideline_without_a_version_in_force_has_nothing_to_sign(employee, privacy):
    ready_to_sign(employee)

    html = client_for(employee).get(sign_url("privacy")).content.decode()

    assert 'id="nothing-to-sign"' in html


def test_a_post_to_a_guideline_without_a_version_in_force_records_nothing(employee, privacy):
    ready_to_sign(employee)  # the default guideline could be signed

    response = _post(client_for(employee), "privacy")

    assert response.status_code == 200
    assert 'id="nothing-to-sign"' in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_the_sign_pages_ask_nothing_of_anonymous_visitors(privacy):
    response = Client().post(sign_url("privacy"), {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ------------------------------------------------------------------ the one-query reads


def test_the_current_version_of_a_guideline_and_its_guideline_take_one_query(
    employee, privacy, django_assert_num_queries
):
    ready_to_sign(employee)
    version = quiz_version(guideline=privacy, tips=2)
    eligibility.current_version_of(slug="privacy")

    with django_assert_num_queries(1):
        found = eligibility.current_version_of(slug="privacy")
        assert found.guideline.title_in("en") == "Privacy rules"

    assert found.pk == version.pk


def test_the_sign_post_reads_the_guidelines_version_and_facts_in_one_query(
    employee, privacy, django_assert_num_queries
):
    ready_to_sign(employee)
    version = ready_to_sign(employee, quiz_version(guideline=privacy, tips=2))
    eligibility.current_version_for_signing(employee=employee, slug="privacy")

    with django_assert_num_queries(1):
        found, facts = eligibility.current_version_for_signing(employee=employee, slug="privacy")
        assert found.guideline.slug == "privacy"

    assert found.pk == version.pk
    assert facts == eligibility.signing_facts(employee=employee, version=version)


def test_an_unknown_short_name_finds_no_version(employee):
    ready_to_sign(employee)

    assert eligibility.current_version_of(slug="bestaat-niet") is None
    assert eligibility.current_version_for_signing(employee=employee, slug="bestaat-niet") == (
        None,
        None,
    )


# ------------------------------------------------------------------ the old addresses


@pytest.mark.parametrize(
    ("old", "name"),
    [("/bevestigen/", "signing:sign"), ("/bevestigen/wat-is-er-veranderd/", "signing:changes")],
)
def test_the_old_addresses_redirect_to_the_default_guideline_keeping_the_query(
    employee, privacy, old, name
):
    ready_to_sign(employee)

    response = client_for(employee).get(old, {"bron": "mail"})

    assert response.status_code == 302
    target = reverse(name, kwargs={"guideline": "sociale-media"})
    assert response["Location"] == f"{target}?bron=mail"


def test_a_receipt_under_the_old_address_still_shows(employee):
    record = signed(employee, ready_to_sign(employee))

    response = client_for(employee).get(f"/bevestigen/{record.entry.verification_code}/")

    assert response.status_code == 200


# ------------------------------------------------------------------ receipt and certificate


def test_the_receipt_names_the_guideline(employee, privacy):
    record = signed(employee, ready_to_sign(employee, quiz_version(guideline=privacy, tips=2)))

    page = parse(
        client_for(employee).get(
            reverse("acknowledgements:receipt", args=[record.entry.verification_code])
        )
    )

    assert text_of(page, "h1") == "You signed version 1 of “Privacy rules”"
    assert text_of(page, "#record-guideline") == "Privacy rules"


def test_the_certificate_names_the_guideline_in_the_language_signed(employee, privacy):
    import io

    from pypdf import PdfReader

    version = ready_to_sign(employee, quiz_version(guideline=privacy, tips=2))
    record = signed(employee, version, language="en")

    response = client_for(employee).get(
        reverse("acknowledgements:certificate", args=[record.entry.verification_code])
    )

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Guideline Privacy rules" in text
