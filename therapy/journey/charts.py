"""Small server-rendered SVG charts: no JavaScript, no library, and a data table for each.

Every chart comes with its numbers as rows, which the template renders as a visually
hidden table so that screen-reader users get the same information. The drawing carries
classes only (chart-grid, chart-bar, chart-line, chart-dot, chart-text): its colours come
from the palette in static/css/base.css, through static/css/progress.css.
"""

import math
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

# A narrow drawing, so that its text stays readable when a phone scales it down.
WIDTH, HEIGHT = 480, 210
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 14, 30


@dataclass
class Chart:
    title: str
    svg: str
    rows: list  # [(label, value or None)]

    @property
    def has_data(self):
        return any(value is not None for _label, value in self.rows)


def _join(parts):
    """Concatenate pieces that format_html already escaped."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _label(day):
    return date_format(day, "j b")


def _scale(values, top=None):
    """A round top and tick step, so that every grid line has a whole-number label."""
    present = [v for v in values if v is not None]
    highest = max(top if top is not None else max(present, default=0), 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if highest / step <= 5:
            break
    ticks = math.ceil(highest / step)
    return ticks * step, step


def _frame(scale, points):
    """Axes, horizontal grid lines with values, and a label under every few points."""
    top, tick = scale
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = []
    for i in range(top // tick + 1):
        value = i * tick
        y = PAD_TOP + inner_h - inner_h * value / top
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="13" text-anchor="end" class="chart-text">{}</text>',
                PAD_LEFT,
                WIDTH - PAD_RIGHT,
                round(y, 1),
                round(y, 1),
                PAD_LEFT - 6,
                round(y + 4, 1),
                number_format(value, 0),
            )
        )
    step = max(1, math.ceil(len(points) / 6))
    last = len(points) - 1
    for i, (x, label) in enumerate(points):
        # Every `step`-th label, and the last one unless it would touch its neighbour.
        if (i % step == 0 and last - i >= step) or i == last:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" text-anchor="middle" class="chart-text">'
                    "{}</text>",
                    round(x, 1),
                    HEIGHT - 10,
                    label,
                )
            )
    return _join(parts)


def _svg(title, body):
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'focusable="false" class="chart-svg">{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        body,
    )


def bar_chart(data, *, title, top=None):
    """data: [(date, number or None)] → Chart with one bar per point."""
    values = [v for _d, v in data]
    scale = _scale(values, top)
    top = scale[0]
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = inner_w / max(len(data), 1)
    bars, axis = [], []
    for i, (day, value) in enumerate(data):
        x = PAD_LEFT + slot * i + slot * 0.15
        axis.append((x + slot * 0.35, _label(day)))
        if value is None:
            continue
        h = inner_h * value / top
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" class="chart-bar"/>',
                round(x, 1),
                round(PAD_TOP + inner_h - h, 1),
                round(slot * 0.7, 1),
                round(h, 1),
            )
        )
    body = _join([_frame(scale, axis), *bars])
    return Chart(title, _svg(title, body), [(_label(d), v) for d, v in data])


def line_chart(data, *, title, top=None):
    """data: [(date, number or None)] → Chart with a line through the known points."""
    values = [v for _d, v in data]
    scale = _scale(values, top)
    top = scale[0]
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    count = max(len(data) - 1, 1)
    axis, coords = [], []
    for i, (day, value) in enumerate(data):
        x = PAD_LEFT + (inner_w * i / count if len(data) > 1 else inner_w / 2)
        axis.append((x, _label(day)))
        if value is not None:
            coords.append((round(x, 1), round(PAD_TOP + inner_h - inner_h * value / top, 1)))
    path = ""
    if len(coords) > 1:
        path = format_html(
            '<polyline points="{}" fill="none" class="chart-line" stroke-width="3" '
            'stroke-linejoin="round" stroke-linecap="round"/>',
            " ".join(f"{x},{y}" for x, y in coords),
        )
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="4.5" class="chart-dot"/>', ((x, y) for x, y in coords)
    )
    body = _join([_frame(scale, axis), path, dots])
    return Chart(title, _svg(title, body), [(_label(d), v) for d, v in data])


def diary_charts(weeks):
    """The two weekly diary charts, as the dashboard, diary and therapist pages show them."""
    return {
        "leaks_chart": bar_chart(
            [(p.week, p.leaks) for p in weeks], title=_("Leak episodes per week")
        ),
        "pain_chart": line_chart(
            [(p.week, p.back_pain) for p in weeks], title=_("Average back pain per week"), top=10
        ),
    }


def score_charts(histories):
    """[(ScoreHistory, Chart)] for every questionnaire she answered at least once."""
    return [
        (
            h,
            line_chart(
                [(localdate(r.submitted_at), r.total_score) for r in h.responses],
                title=str(h.questionnaire),
            ),
        )
        for h in histories
        if h.responses
    ]
