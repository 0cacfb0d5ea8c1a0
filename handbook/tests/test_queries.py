"""Every page that lists things costs a fixed number of queries, however much it lists."""

import datetime

import pytest
from django.urls import reverse

from handbook import services
from handbook.models import Tip
from handbook.tests.factories import HandbookEventFactory, published_version


def _grow(guideline, versions: int, *, tips: int, events: int) -> None:
    """Published versions 1..versions with `tips` tips each, plus some audit events."""
    previous = None
    for number in range(1, versions + 1):
        previous = published_version(
            guideline,
            number=number,
            tips=[f"Tip {n} van versie {number}." for n in range(1, tips + 1)],
            changes=[Tip.Change.MATERIAL] * tips if previous else None,
            lineages=[t.lineage for t in previous.tips.order_by("number")] if previous else None,
            based_on=previous,
            effective_date=datetime.date(2026, 1, number),
        )
    HandbookEventFactory.create_batch(events, guideline=guideline)


@pytest.fixture
def small(db):
    from handbook.tests.factories import GuidelineFactory

    guideline = GuidelineFactory()
    _grow(guideline, 2, tips=3, events=2)
    return guideline


@pytest.fixture
def large(db):
    from handbook.tests.factories import GuidelineFactory

    guideline = GuidelineFactory()
    _grow(guideline, 8, tips=15, events=80)
    return guideline


CASES = [
    # +1: the employee's read tips (acknowledgements, via a template tag / tip_viewed).
    ("current", {}, 11),
    ("current_tip", {"tip": 2}, 11),
    ("history", {}, 10),
    ("version", {"number": 1}, 10),
    ("diff", {}, 12),
    ("editor", {}, 12),
]


@pytest.mark.parametrize(("name", "kwargs", "queries"), CASES)
@pytest.mark.parametrize("data", ["small", "large"])
def test_page_costs_a_fixed_number_of_queries(
    request, editor_client, django_assert_num_queries, name, kwargs, queries, data
):
    request.getfixturevalue(data)
    url = reverse(f"handbook:{name}", kwargs={"guideline": "sociale-media", **kwargs})
    editor_client.get(url)  # warm up: nothing cached may hide a query per row

    with django_assert_num_queries(queries):
        response = editor_client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_diff_of_far_apart_versions_costs_the_same_as_neighbours(
    editor_client, django_assert_num_queries, large
):
    with django_assert_num_queries(12):
        editor_client.get(
            reverse("handbook:diff", kwargs={"guideline": "sociale-media"}) + "?van=1&naar=8"
        )


@pytest.mark.django_db
def test_editor_dashboard_with_a_draft_costs_a_fixed_number_of_queries(
    editor_client, editor, django_assert_num_queries, large
):
    services.create_draft(guideline=large, actor=editor)

    with django_assert_num_queries(12):
        editor_client.get(reverse("handbook:editor", kwargs={"guideline": "sociale-media"}))
