"""The ledger pages for HR and auditors (/grootboek/)."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from acknowledgements.admin import AcknowledgementAdmin, LedgerCheckAdmin, LedgerEntryAdmin
from acknowledgements.models import Acknowledgement, LedgerCheck, LedgerEntry
from acknowledgements.selectors import verification
from acknowledgements.services import corrections, ledger_checks
from acknowledgements.tests.factories import ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, one, parse, select, text, texts

pytestmark = pytest.mark.django_db

URL = "/grootboek/"
CHECK_URL = "/grootboek/controleren/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.PORTAL_MFA_REQUIRED = False


def _must_not_check(**kwargs):
    raise AssertionError("the page checked the chain")


def _records(count: int):
    employees = [EmployeeFactory() for _ in range(count)]
    version = ready_to_sign(employees[0])
    records = [signed(employees[0], version)]
    for employee in employees[1:]:
        records.append(signed(employee, ready_to_sign(employee, version)))
    return records


def test_the_ledger_lives_at_grootboek():
    assert reverse("ledger:overview") == URL
    assert reverse("ledger:check") == CHECK_URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"] or "account" in response["Location"]


def test_an_employee_may_not_see_the_ledger(client):
    client.force_login(EmployeeFactory())

    assert client.get(URL).status_code == 403


def test_an_editor_may_not_see_the_ledger(client):
    client.force_login(EmployeeFactory(editor=True))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["hr", "auditor", "administrator"])
def test_hr_auditors_and_administrators_see_the_ledger(client, role):
    client.force_login(EmployeeFactory(**{role: True}))

    assert client.get(URL).status_code == 200


def test_a_visit_does_not_check_the_chain(client, monkeypatch):
    _records(2)
    ledger_checks.run_system_check()
    monkeypatch.setattr(verification, "verify_chain", _must_not_check)
    monkeypatch.setattr(ledger_checks, "verify_chain", _must_not_check)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL)

    assert response.status_code == 200


def test_the_page_shows_that_the_ledger_was_intact_at_the_last_check(
    client, django_capture_on_commit_callbacks
):
    _records(2)
    hr = EmployeeFactory(hr=True, preferred_language="en", first_name="Hanna", last_name="Rood")
    with django_capture_on_commit_callbacks(execute=True):
        ledger_checks.request_check(requested_by=hr)
    client.force_login(hr)

    response = client.get(URL)

    html = response.content.decode()
    check = response.context["check"]
    assert (check.ok, check.entries_checked) == (True, 2)
    assert "At the last check the ledger was intact: 2 entries checked" in html
    assert "at the request of Hanna Rood" in html
    assert attribute(parse(response), "#check-result", "role") == "status"


def test_the_page_shows_the_entry_and_the_problem_of_a_broken_chain(client):
    LedgerCheck.objects.create(
        requested_at=timezone.now(),
        finished_at=timezone.now(),
        state=LedgerCheck.State.DONE,
        ok=False,
        entries_checked=6,
        head_sequence=6,
        problem_sequence=7,
        problem_reason="content missing",
    )
    client.force_login(EmployeeFactory(auditor=True, preferred_language="en"))

    response = client.get(URL)
    html = response.content.decode()

    assert attribute(parse(response), "#check-result", "role") == "alert"
    assert "Entry 7 does not match what was recorded." in html
    assert "Problem: content missing" in html
    assert "6 entries before it checked and intact." in html


def test_the_problem_of_a_broken_chain_is_shown_in_dutch_to_a_dutch_reader(client):
    LedgerCheck.objects.create(
        requested_at=timezone.now(),
        finished_at=timezone.now(),
        state=LedgerCheck.State.DONE,
        ok=False,
        problem_sequence=1,
        problem_reason="content missing",
    )
    client.force_login(EmployeeFactory(hr=True, preferred_language="nl"))

    html = client.get(URL).content.decode()

    assert "inhoud ontbreekt" in html


def test_the_page_shows_a_check_of_the_command_as_a_system_run(client):
    _records(1)
    call_command("verify_ledger", stdout=io.StringIO())
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    html = client.get(URL).content.decode()

    assert "by the nightly check or another system run" in html


def test_the_page_shows_the_last_finished_check_not_an_older_one(client):
    first, _second = _records(2)
    LedgerCheck.objects.create(requested_at=first.signed_at, state=LedgerCheck.State.DONE, ok=False)
    newest = ledger_checks.run_system_check()
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL)

    assert response.context["check"] == newest


def test_before_any_check_the_page_says_so_and_offers_the_button(client):
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    response = client.get(URL)
    page = parse(response)

    assert "The ledger has not been checked yet." in response.content.decode()
    assert select(page, "#check-form")
    assert not select(page, "#check-result")


def test_the_button_is_a_button_in_a_form_that_posts_with_a_csrf_token(client):
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    page = parse(client.get(URL))

    form = one(page, f'form[action="{CHECK_URL}"]')
    assert form.attributes["method"] == "post"
    assert attribute(form, "input[name=csrfmiddlewaretoken]", "type") == "hidden"
    button = one(form, "button")
    assert button.attributes["type"] == "submit" and text(button) == "Check the chain now"


@pytest.mark.parametrize("state", ["queued", "running"])
def test_while_a_check_waits_or_runs_the_page_says_so_instead_of_the_button(client, state):
    now = timezone.now()
    LedgerCheck.objects.create(requested_at=now, started_at=now, state=state)
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    response = client.get(URL)
    page = parse(response)

    assert attribute(page, "#check-in-progress", "role") == "status"
    assert "Reload this page to see the result." in response.content.decode()
    assert not select(page, "#check-form")


def test_a_check_that_did_not_finish_is_mentioned_and_the_button_offered(client):
    LedgerCheck.objects.create(requested_at=timezone.now(), state=LedgerCheck.State.FAILED)
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    html = client.get(URL).content.decode()

    assert 'id="check-unfinished"' in html
    assert "stopped without a result" in html
    assert 'id="check-form"' in html


def test_the_button_asks_for_a_check_and_goes_back_to_the_ledger_with_a_message(
    client, django_capture_on_commit_callbacks
):
    _records(2)
    hr = EmployeeFactory(hr=True, preferred_language="en")
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHECK_URL)

    assert response.status_code == 302
    assert response["Location"] == URL
    check = LedgerCheck.objects.get()
    assert (check.requested_by, check.state, check.ok) == (hr, "done", True)
    html = client.get(URL).content.decode()
    assert "The ledger is being checked in the background." in html


def test_asking_again_while_a_check_waits_queues_no_second_one(
    client, django_capture_on_commit_callbacks
):
    client.force_login(EmployeeFactory(hr=True, preferred_language="en"))

    with django_capture_on_commit_callbacks(execute=False):
        client.post(CHECK_URL)
        response = client.post(CHECK_URL, follow=True)

    assert LedgerCheck.objects.count() == 1
    assert "A check of the ledger is already waiting or running." in response.content.decode()


@pytest.mark.parametrize("role", ["hr", "auditor", "administrator"])
def test_those_who_may_see_the_ledger_may_ask_for_a_check(
    client, role, django_capture_on_commit_callbacks
):
    client.force_login(EmployeeFactory(**{role: True}))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHECK_URL)

    assert response.status_code == 302
    assert LedgerCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["employee", "editor", "manager"])
def test_others_may_not_ask_for_a_check(client, role):
    user = EmployeeFactory(editor=role == "editor")
    if role == "manager":
        EmployeeFactory(manager=user)
    client.force_login(user)

    assert client.post(CHECK_URL).status_code == 403
    assert not LedgerCheck.objects.exists()


def test_anonymous_visitors_asking_for_a_check_are_sent_to_log_in(client):
    response = client.post(CHECK_URL)

    assert response.status_code == 302
    assert "login" in response["Location"] or "account" in response["Location"]
    assert not LedgerCheck.objects.exists()


def test_asking_for_a_check_needs_a_post(client):
    client.force_login(EmployeeFactory(hr=True))

    assert client.get(CHECK_URL).status_code == 405


def test_the_page_lists_records_with_a_shortened_hash(client):
    record = signed(EmployeeFactory(employee_number="777001", first_name="Fenna", last_name="Wit"))
    colleague = EmployeeFactory()
    signed(colleague, ready_to_sign(colleague, record.version))
    client.force_login(EmployeeFactory(hr=True))

    html = client.get(URL).content.decode()

    assert "777001" in html
    assert "Wit, Fenna" in html
    assert record.entry.record_hash[:12] in html
    assert record.entry.record_hash not in html


def test_the_list_is_searchable_by_employee_number(client):
    first, second = _records(2)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": first.employee.employee_number})

    assert [r.pk for r in response.context["records"]] == [first.pk]


def test_the_list_is_searchable_by_verification_code(client):
    first, second = _records(2)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": second.entry.verification_code.lower()})

    assert [r.pk for r in response.context["records"]] == [second.pk]


def test_the_page_has_accessible_markup(client):
    _records(1)
    client.force_login(EmployeeFactory(hr=True))

    page = parse(client.get(URL))

    assert len(select(page, "h1")) == 1
    assert all(texts(page, "table caption"))
    assert select(page, "table thead th[scope=col]")
    assert select(page, "label.utrecht-form-label[for=id_q]") and select(page, "input#id_q")


def test_the_list_is_paginated(client):
    _records(27)
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"pagina": 2})

    assert len(response.context["records"]) == 2


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    hr = EmployeeFactory(hr=True)
    for record in _records(size)[:2]:
        corrections.correct(entry=record.entry, recorded_by=hr, reason="Typfout", typed_name="X")
    ledger_checks.request_check(requested_by=hr)  # waiting: shown with who asked
    ledger_checks.run_system_check()
    client.force_login(hr)
    # session, user, permissions (2), count, the last and the last finished check (one
    # query; the chain itself is not checked), the head, roles for the menu (groups,
    # reports), page
    with django_assert_num_queries(10):
        response = client.get(URL)

    assert response.status_code == 200


def test_entries_records_and_checks_are_read_only_in_the_admin():
    request = RequestFactory().get("/beheer/")
    request.user = EmployeeFactory(is_staff=True, is_superuser=True)
    record = signed()

    for model_admin, obj in (
        (LedgerEntryAdmin(LedgerEntry, admin.site), record.entry),
        (AcknowledgementAdmin(Acknowledgement, admin.site), record),
        (LedgerCheckAdmin(LedgerCheck, admin.site), ledger_checks.run_system_check()),
    ):
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)
        assert model_admin.has_view_permission(request, obj)


def test_the_list_is_searchable_by_full_name(client):
    wanted = signed(EmployeeFactory(first_name="Fenna", name_prefix="de", last_name="Wit"))
    colleague = EmployeeFactory(first_name="Fenna", last_name="Zwart")
    signed(colleague, ready_to_sign(colleague, wanted.version))
    client.force_login(EmployeeFactory(hr=True))

    response = client.get(URL, {"q": "fenna de wit"})

    assert [r.pk for r in response.context["records"]] == [wanted.pk]


def test_the_admin_lists_of_entries_records_and_checks_open(client):
    signed()
    ledger_checks.run_system_check()
    client.force_login(EmployeeFactory(is_staff=True, is_superuser=True))
    names = (
        "acknowledgements_ledgerentry",
        "acknowledgements_acknowledgement",
        "acknowledgements_ledgercheck",
    )
    for name in names:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_the_page_shows_the_last_entrys_full_hash_for_auditors(client):
    last = _records(2)[-1]
    ledger_checks.run_system_check()
    client.force_login(EmployeeFactory(auditor=True))

    html = client.get(URL).content.decode()

    assert last.entry.record_hash in html
