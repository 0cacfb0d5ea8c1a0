"""The escalation path of issue 16, tried end to end as HR would: upload a staff file
that gives the administrator an address HR reads, apply it, ask a password reset for
that address, and try to get into the administrator's account. Every step fails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Employee, StaffImport
from people.tests.factories import DEFAULT_PASSWORD, EmployeeFactory
from people.tests.staff_import_support import organisation, person, staff_csv

try:
    from people.tests.factories import login_with_second_factor
except ImportError:  # pragma: no cover - the two-factor work brings it
    login_with_second_factor = None

pytestmark = pytest.mark.django_db

HR_READS = "p-en-o@voorbeeldstad.nl"  # HR's shared mailbox: not anyone's log-in
NEW_PASSWORD = "Overgenomen-2026!x"


@pytest.fixture
def administrator(db):
    organisation()
    return EmployeeFactory(
        employee_number="300061",
        first_name="Bas",
        last_name="Verhoeven",
        email="beheerder@voorbeeldstad.nl",
        administrator=True,
        totp=True,
    )


@pytest.fixture
def hr_client(client, settings, administrator):
    hr = EmployeeFactory(hr=True, employee_number=None, totp=True, preferred_language="nl")
    if login_with_second_factor is None:
        settings.PORTAL_MFA_REQUIRED = False
        client.force_login(hr)
    else:
        login_with_second_factor(client, hr)
    return client


def attackers_file(administrator: Employee) -> bytes:
    return staff_csv(
        [
            person(
                administrator.employee_number,
                voornaam=administrator.first_name,
                achternaam=administrator.last_name,
                email=HR_READS,
                afdeling="AFD-PO",
            )
        ]
    )


def upload_and_apply(client, data: bytes):
    preview = client.post(
        reverse("people:staff_import"),
        {"bestand": SimpleUploadedFile("personeel.csv", data, content_type="text/csv")},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None  # the department change is real: the file can be applied
    return client.post(reverse("people:staff_import_apply"), {"upload": confirm.initial["upload"]})


def test_hr_cannot_take_over_the_administrator_through_the_staff_import(
    hr_client, client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        applied = upload_and_apply(hr_client, attackers_file(administrator))
    assert applied.status_code == 302
    assert StaffImport.objects.filter(mode=StaffImport.Mode.APPLIED).count() == 1

    # 1. The administrator's address is unchanged; the other change went through.
    administrator.refresh_from_db()
    assert administrator.email == "beheerder@voorbeeldstad.nl"
    assert administrator.department.code == "AFD-PO"
    assert not Employee.objects.filter(email__iexact=HR_READS).exists()
    # The administrators were told; nothing went to the address HR reads.
    assert [m.to for m in mail.outbox] == [["beheerder@voorbeeldstad.nl"]]
    mail.outbox.clear()

    # 2. A password reset for the address HR reads sends no mail at all.
    hr_client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        reset = hr_client.post(reverse("account_reset_password"), {"email": HR_READS})
    assert reset.status_code == 302
    assert mail.outbox == []

    # 3. The administrator's account does not open with a new password, and a reset
    # for the administrator's own address goes only to the administrator.
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("account_reset_password"), {"email": administrator.email})
    assert all(m.to == ["beheerder@voorbeeldstad.nl"] for m in mail.outbox)
    assert not any(HR_READS in (m.body or "") for m in mail.outbox)
    for login in (HR_READS, administrator.email):
        response = client.post(reverse("account_login"), {"login": login, "password": NEW_PASSWORD})
        assert "_auth_user_id" not in client.session, login
        assert response.status_code == 200
    administrator.refresh_from_db()
    assert administrator.check_password(DEFAULT_PASSWORD)
    assert not administrator.check_password(NEW_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 302
