""" "My overview": what is asked of me and what I have done, my own data only, at a
fixed cost in queries; and the verification page."""

import pytest
from django.test import Client
from django.urls import reverse

from acknowledgements.tests.factories import read_all_tips, ready_to_sign, signed
from people.tests.factories import EmployeeFactory
from portal.testing.html import attribute, error_summary, links, parse, select, text_of
from portal.tests.test_home_guidelines import E, M, U, guideline_version, next_version
from quizzes.tests.factories import quiz_version

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


def _in(slug: str, part: str) -> str:
    """The selector of one part (reading, quiz, signature) of a guideline's item."""
    return f"#guideline-{slug} .asked-{part}"


def test_overview_shows_reading_quiz_and_signature_still_to_do():
    employee = EmployeeFactory(preferred_language="en")
    version = quiz_version(tips=3)
    read_all_tips(employee, version, except_numbers=(3,))

    page = parse(client_for(employee).get(OVERVIEW_URL))

    assert len(select(page, "h1")) == 1
    assert attribute(page, _in("sociale-media", "reading"), "data-done") == "false"
    assert "2 of 3" in text_of(page, _in("sociale-media", "reading"))
    assert attribute(page, _in("sociale-media", "quiz"), "data-done") == "false"
    assert attribute(page, _in("sociale-media", "signature"), "data-done") == "false"
    sign_url = reverse("signing:sign", kwargs={"guideline": "sociale-media"})
    assert links(page, _in("sociale-media", "signature")) == [sign_url]
    assert select(page, "#no-records") and select(page, "#no-attempts")


def test_overview_shows_what_i_did_and_nothing_of_others():
    employee, other = EmployeeFactory(), EmployeeFactory()
    version = ready_to_sign(employee)
    record = signed(employee, version)
    ready_to_sign(other, version)
    other_record = signed(other, version)

    response = client_for(employee).get(OVERVIEW_URL)
    page = parse(response)

    assert attribute(page, _in("sociale-media", "reading"), "data-done") == "true"
    assert attribute(page, _in("sociale-media", "quiz"), "data-done") == "true"
    assert attribute(page, _in("sociale-media", "signature"), "data-done") == "true"
    code = record.entry.verification_code
    receipt = reverse("acknowledgements:receipt", args=[code])
    assert links(page, _in("sociale-media", "signature")) == [receipt]
    assert [row.id for row in select(page, "#records-table tbody tr")] == [f"record-{code}"]
    assert reverse("acknowledgements:certificate", args=[code]) in links(page, "#records-table")
    assert other_record.entry.verification_code not in response.content.decode()
    assert len(select(page, "#attempts-table tbody tr")) == 1  # my one attempt


def _guidelines(count: int) -> list:
    """``count`` guidelines for everyone, each with a version in force."""
    from handbook.tests.factories import GuidelineFactory

    return [
        quiz_version(
            guideline=GuidelineFactory(slug=f"handreiking-{n}", title=f"Handreiking {n}"), tips=2
        )
        for n in range(1, count + 1)
    ]


def test_overview_lists_every_guideline_that_applies_each_signed_or_to_sign():
    from handbook.models import Guideline
    from handbook.tests.factories import GuidelineFactory

    employee = EmployeeFactory(preferred_language="en")
    first, second = _guidelines(2)
    ready_to_sign(employee, first)
    record = signed(employee, first)
    elsewhere = GuidelineFactory(slug="alleen-hr", title="Alleen HR")
    elsewhere.audience = Guideline.Audience.ROLES
    elsewhere.save()
    elsewhere.audience_roles.create(role="hr")
    quiz_version(guideline=elsewhere, tips=1)

    page = parse(client_for(employee).get(OVERVIEW_URL))

    assert [item.id for item in select(page, "#guideline-list > li")] == [
        "guideline-handreiking-1",
        "guideline-handreiking-2",
    ]
    assert attribute(page, "#guideline-handreiking-1", "data-signed") == "true"
    assert links(page, _in("handreiking-1", "signature")) == [
        reverse("acknowledgements:receipt", args=[record.entry.verification_code])
    ]
    assert attribute(page, "#guideline-handreiking-2", "data-signed") == "false"
    assert links(page, _in("handreiking-2", "signature")) == [
        reverse("signing:sign", kwargs={"guideline": "handreiking-2"})
    ]
    assert "Handreiking 2" in text_of(page, "#guideline-handreiking-2 h3")


def test_a_guideline_without_a_version_in_force_asks_nothing_yet():
    from handbook.tests.factories import GuidelineFactory

    GuidelineFactory(slug="nog-niet", title="Nog niet")

    page = parse(client_for(EmployeeFactory()).get(OVERVIEW_URL))

    assert select(page, "#guideline-nog-niet .nothing-in-force")
    assert not select(page, "#guideline-nog-niet .sign-link")


def test_a_signature_of_another_guideline_does_not_count_for_this_one():
    employee = EmployeeFactory()
    first, second = _guidelines(2)
    ready_to_sign(employee, second)
    signed(employee, second)

    page = parse(client_for(employee).get(OVERVIEW_URL))

    assert attribute(page, "#guideline-handreiking-1", "data-signed") == "false"
    assert attribute(page, _in("handreiking-1", "reading"), "data-done") == "false"
    assert attribute(page, "#guideline-handreiking-2", "data-signed") == "true"


