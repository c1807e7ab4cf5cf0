"""`manage.py load_councils` loads every English local authority, and re-running changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council, StatisticalNeighbour

pytestmark = pytest.mark.django_db

HEADER = (
    "la_code,la_code_new,stat_neighbours,local_authority_ons_name,region_name,"
    "ons_la_type,ons_population_0-25\n"
)


def run(*args):
    out = StringIO()
    call_command("load_councils", *args, stdout=out)
    return out.getvalue()


def test_it_loads_every_council_with_codes_region_type_and_neighbours():
    output = run()
    assert "156 created" in output
    scilly = Council.objects.get(slug="isles-of-scilly")
    assert (scilly.name, scilly.dfe_code, scilly.ons_code) == (
        "Isles of Scilly",
        "420",
        "E06000053",
    )
    assert (scilly.region, scilly.la_type, scilly.population_0_25) == (
        "South West",
        "Unitary Authority",
        590,
    )
    neighbours = list(
        scilly.neighbour_links.order_by("rank").values_list("neighbour__dfe_code", flat=True)
    )
    assert len(neighbours) == 10
    assert neighbours[0] == "869"
    assert Council.objects.get(slug="bristol-city-of").dfe_code == "801"


def test_councils_the_dfe_gives_no_neighbours_are_marked_as_ceased():
    run()
    ceased = set(Council.objects.filter(ceased=True).values_list("name", flat=True))
    assert ceased == {"Cumbria", "Northamptonshire", "Poole"}
    assert Council.objects.in_being().count() == 153


def test_a_file_that_gives_no_neighbours_at_all_marks_no_council_as_ceased(tmp_path):
    path = tmp_path / "las.csv"
    path.write_text(HEADER + '420,E06000053,"",Isles of Scilly,South West,Unitary Authority,590\n')
    run(str(path))
    assert not Council.objects.get(slug="isles-of-scilly").ceased


def test_it_keeps_each_councils_ofsted_urn_for_the_national_outcomes_file():
    run()
    assert Council.objects.get(slug="isles-of-scilly").urn == "80455"
    assert Council.objects.filter(urn__isnull=True).count() == 0


def test_a_file_without_urns_leaves_the_urns_as_they_are(tmp_path):
    run()
    path = tmp_path / "las.csv"
    path.write_text(HEADER + '420,E06000053,"",Isles of Scilly,South West,Unitary Authority,590\n')
    assert "1 unchanged" in run(str(path))
    assert Council.objects.get(slug="isles-of-scilly").urn == "80455"


def test_running_it_again_changes_nothing():
    run()
    links = list(StatisticalNeighbour.objects.order_by("pk").values_list("pk", flat=True))
    output = run()
    assert "0 created, 0 updated, 156 unchanged" in output
    assert list(StatisticalNeighbour.objects.order_by("pk").values_list("pk", flat=True)) == links


def test_it_updates_a_council_whose_details_changed(tmp_path):
    path = tmp_path / "las.csv"
    path.write_text(HEADER + '420,E06000053,"",Isles of Scilly,South West,Unitary Authority,590\n')
    run(str(path))
    path.write_text(HEADER + '420,E06000053,"",Isles of Scilly,South West,Unitary Authority,612\n')
    assert "1 updated" in run(str(path))
    assert Council.objects.get(dfe_code="420").population_0_25 == 612


def test_it_skips_neighbours_that_are_not_in_the_file(tmp_path):
    path = tmp_path / "las.csv"
    path.write_text(HEADER + '420,E06000053,"869, 999",Isles of Scilly,South West,Unitary,590\n')
    output = run(str(path))
    assert "2 neighbour codes not in the file were skipped" in output


def test_a_file_without_the_expected_columns_is_refused_and_nothing_is_saved(tmp_path):
    path = tmp_path / "las.csv"
    path.write_text("name,code\nIsles of Scilly,420\n")
    with pytest.raises(CommandError, match="has no column"):
        run(str(path))
    assert not Council.objects.exists()


def test_a_missing_file_is_refused_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"))
