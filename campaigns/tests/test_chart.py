"""Completion over time as an SVG line chart (campaigns.views.chart), drawn on the server,
with a title, a description in words and a table of the same figures."""

from __future__ import annotations

import datetime

from django.utils import translation

from campaigns.selectors.dashboard import DayFigure, Timeline
from campaigns.views import chart
from portal.testing.html import attribute, one, parse, select, text, text_of, texts

START = datetime.date(2026, 3, 1)


def _timeline(signed: list[int], *, in_scope=4, days=10, deadline_in=10, today_in=None):
    today_in = len(signed) - 1 if today_in is None else today_in
    return Timeline(
        start=START,
        end=START + datetime.timedelta(days=days),
        deadline=START + datetime.timedelta(days=deadline_in),
        today=START + datetime.timedelta(days=today_in),
        days=[
            DayFigure(day=START + datetime.timedelta(days=n), signed=count, in_scope=in_scope)
            for n, count in enumerate(signed)
        ],
    )


def _render(timeline) -> str:
    with translation.override("en"):
        return str(chart.render(timeline))


def test_the_line_has_a_point_per_day_at_the_share_signed():
    geometry = chart.geometry(_timeline([0, 1, 1, 2, 4]))

    # x: 56 + 560 × day / 10; y: 24 + 228 × (1 − share).
    assert geometry.points == "56,252 112,195 168,195 224,138 280,24"


def test_the_last_point_is_marked_with_its_percentage():
    page = parse(_render(_timeline([0, 1, 3])))

    last = one(page, "svg circle.chart-last")
    assert (last.attributes["cx"], last.attributes["cy"]) == ("168", "81")
    assert "75%" in texts(page, "svg > text")


def test_the_chart_is_an_image_with_a_title_and_a_description():
    page = parse(_render(_timeline([0, 2])))

    assert attribute(page, "svg", "role") == "img"
    assert attribute(page, "svg", "aria-labelledby") == "completion-title completion-desc"
    assert text_of(page, "svg > title#completion-title") == "Completion over time"
    desc = text_of(page, "svg > desc#completion-desc")
    assert "from 1 March 2026 to 11 March 2026" in desc
    assert "On 2 March 2026: 50% (2 of 4)" in desc
    assert "Deadline: 11 March 2026." in desc


def test_the_axis_has_percentages_and_the_first_and_last_date():
    page = parse(_render(_timeline([0])))

    assert texts(page, "g.chart-y-labels text") == ["0%", "25%", "50%", "75%", "100%"]
    assert texts(page, "g.chart-x-labels text") == ["1 Mar 2026", "11 Mar 2026"]


def test_the_deadline_is_a_dashed_line_with_a_label():
    page = parse(_render(_timeline([0, 1], days=20, deadline_in=10)))

    deadline = one(page, "svg line.chart-deadline")
    assert (deadline.attributes["x1"], deadline.attributes["x2"]) == ("336", "336")
    assert deadline.attributes["stroke-dasharray"]
    assert "Deadline" in texts(page, "svg > text")


def test_the_table_lists_the_figures_for_those_who_cannot_see_the_chart():
    details = one(parse(_render(_timeline([0, 0, 1, 1, 4]))), "details")

    assert text_of(details, "summary")
    assert "Share signed" in texts(details, "thead th[scope=col]")
    rows = [
        tuple(text(cell) for cell in select(row, "th[scope=row], td"))
        for row in select(details, "tbody tr")
    ]
    assert rows == [
        ("1 March 2026", "0 of 4", "0%"),
        ("3 March 2026", "1 of 4", "25%"),
        ("5 March 2026", "4 of 4", "100%"),
    ]


def test_coordinates_keep_a_decimal_point_in_dutch():
    with translation.override("nl"):
        page = parse(str(chart.render(_timeline([0, 1], in_scope=3, days=7))))

    assert attribute(page, "polyline.chart-line", "points") == "56,252 136,176"
    assert "," not in attribute(page, "circle.chart-last", "cx")


def test_a_single_day_draws_a_point():
    geometry = chart.geometry(_timeline([1], in_scope=2, days=0, deadline_in=0))

    assert geometry.points == "56,138"


def test_before_the_start_there_is_nothing_to_draw():
    timeline = Timeline(
        start=START, end=START, deadline=START, today=START - datetime.timedelta(days=1), days=[]
    )

    assert chart.geometry(timeline) is None
    assert not select(parse(_render(timeline)), "svg")


def test_nobody_in_scope_is_zero_percent():
    geometry = chart.geometry(_timeline([0, 0], in_scope=0))

    assert geometry.points == "56,252 112,252"