@pytest.mark.parametrize("count", [1, 5])
def test_overview_costs_the_same_queries_for_one_guideline_as_for_five(
    django_assert_num_queries, count
):
    employee = EmployeeFactory()
    for version in _guidelines(count):
        ready_to_sign(employee, version)
        signed(employee, version)
    client = client_for(employee)
    client.get(OVERVIEW_URL)

    # Layout: 6; the guidelines, their versions with reading and quiz, my signatures of
    # them: 3; whether a signature still holds (statuses_for; nobody signed an earlier
    # version): 1; all my records and my attempts: 2; the open yearly rounds: 1 (and the
    # names of the rounds my signatures answered, one more when they answered any).
    with django_assert_num_queries(13):
        response = client.get(OVERVIEW_URL)

    assert response.status_code == 200
    assert len(response.context["items"]) == count
    assert len(response.context["records"]) == count
    assert len(response.context["attempts"]) == count


# --------------------------------------------------------------------------- verification


def test_verify_page_has_a_labelled_field_with_a_hint():
    page = parse(client_for(EmployeeFactory()).get(VERIFY_URL))

    assert select(page, "label.utrecht-form-label[for=id_code]") and select(page, "input#id_code")
    assert attribute(page, "#id_code", "aria-describedby") == "id_code_hint"
    assert select(page, "#id_code_hint")
    assert not select(page, "#verify-result")


def test_a_valid_code_is_found_intact_with_name_version_and_date():
    employee = EmployeeFactory(first_name="Jan", last_name="Jansen")
    record = signed(employee)
    code = record.entry.verification_code

    # Anyone logged in may check; the code may be typed in lower case without hyphens.
    response = client_for(EmployeeFactory()).get(
        VERIFY_URL, {"code": code.replace("-", "").lower()}
    )
    page = parse(response)

    assert attribute(page, "#verify-result", "data-result") == "intact"
    assert "Jan Jansen" in text_of(page, "#verify-result")
    assert text_of(page, "#verified-version") == str(record.version.number)


def test_an_unknown_code_is_not_found():
    signed(EmployeeFactory())

    page = parse(client_for(EmployeeFactory()).get(VERIFY_URL, {"code": "ABCD-EFGH-JKMN"}))

    assert attribute(page, "#verify-result", "data-result") == "not_found"


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the verification code."), ("12345", "This is not a verification code.")],
)
def test_bad_input_gets_a_clear_message_in_a_focused_summary(code, message):
    reader = EmployeeFactory(preferred_language="en")  # the messages' English ids
    page = parse(client_for(reader).get(VERIFY_URL, {"code": code}))

    [(target, text)] = error_summary(page)
    assert target == "#id_code" and text.startswith(message)
    assert attribute(page, "#id_code", "aria-invalid") == "true"
    assert not select(page, "#verify-result")


def test_a_record_that_no_longer_matches_is_reported_as_tampering(monkeypatch):
    from acknowledgements.selectors.code_check import LINK_BROKEN, CodeCheck
    from acknowledgements.views import employee as views_employee

    record = signed(EmployeeFactory())
    monkeypatch.setattr(
        views_employee,
        "code_check",
        lambda code: CodeCheck(
            found=True, entry=record.entry, own_hash_ok=True, problem=LINK_BROKEN
        ),
    )

    page = parse(
        client_for(EmployeeFactory()).get(VERIFY_URL, {"code": record.entry.verification_code})
    )

    assert attribute(page, "#verify-result", "data-result") == "tampered"


def _signed_then_changed(employee, changes):
    """Privacy version 1 signed by the employee, then version 2 in force today with
    these change marks; the social-media guideline beside it, never signed."""
    guideline_version("sociale-media", "Sociale media", "Social media")
    first = guideline_version("privacy", "Privacyregels", "Privacy rules")
    signed(employee, ready_to_sign(employee, first))
    next_version(first, changes)


def test_overview_tells_who_signed_before_an_editorial_change_that_nothing_is_asked():
    employee = EmployeeFactory(preferred_language="en")
    _signed_then_changed(employee, [E, U])

    page = parse(client_for(employee).get(OVERVIEW_URL))

    assert "You are up to date" in text_of(page, "#guideline-privacy .asked-up-to-date")
    assert not select(page, "#guideline-privacy .asked-list")
    assert select(page, "#guideline-sociale-media .asked-list")


def test_overview_asks_to_sign_again_after_a_change_in_meaning_with_what_changed():
    employee = EmployeeFactory(preferred_language="en")
    _signed_then_changed(employee, [M, U])

    page = parse(client_for(employee).get(OVERVIEW_URL))

    assert "Version 2 changed in meaning" in text_of(page, "#guideline-privacy .asked-resign")
    assert reverse("signing:changes", kwargs={"guideline": "privacy"}) in links(
        page, "#guideline-privacy"
    )
    assert not select(page, "#guideline-privacy .asked-up-to-date")
