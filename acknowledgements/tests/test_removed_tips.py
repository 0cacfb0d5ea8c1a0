"""A tip left out of a version is a change in meaning: who signed an earlier version
that had it must sign again, unless the editor marked the removal as not a change in
meaning (GuidelineVersion.editorial_removals). Before this, a removal asked nobody."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from acknowledgements.selectors.reacknowledgement import (
    State,
    must_resign_since,
    needs_reacknowledgement,
    status_for,
    statuses_for,
)
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.models import Tip
from handbook.tests.factories import published_version
from handbook.tests.utils import nl
from people.tests.factories import EmployeeFactory
from portal.testing.html import parse, select, text
from quizzes.tests.factories import make_bank, quiz_version

pytestmark = pytest.mark.django_db

U = Tip.Change.UNCHANGED
CHANGES_URL = reverse("signing:changes", kwargs={"guideline": "sociale-media"})


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.PORTAL_MFA_REQUIRED = False


@pytest.fixture
def employee(db):
    return EmployeeFactory(first_name="Jan", last_name="Jansen")


@pytest.fixture
def first():
    return quiz_version(tips=3, effective_date=datetime.date(2026, 1, 1))


def without(previous, number, *, marks=None, version_number=None, legacy=False):
    """The next version: ``previous`` without its tip ``number``, the others unchanged.
    ``marks``: {tip number in ``previous``: note} of removals not a change in meaning."""
    kept = [tip for tip in previous.tips.order_by("number") if tip.number != number]
    by_number = {tip.number: tip for tip in previous.tips.all()}
    version = published_version(
        previous.guideline,
        number=version_number or previous.number + 1,
        tips=[tip.text for tip in kept],
        lineages=[tip.lineage for tip in kept],
        changes=[U] * len(kept),
        based_on=previous,
        effective_date=timezone.localdate(),
        # legacy: no marks at all (NULL), as migration 0007 leaves earlier versions.
        editorial_removals=None
        if legacy
        else {str(by_number[old].lineage): note for old, note in (marks or {}).items()},
    )
    make_bank(version)
    return version


def test_someone_who_signed_must_sign_again_when_a_tip_was_removed(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 2)

    status = status_for(employee=employee, version=second)

    assert status.state == State.MUST_RESIGN
    assert status.changed_tips == []  # nothing to re-read: the tip is gone


def test_a_removal_marked_as_not_a_change_in_meaning_asks_nobody_to_sign_again(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 2, marks={2: "Samengevoegd met tip 1."})

    assert status_for(employee=employee, version=second).state == State.UP_TO_DATE


def test_the_bulk_statuses_agree_about_a_removed_tip(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 2)

    assert statuses_for(employee=employee, versions=[second])[second.pk].state == (
        State.MUST_RESIGN
    )


def test_the_bulk_statuses_agree_about_a_marked_removal(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 2, marks={2: ""})

    assert statuses_for(employee=employee, versions=[second])[second.pk].state == (State.UP_TO_DATE)


def test_a_removal_two_versions_back_still_counts_for_who_signed_before_it(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 3)
    third = without(second, 99, version_number=3)  # nothing removed: only unchanged tips

    assert status_for(employee=employee, version=third).state == State.MUST_RESIGN
    assert statuses_for(employee=employee, versions=[third])[third.pk].state == (State.MUST_RESIGN)


def test_who_signed_the_version_that_removed_the_tip_is_up_to_date_later(employee, first):
    second = without(first, 3)
    signed(employee, ready_to_sign(employee, second))
    third = without(second, 99, version_number=3)

    assert status_for(employee=employee, version=third).state == State.UP_TO_DATE


def test_a_marked_removal_in_between_does_not_count_but_a_later_one_does(employee, first):
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 3, marks={3: "Samengevoegd met tip 2."})
    third = without(second, 1, version_number=3)

    assert must_resign_since(since=first, version=second)[0] is False
    assert must_resign_since(since=first, version=third)[0] is True


def test_a_version_that_removes_a_tip_needs_reacknowledgement(first):
    assert needs_reacknowledgement(version=without(first, 2)) is True


def test_a_version_whose_only_removal_is_marked_needs_no_reacknowledgement(first):
    assert needs_reacknowledgement(version=without(first, 2, marks={2: ""})) is False


def test_a_version_published_before_removals_were_marked_asks_as_it_did_then(employee, first):
    """Migration 0007 gives versions published before it no marks (NULL): a removal there
    asked nobody to sign again, and still does not."""
    signed(employee, ready_to_sign(employee, first))
    second = without(first, 2, legacy=True)

    assert status_for(employee=employee, version=second).state == State.UP_TO_DATE


def _changes_page(employee):
    client = Client()
    client.force_login(employee)
    return parse(client.get(CHANGES_URL))


def test_the_changes_page_lists_the_removal_in_dutch_and_asks_to_sign_again(employee, first):
    signed(employee, ready_to_sign(employee, first))
    without(first, 2)

    page = _changes_page(employee)

    assert select(page, "#changes-must-resign")
    removed = text(select(page, "#changes-removed")[0])
    assert nl("Removed: a change in meaning") in removed
    assert first.tips.get(number=2).text in removed


def test_the_changes_page_shows_the_editors_note_on_a_marked_removal(employee, first):
    signed(employee, ready_to_sign(employee, first))
    without(first, 2, marks={2: "Samengevoegd met tip 1."})

    page = _changes_page(employee)

    assert select(page, "#changes-up-to-date")
    assert nl("Removed, not a change in meaning: %(note)s", note="Samengevoegd met tip 1.") in text(
        select(page, "#changes-removed")[0]
    )
