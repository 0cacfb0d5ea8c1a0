"""Control characters in the address, a query parameter or a form field are answered with
a 400 page in the portal's layout, in Dutch, and change nothing (portal.input_guard).
PostgreSQL refuses a NUL in text: before the guard, ``?q=%00`` was a 500 there."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Assignment, CampaignEvent, Exemption
from campaigns.tests.factories import launched_campaign
from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from portal.testing.html import one, parse
from quizzes.tests.factories import editor_url, quiz_version

pytestmark = pytest.mark.django_db

REFUSED = "Aanvraag niet geaccepteerd"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def hr_client(client):
    client.force_login(EmployeeFactory(hr=True))
    return client


@pytest.fixture
def assignment(db) -> Assignment:
    employee = EmployeeFactory()
    campaign = launched_campaign(quiz_version(tips=3))
    return Assignment.objects.get(campaign=campaign, employee=employee)


def _refused(response) -> bool:
    html = response.content.decode()
    return response.status_code == 400 and REFUSED in html and "controleteken" in html


def test_a_nul_in_a_search_parameter_is_answered_with_400_in_dutch(hr_client):
    response = hr_client.get(reverse("ledger:overview"), {"q": "jan\x00sen"})

    assert _refused(response)
    one(parse(response), "main")  # in the portal's layout


def test_a_nul_in_the_name_of_a_query_parameter_is_refused(hr_client):
    response = hr_client.get(reverse("people:staff") + "?q%00=jan")

    assert _refused(response)


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_other_control_characters_in_a_parameter_are_refused(hr_client, character):
    response = hr_client.get(reverse("people:staff"), {"q": f"jan{character}"})

    assert _refused(response)


def test_a_control_character_in_the_address_is_refused(hr_client):
    response = hr_client.get("/medewerkers/%00/")

    assert _refused(response)


def test_a_nul_in_the_log_in_form_is_refused_and_logs_nobody_in(client):
    employee = EmployeeFactory()

    response = client.post(
        reverse("account_login"), {"login": f"{employee.email}\x00", "password": DEFAULT_PASSWORD}
    )

    assert _refused(response)
    assert "_auth_user_id" not in client.session


def test_a_nul_in_a_form_of_hr_is_refused_and_saves_nothing(hr_client, assignment):
    url = reverse("campaigns:exempt", args=[assignment.pk])

    response = hr_client.post(url, {"reason": "Langdurig\x00verlof"})

    assert _refused(response)
    assignment.refresh_from_db()
    assert not assignment.is_exempt
    assert not CampaignEvent.objects.filter(kind=CampaignEvent.Kind.EXEMPTED).exists()


def test_tabs_and_line_breaks_in_a_text_area_are_still_accepted(hr_client, assignment):
    url = reverse("campaigns:exempt", args=[assignment.pk])
    reason = "Langdurig verlof:\tvanaf maart\r\ntot en met juni"

    response = hr_client.post(url, {"reason": reason})

    assert response.status_code == 302
    # The request waits for a second HR person; its reason is kept as typed.
    request = Exemption.objects.get(assignment=assignment)
    assert "\tvanaf maart" in request.reason
    assert "tot en met juni" in request.reason


def test_a_nul_in_a_field_of_a_file_upload_form_is_refused(client, settings):
    editor = EmployeeFactory(editor=True)
    client.force_login(editor)
    upload = SimpleUploadedFile("bank.yaml", b"guideline: x\n", content_type="application/yaml")

    response = client.post(
        editor_url("import"), {"bestand": upload, "versie": "1\x00"}, format="multipart"
    )

    assert _refused(response)


def test_nul_bytes_inside_an_uploaded_file_are_left_to_the_form(client):
    """The guard reads field names and values, not file content: the import form judges
    the file and says what is wrong with it."""
    quiz_version(tips=3)
    client.force_login(EmployeeFactory(editor=True))
    upload = SimpleUploadedFile("bank.yaml", b"guideline: \x00\n", content_type="application/yaml")

    response = client.post(editor_url("import"), {"bestand": upload})

    assert response.status_code == 400
    assert REFUSED not in response.content.decode()


def test_a_session_cookie_with_a_nul_is_ignored_not_a_500(client):
    client.cookies["sessionid"] = "a" * 32 + "\x00"

    response = client.get(reverse("account_login"))

    assert response.status_code == 200


def test_the_refusal_follows_the_language_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("account_login"), {"next": "/\x00"})

    assert response.status_code == 400
    assert "Request not accepted" in response.content.decode()


def test_djangos_own_bad_requests_get_the_portals_page_too(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3

    response = client.post(reverse("account_login"), {f"veld{n}": "x" for n in range(10)})

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
