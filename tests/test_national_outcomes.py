"""The national outcomes page: every council's latest published grades, for everyone signed in;
public data only, filtered, sorted, paged and exported."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from inspections.services import inspection_set_judgements

from .factories import CouncilFactory, InspectionFactory
from .helpers import OUTCOME_NOTTINGHAM_2022 as NOTTINGHAM_2022
from .helpers import OUTCOME_SCILLY_2019 as SCILLY_2019
from .helpers import OUTCOME_SCILLY_2023 as SCILLY_2023
from .helpers import OUTCOMES_HEADER as HEADER

pytestmark = pytest.mark.django_db

URL = "/national/"
SCRIPT = "<script>alert(1)</script>"
RUTLAND_2024 = (
    "80500,rutland,https://files.ofsted.gov.uk/v1/file/1,report.pdf,01/03/24,standard,A N Other,"
    "15/01/2024,26/01/2024,good,good,good,outstanding,good,1\n"
)
SCRIPT_COUNCIL_2025 = (
    "80600,x,https://files.ofsted.gov.uk/v1/file/2,report.pdf,01/03/25,short,=HYPERLINK(1),"
    "13/01/2025,17/01/2025,outstanding,outstanding,outstanding,outstanding,outstanding,1\n"
)


@pytest.fixture
def national(tmp_path, scilly, nottingham):
    scilly.urn, scilly.region = "80455", "South West"
    scilly.save()
    nottingham.urn, nottingham.region, nottingham.la_type = "80533", "East Midlands", "Metropolitan"
    nottingham.save()
    CouncilFactory(
        name="Rutland", slug="rutland", dfe_code="857", urn="80500", region="East Midlands"
    )
    CouncilFactory(name="<script>alert(1)</script>", slug="script", dfe_code="858", urn="80600")
    path = tmp_path / "outcomes.csv"
    path.write_text(
        HEADER + SCILLY_2023 + SCILLY_2019 + NOTTINGHAM_2022 + RUTLAND_2024 + SCRIPT_COUNCIL_2025
    )
    call_command("load_outcomes", str(path), stdout=StringIO())


def names(response):
    return [row.council.name for row in response.context["page"].object_list]


def test_every_signed_in_person_sees_every_councils_latest_grades(client, charlie, national):
    client.force_login(charlie)  # an officer at Nottingham reads every council's
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 councils" in html
    assert names(response) == [SCRIPT, "Isles of Scilly", "Nottingham", "Rutland"]
    scilly = html.split("Isles of Scilly<span")[1].split("</tr>")[0]
    assert "11 Jul 2023" in scilly and "Short inspection" in scilly
    assert scilly.count("Inadequate") == 3 and scilly.count("Requires improvement") == 2
    nottingham = html.split("Nottingham<span")[1].split("</tr>")[0]
    # No fieldwork dates in the file: the publication date stands in.
    assert "5 Sep 2022" in nottingham and "published 5 Sep 2022" in nottingham
    assert "Published by Ofsted, from the national outcomes file loaded on" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_nothing_a_council_recorded_shows_there(client, bob, national, scilly):
    recorded = InspectionFactory(
        council=scilly,
        start_date=date(2026, 6, 8),
        end_date=date(2026, 6, 12),
        published_on=None,
    )
    inspection_set_judgements(
        inspection=recorded,
        grades={
            "leaders": "outstanding",
            "help_and_protection": "outstanding",
            "children_in_care": "outstanding",
            "care_leavers": "outstanding",
        },
    )
    client.force_login(bob)
    html = client.get(URL).content.decode()
    scilly_row = html.split("Isles of Scilly<span")[1].split("</tr>")[0]
    assert "Jun 2026" not in scilly_row and "Outstanding" not in scilly_row
    history = client.get("/national/isles-of-scilly/").content.decode()
    assert "2026" not in history.split("<table")[1]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?region=East+Midlands", ["Nottingham", "Rutland"]),
        ("?la_type=Metropolitan", ["Nottingham"]),
        ("?grade=inadequate", ["Isles of Scilly", "Nottingham"]),
        ("?judgement=in_care&grade=outstanding", ["<script>alert(1)</script>", "Rutland"]),
        ("?judgement=care_leavers&grade=requires_improvement", ["Isles of Scilly"]),
        ("?year=2023", ["Isles of Scilly"]),
        ("?year=2022", ["Nottingham"]),
        ("?sort=-name", ["Rutland", "Nottingham", "Isles of Scilly", "<script>alert(1)</script>"]),
        (
            "?sort=overall_effectiveness",
            ["<script>alert(1)</script>", "Rutland", "Isles of Scilly", "Nottingham"],
        ),  # noqa: E501
        (
            "?sort=-overall_effectiveness",
            ["Isles of Scilly", "Nottingham", "Rutland", "<script>alert(1)</script>"],
        ),  # noqa: E501
        (
            "?sort=-inspected",
            ["<script>alert(1)</script>", "Rutland", "Isles of Scilly", "Nottingham"],
        ),  # noqa: E501
        ("?sort=region&region=East+Midlands", ["Nottingham", "Rutland"]),
    ],
)
def test_it_filters_and_sorts(client, bob, national, query, expected):
    client.force_login(bob)
    assert names(client.get(URL + query)) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ("?region=Atlantis", "Choose a region from the list: showing every region"),
        ("?grade=brilliant", "Choose a grade from the list: showing every grade"),
        ("?year=banana", "Choose a year from the list: showing every year"),
        ("?sort=shoe-size", "Sort by a column heading of the table: showing councils by name"),
        ("?page=banana", "4 councils"),
    ],
)
def test_bad_filters_are_reported_and_ignored(client, bob, national, query, message):
    client.force_login(bob)
    response = client.get(URL + query)
    assert message in response.content.decode()
    assert len(names(response)) == 4


def test_an_htmx_filter_answers_the_results_alone_with_the_address_of_the_filters(
    client, bob, national
):
    client.force_login(bob)
    response = client.get(
        URL + "?region=East+Midlands&la_type=&grade=", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert 'hx-swap-oob="innerHTML">2 councils found' in html
    assert response["HX-Push-Url"] == "/national/?region=East+Midlands"


def test_the_csv_has_the_filtered_councils_with_formulas_made_inert(client, bob, national):
    client.force_login(bob)
    response = client.get("/national/outcomes.csv?sort=name")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="national-outcomes-')
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Council", "Ofsted URN", "Region", "Type", "Inspection"]
    assert [row[0] for row in rows[1:]] == [
        "<script>alert(1)</script>",
        "Isles of Scilly",
        "Nottingham",
        "Rutland",
    ]
    assert rows[1][8] == "'=HYPERLINK(1)"
    scilly = rows[2]
    assert scilly[4:8] == ["Short inspection", "2023-07-11", "2023-07-13", "2023-08-25"]
    assert scilly[9] == "Inadequate"
    filtered = client.get("/national/outcomes.csv?region=East+Midlands").content.decode()
    assert len(filtered.strip().splitlines()) == 3


def test_a_councils_history_lists_its_reports_with_what_the_file_says(client, bob, national):
    client.force_login(bob)
    response = client.get("/national/isles-of-scilly/")
    assert response.status_code == 200
    html = response.content.decode()
    # A chart of the grades over the years, its points in date order, the table beside it.
    chart = html.split("<svg")[1].split("</svg>")[0]
    assert "Grades at each inspection, by judgement" in chart
    assert chart.index("Oct 2019") < chart.index("Jul 2023")
    table = html.split("<tbody")[1]
    assert table.index("25 Aug 2023") < table.index("19 Dec 2019")
    older = table.split("19 Dec 2019")[1]
    # The 2018 framework's children in care judgement covers care leavers too.
    assert "with care leavers" in older and "Judged with children in care" in older
    assert 'href="https://files.ofsted.gov.uk/v1/file/50135438"' in older
    assert client.get("/national/nowhere/").status_code == 404


def test_the_page_says_when_no_file_has_been_loaded(client, bob):
    client.force_login(bob)
    html = client.get(URL).content.decode()
    assert "The national outcomes file has not been loaded yet" in html
    assert "0 councils" in html


def test_the_shipped_file_lists_153_councils_fifty_to_a_page(client, bob):
    call_command("load_councils", stdout=StringIO())
    call_command("load_outcomes", stdout=StringIO())
    client.force_login(bob)
    response = client.get(URL)
    html = response.content.decode()
    assert "153 councils" in html and "page 1 of 4" in html
    assert len(names(response)) == 50
    assert len(names(client.get(URL + "?page=4"))) == 3
    lines = client.get("/national/outcomes.csv").content.decode().strip().splitlines()
    assert len(lines) == 154


def test_the_header_links_to_the_national_page_for_everyone_signed_in(client, charlie):
    client.force_login(charlie)
    assert 'href="/national/"' in client.get("/").content.decode()


def test_anonymous_people_are_sent_to_sign_in(client):
    for url in (URL, "/national/outcomes.csv", "/national/isles-of-scilly/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
