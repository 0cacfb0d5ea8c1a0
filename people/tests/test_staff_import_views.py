"""HR's staff import pages: who may use them, the upload with its checks, the preview (a
dry run), applying exactly the previewed file, the result and the log."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from people.forms import sign_upload
from people.models import Employee, StaffImport
from people.roles import Role
from people.staff_import import uploads
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import organisation, person, staff_csv
from portal.testing.html import parse, select, text_of, texts

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("people:staff_import")
APPLY_URL = reverse("people:staff_import_apply")
LOG_URL = reverse("people:staff_import_log")


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


@pytest.fixture
def hr_user(db):
    return EmployeeFactory(hr=True, employee_number=None, preferred_language="en")


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


def upload(client, data: bytes, *, name: str = "personeel.csv", full: bool = False):
    payload = {"bestand": SimpleUploadedFile(name, data, content_type="text/csv")}
    if full:
        payload["volledig"] = "on"
    return client.post(UPLOAD_URL, payload)


def stored_files(settings) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / uploads.DIRECTORY).glob("*.csv"))


# Who may ---------------------------------------------------------------------------------


def _user_with(role: str) -> Employee:
    if role == Role.MANAGER:
        manager = EmployeeFactory()
        EmployeeFactory(manager=manager)
        return manager
    if role == Role.EMPLOYEE:
        return EmployeeFactory()
    return EmployeeFactory(roles=[role])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.EMPLOYEE, False),
        (Role.MANAGER, False),
        (Role.EDITOR, False),
        (Role.AUDITOR, False),
        (Role.HR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_only_hr_and_administrators_may_import_staff(client, role, allowed):
    user = _user_with(role)
    client.force_login(user)
    log = StaffImport.objects.create(filename="x.csv", file_sha256="0" * 64, mode="dry_run")
    pages = [
        UPLOAD_URL,
        LOG_URL,
        reverse("people:staff_import_detail", args=[log.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == (200 if allowed else 403), url
    response = upload(client, staff_csv([person("1001")]))
    assert response.status_code == (200 if allowed else 403)
    response = client.post(APPLY_URL, {"upload": "x"})
    assert response.status_code == (302 if allowed else 403)
    assert not Employee.objects.filter(employee_number="1001").exists()
    assert user.has_perm("people.import_staff") is allowed


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_staff_list_links_to_the_import_for_hr_only(client, hr_user):
    client.force_login(hr_user)
    assert 'id="import-staff"' in client.get(reverse("people:staff")).content.decode()
    client.force_login(EmployeeFactory(auditor=True))
    assert 'id="import-staff"' not in client.get(reverse("people:staff")).content.decode()


# The upload --------------------------------------------------------------------------------


def test_the_upload_page_explains_the_columns(hr_client):
    response = hr_client.get(UPLOAD_URL)
    page = parse(response)
    assert response.status_code == 200
    assert select(page, "label[for=id_bestand]") and select(page, "input#id_bestand[type=file]")
    assert select(page, "input#id_volledig")
    assert {"personeelsnummer", "leidinggevende"} <= set(texts(page, "main code"))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("personeel.xlsx", b"PK\x03\x04rest", "The file must be a CSV file ending in .csv"),
        ("personeel.pdf", b"%PDF-1.7", "The file must be a CSV file ending in .csv"),
        ("personeel.csv", b"PK\x03\x04\x00\x00", "is not a CSV file but another kind of file"),
        ("personeel.csv", b"   \r\n", "The file is empty."),
    ],
)
def test_other_kinds_of_file_are_refused_with_a_clear_message(hr_client, name, data, message):
    response = upload(hr_client, data, name=name)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert message in content
    assert StaffImport.objects.count() == 0


def test_a_file_that_is_too_big_is_refused(hr_client, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 100
    response = upload(hr_client, staff_csv([person("1001"), person("1002")]))
    assert response.status_code == 400
    assert "The file is too big: it may be at most 100" in response.content.decode()


def test_no_file_chosen(hr_client):
    response = hr_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert "Choose the CSV file exported from the HR system." in response.content.decode()


# Preview and apply -----------------------------------------------------------------------


def test_the_preview_shows_what_would_change_and_changes_nothing(hr_client, hr_user, settings):
    existing = EmployeeFactory(employee_number="1001", last_name="Jansen")
    EmployeeFactory(employee_number="1009")
    row = person(
        "1001",
        voornaam=existing.first_name,
        achternaam="Jansen-Bos",
        email=existing.email,
        afdeling=existing.department.code,
        functie=existing.job_title,
        datum_in_dienst="",
    )
    data = staff_csv([row, person("1002", voornaam="Nina", achternaam="Dijk")])
    response = upload(hr_client, data, full=True)
    assert response.status_code == 200
    assert response.templates[0].name == "people/staff_import_preview.html"
    assert response.context["counts"] == {
        "new": 1,
        "changed": 1,
        "leaving": 1,
        "reactivated": 0,
        "unchanged": 0,
        "problems": 0,
    }
    content = response.content.decode()
    assert "Check the staff import" in content
    assert 'id="confirm-import"' in content
    assert "Apply this import" in content
    assert "Nina Dijk" in content
    assert "Jansen → Jansen-Bos" in content
    assert "Not in the full export." in content
    assert not Employee.objects.filter(employee_number="1002").exists()
    log = StaffImport.objects.get()
    assert (log.mode, log.imported_by, log.full_export) == (
        StaffImport.Mode.DRY_RUN,
        hr_user,
        True,
    )
    sha256 = hashlib.sha256(data).hexdigest()
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / "imports" / f"{sha256}.csv"]


def test_applying_imports_exactly_the_previewed_file_and_shows_the_result(
    hr_client, hr_user, settings
):
    data = staff_csv([person("1001"), person("1002", leidinggevende="1001")])
    preview = upload(hr_client, data)
    token = preview.context["confirm_form"].initial["upload"]
    response = hr_client.post(APPLY_URL, {"upload": token})
    log = StaffImport.objects.get(mode=StaffImport.Mode.APPLIED)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:staff_import_detail", args=[log.pk])
    assert Employee.objects.filter(employee_number__in=["1001", "1002"]).count() == 2
    assert log.imported_by == hr_user
    assert log.file_sha256 == hashlib.sha256(data).hexdigest()
    assert stored_files(settings) == []

    result = hr_client.get(response["Location"])
    content = result.content.decode()
    assert "The staff file has been imported: 2 new, 0 changed" in content
    assert text_of(parse(result), "#import-mode") == "Applied"
    assert log.file_sha256 in content

    # The same confirmation again finds no file: nothing is imported twice.
    again = hr_client.post(APPLY_URL, {"upload": token}, follow=True)
    assert "The upload has expired or is not valid" in again.content.decode()
    assert StaffImport.objects.filter(mode=StaffImport.Mode.APPLIED).count() == 1


def test_a_file_with_problems_is_shown_with_its_lines_and_cannot_be_applied(
    hr_client, hr_user, settings
):
    data = staff_csv([person("1001"), person("1002", leidinggevende="4040"), person("")])
    response = upload(hr_client, data)
    assert response.status_code == 200
    content = response.content.decode()
    page = parse(response)
    assert not select(page, "#confirm-import")
    assert "3" in [item.attributes.get("data-line") for item in select(page, "li.file-error")]
    assert "Line 3: The manager 4040 is unknown" in content
    assert "Line 4: The employee number (personeelsnummer) is missing." in content
    assert "has 2 problems, so it cannot be imported" in content
    assert stored_files(settings) == []

    # Even with the file in place and a valid confirmation, it is refused whole.
    sha256 = uploads.store(data)
    token = sign_upload(sha256=sha256, filename="fout.csv", full_export=False, user_pk=hr_user.pk)
    response = hr_client.post(APPLY_URL, {"upload": token})
    assert response.status_code == 400
    assert not Employee.objects.filter(employee_number="1001").exists()
    assert StaffImport.objects.filter(mode=StaffImport.Mode.REFUSED).count() == 1


def test_a_stored_file_that_was_changed_after_the_preview_is_not_applied(hr_client, settings):
    preview = upload(hr_client, staff_csv([person("1001")]))
    token = preview.context["confirm_form"].initial["upload"]
    (path,) = stored_files(settings)
    path.write_bytes(staff_csv([person("6666")]))
    response = hr_client.post(APPLY_URL, {"upload": token}, follow=True)
    assert "The upload has expired or is not valid" in response.content.decode()
    assert not Employee.objects.filter(employee_number__in=["1001", "6666"]).exists()


def test_someone_elses_confirmation_is_not_accepted(client, hr_client):
    preview = upload(hr_client, staff_csv([person("1001")]))
    token = preview.context["confirm_form"].initial["upload"]
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))
    response = client.post(APPLY_URL, {"upload": token}, follow=True)
    assert "The upload has expired or is not valid" in response.content.decode()
    assert not Employee.objects.filter(employee_number="1001").exists()


def test_a_file_that_changes_nothing_has_nothing_to_apply(hr_client):
    data = staff_csv([person("1001")])
    hr_client.post(
        APPLY_URL, {"upload": upload(hr_client, data).context["confirm_form"].initial["upload"]}
    )
    response = upload(hr_client, data)
    content = response.content.decode()
    assert 'id="no-changes"' in content
    assert 'id="confirm-import"' not in content


# The log ----------------------------------------------------------------------------------


def test_the_log_lists_every_run_newest_first(hr_client, hr_user, django_assert_max_num_queries):
    upload(hr_client, staff_csv([person("1001")]))
    upload(hr_client, staff_csv([person("")]))
    StaffImport.objects.create(
        filename="cli.csv", file_sha256="f" * 64, mode="applied", new_count=7
    )
    with django_assert_max_num_queries(12):
        response = hr_client.get(LOG_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert [run.filename for run in response.context["imports"]] == [
        "cli.csv",
        "personeel.csv",
        "personeel.csv",
    ]
    assert "command line" in content
    assert escape(hr_user.full_name) in content  # a name may hold an apostrophe
    assert select(parse(response), "table thead th[scope=col]")


def test_a_past_dry_run_with_problems(hr_client):
    upload(hr_client, staff_csv([person("1001"), person("1001")]))
    log = StaffImport.objects.get()
    response = hr_client.get(reverse("people:staff_import_detail", args=[log.pk]))
    content = response.content.decode()
    assert "A check only: nothing was changed." in content
    assert "Line 3: Employee number 1001 appears more than once (also on line 2)." in content


def test_the_result_shows_how_the_welcome_invitations_stand(
    hr_client, django_capture_on_commit_callbacks
):
    from people.models import Invitation

    data = staff_csv([person("1001"), person("1002")])
    token = upload(hr_client, data).context["confirm_form"].initial["upload"]
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(APPLY_URL, {"upload": token})
    Invitation.objects.filter(employee__employee_number="1002").update(
        status=Invitation.Status.FAILED
    )

    content = hr_client.get(response["Location"]).content.decode()

    assert "Welcome invitations: 1 sent, 0 waiting, 1 failed." in content


def test_the_unit_file_is_marked_optional_once(hr_client):
    # The form pack adds "(optional)" to every field that is not required; a label that
    # says so itself would read "(optional) (optional)".
    label = text_of(parse(hr_client.get(UPLOAD_URL)), "label[for=id_eenheden]")

    assert label == "Organisation-unit file (optional)"
