"""Completion over time as a line chart in SVG, drawn on the server (no JavaScript, no
library from elsewhere), with the same figures as a table for those who cannot see it.

The SVG has role="img", a <title> and a <desc> that says the figure in words; the table
sits in a <details> element under it. Coordinates are computed here as plain strings
with a decimal point, so that the portal's Dutch number format never reaches the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from campaigns.selectors.dashboard import Timeline

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 24, 48
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
Y_TICKS = (0, 25, 50, 75, 100)


def _number(value: float) -> str:
    """A coordinate for SVG: one decimal at most, always a decimal point."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Geometry:
    points: str  # the polyline's points attribute
    last_x: str
    last_y: str
    y_ticks: list[dict]  # {"y", "label"}
    x_labels: list[dict]  # {"x", "label", "anchor"}
    deadline_x: str | None
    deadline_anchor: str
    today_x: str | None
    last_anchor: str
    last_dx: str


def geometry(timeline: Timeline) -> Geometry | None:
    """Where everything goes; None when there is nothing to draw yet."""
    if not timeline.days:
        return None
    span = max((timeline.end - timeline.start).days, 1)

    def x(day) -> float:
        return LEFT + PLOT_WIDTH * (day - timeline.start).days / span

    def y(percent: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - percent / 100)

    points = " ".join(
        f"{_number(x(figure.day))},{_number(y(figure.percent))}" for figure in timeline.days
    )
    last = timeline.days[-1]
    x_labels = [{"x": _number(LEFT), "label": _date(timeline.start), "anchor": "start"}]
    if timeline.end != timeline.start:
        x_labels.append(
            {"x": _number(LEFT + PLOT_WIDTH), "label": _date(timeline.end), "anchor": "end"}
        )
    deadline = timeline.deadline
    shown = deadline is not None and timeline.start <= deadline <= timeline.end
    deadline_x = _number(x(deadline)) if shown else None
    near_right = shown and x(deadline) > LEFT + 0.8 * PLOT_WIDTH
    near_left = shown and x(deadline) < LEFT + 0.2 * PLOT_WIDTH
    last_near_right = x(last.day) > LEFT + 0.85 * PLOT_WIDTH
    today_x = (
        _number(x(timeline.today))
        if timeline.start <= timeline.today < timeline.end and timeline.today != deadline
        else None
    )
    return Geometry(
        points=points,
        last_x=_number(x(last.day)),
        last_y=_number(y(last.percent)),
        y_ticks=[{"y": _number(y(tick)), "label": f"{tick}%"} for tick in Y_TICKS],
        x_labels=x_labels,
        deadline_x=deadline_x,
        deadline_anchor="end" if near_right else "start" if near_left else "middle",
        today_x=today_x,
        last_anchor="end" if last_near_right else "start",
        last_dx="-10" if last_near_right else "8",
    )


def _date(day) -> str:
    """A date on the axis, short: "1 Mar 2026" in English, "1 mrt 2026" in Dutch (which
    writes a month in lower case). The format is the language's, as a translation."""
    # Translators: a Django date format (j: day, M: month as "Mar", b: as "mar", Y: year).
    return date_format(day, pgettext("a date on the chart's axis", "j M Y"))


def render(timeline: Timeline, *, id_prefix: str = "completion") -> SafeString:
    """The chart (SVG) and the table of its figures, as HTML."""
    return render_to_string(
        "campaigns/includes/completion_chart.html",
        {
            "timeline": timeline,
            "geometry": geometry(timeline),
            "id_prefix": id_prefix,
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "top": TOP,
            "bottom": HEIGHT - BOTTOM,
            "label_y": HEIGHT - BOTTOM + 20,
            "last": timeline.last,
            "rows": timeline.changes(),
        },
    )
