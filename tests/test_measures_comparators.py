"""The published comparators page: everyone at the council reads which indicators are loaded and
which measure each is mapped to; officers and admins map an indicator to a measure without one,
and unmap it, with the change in the measure's history."""

import pytest
from playwright.sync_api import expect

from councils.models import Council
from measures.demo_comparators import load_demo_comparators
from measures.models import Indicator, Measure

from .browser import assert_accessible, sign_in
from .factories import CouncilFactory

URL = "/councils/isles-of-scilly/measures/comparators/"
RE_REFERRALS = "re_referrals_within_12_months_pct"


def make_measure(council, name="Re-referrals within 12 months", **fields) -> Measure:
    return Measure.objects.create(
        council=council,
        name=name,
        definition="Referrals within 12 months of a previous one, as a share of all referrals.",
        polarity="lower",
        frequency="yearly",
        **({"unit": "percentage"} | fields),
    )


@pytest.fixture
def comparators(scilly):
    """The illustrative file loaded, Scilly with its ONS code, and two measures of its own."""
    scilly.ons_code = "E06000053"
    scilly.region = "South West"
    scilly.save()
    load_demo_comparators()
    return {
        "re_referrals": make_measure(scilly),
        "turnover": make_measure(scilly, name="Social worker turnover"),
        "indicator": Indicator.objects.get(column=RE_REFERRALS),
    }


def map_post(client, indicator, measure, **extra):
    data = {"action": "map", "indicator": indicator.pk, "measure": measure if measure else ""}
    if hasattr(measure, "pk"):
        data["measure"] = measure.pk
    return client.post(URL, data | extra)


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["alice", "bob", "sam", "dina", "helen"])
def test_everyone_at_the_council_reads_the_indicators_loaded(client, comparators, person, request):
    client.force_login(request.getfixturevalue(person))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Re-referrals within 12 months (%)" in html
    assert "Social worker turnover (%)" in html
    assert "2018-19 to 2023-24" in html  # the reporting years 2019 to 2024
    assert "illustrative-comparators.csv (illustrative, not DfE data)" in html
    # Scilly's own figures: some suppressed for small numbers.
    assert "not available" in html
    can_edit = person in {"alice", "dina", "helen"}
    assert ('name="action" value="map"' in html) is can_edit


@pytest.mark.django_db
def test_another_councils_people_cannot_see_it(client, comparators, charlie):
    client.force_login(charlie)
    assert client.get(URL).status_code == 404
    assert map_post(client, comparators["indicator"], comparators["re_referrals"]).status_code == (
        404
    )
    assert Measure.objects.filter(indicator__isnull=False).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["bob", "sam"])
def test_readers_cannot_map(client, comparators, person, request):
    client.force_login(request.getfixturevalue(person))
    assert map_post(client, comparators["indicator"], comparators["re_referrals"]).status_code == (
        403
    )
    assert Measure.objects.filter(indicator__isnull=False).count() == 0


@pytest.mark.django_db
def test_an_officer_maps_an_indicator_to_a_measure_with_its_history(client, comparators, alice):
    client.force_login(alice)
    scilly = Council.objects.get(slug="isles-of-scilly")
    version = scilly.data_version
    response = map_post(client, comparators["indicator"], comparators["re_referrals"])
    assert response.status_code == 302 and response["Location"] == URL
    measure = Measure.objects.get(pk=comparators["re_referrals"].pk)
    assert measure.indicator == comparators["indicator"]
    latest = measure.history.latest()
    assert latest.history_user == alice
    assert latest.history_change_reason == "Comparator mapped: Re-referrals within 12 months (%)"
    assert Council.objects.get(pk=scilly.pk).data_version > version
    page = client.get(URL).content.decode()
    assert "Re-referrals within 12 months (%) mapped to Re-referrals within 12 months" in page
    # Mapped: England's and the neighbours' figures now sit beside the measure's.
    detail = client.get(measure.get_absolute_url()).content.decode()
    assert "Re-referrals within 12 months (%)" in detail


