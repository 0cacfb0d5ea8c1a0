"""Retiring a version takes two editors (one asks with a reason, another confirms; either
cancels), and the last version in force is never retired: staff would have nothing to
sign. Services first, then the pages and forged POSTs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from handbook.models import GuidelineVersion, HandbookEvent, RetirementRequest
from handbook.services import retirement
from handbook.tests.factories import published_version
from handbook.tests.utils import nl
from people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

REASON = "Vervangen door versie 2."
LAST_IN_FORCE = (
    "Version %(number)s cannot be retired: no other published version is in force, so staff "
    "would have nothing to sign. Publish the version that replaces it first, and retire this "
    "one once that has taken effect."
)


@pytest.fixture
def successor(version_one):
    """Version 2, in force from today (version 1's effective date: the higher number
    wins, and an earlier date would never take effect): version 1 may go."""
    return published_version(version_one.guideline, number=2, effective_date=timezone.localdate())


def status(version) -> str:
    return GuidelineVersion.objects.get(pk=version.pk).status


def events() -> list[str]:
    return list(
        HandbookEvent.objects.filter(kind__startswith="retire")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def asked(version, editor) -> RetirementRequest:
    return retirement.request_retirement(version=version, actor=editor, reason=REASON)


# The services -----------------------------------------------------------------------------


def test_one_editor_asks_and_another_confirms(version_one, successor, editor, other_editor):
    request = asked(version_one, editor)
    assert status(version_one) == "published"

    retired = retirement.confirm_retirement(
        version=version_one, request_id=request.pk, actor=other_editor
    )

    request.refresh_from_db()
    assert (retired.status, retired.retired_by) == ("retired", other_editor)
    assert (request.state, request.decided_by) == ("confirmed", other_editor)
    assert events() == ["retirement_requested", "retired"]
    confirmed = HandbookEvent.objects.get(kind="retired")
    assert confirmed.details == {"request": request.pk, "requested_by": editor.pk}


def test_the_editor_who_asked_cannot_confirm(version_one, successor, editor):
    request = asked(version_one, editor)

    with pytest.raises(ValidationError) as refused:
        retirement.confirm_retirement(version=version_one, request_id=request.pk, actor=editor)

    assert refused.value.messages == [
        nl("You asked to retire this version. Another editor must confirm it.")
    ]
    assert status(version_one) == "published"
    assert RetirementRequest.objects.get().state == "open"


def test_with_four_eyes_off_the_editor_who_asked_may_confirm(
    version_one, successor, editor, settings
):
    settings.HANDBOOK_FOUR_EYES = False
    request = asked(version_one, editor)

    retirement.confirm_retirement(version=version_one, request_id=request.pk, actor=editor)

    assert status(version_one) == "retired"


def test_the_last_version_in_force_cannot_be_asked_to_retire(version_one, editor):
    with pytest.raises(ValidationError) as refused:
        asked(version_one, editor)

    assert refused.value.messages == [nl(LAST_IN_FORCE, number=1)]
    assert not RetirementRequest.objects.exists()
    assert events() == []


def test_a_successor_that_has_not_taken_effect_yet_is_not_enough(version_one, editor):
    published_version(
        version_one.guideline, number=2, effective_date=timezone.localdate() + datetime.timedelta(7)
    )

    with pytest.raises(ValidationError):
        asked(version_one, editor)


def test_a_version_published_ahead_may_go_while_the_current_one_stays(
    version_one, editor, other_editor
):
    ahead = published_version(
        version_one.guideline, number=2, effective_date=timezone.localdate() + datetime.timedelta(7)
    )

    request = asked(ahead, editor)
    retirement.confirm_retirement(version=ahead, request_id=request.pk, actor=other_editor)

    assert (status(ahead), status(version_one)) == ("retired", "published")


def test_two_versions_asked_for_at_once_leave_one_in_force(
    version_one, successor, editor, other_editor
):
    """Both requests were fine when made; the second confirmation sees the first."""
    first = asked(version_one, editor)
    second = asked(successor, editor)
    retirement.confirm_retirement(version=version_one, request_id=first.pk, actor=other_editor)

    with pytest.raises(ValidationError) as refused:
        retirement.confirm_retirement(version=successor, request_id=second.pk, actor=other_editor)

    assert refused.value.messages == [nl(LAST_IN_FORCE, number=2)]
    assert status(successor) == "published"
    assert RetirementRequest.objects.get(pk=second.pk).state == "open"


def test_either_editor_can_cancel_and_nothing_is_retired(
    version_one, successor, editor, other_editor
):
    mine = asked(version_one, editor)
    retirement.cancel_retirement(version=version_one, request_id=mine.pk, actor=editor)
    theirs = asked(version_one, editor)
    retirement.cancel_retirement(version=version_one, request_id=theirs.pk, actor=other_editor)

    assert status(version_one) == "published"
    assert list(RetirementRequest.objects.values_list("state", flat=True)) == ["cancelled"] * 2
    assert events() == ["retirement_requested", "retirement_cancelled"] * 2


def test_a_cancelled_request_cannot_be_confirmed(version_one, successor, editor, other_editor):
    request = asked(version_one, editor)
    retirement.cancel_retirement(version=version_one, request_id=request.pk, actor=editor)

    with pytest.raises(ValidationError):
        retirement.confirm_retirement(
            version=version_one, request_id=request.pk, actor=other_editor
        )

    assert status(version_one) == "published"


def test_one_open_request_per_version(version_one, successor, editor, other_editor):
    asked(version_one, editor)

    with pytest.raises(ValidationError):
        asked(version_one, other_editor)

    assert RetirementRequest.objects.count() == 1


def test_a_reason_is_required(version_one, successor, editor):
    with pytest.raises(ValidationError) as refused:
        retirement.request_retirement(version=version_one, actor=editor, reason="   ")

    assert refused.value.messages == [nl("Give the reason for retiring this version.")]


def test_a_request_of_another_version_does_not_confirm_this_one(
    version_one, successor, editor, other_editor
):
    request = asked(successor, editor)

    with pytest.raises(ValidationError):
        retirement.confirm_retirement(
            version=version_one, request_id=request.pk, actor=other_editor
        )

    assert (status(version_one), status(successor)) == ("published", "published")


def test_a_draft_cannot_be_asked_to_retire(version_one, successor, editor):
    from handbook import services

    draft = services.create_draft(guideline=version_one.guideline, actor=editor)

    with pytest.raises(ValidationError) as refused:
        asked(draft, editor)

    assert refused.value.messages == [nl("Only a published version can be retired.")]


@pytest.mark.parametrize("who", ["employee", "hr"])
def test_only_editors_who_may_publish_retire(version_one, successor, editor, who):
    request = asked(version_one, editor)
    outsider = EmployeeFactory(**({"hr": True} if who == "hr" else {}))

    with pytest.raises(PermissionDenied):
        retirement.confirm_retirement(version=version_one, request_id=request.pk, actor=outsider)
    with pytest.raises(PermissionDenied):
        retirement.cancel_retirement(version=version_one, request_id=request.pk, actor=outsider)

    assert status(version_one) == "published"


# The pages ---------------------------------------------------------------------------------


def retire_url(number: int) -> str:
    return reverse("handbook:retire", kwargs={"guideline": "sociale-media", "number": number})


def confirm_url(number: int) -> str:
    return reverse(
        "handbook:confirm_retirement", kwargs={"guideline": "sociale-media", "number": number}
    )


def cancel_url(number: int) -> str:
    return reverse(
        "handbook:cancel_retirement", kwargs={"guideline": "sociale-media", "number": number}
    )


def test_the_retire_page_asks_for_a_reason(editor_client, version_one, successor):
    page = editor_client.get(retire_url(1)).content.decode()

    assert 'id="retire-form"' in page and 'name="reason"' in page
    assert nl("Ask to retire version %(number)s", number=1) in page


def test_asking_on_the_page_and_confirming_as_another_editor(
    editor_client, other_editor_client, version_one, successor
):
    response = editor_client.post(retire_url(1), {"reason": REASON})
    assert response.status_code == 302
    request = RetirementRequest.objects.get()
    own_page = editor_client.get(retire_url(1)).content.decode()
    assert 'id="confirm-retirement-button"' not in own_page
    assert 'id="confirm-by-another"' in own_page
    other_page = other_editor_client.get(retire_url(1)).content.decode()
    assert 'id="confirm-retirement-button"' in other_page and REASON in other_page

    response = other_editor_client.post(confirm_url(1), {"request": request.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "handbook:history", kwargs={"guideline": "sociale-media"}
    )
    assert status(version_one) == "retired"


def test_the_editor_who_asked_cannot_confirm_by_a_forged_post(
    editor_client, version_one, successor
):
    editor_client.post(retire_url(1), {"reason": REASON})
    request = RetirementRequest.objects.get()

    response = editor_client.post(confirm_url(1), {"request": request.pk}, follow=True)

    assert status(version_one) == "published"
    assert nl("You asked to retire this version. Another editor must confirm it.") in (
        response.content.decode()
    )


def test_the_last_version_in_force_is_refused_on_the_page_in_dutch(editor_client, version_one):
    page = editor_client.get(retire_url(1)).content.decode()
    response = editor_client.post(retire_url(1), {"reason": REASON})

    assert 'id="retire-blockers"' in page and 'id="retire-form"' not in page
    assert response.status_code == 400
    message = nl(LAST_IN_FORCE, number=1)
    assert message != LAST_IN_FORCE % {"number": 1}  # it is translated
    assert message in response.content.decode()
    assert not RetirementRequest.objects.exists()
    assert status(version_one) == "published"


def test_an_empty_reason_is_refused_on_the_page(editor_client, version_one, successor):
    response = editor_client.post(retire_url(1), {"reason": ""})

    assert response.status_code == 400
    assert not RetirementRequest.objects.exists()


def test_a_forged_post_with_another_versions_request_is_refused(
    editor_client, other_editor_client, version_one, successor
):
    editor_client.post(retire_url(2), {"reason": REASON})
    request = RetirementRequest.objects.get()

    response = other_editor_client.post(confirm_url(1), {"request": request.pk})

    assert response.status_code == 302
    assert (status(version_one), status(successor)) == ("published", "published")


def test_a_forged_post_against_a_draft_is_not_found(
    editor_client, other_editor_client, version_one, successor, editor
):
    from handbook import services

    draft = services.create_draft(guideline=version_one.guideline, actor=editor)
    editor_client.post(retire_url(1), {"reason": REASON})
    request = RetirementRequest.objects.get()

    for url in (confirm_url(draft.number), cancel_url(draft.number)):
        assert other_editor_client.post(url, {"request": request.pk}).status_code == 404
    assert other_editor_client.post(retire_url(draft.number), {"reason": REASON}).status_code == 404
    assert status(draft) == "draft" and RetirementRequest.objects.get().state == "open"


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999", "1\x00"])
def test_a_malformed_request_id_is_refused(other_editor_client, version_one, successor, value):
    response = other_editor_client.post(confirm_url(1), {"request": value})

    # A NUL byte is refused before the view (400), the rest by the view (back to the page).
    assert response.status_code in (302, 400)
    assert status(version_one) == "published"


def test_cancelling_on_the_page(editor_client, other_editor_client, version_one, successor):
    editor_client.post(retire_url(1), {"reason": REASON})
    request = RetirementRequest.objects.get()

    response = other_editor_client.post(cancel_url(1), {"request": request.pk})

    assert response.status_code == 302
    assert RetirementRequest.objects.get().state == "cancelled"
    assert status(version_one) == "published"


def test_confirming_and_cancelling_are_posts(editor_client, version_one, successor):
    assert editor_client.get(confirm_url(1)).status_code == 405
    assert editor_client.get(cancel_url(1)).status_code == 405


def test_an_employee_cannot_confirm(employee_client, editor_client, version_one, successor):
    editor_client.post(retire_url(1), {"reason": REASON})
    request = RetirementRequest.objects.get()

    response = employee_client.post(confirm_url(1), {"request": request.pk})

    assert response.status_code == 403
    assert status(version_one) == "published"


# Session and user (2), permissions (2), the guideline and the version (2); in a
# savepoint (2) the guideline locked and the version again (2), the request locked (1),
# the successor (1), the request, the version and the event (3); the version read back.
CONFIRM_QUERIES = 16


def test_confirming_takes_a_fixed_number_of_queries(
    editor_client, other_editor_client, version_one, successor, django_assert_num_queries
):
    editor_client.post(retire_url(1), {"reason": REASON})
    request = RetirementRequest.objects.get()

    with django_assert_num_queries(CONFIRM_QUERIES):
        other_editor_client.post(confirm_url(1), {"request": request.pk})

    assert status(version_one) == "retired"
