"""The journeys' own safety nets: axe-core really finds problems, unchecked pages are caught."""

import pytest
from django.urls import reverse

from e2e.helpers import (
    PageTracker,
    axe_check,
    skip_axe_for_this_page,
    tab_to,
    visit,
)

pytestmark = pytest.mark.e2e


def test_axe_check_reports_rule_help_and_target(page, live_server):
    visit(page, reverse("accessibility"))
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.id = "no-alt";
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.querySelector("main").append(img);
        }"""
    )

    with pytest.raises(AssertionError) as failure:
        axe_check(page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "#no-alt" in message
    assert "alternative text" in message.lower()


def test_tracker_lists_pages_that_were_not_checked(page, live_server):
    tracker: PageTracker = page._e2e_tracker
    page.goto(reverse("accessibility"))
    page.evaluate("() => 0")

    assert any(url.endswith(reverse("accessibility")) for url in tracker.unchecked())

    skip_axe_for_this_page(page, "the test looks at the tracker itself")
    assert tracker.unchecked() == []


def test_tab_to_names_the_route_when_target_is_unreachable(page, live_server):
    visit(page, reverse("accessibility"))

    with pytest.raises(AssertionError, match="was not reached"):
        tab_to(page, "main h1", max_presses=3)