@pytest.mark.django_db
def test_an_officer_unmaps_it(client, comparators, alice):
    measure = comparators["re_referrals"]
    measure.indicator = comparators["indicator"]
    measure.save()
    client.force_login(alice)
    # First the confirmation, which changes nothing.
    response = client.post(URL, {"action": "unmap", "measure": measure.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unmap Re-referrals within 12 months (%) from Re-referrals within 12 months?" in html
    assert 'name="confirm" value="yes"' in html
    measure.refresh_from_db()
    assert measure.indicator == comparators["indicator"]
    response = client.post(URL, {"action": "unmap", "measure": measure.pk, "confirm": "yes"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.indicator is None
    assert measure.history.latest().history_change_reason == (
        "Comparator unmapped: Re-referrals within 12 months (%)"
    )
    assert "unmapped from Re-referrals within 12 months" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_another_councils_measure_is_refused_and_nothing_changes(
    client, comparators, alice, nottingham
):
    theirs = make_measure(nottingham)
    client.force_login(alice)
    response = map_post(client, comparators["indicator"], theirs)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose one of Isles of Scilly&#x27;s measures" in html
    assert f'href="#measure-{comparators["indicator"].pk}"' in html
    theirs.refresh_from_db()
    assert theirs.indicator is None
    assert not Measure.objects.filter(indicator__isnull=False).exists()
    response = client.post(URL, {"action": "unmap", "measure": theirs.pk, "confirm": "yes"})
    assert "Choose a measure of this council that has an indicator" in response.content.decode()


@pytest.mark.django_db
def test_no_measure_chosen_is_an_error_on_that_indicator(client, comparators, alice):
    client.force_login(alice)
    response = map_post(client, comparators["indicator"], "")
    html = response.content.decode()
    assert "Choose the measure that Re-referrals within 12 months (%) gives comparators for" in html
    assert "govuk-select--error" in html
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_unknown_indicator_or_action_is_an_error(client, comparators, alice):
    client.force_login(alice)
    response = client.post(
        URL, {"action": "map", "indicator": "999999", "measure": comparators["turnover"].pk}
    )
    assert "Choose a published indicator" in response.content.decode()
    response = client.post(URL, {"action": "delete", "measure": comparators["turnover"].pk})
    assert "Choose map or unmap" in response.content.decode()
    assert not Measure.objects.filter(indicator__isnull=False).exists()


@pytest.mark.django_db
def test_a_measure_with_an_indicator_or_an_indicator_already_mapped_is_refused(
    client, comparators, alice
):
    other = Indicator.objects.get(column="social_worker_turnover_pct")
    measure = comparators["re_referrals"]
    measure.indicator = other
    measure.save()
    client.force_login(alice)
    html = map_post(client, comparators["indicator"], measure).content.decode()
    assert "is already mapped to another indicator: unmap it first" in html
    html = map_post(client, other, comparators["turnover"]).content.decode()
    assert "Social worker turnover (%) is already mapped to Re-referrals within 12 months" in html
    measure.refresh_from_db()
    assert measure.indicator == other
    assert Measure.objects.get(pk=comparators["turnover"].pk).indicator is None


@pytest.mark.django_db
def test_the_page_says_when_nothing_is_loaded(client, alice):
    client.force_login(alice)
    assert "No published statistics have been loaded yet" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_measures_list_links_to_it(client, comparators, alice):
    client.force_login(alice)
    assert f'href="{URL}"' in client.get("/councils/isles-of-scilly/measures/").content.decode()


@pytest.mark.django_db
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, comparators, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    client.get(URL)
    for i in range(5):
        Indicator.objects.create(column=f"extra_{i}", label=f"Extra {i}", source="x.csv")
        make_measure(CouncilFactory(), name=f"Elsewhere {i}")
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_maps_an_indicator_in_the_browser_without_javascript(
    no_script_page, comparators, alice
):
    page = no_script_page
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/measures/")
    page.get_by_role("link", name="Published comparators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Published comparators")
    page.get_by_role("button", name="Map Re-referrals within 12 months (%)").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the measure that")
    page.get_by_label("Measure for Re-referrals within 12 months (%)").select_option(
        label="Re-referrals within 12 months"
    )
    page.get_by_role("button", name="Map Re-referrals within 12 months (%)").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Re-referrals within 12 months (%) mapped to Re-referrals within 12 months"
    )
    assert Measure.objects.get(pk=comparators["re_referrals"].pk).indicator_id == (
        comparators["indicator"].pk
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_is_accessible_with_an_error_and_mapped(page, comparators, alice):
    sign_in(page, "alice")
    page.goto(URL)
    assert_accessible(page)
    page.get_by_role("button", name="Map Social worker turnover (%)").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Measure for Social worker turnover (%)").select_option(
        label="Social worker turnover"
    )
    page.get_by_role("button", name="Map Social worker turnover (%)").click()
    expect(page.get_by_role("button", name="Unmap Social worker turnover (%)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Unmap Social worker turnover (%)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Unmap Social worker turnover (%) from Social worker turnover?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Unmap the indicator").click()
    expect(
        page.get_by_text("Social worker turnover (%) unmapped from Social worker turnover")
    ).to_be_visible()


@pytest.mark.django_db
def test_an_indicator_in_another_unit_is_refused_with_the_reason(client, alice, comparators):
    days = make_measure(
        Council.objects.get(slug="isles-of-scilly"), name="Days to assess", unit="days"
    )
    client.force_login(alice)
    response = map_post(client, comparators["indicator"], days)
    html = response.content.decode()
    assert (
        "Re-referrals within 12 months (%) is a percentage figure and Days to assess is a days"
        in html
    )
    days.refresh_from_db()
    assert days.indicator is None


@pytest.mark.django_db
def test_figures_over_100_are_no_percentage_whatever_the_column_says(client, alice, comparators):
    from measures.models import ComparatorLoad, IndicatorValue

    load = ComparatorLoad.objects.create(source="x.csv", sha256="0" * 64, rows=1, indicators=1)
    rate = Indicator.objects.create(column="children_in_need", label="Children in need", source="x")
    IndicatorValue.objects.create(
        indicator=rate,
        period_end="2024-03-31",
        time_period="2024",
        time_identifier="Reporting year",
        level="national",
        area_code="E92000001",
        value="342.7",
        load=load,
    )
    client.force_login(alice)
    html = map_post(client, rate, comparators["turnover"]).content.decode()
    assert "Children in need has figures over 100, such as 342.7, so it is not a percentage" in html
    comparators["turnover"].refresh_from_db()
    assert comparators["turnover"].indicator is None
