""" "My overview": what is asked of me and what I have done, my own data only, at a
fixed cost in queries; and the verification page."""

import pytest
from django.test import Client
from django.urls import reverse

from acknowledgements.models import Acknowledgement
from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version, submitted_attempt

pytestmark = pytest.mark.django_db

OVERVIEW_URL = reverse("acknowledgements:overview")
VERIFY_URL = reverse("acknowledgements:verify")


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_overview_shows_reading_quiz_and_signature_still_to_do():
    employee = EmployeeFactory(preferred_language="en")
    version = quiz_version(tips=3)
    read_all_tips(employee, version, except_numbers=(3,))

    html = client_for(employee).get(OVERVIEW_URL).content.decode()

    assert html.count("<h1>") == 1
    assert 'id="asked-reading" data-done="false"' in html and "2 of 3" in html
    assert 'id="asked-quiz" data-done="false"' in html
    assert 'id="asked-signature" data-done="false"' in html
    assert 'id="no-records"' in html and 'id="no-attempts"' in html


def test_overview_shows_what_i_did_and_nothing_of_others():
    employee, other = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(employee)
    record = signed(employee, version)
    ready_to_sign(other, version)
    other_record = signed(other, version)

    html = client_for(employee).get(OVERVIEW_URL).content.decode()

    assert 'id="asked-reading" data-done="true"' in html
    assert 'id="asked-quiz" data-done="true"' in html
    assert 'id="asked-signature" data-done="true"' in html
    code = record.entry.verification_code
    assert code in html
    assert reverse("acknowledgements:certificate", args=[code]) in html
    assert other_record.entry.verification_code not in html
    rows = html.split('id="attempts-table"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 2  # the header and my one attempt


def _grow(employee, count: int):
    """``count`` signed versions and ``count`` quiz attempts for the employee."""
    from handbook.tests.factories import GuidelineFactory

    guideline = GuidelineFactory()
    for number in range(1, count + 1):
        version = quiz_version(guideline=guideline, number=number, tips=2)
        ready_to_sign(employee, version)
        signed(employee, version)


@pytest.mark.parametrize("count", [1, 4])
def test_overview_costs_a_fixed_number_of_queries(django_assert_num_queries, count):
    employee = EmployeeFactory()
    _grow(employee, count)
    submitted_attempt(employee=employee, version=Acknowledgement.objects.first().version)
    client = client_for(employee)
    client.get(OVERVIEW_URL)

    with django_assert_num_queries(15):
        response = client.get(OVERVIEW_URL)

    assert response.status_code == 200
    assert len(response.context["records"]) == count


# --------------------------------------------------------------------------- verification


def test_verify_page_has_a_labelled_field_with_a_hint():
    html = client_for(EmployeeFactory()).get(VERIFY_URL).content.decode()

    assert '<label class="form-label" for="id_code">' in html
    assert 'aria-describedby="id_code_hint"' in html
    assert 'id="verify-result"' not in html


def test_a_valid_code_is_found_intact_with_name_version_and_date():
    employee = EmployeeFactory(first_name="Jan", last_name="Jansen")
    record = signed(employee)
    code = record.entry.verification_code

    # Anyone logged in may check; the code may be typed in lower case without hyphens.
    response = client_for(EmployeeFactory()).get(
        VERIFY_URL, {"code": code.replace("-", "").lower()}
    )
    html = response.content.decode()

    assert 'data-result="intact"' in html
    assert "Jan Jansen" in html
    assert f'id="verified-version">{record.version.number}<' in html


def test_an_unknown_code_is_not_found():
    signed(EmployeeFactory())

    html = (
        client_for(EmployeeFactory()).get(VERIFY_URL, {"code": "ABCD-EFGH-JKMN"}).content.decode()
    )

    assert 'data-result="not_found"' in html


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the verification code."), ("12345", "This is not a verification code.")],
)
def test_bad_input_gets_a_clear_message_in_a_focused_summary(code, message):
    reader = EmployeeFactory(preferred_language="en")  # the messages' English ids
    html = client_for(reader).get(VERIFY_URL, {"code": code}).content.decode()

    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_code"' in summary and message in summary
    assert 'aria-invalid="true"' in html
    assert 'id="verify-result"' not in html


def test_a_record_that_no_longer_matches_is_reported_as_tampering(monkeypatch):
    from acknowledgements.selectors.verification import EntryCheck
    from acknowledgements.views import employee as views_employee

    record = signed(EmployeeFactory())
    monkeypatch.setattr(
        views_employee,
        "verify_entry",
        lambda code: EntryCheck(found=True, intact=False, entry=record.entry, problem="x"),
    )

    html = (
        client_for(EmployeeFactory())
        .get(VERIFY_URL, {"code": record.entry.verification_code})
        .content.decode()
    )

    assert 'data-result="tampered"' in html
