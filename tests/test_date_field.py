"""The GOV.UK date input: day, month and year boxes with clear messages."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError

from config.forms import GovukDateField


class DateForm(forms.Form):
    published_on = GovukDateField(label="Publication date", required=False)


def field():
    return GovukDateField(label="Publication date")


def test_it_reads_day_month_and_year():
    assert field().clean(["25", "8", "2023"]) == date(2023, 8, 25)


def test_it_ignores_spaces_around_the_numbers():
    assert field().clean([" 9 ", "10", " 2023"]) == date(2023, 10, 9)


@pytest.mark.parametrize("month", ["March", "march", "MARCH", "Mar", "mar", " mAr "])
def test_it_reads_a_month_written_as_its_name_or_three_letters(month):
    assert field().clean(["5", month, "2024"]) == date(2024, 3, 5)


def test_it_reads_every_month_by_name():
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert [field().clean(["1", name, "2024"]).month for name in names] == list(range(1, 13))
    assert field().clean(["30", "September", "2024"]) == date(2024, 9, 30)


@pytest.mark.parametrize("month", ["Marc", "Ma", "Sept", "Mars", "3rd", "Smarch", "13", "0"])
def test_it_refuses_a_month_that_is_no_month(month):
    with pytest.raises(ValidationError) as exc:
        field().clean(["5", month, "2024"])
    assert exc.value.messages == ["The publication date must be a real date, like 25 8 2023"]


def test_a_form_reads_a_month_name_from_its_box():
    form = DateForm(
        data={"published_on_0": "25", "published_on_1": "Aug", "published_on_2": "2023"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published_on"] == date(2023, 8, 25)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter the publication date"),
        (["", "8", "2023"], "The publication date must include a day"),
        (["25", "", ""], "The publication date must include a month and year"),
        (["30", "2", "2024"], "The publication date must be a real date, like 25 8 2023"),
        (["x", "8", "2023"], "The publication date must be a real date, like 25 8 2023"),
        (["31", "Feb", "2024"], "The publication date must be a real date, like 25 8 2023"),
        (["Mar", "3", "2024"], "The publication date must be a real date, like 25 8 2023"),
        (["25", "8", "23"], "The publication date must be a real date, like 25 8 2023"),
        (["1", "1", "99999999999"], "The publication date must be a real date, like 25 8 2023"),
        (["99999999999", "1", "2023"], "The publication date must be a real date, like 25 8 2023"),
    ],
)
def test_it_explains_what_is_wrong(parts, message):
    with pytest.raises(ValidationError) as exc:
        field().clean(parts)
    assert exc.value.messages == [message]


def test_an_optional_date_may_be_left_empty():
    form = DateForm(data={"published_on_0": "", "published_on_1": "", "published_on_2": ""})
    assert form.is_valid()
    assert form.cleaned_data["published_on"] is None


def test_it_renders_three_labelled_boxes_in_a_fieldset_with_the_error():
    form = DateForm(data={"published_on_0": "31", "published_on_1": "2", "published_on_2": "2023"})
    assert not form.is_valid()
    html = str(form)
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_published_on_error">' in html
    assert html.count("govuk-input--error") == 3
    for label in ("Day", "Month", "Year"):
        assert f">{label}</label>" in html
    assert 'value="31"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["dashboard/", "pack/", "pack.pdf"])
def test_a_year_too_big_for_a_date_is_refused_not_an_error_page(client, sam, path):
    client.force_login(sam)
    response = client.get(
        f"/councils/isles-of-scilly/{path}", {"since_0": 1, "since_1": 1, "since_2": 99999999999}
    )
    assert response.status_code in (200, 400)
    assert b"must be a real date" in response.content
