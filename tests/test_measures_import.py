"""`manage.py import_measures` loads published statistics from an EES file: refused whole, with
line numbers and exit status 2, when anything in it is wrong; suppressed figures kept as not
available with their code; loading the same file again changes nothing."""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council
from measures.demo_comparators import DEMO_FILE, load_demo_comparators
from measures.loader import indicator_label, load_comparators
from measures.models import ComparatorLoad, Indicator, IndicatorValue, Level, Measure

from .helpers import REPO

pytestmark = pytest.mark.django_db

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,new_la_code,old_la_code,la_name,re_referrals_within_12_months_pct,"
    "cpp_lasting_two_years_or_more_pct\n"
)
ENGLAND = "2024,Reporting year,National,E92000001,England,,,,,,21.4,3.6\n"
SOUTH_WEST = "2024,Reporting year,Regional,E92000001,England,E12000009,South West,,,,20.1,3.9\n"
SCILLY = (
    "2024,Reporting year,Local authority,E92000001,England,E12000009,South West,E06000053,420,"
    "Isles of Scilly,18.2,c\n"
)
NOTTINGHAM = (
    "2024,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,E06000018,"
    '892,Nottingham,"1,234",z\n'
)
DISTRICT = (
    "2024,Reporting year,Local authority district,E92000001,England,E12000004,East Midlands,"
    ",,,12.0,4.0\n"
)


