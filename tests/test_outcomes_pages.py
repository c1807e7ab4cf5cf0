"""Published outcomes beside what councils record: the dashboard's neighbours and national picture,
the council page, the inspection page, the home page and the overview. The council's own record
wins; each figure says where it came from; a load that changes the file refreshes dashboards."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from councils.models import Role, StatisticalNeighbour
from inspections.services import inspection_set_judgements
from outcomes import selectors as outcome_selectors

from .factories import CouncilFactory, InspectionFactory, MembershipFactory, UserFactory
from .helpers import OUTCOME_NOTTINGHAM_2022 as NOTTINGHAM_2022
from .helpers import OUTCOME_SCILLY_2019 as SCILLY_2019
from .helpers import OUTCOME_SCILLY_2023 as SCILLY_2023
from .helpers import OUTCOMES_HEADER as HEADER
from .helpers import SPLIT_GRADES, form_values, upload

pytestmark = pytest.mark.django_db

DASHBOARD = "/councils/isles-of-scilly/dashboard/"
RUTLAND_2024 = (
    "80500,rutland,https://files.ofsted.gov.uk/v1/file/1,report.pdf,01/03/24,standard,A N Other,"
    "15/01/2024,26/01/2024,good,good,good,outstanding,good,1\n"
)


@pytest.fixture
def world(tmp_path, scilly, nottingham, frameworks):
    """Scilly with two published reports; its neighbours Nottingham (published 2022) and
    Rutland (published 2024); Cornwall, in Scilly's region, with no report."""
    scilly.urn, scilly.region = "80455", "South West"
    scilly.save()
    nottingham.urn, nottingham.region = "80533", "East Midlands"
    nottingham.save()
    rutland = CouncilFactory(
        name="Rutland", slug="rutland", dfe_code="857", urn="80500", region="East Midlands"
    )
    CouncilFactory(name="Cornwall", slug="cornwall", dfe_code="908", region="South West")
    StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)
    StatisticalNeighbour.objects.create(council=scilly, neighbour=rutland, rank=2)
    return {"path": load(tmp_path, SCILLY_2023, SCILLY_2019, NOTTINGHAM_2022, RUTLAND_2024)}


def load(tmp_path, *rows) -> Path:
    path = tmp_path / "outcomes.csv"
    path.write_text(HEADER + "".join(rows))
    call_command("load_outcomes", str(path), stdout=StringIO())
    return path


