"""A measure's chart: the council's line, the neighbours' and England's, the target, a title
and description, and the table of the same figures below it."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from councils.models import StatisticalNeighbour
from measures.charts import measure_chart_svg, scale
from measures.series import measure_series

from .factories import CouncilFactory
from .measure_helpers import add_measure

pytestmark = pytest.mark.django_db


def series_of(council, measure):
    (series,) = measure_series(council, [measure])
    return series


def chart(council, measure) -> str:
    return measure_chart_svg(series_of(council, measure), chart_id="t", council_name=council.name)


@pytest.fixture
def neighbours(scilly):
    for rank in (1, 2):
        StatisticalNeighbour.objects.create(council=scilly, neighbour=CouncilFactory(), rank=rank)


def test_the_chart_draws_the_council_the_neighbours_england_and_the_target(scilly, neighbours):
    measure = add_measure(
        scilly,
        "Re-referrals",
        [30, 28, 25, 24],
        target=20,
        england=[22, 22, 21, 21],
        region=[23, 23, 22, 22],
        neighbours=[[25, 25, 24, 23], [27, 25, 24, 23]],
    )
    svg = chart(scilly, measure)
    assert 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    title = re.search(r'<title id="t-title">(.*?)</title>', svg).group(1)
    assert title == (
        "Re-referrals: Isles of Scilly by period, with statistical neighbours' average and "
        "England, against the target"
    )
    desc = re.search(r'<desc id="t-desc">(.*?)</desc>', svg).group(1)
    assert "Isles of Scilly: 24% in" in desc
    assert "target 20%, Red" in desc
    assert "direction of travel: improving" in desc
    assert "statistical neighbours&apos;" in desc or "statistical neighbours'" in desc
    assert "England 21%" in desc
    # Three lines, each with its own dash: solid, dashed and dotted; the target dashed.
    assert svg.count("<polyline") == 3
    assert 'stroke-dasharray="6 3"' in svg and 'stroke-dasharray="2 3"' in svg
    assert svg.count('stroke-dasharray="10 5"') == 2  # the target and its legend sample
    assert "Target 20%" in svg
    # The legend names every line; the axes name the periods and the values.
    for name in ("Isles of Scilly", "Statistical neighbours&apos; average", "England"):
        assert name in svg.replace("'", "&apos;")
    assert "Target, lower is better" in svg
    assert re.search(r">\w{3} \d{4}</text>", svg)
    assert ">20%</text>" in svg


def test_the_table_below_holds_the_same_figures(scilly, neighbours):
    measure = add_measure(
        scilly,
        "Re-referrals",
        [30, 28],
        target=20,
        england=[22, 21.5],
        region=[23, 22],
        neighbours=[[25, 24], [27, 23]],
    )
    html = Template("{% load measures_tags %}{% measure_chart series 'Isles of Scilly' %}").render(
        Context({"series": series_of(scilly, measure)})
    )
    assert "Re-referrals: values by period (the data in the chart)" in html
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
    cells = [re.sub(r"<[^>]+>", "|", r) for r in rows[1:]]
    cells = [[c.strip() for c in row.split("|") if c.strip()] for row in cells]
    assert cells[0][1:] == ["30%", "26%", "23%", "22%", "20%"]
    assert cells[1][1:] == ["28%", "23.5%", "22%", "21.5%", "20%"]


def test_a_measure_with_no_values_draws_nothing_and_says_so(scilly):
    measure = add_measure(scilly, "Turnover", [], target=15)
    assert chart(scilly, measure) == ""
    html = Template("{% load measures_tags %}{% measure_chart series 'Isles of Scilly' %}").render(
        Context({"series": series_of(scilly, measure)})
    )
    assert "No values to draw yet." in html
    assert "No values yet." in html


def test_one_value_draws_a_marker_and_no_line(scilly):
    measure = add_measure(scilly, "Turnover", [17], target=15)
    svg = chart(scilly, measure)
    assert "<polyline" not in svg
    assert svg.count("<circle") == 2  # the point and the legend's marker
    assert "no change" not in svg
    assert "not enough values yet" in svg


def test_a_missing_comparator_leaves_a_gap_not_a_false_join(scilly):
    measure = add_measure(
        scilly, "Re-referrals", [30, 29, 28, 27, 26], england=[22, 21, None, 20, 19]
    )
    svg = chart(scilly, measure)
    england = re.findall(r'<polyline points="([^"]+)"[^>]*stroke="#4c2c92"', svg)
    assert len(england) == 2  # before the gap and after it
    assert [len(p.split()) for p in england] == [2, 2]
    # Without neighbours, the legend leaves them out.
    assert "neighbours" not in svg


def test_a_missing_council_value_leaves_a_gap(scilly):
    measure = add_measure(scilly, "Re-referrals", [30, None, 28, 27], target=None)
    svg = chart(scilly, measure)
    council = re.findall(r'<polyline points="([^"]+)"[^>]*stroke="#1d70b8"', svg)
    assert [len(p.split()) for p in council] == [2]
    assert "Target" not in svg


def test_equal_values_get_an_axis_with_room_either_side(scilly):
    measure = add_measure(scilly, "Re-referrals", [25, 25, 25], target=None)
    svg = chart(scilly, measure)
    ys = {float(y) for y in re.findall(r'<circle cx="[^"]+" cy="([^"]+)"', svg)}
    assert len(ys) == 2  # the points on one level, and the legend's marker
    assert ">24%</text>" in svg or ">24.5%</text>" in svg
    assert ">26%</text>" in svg or ">25.5%</text>" in svg


@pytest.mark.parametrize(
    ("values", "percentage", "expected"),
    [
        ([0, 0], True, (0.0, 1.0)),
        ([100, 100], True, (90.0, 100.0)),
        ([0, 100], True, (0.0, 100.0)),
        ([97.5, 99.9], True, (97.5, 100.0)),
        ([3, 48], False, (0.0, 50.0)),
        ([1200, 1200], False, (1080.0, 1350.0)),
    ],
)
def test_the_scale_is_round_holds_every_value_and_keeps_percentages_within_0_to_100(
    values, percentage, expected
):
    bottom, top, step = scale(values, percentage=percentage)
    assert (bottom, top) == pytest.approx(expected, abs=step)
    assert bottom <= min(values) and top >= max(values)
    assert bottom >= 0
    if percentage:
        assert top <= 100


def test_yearly_periods_are_named_as_years_to_march(scilly):
    measure = add_measure(scilly, "Turnover", [18, 16], frequency="yearly", target=15)
    svg = chart(scilly, measure)
    assert re.search(r">20\d\d-\d\d</text>", svg)


def test_the_measure_page_shows_the_chart_above_its_values_by_period(client, bob, scilly):
    measure = add_measure(scilly, "Re-referrals", [30, 28], england=[22, 21])
    client.force_login(bob)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert html.index('role="img"') < html.index('id="values"')
    assert re.search(r'<caption[^>]*id="caption-values"[^>]*>Values by period</caption>', html)
    assert Decimal("28") == series_of(scilly, measure).latest.value