def write(tmp_path, *rows, header=HEADER, name="comparators.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes((header + "".join(rows)).encode(encoding))
    return path


def load(path) -> str:
    out = StringIO()
    call_command("import_measures", str(path), stdout=out)
    return out.getvalue()


def counts():
    return (
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        ComparatorLoad.objects.count(),
        sorted(map(str, IndicatorValue.objects.values_list())),
        sorted(Council.objects.values_list("pk", "data_version")),
    )


def refused(path) -> str:
    """The file is refused with exit status 2, and nothing changes."""
    before = counts()
    with pytest.raises(CommandError) as caught:
        load(path)
    assert caught.value.returncode == 2
    assert counts() == before
    message = str(caught.value)
    assert "was refused, and nothing was changed" in message
    return message


@pytest.fixture
def loaded(tmp_path):
    """A good file already loaded, so that a refused one is seen to change nothing."""
    load(write(tmp_path, ENGLAND, SOUTH_WEST, SCILLY, NOTTINGHAM, name="good.csv"))


# --- A good file --------------------------------------------------------------------------


def test_it_loads_every_indicator_column_with_a_readable_label(tmp_path):
    output = load(write(tmp_path, ENGLAND, SOUTH_WEST, SCILLY, NOTTINGHAM))
    assert output.startswith(
        "comparators.csv: 4 rows read, 2 indicators (2 new); figures: 8 created, 0 updated, "
        "0 unchanged; 0 rows skipped"
    )
    assert dict(Indicator.objects.values_list("column", "label")) == {
        "re_referrals_within_12_months_pct": "Re-referrals within 12 months (%)",
        "cpp_lasting_two_years_or_more_pct": "CPP lasting two years or more (%)",
    }
    england = IndicatorValue.objects.get(
        indicator__column="re_referrals_within_12_months_pct", level=Level.NATIONAL
    )
    assert (england.area_code, england.period_end, england.value) == (
        "E92000001",
        date(2024, 3, 31),
        Decimal("21.4"),
    )
    assert england.time_period == "2024" and england.time_identifier == "Reporting year"
    region = IndicatorValue.objects.get(
        indicator__column="re_referrals_within_12_months_pct", level=Level.REGIONAL
    )
    assert region.area_code == "E12000009"
    load_row = ComparatorLoad.objects.get()
    assert (load_row.rows, load_row.indicators, load_row.created) == (4, 2, 8)
    assert len(load_row.sha256) == 64


def test_suppressed_figures_are_kept_as_not_available_with_their_code_never_zero(tmp_path):
    load(write(tmp_path, SCILLY, NOTTINGHAM))
    cpp = IndicatorValue.objects.filter(indicator__column="cpp_lasting_two_years_or_more_pct")
    assert sorted(cpp.values_list("area_code", "value", "suppressed")) == [
        ("E06000018", None, "z"),
        ("E06000053", None, "c"),
    ]


def test_numbers_may_have_thousands_commas(tmp_path):
    load(write(tmp_path, NOTTINGHAM))
    value = IndicatorValue.objects.get(indicator__column="re_referrals_within_12_months_pct")
    assert value.value == Decimal("1234")


def test_every_suppression_code_and_an_empty_cell_load_as_not_available(tmp_path):
    rows = [
        f"{year},Reporting year,Local authority,E92000001,,E12000009,,E06000053,420,,{code},1\n"
        for year, code in zip(
            range(2010, 2020), ["c", "z", "x", "low", "u", ":", "..", "k", "C", ""], strict=True
        )
    ]
    load(write(tmp_path, *rows))
    values = IndicatorValue.objects.filter(indicator__column="re_referrals_within_12_months_pct")
    assert set(values.values_list("value", flat=True)) == {None}
    assert sorted(values.values_list("suppressed", flat=True)) == sorted(
        ["c", "z", "x", "low", "u", ":", "..", "k", "c", ""]
    )


def test_rows_at_other_geographic_levels_are_skipped_and_counted(tmp_path):
    output = load(write(tmp_path, ENGLAND, DISTRICT))
    assert "2 rows read" in output and "1 row skipped at other geographic levels" in output
    assert IndicatorValue.objects.count() == 2


def test_levels_are_read_in_any_case(tmp_path):
    load(write(tmp_path, ENGLAND.replace("National", "NATIONAL")))
    assert IndicatorValue.objects.filter(level=Level.NATIONAL).count() == 2


def test_a_file_with_a_bom_loads(tmp_path):
    load(write(tmp_path, ENGLAND, encoding="utf-8-sig"))
    assert IndicatorValue.objects.count() == 2


def test_windows_line_endings_load(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes((HEADER + ENGLAND + SCILLY).replace("\n", "\r\n").encode())
    load(path)
    assert IndicatorValue.objects.count() == 4


# --- Loading again -----------------------------------------------------------------------


def test_loading_the_same_file_again_changes_nothing_and_says_so(tmp_path, scilly):
    path = write(tmp_path, ENGLAND, SCILLY, NOTTINGHAM)
    load(path)
    before = counts()
    output = load(path)
    assert "figures: 0 created, 0 updated, 6 unchanged" in output
    assert "nothing changed (the same file as comparators.csv, loaded" in output
    assert counts() == before


def test_a_later_file_updates_changed_figures_and_bumps_councils_whose_measures_show_them(
    tmp_path, scilly, nottingham
):
    load(write(tmp_path, ENGLAND, SCILLY))
    indicator = Indicator.objects.get(column="re_referrals_within_12_months_pct")
    measure = Measure.objects.create(
        council=scilly,
        name="Re-referrals",
        definition="Referrals within 12 months of a previous one",
        unit="percentage",
        polarity="lower",
        frequency="yearly",
        indicator=indicator,
    )
    scilly.refresh_from_db()
    nottingham.refresh_from_db()
    scilly_version, nottingham_version = scilly.data_version, nottingham.data_version
    output = load(
        write(tmp_path, ENGLAND.replace("21.4", "21.9"), SCILLY.replace(",c\n", ",4.1\n"))
    )
    assert "figures: 2 created" not in output
    assert "0 created, 2 updated, 2 unchanged" in output
    assert IndicatorValue.objects.get(indicator=indicator, level=Level.NATIONAL).value == Decimal(
        "21.9"
    )
    cpp = IndicatorValue.objects.get(
        indicator__column="cpp_lasting_two_years_or_more_pct", area_code="E06000053"
    )
    assert (cpp.value, cpp.suppressed) == (Decimal("4.1"), "")
    assert ComparatorLoad.objects.count() == 2
    scilly.refresh_from_db()
    nottingham.refresh_from_db()
    assert scilly.data_version > scilly_version  # its measure shows the changed figure
    assert nottingham.data_version == nottingham_version
    assert measure.indicator_id == indicator.pk


def test_a_figure_becoming_suppressed_is_updated_to_not_available(tmp_path):
    load(write(tmp_path, SCILLY))
    load(write(tmp_path, SCILLY.replace("18.2", "c")))
    value = IndicatorValue.objects.get(
        indicator__column="re_referrals_within_12_months_pct", area_code="E06000053"
    )
    assert (value.value, value.suppressed) == (None, "c")


def test_it_loads_from_an_open_binary_file(tmp_path):
    path = write(tmp_path, ENGLAND)
    with path.open("rb") as file:
        result = load_comparators(file, source="upload.csv")
    assert result.created == 2 and result.load.source == "upload.csv"


# --- Refused files -------------------------------------------------------------------------


def test_a_missing_file_is_refused(tmp_path, loaded):
    assert "the file does not exist" in refused(tmp_path / "nope.csv")


def test_an_empty_file_is_refused(tmp_path, loaded):
    assert "the file is empty" in refused(write(tmp_path, header=""))


def test_a_header_without_rows_is_refused(tmp_path, loaded):
    assert "the file has a header but no rows" in refused(write(tmp_path))


def test_missing_required_columns_are_refused(tmp_path, loaded):
    header = HEADER.replace("geographic_level,", "").replace("new_la_code,", "")
    message = refused(write(tmp_path, header=header))
    assert "line 1: the columns geographic_level, new_la_code are missing" in message


def test_a_file_without_indicator_columns_is_refused(tmp_path, loaded):
    header = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code\n"
    message = refused(write(tmp_path, "2024,Reporting year,National,E92000001,,\n", header=header))
    assert "line 1: there are no indicator columns" in message


def test_an_unknown_geographic_level_is_refused(tmp_path, loaded):
    message = refused(write(tmp_path, ENGLAND, SOUTH_WEST.replace("Regional", "Regionl")))
    assert "line 3: geographic_level 'Regionl' is not National, Regional or Local authority" in (
        message
    )


def test_an_unknown_period_is_refused_with_the_period_rule(tmp_path, loaded):
    message = refused(
        write(
            tmp_path,
            ENGLAND.replace("Reporting year", "Fortnight"),
            SCILLY.replace("2024,", "24,", 1),
        )
    )
    assert "line 2: time_identifier 'Fortnight' is not one this product reads" in message
    assert "line 3: time_period '24' should be a year, like 2024" in message


def test_a_missing_area_code_is_refused(tmp_path, loaded):
    message = refused(
        write(
            tmp_path,
            ENGLAND.replace("E92000001", ""),
            SOUTH_WEST.replace("E12000009", ""),
            SCILLY.replace("E06000053", ""),
        )
    )
    assert "line 2: a National row needs its country_code" in message
    assert "line 3: a Regional row needs its region_code" in message
    assert "line 4: a Local authority row needs its new_la_code" in message


def test_text_that_is_neither_a_number_nor_a_code_is_refused(tmp_path, loaded):
    message = refused(
        write(tmp_path, ENGLAND.replace("21.4", "21.4%"), SCILLY.replace("18.2", "n/a"))
    )
    assert "line 2: re_referrals_within_12_months_pct '21.4%' is neither a number nor a code" in (
        message
    )
    assert "line 3: re_referrals_within_12_months_pct 'n/a' is neither" in message


def test_a_second_row_for_the_same_period_and_area_is_refused(tmp_path, loaded):
    message = refused(write(tmp_path, ENGLAND, SCILLY, SCILLY.replace("18.2", "19")))
    assert "line 4: a second row for E06000053 in 2024 Reporting year: the first is on line 3" in (
        message
    )


def test_a_row_with_the_wrong_number_of_values_is_refused(tmp_path, loaded):
    message = refused(write(tmp_path, ENGLAND, SCILLY.replace(",c\n", "\n")))
    assert "line 3: 11 values where the header has 12 columns" in message


def test_a_file_not_in_utf8_is_refused(tmp_path, loaded):
    row = SCILLY.replace("Isles of Scilly", "Isles of Scilly \u2013 council")
    message = refused(write(tmp_path, ENGLAND, row, encoding="cp1252"))
    assert "line 3: not UTF-8 text" in message


def test_only_the_first_twenty_problems_are_listed_and_the_rest_counted(tmp_path, loaded):
    rows = [
        ENGLAND.replace("2024", str(year), 1).replace("21.4", "?") for year in range(1990, 2015)
    ]
    message = refused(write(tmp_path, *rows))
    assert message.count("is neither a number") == 20
    assert "... and 5 more" in message


def test_the_command_exits_with_status_2_and_the_problems_on_stderr(tmp_path):
    path = write(tmp_path, ENGLAND.replace("21.4", "lots"))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_measures", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 2
    assert "line 2: re_referrals_within_12_months_pct 'lots' is neither" in result.stderr
    assert result.stdout == ""


# --- Labels and the demo file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("re_referrals_within_12_months_pct", "Re-referrals within 12 months (%)"),
        ("care_leavers_eet_pct", "Care leavers EET (%)"),
        ("social_worker_turnover_pct", "Social worker turnover (%)"),
        ("cin_rate_per_10k", "CIN rate per 10,000"),
    ],
)
def test_labels_are_the_column_readable(column, label):
    assert indicator_label(column) == label


