"""Recording on behalf of an employee who signed on paper (/grootboek/namens/), and
serving the scanned form (/grootboek/<sequence>/formulier/)."""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acknowledgements import services
from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.services import corrections
from acknowledgements.views.on_behalf import PENDING_DIR
from handbook.tests.factories import published_version
from people.tests.factories import EmployeeFactory
from portal.testing.html import error_summary, parse, select

pytestmark = pytest.mark.django_db

URL = "/grootboek/namens/"
REASON = "medewerker buitendienst, getekend op papier"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def version():
    return published_version(effective_date=timezone.localdate())


@pytest.fixture
def field_worker():
    return EmployeeFactory(employee_number="700123", first_name="Piet", last_name="Veld")


def _today() -> str:
    return timezone.localdate().isoformat()


def _hr_data(employee, version, **changes):
    data = {
        "employee_number": employee.employee_number,
        "version": version.pk,
        "signed_on": _today(),
        "reason": REASON,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _manager_data(employee, version, **changes):
    data = _hr_data(employee, version, **changes)
    del data["employee_number"]
    data["employee"] = employee.pk
    return data


def _confirm(client, data, **extra):
    """Both steps: the form (with an upload, if any), then the confirmation."""
    first = client.post(URL, data, **extra)
    assert first.status_code == 200, first.context.get("error_summary")
    confirm = {key: value for key, value in data.items() if key != "paper_form"}
    pending = first.context["pending"]
    if pending:
        confirm["pending"] = pending["token"]
    return client.post(URL, {**confirm, "confirm": "1"})


def _upload(content=PDF, name="formulier.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_form_lives_at_grootboek_namens():
    assert reverse("ledger:on_behalf") == URL


def test_hr_records_on_behalf_without_a_form(client, hr, field_worker, version):
    client.force_login(hr)

    response = _confirm(client, _hr_data(field_worker, version))

    record = Acknowledgement.objects.get(employee=field_worker, version=version)
    assert (record.method, record.recorded_by, record.reason) == ("on_behalf", hr, REASON)
    assert not record.paper_form and record.paper_form_hash == ""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ledger:overview") + "?q=")


def test_hr_records_on_behalf_with_a_scanned_form(client, hr, field_worker, version):
    client.force_login(hr)

    _confirm(client, {**_hr_data(field_worker, version), "paper_form": _upload()})

    record = Acknowledgement.objects.get(employee=field_worker, version=version)
    assert record.paper_form_hash == hashlib.sha256(PDF).hexdigest()
    with record.paper_form.open("rb") as stored:
        assert stored.read() == PDF
    assert not default_storage.exists(PENDING_DIR) or not default_storage.listdir(PENDING_DIR)[1]


def test_after_recording_hr_sees_a_message_on_the_ledger_filtered_on_the_record(
    client, hr, field_worker, version
):
    client.force_login(hr)

    response = _confirm(client, _hr_data(field_worker, version))
    page = client.get(response["Location"])

    assert list(page.context["records"]) == [Acknowledgement.objects.get(employee=field_worker)]
    assert "Piet Veld" in " ".join(str(m) for m in page.context["messages"])


def test_a_manager_records_for_their_own_team(client, field_worker, version):
    manager = EmployeeFactory()
    field_worker.manager = manager
    field_worker.save()
    client.force_login(manager)

    response = _confirm(client, _manager_data(field_worker, version))

    record = Acknowledgement.objects.get(employee=field_worker, version=version)
    assert record.recorded_by == manager
    assert response.status_code == 302


def test_a_manager_chooses_from_team_members_who_have_not_signed(client, version):
    manager = EmployeeFactory()
    done, todo = EmployeeFactory(manager=manager), EmployeeFactory(manager=manager)
    services.record_on_behalf(
        employee=done,
        version=version,
        recorded_by=manager,
        reason=REASON,
        signed_at=timezone.now(),
    )
    client.force_login(manager)

    form = client.get(URL).context["form"]

    assert list(form.fields["employee"].queryset) == [todo]


def test_a_manager_may_not_record_for_someone_outside_their_team(client, field_worker, version):
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    client.force_login(manager)

    response = client.post(URL, {**_manager_data(field_worker, version), "confirm": "1"})

    assert response.status_code in (400, 403)
    assert not Acknowledgement.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_an_employee_may_not_record_on_behalf(client, field_worker, version):
    client.force_login(EmployeeFactory())

    assert client.get(URL).status_code == 403
    assert client.post(URL, {**_hr_data(field_worker, version), "confirm": "1"}).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_missing_reason_is_refused_with_a_message(client, hr, field_worker, version):
    client.force_login(hr)

    response = client.post(URL, {**_hr_data(field_worker, version, reason="  "), "confirm": "1"})

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_reason"
    assert not LedgerEntry.objects.exists()


def test_a_date_in_the_future_is_refused(client, hr, field_worker, version):
    client.force_login(hr)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        URL, {**_hr_data(field_worker, version, signed_on=tomorrow), "confirm": "1"}
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_signed_on"
    assert not LedgerEntry.objects.exists()


def test_a_date_before_the_version_was_published_is_refused(client, hr, field_worker, version):
    client.force_login(hr)
    before = (timezone.localdate(version.published_at) - datetime.timedelta(days=1)).isoformat()

    response = client.post(
        URL, {**_hr_data(field_worker, version, signed_on=before), "confirm": "1"}
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_signed_on"
    assert not LedgerEntry.objects.exists()


def test_an_unknown_employee_number_is_refused(client, hr, field_worker, version):
    client.force_login(hr)

    response = client.post(
        URL, {**_hr_data(field_worker, version, employee_number="999999"), "confirm": "1"}
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_employee_number"


@pytest.mark.parametrize(
    ("name", "content"),
    [("formulier.docx", b"PK\x03\x04rest"), ("formulier.pdf", b"MZ\x90\x00 not a pdf")],
    ids=["extension", "magic-bytes"],
)
def test_a_file_of_the_wrong_type_is_refused(client, hr, field_worker, version, name, content):
    client.force_login(hr)

    response = client.post(
        URL, {**_hr_data(field_worker, version), "paper_form": _upload(content, name)}
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_paper_form"
    assert not default_storage.exists(PENDING_DIR)
    assert not LedgerEntry.objects.exists()


def test_a_file_over_5_mb_is_refused(client, hr, field_worker, version):
    client.force_login(hr)
    too_big = PNG + b"\x00" * (5 * 1024 * 1024)

    response = client.post(
        URL,
        {
            **_hr_data(field_worker, version),
            "paper_form": _upload(too_big, "scan.png", "image/png"),
        },
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_paper_form"
    assert not LedgerEntry.objects.exists()


def test_the_error_summary_links_to_the_field_and_gets_focus(client, hr, field_worker, version):
    client.force_login(hr)

    page = parse(client.post(URL, _hr_data(field_worker, version, reason="")))

    assert "#id_reason" in [target for target, _ in error_summary(page)]
    assert select(page, "#id_reason")
    assert select(page, 'script[src$="portal/js/focus-error-summary.js"]')


def test_a_post_without_confirm_only_asks_for_confirmation(client, hr, field_worker, version):
    client.force_login(hr)

    response = client.post(URL, _hr_data(field_worker, version))

    assert response.status_code == 200
    assert 'id="on-behalf-warning"' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_change_on_the_confirmation_shows_the_form_filled_in(client, hr, field_worker, version):
    client.force_login(hr)

    response = client.post(URL, {**_hr_data(field_worker, version), "change": "1"})

    assert response.status_code == 200
    assert response.context["form"]["reason"].value() == REASON
    assert not LedgerEntry.objects.exists()


def test_a_scan_lost_between_the_steps_is_asked_for_again(client, hr, field_worker, version):
    client.force_login(hr)

    response = client.post(
        URL, {**_hr_data(field_worker, version), "pending": "not-a-token", "confirm": "1"}
    )

    assert response.status_code == 400
    assert response.context["error_summary"][0]["target"] == "id_paper_form"
    assert not LedgerEntry.objects.exists()


def test_someone_who_already_signed_gets_nothing_new(client, hr, version):
    employee = EmployeeFactory()
    record = services.record_on_behalf(
        employee=employee,
        version=version,
        recorded_by=EmployeeFactory(hr=True),
        reason=REASON,
        signed_at=timezone.now(),
    )
    client.force_login(hr)

    response = client.post(URL, {**_hr_data(employee, version), "confirm": "1"})

    assert response.status_code == 200
    assert response.context["record"] == record
    assert 'id="already-signed"' in response.content.decode()
    assert f"?q={record.entry.verification_code}" in response.content.decode()
    assert LedgerEntry.objects.count() == 1


def test_the_ledger_links_to_the_form_for_hr(client, hr):
    client.force_login(hr)

    assert URL in client.get(reverse("ledger:overview")).content.decode()


def test_the_team_page_links_to_the_form_for_managers(client):
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    client.force_login(manager)

    assert URL in client.get(reverse("campaigns_team:team")).content.decode()


def _queries_of_form_page(client) -> int:
    client.get(URL)  # warm up (content types, session)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_manager_form_page_queries_do_not_grow_with_the_team(client, version):
    manager = EmployeeFactory()
    EmployeeFactory(manager=manager)
    client.force_login(manager)
    few = _queries_of_form_page(client)
    for _ in range(5):
        EmployeeFactory(manager=manager)

    assert _queries_of_form_page(client) == few


def test_hr_form_page_queries_do_not_grow_with_the_staff(client, hr, version):
    client.force_login(hr)
    few = _queries_of_form_page(client)
    for _ in range(5):
        EmployeeFactory()

    assert _queries_of_form_page(client) == few


# The scanned form


def _record_with_form(version, content=PDF):
    recorder = EmployeeFactory(hr=True)
    return services.record_on_behalf(
        employee=EmployeeFactory(),
        version=version,
        recorded_by=recorder,
        reason=REASON,
        signed_at=timezone.now(),
        paper_form=_upload(content),
    )


def _form_url(record):
    return reverse("ledger:paper_form", kwargs={"sequence": record.entry.sequence})


@pytest.mark.parametrize("role", ["hr", "auditor", "administrator"])
def test_permitted_users_download_the_scanned_form(client, version, role):
    record = _record_with_form(version)
    client.force_login(EmployeeFactory(**{role: True}))

    response = client.get(_form_url(record))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("role", [{}, {"editor": True}])
def test_others_may_not_download_the_scanned_form(client, version, role):
    record = _record_with_form(version)
    client.force_login(EmployeeFactory(**role))

    assert client.get(_form_url(record)).status_code == 403


def test_another_employee_asking_for_an_on_behalf_record_gets_not_found(client, version):
    record = _record_with_form(version)
    code = record.entry.verification_code
    client.force_login(EmployeeFactory())

    assert client.get(reverse("acknowledgements:receipt", args=[code])).status_code == 404
    assert client.get(reverse("acknowledgements:certificate", args=[code])).status_code == 404


def test_the_employee_sees_the_record_made_on_their_behalf(client, version):
    record = _record_with_form(version)
    client.force_login(record.employee)

    response = client.get(
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    )

    assert response.status_code == 200


def test_a_record_without_a_form_has_nothing_to_download(client, hr, version):
    record = services.record_on_behalf(
        employee=EmployeeFactory(),
        version=version,
        recorded_by=hr,
        reason=REASON,
        signed_at=timezone.now(),
    )
    client.force_login(hr)

    assert client.get(_form_url(record)).status_code == 404


def test_an_erased_record_has_nothing_to_download(client, hr, version):
    record = _record_with_form(version)
    corrections.erase_personal_data(entry=record.entry, recorded_by=hr, reason="AVG-verzoek")
    client.force_login(hr)

    assert client.get(_form_url(record)).status_code == 404
