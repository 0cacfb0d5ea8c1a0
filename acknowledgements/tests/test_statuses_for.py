"""statuses_for: status_for of many guidelines' versions at once, by the same rules, in
a fixed number of queries however many guidelines there are."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from acknowledgements import selectors
from acknowledgements.selectors.reacknowledgement import State
from acknowledgements.tests.factories import ready_to_sign, signed
from handbook.models import Tip
from handbook.tests.factories import GuidelineFactory, published_version
from people.tests.factories import EmployeeFactory
from quizzes.tests.factories import quiz_version

pytestmark = pytest.mark.django_db

U, E, M, N = Tip.Change.UNCHANGED, Tip.Change.EDITORIAL, Tip.Change.MATERIAL, Tip.Change.NEW


def first_version(slug: str):
    guideline = GuidelineFactory(slug=slug, title=slug.title())
    return quiz_version(tips=3, guideline=guideline, effective_date=datetime.date(2026, 1, 1))


def next_version(previous, texts, changes, **fields):
    """The version after ``previous``: tips keep their lineage by position."""
    tips = list(previous.tips.order_by("number"))
    lineages = [tip.lineage for tip in tips] + [None] * (len(texts) - len(tips))
    return published_version(
        previous.guideline,
        number=previous.number + 1,
        tips=texts,
        based_on=previous,
        lineages=lineages[: len(texts)],
        changes=changes,
        effective_date=timezone.localdate(),
        **fields,
    )


def texts_of(version) -> list[str]:
    return [tip.text for tip in version.tips.order_by("number")]


def changed(version, number: int, *, mark=M) -> tuple[list[str], list[str]]:
    texts = texts_of(version)
    texts[number - 1] += " Anders."
    return texts, [mark if index == number - 1 else U for index in range(len(texts))]


@pytest.fixture
def employee(db):
    return EmployeeFactory()


@pytest.fixture
def every_state(employee):
    """One current version per guideline, one for each way an employee can stand."""
    versions = {}
    versions["never_signed"] = first_version("nooit")

    current = first_version("getekend")
    signed(employee, ready_to_sign(employee, current))
    versions["signed"] = current

    for slug, mark in (("redactioneel", E), ("inhoudelijk", M)):
        first = first_version(slug)
        signed(employee, ready_to_sign(employee, first))
        versions[slug] = next_version(first, *changed(first, 2, mark=mark))

    first = first_version("opnieuw")
    signed(employee, ready_to_sign(employee, first))
    versions["flagged"] = next_version(
        first, *changed(first, 1, mark=E), requires_reacknowledgement=True
    )

    # Changed in meaning in version 2, only editorially in version 3: still sign again.
    first = first_version("tussenin")
    signed(employee, ready_to_sign(employee, first))
    second = next_version(first, *changed(first, 3, mark=M))
    versions["in_between"] = next_version(second, *changed(second, 1, mark=E))

    # Signed version 2 too: compared with that, version 3 is only editorial.
    first = first_version("laatste")
    signed(employee, ready_to_sign(employee, first))
    second = next_version(first, *changed(first, 2, mark=M))
    signed(employee, ready_to_sign(employee, second))
    versions["signed_the_one_before"] = next_version(second, *changed(second, 1, mark=E))

    # A new tip asks to sign again.
    first = first_version("nieuw")
    signed(employee, ready_to_sign(employee, first))
    versions["new_tip"] = next_version(first, [*texts_of(first), "Nieuwe tip."], [U, U, U, N])
    return versions


def test_statuses_for_agrees_with_status_for_in_every_state(employee, every_state):
    found = selectors.statuses_for(employee=employee, versions=every_state.values())

    for version in every_state.values():
        one = selectors.status_for(employee=employee, version=version)
        many = found[version.pk]
        assert (many.state, many.signed_version) == (one.state, one.signed_version), version
        assert many.acknowledgement == one.acknowledgement
        assert [tip.pk for tip in many.changed_tips] == [tip.pk for tip in one.changed_tips]


def test_statuses_for_tells_each_state_apart(employee, every_state):
    found = selectors.statuses_for(employee=employee, versions=every_state.values())

    states = {name: found[version.pk].state for name, version in every_state.items()}
    assert states == {
        "never_signed": State.MUST_SIGN,
        "signed": State.SIGNED,
        "redactioneel": State.UP_TO_DATE,
        "inhoudelijk": State.MUST_RESIGN,
        "flagged": State.MUST_RESIGN,
        "in_between": State.MUST_RESIGN,
        "signed_the_one_before": State.UP_TO_DATE,
        "new_tip": State.MUST_RESIGN,
    }


def test_a_signature_of_a_newer_version_does_not_count_for_an_older_one(employee):
    first = first_version("ouder")
    second = next_version(first, *changed(first, 1, mark=M))
    signed(employee, ready_to_sign(employee, second))

    found = selectors.statuses_for(employee=employee, versions=[first])

    assert found[first.pk].state == State.MUST_SIGN
    assert found[first.pk].state == selectors.status_for(employee=employee, version=first).state


def test_statuses_for_costs_at_most_four_queries_however_many_guidelines(
    employee, every_state, django_assert_max_num_queries
):
    versions = list(every_state.values())

    with django_assert_max_num_queries(4):
        selectors.statuses_for(employee=employee, versions=versions)


def test_statuses_for_of_nothing_asks_the_database_nothing(employee, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.statuses_for(employee=employee, versions=[]) == {}
