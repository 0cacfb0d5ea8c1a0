"""HR's staff import pages with the department tree: the dry run shows the tree's changes
before the people's, the unit file is uploaded beside the staff file and applied
exactly as previewed, and the import log page shows the units too."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Department, Employee, StaffImport
from people.services import create_department
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_tree_support import path_file, people_file, unit_file
from portal.testing.html import parse, select, text_of, texts

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("people:staff_import")
APPLY_URL = reverse("people:staff_import_apply")
UNITS = [
    ("DIR-RUI", "", "Directie Ruimte", ""),
    ("AFD-VERG", "DIR-RUI", "Afdeling Vergunningen", ""),
]


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def hr_client(client):
    client.force_login(EmployeeFactory(hr=True, employee_number=None, preferred_language="en"))
    return client


def upload(client, data: bytes, units: bytes | None = None, *, full: bool = False, **headers):
    payload = {"bestand": SimpleUploadedFile("personeel.csv", data, content_type="text/csv")}
    if units is not None:
        payload["eenheden"] = SimpleUploadedFile("eenheden.csv", units, content_type="text/csv")
    if full:
        payload["volledig"] = "on"
    return client.post(UPLOAD_URL, payload, **headers)


def test_the_dry_run_shows_the_new_tree_before_the_people(hr_client):
    response = upload(hr_client, path_file({"1001": "Directie Ruimte/Afdeling Vergunningen"}))
    assert response.status_code == 200
    page = parse(response)
    assert text_of(page, "#unit-count-new td") == "2"
    assert texts(page, "tr.unit-new th") == ["Directie Ruimte", "Afdeling Vergunningen"]
    assert "Directie Ruimte / Afdeling Vergunningen" in text_of(
        page, "tr.unit-new:nth-child(2) td:last-child"
    )
    content = response.content.decode()
    assert content.index('id="units"') < content.index('id="import-counts"')
    assert select(page, "#confirm-import")
    assert not Department.objects.filter(name="Directie Ruimte").exists()


def test_the_dry_run_speaks_dutch_to_a_dutch_user(client):
    client.force_login(EmployeeFactory(hr=True, employee_number=None, preferred_language="nl"))
    response = upload(client, path_file({"1001": "Directie Ruimte"}), HTTP_ACCEPT_LANGUAGE="nl")
    page = parse(response)
    assert text_of(page, "#units-heading") == "De eenheden van de organisatie"
    assert text_of(page, "#units-new summary") == "Nieuwe eenheden (1)"


def test_a_unit_file_uploaded_beside_the_staff_file_is_applied_as_previewed(hr_client):
    preview = upload(hr_client, people_file({"1001": "AFD-VERG"}), unit_file(UNITS))
    token = preview.context["confirm_form"].initial["upload"]
    response = hr_client.post(APPLY_URL, {"upload": token})
    assert response.status_code == 302
    assert Employee.objects.get(employee_number="1001").department.code == "AFD-VERG"
    log = StaffImport.objects.get(mode=StaffImport.Mode.APPLIED)
    assert log.units_filename == "eenheden.csv"

    result = parse(hr_client.get(response["Location"]))
    assert text_of(result, "#import-units-file").startswith("eenheden.csv")
    assert texts(result, "tr.unit-new th") == ["Directie Ruimte", "Afdeling Vergunningen"]


def test_a_preview_whose_unit_file_is_gone_is_not_applied(hr_client, settings):
    from people.staff_import import uploads

    preview = upload(hr_client, people_file({"1001": "AFD-VERG"}), unit_file(UNITS))
    token = preview.context["confirm_form"].initial["upload"]
    uploads.remove(uploads.store(unit_file(UNITS)))
    response = hr_client.post(APPLY_URL, {"upload": token}, follow=True)
    assert "The upload has expired or is not valid" in response.content.decode()
    assert not Department.objects.filter(code__in=["DIR-RUI", "AFD-VERG"]).exists()
    assert not Employee.objects.filter(employee_number="1001").exists()


def test_a_refused_unit_file_shows_its_lines_and_cannot_be_applied(hr_client):
    response = upload(
        hr_client,
        people_file({"1001": "A"}),
        unit_file([("A", "B", "Eenheid A", ""), ("B", "A", "Eenheid B", "")]),
    )
    page = parse(response)
    assert not select(page, "#confirm-import")
    errors = texts(page, "li.file-error")
    assert errors[0].startswith("Unit file, line 2: The parent units form a loop: A → B → A.")
    assert not select(page, "#units")


def test_the_page_says_that_with_paths_a_changed_path_is_a_new_unit_and_a_closed_one(
    hr_client,
):
    upload_and_apply = upload(hr_client, path_file({"1001": "Directie Ruimte/Team A"}), full=True)
    token = upload_and_apply.context["confirm_form"].initial["upload"]
    hr_client.post(APPLY_URL, {"upload": token})
    response = upload(
        hr_client, path_file({"1001": "Directie Ruimte/Afdeling B/Team A"}), full=True
    )
    page = parse(response)
    assert select(page, "#paths-only-note")
    assert texts(page, "tr.unit-closed th") == ["Team A"]
    assert "Moved to “Directie Ruimte / Afdeling B / Team A”?" in text_of(page, ".unit-note")


def test_the_staff_list_shows_a_closed_department_as_closed(client):
    team = create_department(code="TEAM-OUD", name="Team Oud", kind="team")
    Department.objects.filter(pk=team.pk).update(closed_on="2026-01-01")
    EmployeeFactory(last_name="Vanouds", department=team)
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))
    response = client.get(reverse("people:staff"), {"q": "Vanouds"})
    assert "Team Oud (closed)" in response.content.decode()


# Closed departments in the audiences ------------------------------------------------------


@pytest.fixture
def open_and_closed():
    open_team = create_department(code="TEAM-OPEN", name="Team Open", kind="team")
    closed_team = create_department(code="TEAM-DICHT", name="Team Dicht", kind="team")
    Department.objects.filter(pk=closed_team.pk).update(closed_on="2026-01-01")
    return open_team, closed_team


def test_a_closed_department_is_not_offered_for_a_new_guideline_audience(open_and_closed):
    from handbook.forms import GuidelineForm

    open_team, closed_team = open_and_closed
    offered = set(GuidelineForm().fields["departments"].queryset)
    assert open_team in offered
    assert closed_team not in offered


def test_a_closed_department_already_in_a_guidelines_audience_can_still_be_saved(
    open_and_closed,
):
    from handbook.forms import AudienceForm
    from handbook.models import AudienceDepartment, Guideline
    from handbook.tests.factories import GuidelineFactory

    _open_team, closed_team = open_and_closed
    guideline = GuidelineFactory(audience=Guideline.Audience.DEPARTMENTS)
    AudienceDepartment.objects.create(guideline=guideline, department=closed_team)
    data = {"audience": Guideline.Audience.DEPARTMENTS, "departments": [closed_team.pk]}
    assert AudienceForm(data, guideline=guideline).is_valid()
    assert not AudienceForm(data).is_valid()


def test_a_closed_department_is_not_offered_for_a_new_campaign(open_and_closed):
    from campaigns.forms.campaigns import CampaignForm

    open_team, closed_team = open_and_closed
    offered = set(CampaignForm().fields["departments"].queryset)
    assert open_team in offered
    assert closed_team not in offered


def test_the_admin_lists_the_closed_departments_apart(admin_client, open_and_closed):
    url = reverse("admin:people_department_changelist")
    response = admin_client.get(url, {"closed_on__isempty": "0"})
    assert response.status_code == 200
    shown = {department.code for department in response.context["cl"].result_list}
    assert shown == {"TEAM-DICHT"}


def test_a_unit_name_with_markup_is_shown_as_text_in_the_dry_run(hr_client):
    response = upload(hr_client, path_file({"1001": "<img src=x onerror=alert(1)> Team"}))
    content = response.content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt; Team" in content