def test_the_illustrative_file_loads_cleanly_and_again_changes_nothing():
    summary = load_demo_comparators()
    assert summary.startswith("Illustrative comparators: illustrative-comparators.csv")
    assert "0 rows skipped" in summary
    assert Indicator.objects.count() == 6
    assert set(Indicator.objects.values_list("column", flat=True)) == {
        "re_referrals_within_12_months_pct",
        "cpp_lasting_two_years_or_more_pct",
        "assessments_within_45_days_pct",
        "care_leavers_suitable_accommodation_pct",
        "care_leavers_eet_pct",
        "social_worker_turnover_pct",
    }
    # England, two regions, two councils and their ten neighbours each, for six years.
    assert IndicatorValue.objects.filter(level=Level.NATIONAL).count() == 6 * 6
    assert set(
        IndicatorValue.objects.filter(level=Level.REGIONAL).values_list("area_code", flat=True)
    ) == {"E12000009", "E12000004"}
    scilly = IndicatorValue.objects.filter(area_code="E06000053")
    assert scilly.filter(suppressed="c").exists() and scilly.filter(suppressed="z").count() == 1
    assert not IndicatorValue.objects.filter(value=0).exists()
    before = counts()
    assert "nothing changed" in load_demo_comparators()
    assert counts() == before


