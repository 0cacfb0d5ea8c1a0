"""Signing the current version in the browser's terms: what is still needed, the form,
refusals, the receipt, double submits, and whose records one may see."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from acknowledgements.models import Acknowledgement, LedgerEntry
from acknowledgements.selectors.eligibility import statement_for
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, error_summary, links, parse, select, text_of
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

SIGN_URL = reverse("signing:sign", kwargs={"guideline": "sociale-media"})


def sign_post_queries() -> int:
    """A signature once the ledger head exists: the session, the user, the current
    version with the employee's signing facts (one query), the round it answers
    (acknowledgements.hooks, one query); then the signature, inside
    the test's own transaction and so
    in a savepoint: the savepoint, on PostgreSQL one statement (acknowledgements.ledger.postgres),
    elsewhere reading the ledger head, inserting the entry, moving the head and inserting
    the acknowledgement, and releasing the savepoint. (The very first signature ever
    creates the head too, four more.)"""
    return 4 + (3 if connection.vendor == "postgresql" else 6)


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory(first_name="Jan", name_prefix="van der", last_name="Berg")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, **overrides):
    data = {"typed_name": "Jan van der Berg", "confirmed": "on", "language": "nl"}
    data.update(overrides)
    return client.post(SIGN_URL, {k: v for k, v in data.items() if v is not None})


def test_sign_page_names_each_unread_tip_by_its_topic(employee):
    from handbook.models import Tip

    version = quiz_version(tips=3)
    read_all_tips(employee, version, except_numbers=(2,))
    Tip.objects.filter(version=version, number=2).update(topic="Lang zichtbaar")

    page = parse(client_for(employee).get(SIGN_URL))

    assert text_of(page, "#unread-tips") == "Tip 2 – Lang zichtbaar"


def test_sign_page_lists_unread_tips_and_the_missing_quiz(employee):
    version = quiz_version(tips=3)
    read_all_tips(employee, version, except_numbers=(2, 3))

    response = client_for(employee).get(SIGN_URL)
    page = parse(response)

    assert response.status_code == 200
    assert len(select(page, "h1")) == 1
    assert select(page, "#still-needed")
    assert links(page, "#unread-tips") == [
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 2}),
        reverse("handbook:current_tip", kwargs={"guideline": "sociale-media", "tip": 3}),
    ]
    assert reverse("quizzes:start", kwargs={"guideline": "sociale-media"}) in links(
        page, "#quiz-missing"
    )
    assert not select(page, "#sign-form")


def test_sign_page_shows_statement_name_field_and_checkbox_when_nothing_blocks(employee):
    version = ready_to_sign(employee)

    page = parse(client_for(employee).get(SIGN_URL))

    assert select(page, "#sign-form") and not select(page, "#still-needed")
    assert text_of(page, "#statement") == " ".join(
        statement_for(version=version, language="nl").split()
    )
    assert select(page, "#sign-form label.utrecht-form-label[for=id_typed_name]")
    assert select(page, "#sign-form #id_typed_name")
    assert attribute(page, "#id_typed_name", "aria-describedby") == "id_typed_name_hint"
    assert "Jan van der Berg" in text_of(page, "#id_typed_name_hint")
    assert select(page, "#sign-form label.utrecht-form-label[for=id_confirmed]")
    assert select(page, "#sign-form #id_confirmed[type=checkbox]")
    assert select(page, "#final-notice")


def test_a_complete_post_signs_once_and_redirects_to_the_receipt(employee):
    version = ready_to_sign(employee)
    client = client_for(employee)

    response = _post(client)

    record = Acknowledgement.objects.get()
    assert (record.employee, record.version, record.language) == (employee, version, "nl")
    assert record.typed_name == "Jan van der Berg"
    assert record.method == Acknowledgement.Method.SELF
    code = record.entry.verification_code
    assert response.status_code == 302
    assert response["Location"] == reverse("acknowledgements:receipt", args=[code])

    receipt = client.get(response["Location"]).content.decode()
    assert "Jan van der Berg" in receipt
    assert code in receipt
    assert record.text_hash in receipt and record.entry.record_hash in receipt
    assert reverse("acknowledgements:certificate", args=[code]) in receipt


def test_a_double_submit_creates_nothing_new(employee):
    ready_to_sign(employee)
    client = client_for(employee)

    first = _post(client)
    second = _post(client)

    assert Acknowledgement.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_after_signing_the_page_shows_the_record_instead_of_the_form(employee):
    record = signed(employee)

    html = client_for(employee).get(SIGN_URL).content.decode()

    assert 'id="already-signed"' in html and 'id="sign-form"' not in html
    assert record.entry.verification_code in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"confirmed": None}, "id_confirmed", "Tick the box to confirm the statement."),
        ({"typed_name": "Piet Jansen"}, "id_typed_name", "The name you typed is not"),
        ({"typed_name": ""}, "id_typed_name", "Type your full name."),
    ],
)
def test_an_incomplete_post_is_refused_with_a_focused_summary_and_nothing_stored(
    employee, overrides, field, message
):
    employee.preferred_language = "en"  # the messages' English ids
    employee.save(update_fields=["preferred_language"])
    ready_to_sign(employee)

    response = _post(client_for(employee), **overrides)
    page = parse(response)

    assert response.status_code == 200
    assert not Acknowledgement.objects.exists() and not LedgerEntry.objects.exists()
    [(target, text)] = error_summary(page)
    assert target == f"#{field}" and message in text
    assert select(page, 'script[src$="portal/js/focus-error-summary.js"]')
    assert attribute(page, f"#{field}", "aria-invalid") == "true"


def test_the_name_check_ignores_case_and_spacing(employee):
    ready_to_sign(employee)

    response = _post(client_for(employee), typed_name="  jan VAN DER  berg ")

    assert response.status_code == 302
    assert Acknowledgement.objects.count() == 1


def test_a_post_while_something_blocks_is_refused_by_the_service(employee):
    ready_to_sign(employee, read=False)

    response = _post(client_for(employee))
    page = parse(response)

    assert response.status_code == 200
    assert not Acknowledgement.objects.exists()
    assert [target for target, _ in error_summary(page)] == ["#still-needed"]
    assert select(page, "#still-needed") and select(page, "#unread-tips")


def test_sign_page_without_a_current_version(employee):
    from handbook.tests.factories import GuidelineFactory

    GuidelineFactory()  # the guideline exists, no version of it is in force
    html = client_for(employee).get(SIGN_URL).content.decode()

    assert 'id="nothing-to-sign"' in html


def test_receipt_and_certificate_are_the_employees_own(employee):
    record = signed(employee)
    code = record.entry.verification_code
    other = client_for(EmployeeFactory())

    assert other.get(reverse("acknowledgements:receipt", args=[code])).status_code == 404
    assert other.get(reverse("acknowledgements:certificate", args=[code])).status_code == 404
    assert (
        client_for(employee).get(reverse("acknowledgements:receipt", args=[code])).status_code
        == 200
    )


def test_hr_may_see_any_receipt(employee):
    record = signed(employee)
    hr = EmployeeFactory(hr=True)

    response = client_for(hr).get(
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    )

    assert response.status_code == 200


def test_unknown_code_is_not_found(employee):
    response = client_for(employee).get(
        reverse("acknowledgements:receipt", args=["ABCD-EFGH-JKMN"])
    )

    assert response.status_code == 404


def test_pages_need_a_login():
    for url in (SIGN_URL, reverse("acknowledgements:overview"), reverse("acknowledgements:verify")):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/" in response["Location"]


def test_home_page_asks_to_sign_then_says_when_signed(employee):
    version = ready_to_sign(employee)
    client = client_for(employee)

    item = "#home-guideline-sociale-media"
    page = parse(client.get(reverse("home")))
    assert select(page, f"{item} .home-sign") and SIGN_URL in links(page, item)

    record = signed(employee, version)
    page = parse(client.get(reverse("home")))
    assert select(page, f"{item} .home-signed") and not select(page, f"{item} .home-sign")
    receipt = reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    assert receipt in links(page, item)


def test_a_sign_post_by_a_ready_employee_costs_a_fixed_number_of_queries(
    employee, django_assert_num_queries
):
    version = ready_to_sign(employee)
    colleague = EmployeeFactory()
    signed(colleague, ready_to_sign(colleague, version))  # the ledger head exists already
    client = client_for(employee)

    with django_assert_num_queries(sign_post_queries()):
        response = _post(client)

    assert response.status_code == 302
    assert Acknowledgement.objects.filter(employee=employee, version=version).exists()


def test_a_second_post_of_the_same_valid_form_redirects_to_the_same_receipt_and_adds_no_entry(
    employee,
):
    ready_to_sign(employee)
    client = client_for(employee)
    _post(client)
    record = Acknowledgement.objects.get(employee=employee)
    entries = LedgerEntry.objects.count()

    response = _post(client)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "acknowledgements:receipt", args=[record.entry.verification_code]
    )
    assert LedgerEntry.objects.count() == entries
    assert Acknowledgement.objects.filter(employee=employee).count() == 1


def test_an_invalid_post_by_someone_who_already_signed_redirects_to_their_receipt(employee):
    record = signed(employee)

    response = _post(client_for(employee), typed_name="Piet Jansen")

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "acknowledgements:receipt", args=[record.entry.verification_code]
    )
    assert LedgerEntry.objects.count() == 1
