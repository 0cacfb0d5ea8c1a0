"""Recording on behalf of an employee when there are several guidelines: the guideline
comes first, then its versions; a version of another guideline is refused; and the
import of an earlier system's records names its guideline."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from acknowledgements.models import Acknowledgement
from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, error_summary, parse, select, text_of

pytestmark = pytest.mark.django_db

URL = "/grootboek/namens/"
REASON = "medewerker buitendienst, getekend op papier"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def social():
    return published_version(effective_date=timezone.localdate())


@pytest.fixture
def privacy():
    guideline = GuidelineFactory(slug="privacy", title="Privacyregels", title_en="Privacy rules")
    return published_version(guideline, number=1, effective_date=timezone.localdate())


@pytest.fixture
def hr(client):
    user = EmployeeFactory(hr=True, preferred_language="en")
    client.force_login(user)
    return user


@pytest.fixture
def field_worker():
    return EmployeeFactory(employee_number="700123", first_name="Piet", last_name="Veld")


def _data(employee, version, guideline: str, **changes):
    data = {
        "guideline": guideline,
        "employee_number": employee.employee_number,
        "version": version.pk,
        "signed_on": timezone.localdate().isoformat(),
        "reason": REASON,
    }
    return {**data, **changes}


def test_with_several_guidelines_the_guideline_is_chosen_first(client, hr, social, privacy):
    response = client.get(URL)
    page = parse(response)

    assert response.status_code == 200
    assert not select(page, "#on-behalf-form")
    assert attribute(page, "#on-behalf-guideline-form", "method") == "get"
    options = [option.attributes["value"] for option in select(page, "#id_guideline option")]
    assert options == ["sociale-media", "privacy"]  # by title: Handreiking…, Privacyregels
    assert "Privacy rules" in text_of(page, "#id_guideline")  # in the reader's language


def test_the_chosen_guideline_offers_only_its_own_versions(client, hr, social, privacy):
    response = client.get(URL, {"guideline": "privacy"})
    page = parse(response)

    assert response.status_code == 200
    assert [o.attributes["value"] for o in select(page, "#id_version option")] == [str(privacy.pk)]
    assert "Privacy rules" in text_of(page, "#on-behalf-guideline")
    assert select(page, "#on-behalf-other-guideline")


def test_hr_records_a_paper_signature_of_the_second_guideline(
    client, hr, social, privacy, field_worker
):
    data = _data(field_worker, privacy, "privacy")
    first = client.post(URL, data)
    assert first.status_code == 200
    assert "Privacy rules" in text_of(parse(first), "#on-behalf-confirm-guideline")

    response = client.post(URL, {**data, "confirm": "1"})

    assert response.status_code == 302
    record = Acknowledgement.objects.get(employee=field_worker)
    assert record.version == privacy and record.method == "on_behalf"


def test_a_version_of_another_guideline_is_refused(client, hr, social, privacy, field_worker):
    response = client.post(URL, {**_data(field_worker, social, "privacy"), "confirm": "1"})

    assert response.status_code == 400
    assert [target for target, _ in error_summary(parse(response))] == ["#id_version"]
    assert not Acknowledgement.objects.exists()


def test_a_post_without_a_guideline_records_nothing_when_there_are_several(
    client, hr, social, privacy, field_worker
):
    data = _data(field_worker, privacy, "privacy")
    del data["guideline"]

    response = client.post(URL, {**data, "confirm": "1"})

    assert response.status_code == 400
    assert select(parse(response), "#on-behalf-guideline-form")
    assert not Acknowledgement.objects.exists()


def test_an_unknown_guideline_is_not_found(client, hr, social, privacy):
    assert client.get(URL, {"guideline": "bestaat-niet"}).status_code == 404


def test_with_one_guideline_the_form_comes_at_once(client, hr, social):
    page = parse(client.get(URL))

    assert select(page, "#on-behalf-form") and not select(page, "#on-behalf-other-guideline")
    assert attribute(page, "input[name=guideline]", "value") == "sociale-media"


# ------------------------------------------------------------------ import_acknowledgements


def _import(tmp_path, text: str, **options) -> str:
    path = tmp_path / "oud.csv"
    path.write_text(text)
    out = io.StringIO()
    call_command("import_acknowledgements", str(path), stdout=out, **options)
    return out.getvalue()


def test_the_import_records_versions_of_the_guideline_it_names(tmp_path, social, privacy):
    employee = EmployeeFactory(employee_number="1001")

    _import(tmp_path, "personeelsnummer;versie;datum\n1001;1;15-03-2024\n", guideline="privacy")

    assert Acknowledgement.objects.get(employee=employee).version == privacy


def test_the_import_without_a_guideline_uses_the_default_one(tmp_path, social, privacy):
    employee = EmployeeFactory(employee_number="1001")

    _import(tmp_path, f"personeelsnummer;versie;datum\n1001;{social.number};15-03-2024\n")

    assert Acknowledgement.objects.get(employee=employee).version == social


def test_the_import_refuses_an_unknown_guideline(tmp_path, social):
    EmployeeFactory(employee_number="1001")

    with pytest.raises(CommandError, match="bestaat-niet"):
        _import(
            tmp_path, "personeelsnummer;versie;datum\n1001;1;15-03-2024\n", guideline="bestaat-niet"
        )

    assert not Acknowledgement.objects.exists()