def get(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def neighbour_rows(html: str) -> list[str]:
    table = html.split("and its statistical neighbours")[1].split("</table>")[0]
    return table.split('<tr class="govuk-table__row">')[2:]


def record_nottingham_2022(nottingham, grades):
    """Nottingham's inspection of July 2022 as the council recorded it (published 5 Sep)."""
    return record(nottingham, date(2022, 7, 4), date(2022, 7, 22), date(2022, 9, 5), grades)


def record(council, start, end, published, grades, kind="standard_ilacs"):
    inspection = InspectionFactory(
        council=council, kind=kind, start_date=start, end_date=end, published_on=published
    )
    inspection_set_judgements(inspection=inspection, grades=grades)
    return inspection


# The dashboard.


def test_neighbours_with_no_recorded_inspection_show_their_published_grades(client, bob, world):
    rows = neighbour_rows(get(client, bob, DASHBOARD))
    assert "No graded inspection" not in "".join(rows)
    assert "Isles of Scilly" in rows[0] and "Published by Ofsted" in rows[0]
    assert "Nottingham" in rows[1] and "5 Sep 2022" in rows[1] and "Published by Ofsted" in rows[1]
    assert "Rutland" in rows[2] and "15 Jan 2024" in rows[2] and "Outstanding" in rows[2]


def test_a_neighbours_recorded_inspection_wins_over_the_same_published_one(
    client, bob, world, nottingham
):
    # The file has care leavers inadequate; the council recorded the combined judgement.
    record_nottingham_2022(
        nottingham,
        {
            "leaders": "requires_improvement",
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": "requires_improvement",
            "overall_effectiveness": "inadequate",
        },
    )
    row = neighbour_rows(get(client, bob, DASHBOARD))[1]
    assert "4 Jul 2022" in row and "Recorded by the council" in row
    assert "Judged with children in care" in row and "with care leavers" in row


def test_a_later_published_report_wins_over_an_older_record(client, bob, world, nottingham):
    record(nottingham, date(2018, 11, 5), date(2018, 11, 16), date(2019, 1, 7), SPLIT_2018)
    row = neighbour_rows(get(client, bob, DASHBOARD))[1]
    assert "5 Sep 2022" in row and "Published by Ofsted" in row


SPLIT_2018 = {
    "leaders": "good",
    "help_and_protection": "good",
    "children_in_care_and_care_leavers": "good",
    "overall_effectiveness": "good",
}


def test_a_neighbours_unpublished_inspection_stays_its_own(client, bob, world, nottingham):
    record(
        nottingham,
        date(2026, 6, 8),
        date(2026, 6, 19),
        None,
        {
            "leaders": "outstanding",
            "help_and_protection": "outstanding",
            "children_in_care": "outstanding",
            "care_leavers": "outstanding",
        },
    )
    row = neighbour_rows(get(client, bob, DASHBOARD))[1]
    assert "8 Jun 2026" not in row and "5 Sep 2022" in row


def test_the_councils_latest_grades_come_from_the_file_until_it_records_its_own(
    client, bob, world, scilly
):
    html = get(client, bob, DASHBOARD)
    latest = html.split('id="latest-grades"')[1].split("Grades over time")[0]
    assert "From the short inspection that started 11 July 2023, published 25 August 2023" in latest
    assert "Published by Ofsted on 25 August 2023, from the national outcomes file loaded on" in (
        latest
    )
    # Grades over time: both reports, each with its source.
    history = html.split("Grades at each inspection (the data in the chart)")[1].split("</table>")[
        0
    ]
    assert "Oct 2019" in history and "Jul 2023" in history
    assert history.count("Published by Ofsted") == 2

    record(scilly, date(2023, 7, 11), date(2023, 7, 13), date(2023, 8, 25), SPLIT_GRADES)
    html = get(client, bob, DASHBOARD)
    latest = html.split('id="latest-grades"')[1].split("Grades over time")[0]
    assert "From the Standard ILACS inspection of 11 to 13 July 2023" in latest
    assert "Recorded by the council, last changed" in latest
    history = html.split("Grades at each inspection (the data in the chart)")[1].split("</table>")[
        0
    ]
    assert history.count("Published by Ofsted") == 1
    assert history.count("Recorded by the council") == 1


def test_the_dashboard_compares_the_council_with_england_and_its_region(client, bob, world):
    html = get(client, bob, DASHBOARD)
    section = html.split("Compared with England and South West")[1].split("Choose the figures")[0]
    assert "3 councils in England, 1 in South West" in section
    shares = section.split("by judgement (the data in the chart)")[1].split("</table>")[0]
    overall = shares.split("Overall effectiveness")[1].split("</tbody>")[0]
    # England: Rutland good, Scilly and Nottingham inadequate; the South West: Scilly.
    assert "33% (1)" in overall and "67% (2)" in overall and "100% (1)" in overall
    standing = section.split("Where Isles of Scilly stands")[1].split("</dl>")[0]
    assert (
        "Of the other councils in England, 1 is graded higher, 1 the same and 0 lower" in standing
    )
    assert "How the grades moved over the years" in section
    assert section.count('class="app-chart" role="img"') == 3


def test_a_load_that_changes_the_file_refreshes_a_cached_dashboard(client, bob, world, tmp_path):
    before = neighbour_rows(get(client, bob, DASHBOARD))[2]
    assert "Outstanding" in before
    load(
        tmp_path,
        SCILLY_2023,
        SCILLY_2019,
        NOTTINGHAM_2022,
        RUTLAND_2024.replace(",good,good,good,outstanding,good,", ",good,good,good,good,good,"),
    )
    after = neighbour_rows(get(client, bob, DASHBOARD))[2]
    assert "Rutland" in after and "Outstanding" not in after


def test_a_council_with_no_file_loaded_still_has_a_dashboard(client, bob, scilly):
    html = get(client, bob, DASHBOARD)
    assert "No graded inspection has been recorded." in html
    assert "Compared with England" not in html


# The council page and the inspection page.


def test_the_council_page_shows_the_latest_published_grades_and_the_next_inspection(
    client, bob, world
):
    html = get(client, bob, "/councils/isles-of-scilly/")
    assert "From the short inspection that started 11 July 2023" in html
    assert "Published by Ofsted on 25 August 2023" in html
    nxt = html.split("Next inspection")[1].split("Published outcomes")[0]
    assert "Monitoring visits until a standard re-inspection" in nxt
    assert "How this was estimated" in nxt and "Counted from the short inspection" in nxt
    assert 'href="/national/isles-of-scilly/"' in html


def test_a_disagreement_is_shown_to_the_councils_officers(client, world, nottingham):
    recorded = record_nottingham_2022(
        nottingham,
        {
            "leaders": "requires_improvement",
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": "requires_improvement",
            "overall_effectiveness": "inadequate",
        },
    )
    officer = UserFactory(username="nora")
    MembershipFactory(user=officer, council=nottingham, role=Role.OFFICER)
    reader = UserFactory(username="len")
    MembershipFactory(user=reader, council=nottingham, role=Role.LEAD_MEMBER)
    message = "Care leavers: Inadequate in the file, judged with children in care in your record"
    assert message in get(client, officer, "/councils/nottingham/")
    assert message not in get(client, reader, "/councils/nottingham/")
    page = get(client, officer, f"/councils/nottingham/inspections/{recorded.pk}/")
    assert "Care leavers: Inadequate in the file, judged with children in care in this record" in (
        page
    )
    assert "The grades as Ofsted published them" in page
    reader_page = get(client, reader, f"/councils/nottingham/inspections/{recorded.pk}/")
    assert "in the file" not in reader_page
    assert "The grades as Ofsted published them" in reader_page


def test_records_that_agree_with_the_file_show_no_warning(client, alice, world, scilly):
    record(
        scilly,
        date(2023, 7, 11),
        date(2023, 7, 13),
        date(2023, 8, 25),
        SPLIT_GRADES,
        kind="short_ilacs",
    )
    html = get(client, alice, "/councils/isles-of-scilly/")
    assert "differs from your record" not in html


# The home page and the overview.


def test_the_home_page_shows_each_councils_latest_grades(client, bob, world):
    html = get(client, bob, "/")
    row = html.split("Isles of Scilly</a>")[1].split("</tr>")[0]
    assert "Overall: " in row and "Inadequate" in row
    assert "Inspected Jul 2023; Published by Ofsted on 25 August 2023" in row


def test_the_overview_shows_every_councils_latest_grades_and_next_inspection(
    client, helen, world, nottingham
):
    html = get(client, helen, "/overview/")
    rutland = html.split("Rutland<span")[1].split("</tr>")[0]
    assert "15 Jan 2024" in rutland and "Standard inspection, published by Ofsted" in rutland
    assert "Overall: " in rutland and "Good" in rutland
    assert "Inspected Jan 2024, published by Ofsted" in rutland
    assert "Short inspection" in rutland and "Likely " in rutland
    cornwall = html.split("Cornwall<span")[1].split("</tr>")[0]
    assert "No inspection recorded" in cornwall and "Not known" in cornwall

    # The council's record wins for the same inspection: grade filters and sorts follow it.
    record_nottingham_2022(
        nottingham,
        SPLIT_2018 | {"overall_effectiveness": "requires_improvement"},
    )
    client.force_login(helen)
    names = [c.name for c in client.get("/overview/?grade=inadequate").context["councils"]]
    assert names == ["Isles of Scilly"]
    names = [c.name for c in client.get("/overview/?sort=grade").context["councils"]]
    assert names == ["Isles of Scilly", "Nottingham", "Rutland", "Cornwall"]
    names = [c.name for c in client.get("/overview/?sort=-latest").context["councils"]]
    assert names == ["Rutland", "Isles of Scilly", "Nottingham", "Cornwall"]


def test_the_overview_and_the_council_page_give_the_same_next_inspection_window(
    client, helen, world, nottingham
):
    # The file has no fieldwork dates for Nottingham's 2022 report; the council's record has.
    record_nottingham_2022(
        nottingham,
        SPLIT_2018 | {"overall_effectiveness": "requires_improvement"},
    )
    client.force_login(helen)
    row = next(c for c in client.get("/overview/").context["councils"] if c.name == "Nottingham")
    on_council_page = outcome_selectors.next_inspection(nottingham, as_of=timezone.localdate())
    assert row.estimate.window_from == on_council_page.window_from
    assert row.estimate.window_to == on_council_page.window_to
    assert row.estimate.how[0].startswith("Counted from the standard inspection that started 4")
    html = get(client, helen, "/councils/nottingham/")
    assert f"{on_council_page.window_from:%B %Y}" in html


def test_councils_that_ceased_to_exist_are_left_out_of_the_overview(client, helen, world):
    CouncilFactory(name="Poole", slug="poole", dfe_code="836", region="South West", ceased=True)
    client.force_login(helen)
    names = [c.name for c in client.get("/overview/").context["councils"]]
    assert "Poole" not in names and "Cornwall" in names


# The report importer reads the report itself.


def test_importing_a_report_reads_its_grades_never_the_national_file(
    client, alice, scilly, tmp_path
):
    scilly.urn = "80455"
    scilly.save()
    load(tmp_path, SCILLY_2023.replace("inadequate,inadequate,inadequate", "good,good,good"))
    client.force_login(alice)
    values = form_values(upload(client))
    assert values["grade_leaders"] == "inadequate"
    assert values["grade_overall_effectiveness"] == "inadequate"
    source = (Path(__file__).parents[1] / "inspections" / "importing.py").read_text()
    assert "outcomes" not in source