def test_the_illustrative_file_gives_scilly_its_neighbours_figures():
    call_command("load_councils", stdout=StringIO())
    load_demo_comparators()
    scilly = Council.objects.get(dfe_code="420")
    neighbours = set(scilly.statistical_neighbours.values_list("ons_code", flat=True))
    assert len(neighbours) == 10
    published = set(IndicatorValue.objects.values_list("area_code", flat=True))
    assert neighbours <= published
    assert DEMO_FILE.read_text().startswith("time_period,time_identifier,geographic_level")


def test_a_file_larger_than_a_batch_loads_and_updates_whole(tmp_path):
    rows = [ENGLAND.replace("2024", str(year), 1) for year in range(1400, 2100)]
    output = load(write(tmp_path, *rows))
    assert "700 rows read" in output and "1400 created" in output
    changed = [row.replace("21.4", "22.0") for row in rows]
    assert "0 created, 700 updated, 700 unchanged" in load(write(tmp_path, *changed))
    assert IndicatorValue.objects.filter(value=Decimal("22.0")).count() == 700


def test_the_source_option_names_the_load(tmp_path):
    out = StringIO()
    call_command(
        "import_measures", str(write(tmp_path, ENGLAND)), "--source", "cin-2024.csv", stdout=out
    )
    assert out.getvalue().startswith("cin-2024.csv: 1 row read")
    assert ComparatorLoad.objects.get().source == "cin-2024.csv"
