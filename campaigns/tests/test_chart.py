"""Completion over time as an SVG line chart (campaigns.views.chart), drawn on the server,
with a title, a description in words and a table of the same figures."""

from __future__ import annotations

import datetime
import re

from django.utils import translation

from campaigns.selectors.dashboard import DayFigure, Timeline
from campaigns.views import chart

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
    html = _render(_timeline([0, 1, 3]))

    assert '<circle class="chart-last" cx="168" cy="81"' in html
    assert ">75%</text>" in html


def test_the_chart_is_an_image_with_a_title_and_a_description():
    html = _render(_timeline([0, 2]))

    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="completion-title completion-desc"' in svg
    assert '<title id="completion-title">Completion over time</title>' in html
    desc = re.search(r'<desc id="completion-desc">(.*?)</desc>', html, re.S).group(1)
    assert "from March 1, 2026 to March 11, 2026" in desc
    assert "On March 2, 2026: 50% (2 of 4)" in desc
    assert "Deadline: March 11, 2026." in desc


def test_the_axis_has_percentages_and_the_first_and_last_date():
    html = _render(_timeline([0]))

    for label in ("0%", "25%", "50%", "75%", "100%"):
        assert f">{label}</text>" in html
    assert ">1 Mar 2026</text>" in html
    assert ">11 Mar 2026</text>" in html


def test_the_deadline_is_a_dashed_line_with_a_label():
    html = _render(_timeline([0, 1], days=20, deadline_in=10))

    assert '<line class="chart-deadline" x1="336" x2="336"' in html
    assert ">Deadline</text>" in html


def test_the_table_lists_the_figures_for_those_who_cannot_see_the_chart():
    html = _render(_timeline([0, 0, 1, 1, 4]))

    table = html.split("<details", 1)[1]
    assert "<summary>" in table
    assert '<th scope="col">Share signed</th>' in table
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', table)
    assert rows == [
        ("March 1, 2026", "0 of 4", "0%"),
        ("March 3, 2026", "1 of 4", "25%"),
        ("March 5, 2026", "4 of 4", "100%"),
    ]


def test_coordinates_keep_a_decimal_point_in_dutch():
    with translation.override("nl"):
        html = str(chart.render(_timeline([0, 1], in_scope=3, days=7)))

    points = re.search(r'points="([^"]*)"', html).group(1)
    assert points == "56,252 136,176"
    assert "," not in re.search(r'cx="([^"]*)"', html).group(1)


def test_a_single_day_draws_a_point():
    geometry = chart.geometry(_timeline([1], in_scope=2, days=0, deadline_in=0))

    assert geometry.points == "56,138"


def test_before_the_start_there_is_nothing_to_draw():
    timeline = Timeline(
        start=START, end=START, deadline=START, today=START - datetime.timedelta(days=1), days=[]
    )

    assert chart.geometry(timeline) is None
    assert "<svg" not in _render(timeline)


def test_nobody_in_scope_is_zero_percent():
    geometry = chart.geometry(_timeline([0, 0], in_scope=0))

    assert geometry.points == "56,252 112,252"
