"""The server-rendered SVG charts (therapy/charts.py) and how pages show them."""

import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from therapy.journey import charts

MONDAY = date(2026, 3, 2)
WEEKS = [MONDAY + timedelta(weeks=i) for i in range(4)]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def heights(svg):
    return [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]


def test_it_draws_one_bar_per_known_value():
    chart = charts.bar_chart(list(zip(WEEKS, [4, None, 2, 0], strict=True)), title="Lekken")

    assert chart.svg.startswith("<svg")
    assert chart.svg.count("<rect") == 3
    assert chart.has_data is True


def test_it_scales_bars_to_the_highest_value():
    chart = charts.bar_chart(list(zip(WEEKS, [8, 4, 2, 0], strict=True)), title="Lekken")

    full, half, quarter, zero = heights(chart.svg)
    assert full == pytest.approx(2 * half, abs=0.2)
    assert half == pytest.approx(2 * quarter, abs=0.2)
    assert zero == 0


def test_it_scales_to_a_fixed_top():
    chart = charts.bar_chart([(MONDAY, 5)], title="Pijn", top=10)
    full = charts.bar_chart([(MONDAY, 10)], title="Pijn", top=10)

    assert heights(chart.svg)[0] == pytest.approx(heights(full.svg)[0] / 2, abs=0.2)


def test_it_gives_the_numbers_as_rows_for_the_table():
    chart = charts.line_chart(list(zip(WEEKS, [3.5, None, 2, 1], strict=True)), title="Pijn")

    assert [value for _label, value in chart.rows] == [3.5, None, 2, 1]
    assert chart.rows[0][0] == "2 mar"


def test_it_draws_a_line_through_the_known_points():
    chart = charts.line_chart(list(zip(WEEKS, [3, None, 2, 1], strict=True)), title="Pijn")

    assert chart.svg.count("<circle") == 3
    [points] = re.findall(r'<polyline points="([^"]+)"', chart.svg)
    assert len(points.split()) == 3


def test_it_draws_a_single_point_without_a_line():
    # The first questionnaire score: one point, nothing to connect.
    chart = charts.line_chart([(MONDAY, 4)], title="Score")

    assert chart.svg.count("<circle") == 1
    assert "<polyline" not in chart.svg
    assert "&lt;" not in chart.svg


def test_it_draws_a_first_diary_week_as_markup_not_text():
    # Twelve weeks of which only the last has entries, as for a new patient.
    weeks = [MONDAY + timedelta(weeks=i) for i in range(12)]
    chart = charts.line_chart([(w, None) for w in weeks[:-1]] + [(weeks[-1], 4.5)], title="Pijn")

    assert chart.svg.count("<line") == 6  # grid lines at 0, 1, … 5: the top rounded up
    assert chart.svg.count("<circle") == 1
    assert "&lt;" not in chart.svg


def test_it_knows_when_there_is_nothing_to_show():
    empty = charts.bar_chart([(d, None) for d in WEEKS], title="Lekken")

    assert empty.has_data is False
    assert "<rect" not in empty.svg
    assert charts.line_chart([], title="Score").has_data is False


def test_it_labels_the_svg_for_screen_readers_and_escapes_the_title():
    chart = charts.bar_chart([(MONDAY, 1)], title='Lek "&" <b>pijn</b>')

    assert 'role="img"' in chart.svg
    assert "<b>" not in chart.svg
    assert "&lt;b&gt;pijn&lt;/b&gt;" in chart.svg


def test_it_renders_a_chart_with_a_data_table():
    chart = charts.bar_chart(list(zip(WEEKS, [4, None, 2, 0], strict=True)), title="Lekken")

    html = render_to_string("therapy/_chart.html", {"chart": chart})

    assert "<svg" in html
    assert "<table" in html
    assert len(re.findall(r"<tr>", html)) == 1 + len(WEEKS)


def test_it_renders_no_svg_without_data():
    chart = charts.bar_chart([(d, None) for d in WEEKS], title="Lekken")

    html = render_to_string("therapy/_chart.html", {"chart": chart})

    assert "<svg" not in html
    assert "<table" not in html


def test_it_draws_with_classes_and_leaves_the_colours_to_the_stylesheet():
    bars = charts.bar_chart(list(zip(WEEKS, [4, None, 2, 0], strict=True)), title="Lekken")
    line = charts.line_chart(list(zip(WEEKS, [3, None, 2, 1], strict=True)), title="Pijn")

    rects = re.findall(r"<rect [^>]*>", bars.svg)
    assert len(rects) == 3
    assert all('class="chart-bar"' in rect for rect in rects)
    assert 'class="chart-line"' in line.svg
    assert line.svg.count('class="chart-dot"') == 3
    for svg in (bars.svg, line.svg):
        assert svg.count("<line ") == svg.count('class="chart-grid"')
        assert svg.count("<text ") == svg.count('class="chart-text"')
        # The palette lives once, in CSS: no colour in the drawing.
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(", svg)
        assert not re.search(r'\b(stroke|fill)="(?!none")', svg)
