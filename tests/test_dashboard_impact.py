"""The dashboard's Impact section: how many measures are off target, which, and each measure's
chart with its figures."""

import re
from decimal import Decimal

import pytest

from councils.models import StatisticalNeighbour
from measures.models import MeasureValue

from .factories import CouncilFactory
from .measure_helpers import add_measure

pytestmark = pytest.mark.django_db

URL = "/councils/isles-of-scilly/dashboard/"


def impact(html: str) -> str:
    return re.search(r'<section id="impact".*?</section>', html, re.S).group(0)


@pytest.fixture
def measures(scilly):
    StatisticalNeighbour.objects.create(council=scilly, neighbour=CouncilFactory(), rank=1)
    return [
        # Lower is better: 24% against 20% with 2 of tolerance is Red, and improving.
        add_measure(
            scilly,
            "Re-referrals within 12 months",
            [30, 27, 24],
            target=20,
            tolerance=2,
            england=[22, 22, 21],
            neighbours=[[25, 24, 23]],
        ),
        # Higher is better: 78% against 80% with 5 of tolerance is Amber, and worsening.
        add_measure(
            scilly,
            "Assessments within 45 working days",
            [82, 78],
            target=80,
            tolerance=5,
            polarity="higher",
        ),
        # On target: Green.
        add_measure(scilly, "Social worker turnover", [18, 14], target=15),
        # No target: no RAG, and not off target.
        add_measure(scilly, "Children in care", [30, 31], target=None, unit="count"),
    ]


def test_it_counts_and_lists_the_measures_off_target_with_rag_and_direction(
    client, bob, scilly, measures
):
    client.force_login(bob)
    section = impact(client.get(URL).content.decode())
    assert "2 of 4 measures off target." in section
    table = re.search(r'<table[^>]*id="impact-off-target">.*?</table>', section, re.S)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(0), re.S)[1:]
    text = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert len(text) == 2
    assert text[0].startswith("Assessments within 45 working days Higher is better 78%")
    assert "80%" in text[0] and "Amber" in text[0] and "Worsening" in text[0]
    assert text[1].startswith("Re-referrals within 12 months Lower is better 24%")
    assert "20%" in text[1] and "Red" in text[1] and "Improving" in text[1]
    assert "Social worker turnover" not in table.group(0)


def test_every_measure_has_its_chart_and_its_table_in_a_details(client, bob, scilly, measures):
    client.force_login(bob)
    section = impact(client.get(URL).content.decode())
    for measure in measures:
        chart_id = f"impact-measure-{measure.pk}-chart"
        assert f'<title id="{chart_id}-title">{measure.name}: Isles of Scilly' in section
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in section
        assert f"{measure.name}: values by period (the data in the chart)" in section
        assert f'href="{measure.get_absolute_url()}"' in section
    assert section.count('<details class="govuk-details">') == 4
    # The figures of the chart, for those who do not see it.
    assert re.search(r"24%</td>\s*<td[^>]*>23%</td>\s*<td[^>]*>Not available</td>", section)


def test_a_council_without_measures_gets_one_line_and_a_link(client, bob, scilly):
    client.force_login(bob)
    section = impact(client.get(URL).content.decode())
    assert "No impact measures yet" in section
    assert 'href="/councils/isles-of-scilly/measures/"' in section
    assert "<svg" not in section and "<table" not in section


def test_every_measure_on_target_says_so(client, bob, scilly):
    add_measure(scilly, "Social worker turnover", [18, 14], target=15)
    client.force_login(bob)
    section = impact(client.get(URL).content.decode())
    assert "0 of 1 measure off target." in section
    assert "No measure with a target and a value is short of its target." in section


def test_a_corrected_value_shows_at_once(client, bob, scilly, measures):
    client.force_login(bob)
    assert "2 of 4 measures off target." in client.get(URL).content.decode()
    # An officer's correction (saved, as a form saves it) bumps the council's data version.
    value = MeasureValue.objects.filter(measure=measures[0]).latest("period_end")
    value.value = Decimal("19")
    value.save()
    assert "1 of 4 measures off target." in client.get(URL).content.decode()
