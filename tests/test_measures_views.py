"""Impact measures recorded through their pages: a measure added and edited, a period's values
entered in one grid (all or nothing), a file of values uploaded, and the history of both."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import services
from measures.models import (
    ComparatorLoad,
    Indicator,
    IndicatorValue,
    Level,
    Measure,
    MeasureValue,
)

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def may_2025():
    # The clock ticks, so that saves one after another have times one after another.
    with time_machine.travel(datetime(2025, 5, 15, 10, 0, tzinfo=UTC), tick=True):
        yield


Q4 = date(2025, 3, 31)  # the latest quarter ended on 15 May 2025
Q3 = date(2024, 12, 31)


def measure_of(council, name="Re-referrals within 12 months", **fields) -> Measure:
    values = {
        "council": council,
        "name": name,
        "definition": "Referrals within 12 months of a previous one, of all referrals.",
        "unit": "percentage",
        "polarity": "lower",
        "frequency": "quarterly",
    } | fields
    return services.measure_create(measure=Measure(**values), user=None)


def form_data(**overrides) -> dict:
    data = {
        "name": "Children in care per 10,000",
        "definition": "Children looked after on the last day, per 10,000 children.",
        "unit": "rate_10k",
        "polarity": "lower",
        "frequency": "quarterly",
        "source": "Case recording system",
        "baseline": "72.5",
        **date_fields("baseline_on", ("31", "3", "2024")),
        "target": "65",
        **date_fields("target_on", ("31", "3", "2026")),
        "tolerance": "2",
    }
    return data | overrides


def errors_of(response) -> str:
    return response.content.decode()


# --- Adding and editing a measure --------------------------------------------------------------


def test_an_officer_adds_a_measure_linked_to_a_recommendation_and_its_action(client, alice, scilly):
    recommendation = RecommendationFactory(
        inspection=InspectionFactory(council=scilly), text="Improve the front door."
    )
    action = ActionFactory(recommendation=recommendation, title="Audit contacts")
    client.force_login(alice)
    url = reverse("measure_create", args=[scilly.slug])
    page = client.get(url).content.decode()
    assert "Recommendation" in page and "Improve the front door." in page
    assert "Audit contacts" in page
    assert 'inputmode="decimal"' in page and 'type="number"' not in page

    response = client.post(
        url, form_data(recommendations=[recommendation.pk], actions=[action.pk]), follow=True
    )
    measure = Measure.objects.get(council=scilly)
    assert response.redirect_chain[-1][0] == measure.get_absolute_url()
    assert "Measure “Children in care per 10,000” added" in response.content.decode()
    assert measure.baseline == Decimal("72.5") and measure.target == Decimal(65)
    assert measure.target_on == date(2026, 3, 31)
    assert list(measure.recommendations.all()) == [recommendation]
    assert list(measure.actions.all()) == [action]
    record = measure.history.earliest()
    assert record.history_user == alice and record.history_change_reason == "Added"
    page = response.content.decode()
    assert "Change history" in page and "Added" in page
    assert "Audit contacts" in page


def test_the_form_says_what_is_wrong_beside_each_field(client, alice, scilly):
    client.force_login(alice)
    url = reverse("measure_create", args=[scilly.slug])
    response = client.post(url, {"name": "", "baseline": "lots", "target": "-4"})
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Enter the measure&#x27;s name",
        "Enter the measure&#x27;s definition",
        "Select the measure&#x27;s unit",
        "Select whether a higher or a lower value is better",
        "Select how often the measure is reported",
        "Enter the baseline as a number, like 23.5",
        "Enter the target as 0 or more",
    ):
        assert message in page
    assert "govuk-error-summary" in page and 'href="#id_name"' in page
    assert not Measure.objects.exists()


def test_a_percentage_target_over_100_and_a_baseline_without_its_date_are_refused(
    client, alice, scilly
):
    client.force_login(alice)
    data = form_data(unit="percentage", target="150", **date_fields("baseline_on", None))
    response = client.post(reverse("measure_create", args=[scilly.slug]), data)
    page = response.content.decode()
    assert "A percentage target must be from 0 to 100" in page
    assert "Enter the date of the baseline" in page
    assert not Measure.objects.exists()


def test_a_name_the_council_already_has_is_refused_on_the_name(client, alice, scilly, nottingham):
    measure_of(scilly, name="Re-referrals")
    measure_of(nottingham, name="Children in care")  # another council's name is free
    client.force_login(alice)
    url = reverse("measure_create", args=[scilly.slug])
    response = client.post(url, form_data(name="re-referrals"))
    page = response.content.decode()
    assert "There is already a measure called “re-referrals”: choose another name" in page
    assert 'id="id_name_error"' in page
    assert client.post(url, form_data(name="Children in care")).status_code == 302


def test_recommendations_and_actions_of_another_council_cannot_be_chosen(
    client, alice, scilly, nottingham
):
    theirs = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    )
    client.force_login(alice)
    response = client.post(
        reverse("measure_create", args=[scilly.slug]),
        form_data(recommendations=[theirs.recommendation_id], actions=[theirs.pk]),
    )
    page = response.content.decode()
    assert "Choose recommendations of this council&#x27;s inspections" in page
    assert "Choose actions of this council&#x27;s plan" in page
    assert not Measure.objects.exists()


def test_many_actions_are_offered_grouped_by_their_recommendation(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    recommendations = [RecommendationFactory(inspection=inspection) for _ in range(4)]
    for n in range(120):
        ActionFactory(recommendation=recommendations[n % 4], title=f"Action number {n}")
    client.force_login(alice)
    page = client.get(reverse("measure_create", args=[scilly.slug])).content.decode()
    assert page.count('name="actions"') == 120
    assert page.count("govuk-fieldset__legend govuk-body govuk-!-font-weight-bold") == 4 + 1


def test_an_officer_edits_a_measure_and_the_history_shows_old_and_new(client, alice, scilly):
    measure = measure_of(scilly)
    client.force_login(alice)
    url = reverse("measure_edit", args=[scilly.slug, measure.pk])
    page = client.get(url).content.decode()
    assert measure.updated_at.isoformat() in page
    data = form_data(
        name=measure.name,
        unit="percentage",
        baseline="30",
        target="20",
        updated_at=measure.updated_at.isoformat(),
    )
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert f"Measure “{measure.name}” saved" in page
    measure.refresh_from_db()
    assert measure.target == Decimal(20)
    assert "Edited" in page
    assert "Target: from <del>(none)</del> to <ins>20%</ins>" in page


def test_an_edit_after_someone_else_saved_is_refused_then_saved_knowingly(
    client, alice, dina, scilly
):
    measure = measure_of(scilly)
    opened_at = measure.updated_at.isoformat()
    # Dina saves a change while Alice has the form open.
    measure.source = "Dina's source"
    services.measure_update(measure=measure, expected_updated_at=measure.updated_at, user=dina)
    client.force_login(alice)
    url = reverse("measure_edit", args=[scilly.slug, measure.pk])
    data = form_data(name=measure.name, unit="percentage", updated_at=opened_at)
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed this measure at" in page and "your changes are not saved" in page
    assert "dina" in page.lower() and "Dina&#x27;s source" in page
    measure.refresh_from_db()
    assert measure.source == "Dina's source" and measure.target is None

    # The form now carries the version Dina saved: saving again replaces it, knowingly.
    measure.refresh_from_db()
    data["updated_at"] = measure.updated_at.isoformat()
    assert client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert measure.source == "Case recording system"


def test_the_frequency_of_a_measure_with_values_cannot_change(client, alice, scilly):
    measure = measure_of(scilly)
    services.values_save(items=[services.ValueInput(measure, Q4, Decimal("23.5"))], user=alice)
    client.force_login(alice)
    data = form_data(
        name=measure.name,
        unit="percentage",
        frequency="monthly",
        updated_at=measure.updated_at.isoformat(),
    )
    response = client.post(reverse("measure_edit", args=[scilly.slug, measure.pk]), data)
    assert "its frequency cannot change" in response.content.decode()
    measure.refresh_from_db()
    assert measure.frequency == "quarterly"


def test_read_only_roles_see_no_links_to_record_and_are_refused(client, alice, bob, sam, scilly):
    measure = measure_of(scilly)
    list_url = reverse("measure_list", args=[scilly.slug])
    for reader in (bob, sam):
        client.force_login(reader)
        assert "Add a measure" not in client.get(list_url).content.decode()
        assert "Edit" not in client.get(measure.get_absolute_url()).content.decode()
        for name, args in (
            ("measure_create", []),
            ("measure_edit", [measure.pk]),
            ("measure_values", []),
            ("measure_values_upload", []),
        ):
            assert client.get(reverse(name, args=[scilly.slug, *args])).status_code == 403
    client.force_login(alice)
    page = client.get(list_url).content.decode()
    assert "Add a measure" in page and "Enter values" in page
    assert "Edit" in client.get(measure.get_absolute_url()).content.decode()
    council_page = client.get(scilly.get_absolute_url()).content.decode()
    assert list_url in council_page and "Impact measures" in council_page


# --- The values of a period --------------------------------------------------------------------


@pytest.fixture
def two_measures(scilly):
    return (
        measure_of(scilly, name="Re-referrals"),
        measure_of(scilly, name="Days to the first review", unit="days", polarity="lower"),
    )


def grid_data(period=Q4, **values) -> dict:
    data = {"frequency": "quarterly", "period": period.isoformat()}
    for key, value in values.items():
        data[key] = value
    return data


def test_the_grid_defaults_to_the_latest_quarter_and_lists_its_measures(
    client, alice, scilly, two_measures
):
    measure_of(scilly, name="Yearly measure", frequency="yearly")
    client.force_login(alice)
    page = client.get(reverse("measure_values", args=[scilly.slug])).content.decode()
    assert "Enter values for January to March 2025" in page
    assert "Re-referrals" in page and "Days to the first review" in page
    assert "Yearly measure" not in page
    assert '<option value="2024-12-31">October to December 2024</option>' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?frequency=weekly", "There is no such frequency"),
        ("?period=not-a-date", "The period was not recognised"),
        ("?period=2025-06-30", "April to June 2025 has not ended yet"),
        ("?period=99999-01-01", "The period was not recognised"),
    ],
)
def test_a_bad_period_says_so_and_shows_the_latest(client, alice, scilly, query, message):
    client.force_login(alice)
    response = client.get(reverse("measure_values", args=[scilly.slug]) + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Enter values for January to March 2025" in page


def test_a_date_inside_a_period_shows_that_period(client, alice, scilly):
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug]) + "?frequency=quarterly&period=2024-11-05"
    assert "Enter values for October to December 2024" in client.get(url).content.decode()


def test_the_grid_saves_every_filled_row_and_leaves_the_empty_ones(
    client, alice, scilly, two_measures
):
    rereferrals, days = two_measures
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    data = grid_data(**{f"value_{rereferrals.pk}": "23.5%", f"note_{rereferrals.pk}": "Draft"})
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Values for January to March 2025 saved: 1 entered" in page
    value = MeasureValue.objects.get()
    assert (value.measure, value.period_end, value.value, value.note) == (
        rereferrals,
        Q4,
        Decimal("23.5"),
        "Draft",
    )
    assert value.entered_by == alice
    assert value.history.get().history_change_reason == "Entered"
    assert 'value="23.5"' in page


def test_one_bad_value_saves_nothing_and_names_the_measure(client, alice, scilly, two_measures):
    rereferrals, days = two_measures
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    response = client.post(
        url, grid_data(**{f"value_{rereferrals.pk}": "about 20", f"value_{days.pk}": "41"})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter re-referrals as a number, like 23.5" in page
    assert f'href="#id_value_{rereferrals.pk}"' in page
    assert not MeasureValue.objects.exists()

    for bad, message in (
        ("150", "Enter re-referrals as a percentage from 0 to 100"),
        ("-3", "Enter re-referrals as 0 or more"),
    ):
        response = client.post(
            url, grid_data(**{f"value_{rereferrals.pk}": bad, f"value_{days.pk}": "41"})
        )
        assert message in response.content.decode()
    response = client.post(url, grid_data(**{f"note_{days.pk}": "Late"}))
    assert "Enter days to the first review for the period, or remove its note" in (
        response.content.decode()
    )
    assert not MeasureValue.objects.exists()


def test_with_htmx_a_value_is_checked_in_place_and_not_saved(client, alice, scilly, two_measures):
    rereferrals, days = two_measures
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    page = client.get(url).content.decode()
    assert f'hx-post="{url}"' in page and f'id="value-cell-{rereferrals.pk}"' in page
    headers = {"HX-Request": "true"}
    data = grid_data(**{f"value_{rereferrals.pk}": "lots", f"value_{days.pk}": "12"})
    response = client.post(url, data | {"check": str(rereferrals.pk)}, headers=headers)
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert f'id="value-cell-{rereferrals.pk}"' in fragment
    assert "Enter re-referrals as a number, like 23.5" in fragment
    assert 'hx-swap-oob="innerHTML">Enter re-referrals as a number' in fragment
    response = client.post(url, data | {"check": str(days.pk)}, headers=headers)
    assert "govuk-error-message" not in response.content.decode()
    assert client.post(url, data | {"check": "0"}, headers=headers).status_code == 204
    assert not MeasureValue.objects.exists()


def test_a_correction_keeps_the_old_value_in_the_history(client, alice, dina, scilly, two_measures):
    rereferrals, _ = two_measures
    url = reverse("measure_values", args=[scilly.slug])
    client.force_login(alice)
    client.post(url, grid_data(**{f"value_{rereferrals.pk}": "23.5"}))
    client.force_login(dina)
    response = client.post(
        url,
        grid_data(**{f"value_{rereferrals.pk}": "21", f"shown_{rereferrals.pk}": "23.5"}),
        follow=True,
    )
    assert "1 corrected" in response.content.decode()
    value = MeasureValue.objects.get()
    assert value.value == Decimal(21) and value.entered_by == dina
    reasons = list(value.history.order_by("history_date").values_list("history_change_reason"))
    assert reasons == [("Entered",), ("Corrected from 23.5",)]
    assert [h.value for h in value.history.order_by("history_date")] == [Decimal("23.5"), 21]

    page = client.get(rereferrals.get_absolute_url()).content.decode()
    assert "Value corrected" in page
    assert "January to March 2025: from <del>23.5%</del> to <ins>21%</ins>" in page
    # Newest first: the correction comes before the first entry.
    assert page.index("Value corrected") < page.index("Value entered")


def test_emptying_a_box_clears_the_value_and_the_history_keeps_it(
    client, alice, scilly, two_measures
):
    rereferrals, _ = two_measures
    services.values_save(items=[services.ValueInput(rereferrals, Q4, Decimal(30))], user=alice)
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    response = client.post(
        url,
        grid_data(**{f"value_{rereferrals.pk}": "", f"shown_{rereferrals.pk}": "30"}),
        follow=True,
    )
    assert "1 cleared" in response.content.decode()
    assert not MeasureValue.objects.exists()
    assert MeasureValue.history.filter(history_type="-").get().history_change_reason == (
        "Cleared (was 30)"
    )
    assert "Value cleared" in client.get(rereferrals.get_absolute_url()).content.decode()


def test_a_value_someone_else_changed_since_the_page_was_shown_is_not_overwritten(
    client, alice, dina, scilly, two_measures
):
    rereferrals, days = two_measures
    services.values_save(items=[services.ValueInput(rereferrals, Q4, Decimal(30))], user=dina)
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    # Alice's page was shown before Dina's value: it showed none.
    response = client.post(
        url, grid_data(**{f"value_{rereferrals.pk}": "25", f"value_{days.pk}": "12"})
    )
    page = response.content.decode()
    assert "Dina changed Re-referrals for this period to 30 after you opened the page" in page
    assert MeasureValue.objects.get().value == Decimal(30)  # and days' 12 not saved either
    assert f'name="shown_{rereferrals.pk}" value="30"' in page
    # Saving again, having seen Dina's value, replaces it.
    data = grid_data(
        **{
            f"value_{rereferrals.pk}": "25",
            f"shown_{rereferrals.pk}": "30",
            f"value_{days.pk}": "12",
        }
    )
    assert client.post(url, data).status_code == 302
    assert sorted(MeasureValue.objects.values_list("value", flat=True)) == [12, 25]


def test_a_tampered_period_saves_nothing(client, alice, scilly, two_measures):
    rereferrals, _ = two_measures
    client.force_login(alice)
    url = reverse("measure_values", args=[scilly.slug])
    response = client.post(
        url, grid_data(period=date(2030, 3, 31), **{f"value_{rereferrals.pk}": "20"}), follow=True
    )
    assert "Nothing was saved" in response.content.decode()
    assert not MeasureValue.objects.exists()


# --- A file of values -------------------------------------------------------------------------


def upload(client, council, content: bytes, name="values.csv"):
    return client.post(
        reverse("measure_values_upload", args=[council.slug]),
        {"file": SimpleUploadedFile(name, content, "text/csv")},
        follow=True,
    )


def test_a_file_of_values_is_recorded_and_counted(client, alice, scilly, two_measures):
    rereferrals, days = two_measures
    client.force_login(alice)
    page = client.get(reverse("measure_values_upload", args=[scilly.slug])).content.decode()
    assert "measure,period_end,value,note" in page and 'type="file"' in page
    content = (
        "\ufeffMeasure,Period_end,Value,Note\n"
        "Re-referrals,2025-03-31,23.5,From the system\n"
        "Re-referrals,31/12/2024,24.1,\n"
        "Days to the first review,31/03/2025,40,\n"
    ).encode()
    response = upload(client, scilly, content)
    assert "File uploaded: 3 values created, 0 corrected, 0 unchanged" in (
        response.content.decode()
    )
    assert MeasureValue.objects.get(measure=rereferrals, period_end=Q3).value == Decimal("24.1")

    content = (
        b"measure,period_end,value\nRe-referrals,2025-03-31,22\nRe-referrals,2024-12-31,24.1\n"
    )
    response = upload(client, scilly, content)
    assert "File uploaded: 0 values created, 1 corrected, 1 unchanged" in (
        response.content.decode()
    )
    corrected = MeasureValue.objects.get(measure=rereferrals, period_end=Q4)
    assert corrected.value == Decimal(22)
    assert corrected.history.latest().history_change_reason == "Corrected from 23.5"


def test_a_file_with_bad_rows_is_refused_whole_with_its_line_numbers(
    client, alice, scilly, two_measures
):
    client.force_login(alice)
    content = (
        b"measure,period_end,value\n"
        b"Re-referrals,2025-03-31,23.5\n"
        b"Re-referals,2025-03-31,20\n"
        b"Days to the first review,2025-02-28,40\n"
        b"Days to the first review,2024-12-31,lots\n"
        b"re-referrals,2024-12-31,20\n"
        b"Re-referrals,2025-03-31,24\n"
        b"Re-referrals,2025-06-30,24\n"
        b"Re-referrals,2024-09-30,140\n"
    )
    response = upload(client, scilly, content)
    page = response.content.decode()
    assert "There is a problem" in page
    for message in (
        "Line 3: there is no measure called “Re-referals”",
        "Line 4: Days to the first review is quarterly: its periods end on days such as "
        "31 March 2025, not 28 February 2025",
        "Line 5: enter the value as a number, like 23.5, not “lots”",
        "Line 6: there is no measure called “re-referrals” (did you mean “Re-referrals”?)",
        "Line 7: the same measure and period as line 2",
        "Line 8: the period ending 30 June 2025 has not ended yet",
        "Line 9: enter the value as a percentage from 0 to 100",
        "Nothing was recorded",
    ):
        assert message in page
    assert "Line 2:" not in page
    assert not MeasureValue.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"measure,period_end,value\n\x00\x01\x02\xff", "not binary"),
        ("measure,period_end,value\nRe-referrals,2025-03-31,1\n".encode("utf-16"), "not binary"),
        ("measure,period_end,value\nCaf\xe9,2025-03-31,1\n".encode("latin-1"), "UTF-8"),
        (b"name,date,value\nRe-referrals,2025-03-31,1\n", "measure, period_end are missing"),
        (b"measure,period_end,value\n", "The file has no rows of values"),
        (b"measure,period_end,value\n" + b"x" * (1024 * 1024), "1 MB or smaller"),
        (b"measure,period_end,value\nRe-referrals,2025-03-31,\n", "Line 2: the value is missing"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(
    client, alice, scilly, two_measures, content, message
):
    client.force_login(alice)
    response = upload(client, scilly, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeasureValue.objects.exists()


# --- Entered and published values --------------------------------------------------------------


def test_a_value_an_officer_entered_wins_over_the_published_one(client, alice, scilly):
    indicator = Indicator.objects.create(
        column="re_referrals_pct", label="Re-referrals (%)", source="cin.csv"
    )
    measure = measure_of(scilly, name="Re-referrals", frequency="yearly", indicator=indicator)
    load = ComparatorLoad.objects.create(source="cin.csv", sha256="0" * 64, rows=2, indicators=1)
    for end, value in ((date(2023, 3, 31), "19.0"), (date(2024, 3, 31), "21.0")):
        IndicatorValue.objects.create(
            indicator=indicator,
            period_end=end,
            time_period=f"{end.year}",
            time_identifier="Reporting year",
            level=Level.LOCAL,
            area_code=scilly.ons_code,
            value=Decimal(value),
            load=load,
        )
    services.values_save(
        items=[services.ValueInput(measure, date(2024, 3, 31), Decimal("18.5"))], user=alice
    )
    client.force_login(alice)
    page = client.get(measure.get_absolute_url()).content.decode()
    table = page[page.index('id="values"') :]
    assert "2022-23" in table and '19% <span class="govuk-body-s">(published)</span>' in table
    assert "2023-24" in table and "18.5%" in table
    assert "21%" not in table
    assert "Published comparator: Re-referrals (%)" in page[page.index('id="history"') :]


def test_the_edit_form_shows_stored_numbers_as_typed_and_the_links_chosen(client, alice, scilly):
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    action = ActionFactory(recommendation=recommendation, title="Audit contacts")
    measure = services.measure_create(
        measure=Measure(
            council=scilly,
            name="Children in care per 10,000",
            definition="Children looked after, per 10,000 children.",
            unit="rate_10k",
            polarity="lower",
            frequency="quarterly",
            baseline=Decimal("72.5"),
            baseline_on=date(2024, 3, 31),
        ),
        user=alice,
        recommendations=[recommendation],
        actions=[action],
    )
    client.force_login(alice)
    page = client.get(reverse("measure_edit", args=[scilly.slug, measure.pk])).content.decode()
    assert 'name="baseline" value="72.5"' in page and "72.5000" not in page
    assert f'value="{recommendation.pk}" checked' in page
    assert f'value="{action.pk}" checked' in page
    history = client.get(measure.get_absolute_url()).content.decode()
    history = history[history.index('id="history"') :]
    # The save and the setting of its links are one entry.
    assert history.count("<strong>Added</strong>") == 1
    assert "Recommendations: added Recommendation" in history
    assert "Actions: added “Audit contacts”" in history


def test_the_measure_page_takes_as_many_queries_whatever_its_history(client, alice, scilly):
    measure = measure_of(scilly)
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(measure.get_absolute_url()).status_code == 200
        return len(captured)

    services.values_save(items=[services.ValueInput(measure, Q3, Decimal(20))], user=alice)
    few = queries()
    for n in range(5):
        services.values_save(items=[services.ValueInput(measure, Q4, Decimal(21 + n))], user=alice)
        measure.definition = f"Definition {n}"
        services.measure_update(measure=measure, expected_updated_at=measure.updated_at, user=alice)
    assert queries() == few


def test_an_officer_removes_a_measure_with_a_reason_kept_in_the_history(client, alice, scilly):
    measure = measure_of(scilly)
    MeasureValue.objects.create(measure=measure, period_end=Q4, value=Decimal(21))
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/measures/{measure.pk}/remove/"
    page = client.get(url).content.decode()
    assert "The measure and its 1 value leave every page" in page
    response = client.post(url, {"reason": ""})
    assert "Say why the measure is removed" in response.content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()
    response = client.post(url, {"reason": "Added by mistake"}, follow=True)
    assert "Measure \u201cRe-referrals within 12 months\u201d removed" in response.content.decode()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    gone = Measure.history.filter(id=measure.pk).latest()
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == (
        "-",
        "Removed: Added by mistake",
        alice,
    )
    value = MeasureValue.history.filter(measure_id=measure.pk).latest()
    assert value.history_change_reason == "Removed with the measure: Added by mistake"


def test_read_only_roles_cannot_remove_a_measure(client, bob, scilly):
    measure = measure_of(scilly)
    client.force_login(bob)
    url = f"/councils/isles-of-scilly/measures/{measure.pk}/remove/"
    assert client.post(url, {"reason": "No"}).status_code == 403
    assert "Remove<span" not in client.get(measure.get_absolute_url()).content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_number_the_form_refuses_has_one_message_not_two(client, alice, scilly):
    client.force_login(alice)
    response = client.post("/councils/isles-of-scilly/measures/new/", form_data(baseline="abc"))
    html = errors_of(response)
    assert "Enter the baseline as a number, like 23.5" in html
    assert "Enter the baseline, or remove its date" not in html
    assert not Measure.objects.exists()
