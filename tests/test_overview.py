"""The overview of every council, for platform admins."""

import pytest

from .factories import CouncilFactory
from .helpers import overview_councils

pytestmark = pytest.mark.django_db

URL = "/overview/"


@pytest.fixture
def councils(scilly, nottingham, alice):
    return overview_councils(scilly, nottingham, alice)


def rows(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode(), [c.name for c in response.context["councils"]]


def test_it_lists_every_council_with_its_latest_inspection_grades_milestone_and_progress(
    client, helen, councils
):
    client.force_login(helen)
    html, names = rows(client)
    assert names == ["Isles of Scilly", "Nottingham", "Rutland"]
    scilly_row = html.split("Isles of Scilly<span")[1].split("</tr>")[0]
    assert "11 Jul 2023" in scilly_row and "Standard ILACS inspection" in scilly_row
    assert "Overall: " in scilly_row and "Inadequate" in scilly_row
    assert "50%" in scilly_row and "of 2 actions" in scilly_row
    assert "Monitoring visit, February 2024" in scilly_row and "Overdue" in scilly_row
    nottingham_row = html.split("Nottingham<span")[1].split("</tr>")[0]
    # From April 2026 there is no overall grade: the four judgements instead.
    assert "Overall" not in nottingham_row
    assert "Care leavers: " in nottingham_row and "Outstanding" in nottingham_row
    assert "Overdue" not in nottingham_row and "No actions" in nottingham_row
    rutland_row = html.split("Rutland<span")[1].split("</tr>")[0]
    assert "No inspection recorded" in rutland_row and "None open" in rutland_row


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?region=East+Midlands", ["Nottingham", "Rutland"]),
        ("?grade=inadequate", ["Isles of Scilly"]),
        ("?overdue=on", ["Isles of Scilly"]),
        ("?inspected=on", ["Isles of Scilly", "Nottingham"]),
        ("?sort=-name", ["Rutland", "Nottingham", "Isles of Scilly"]),
        ("?sort=region", ["Nottingham", "Rutland", "Isles of Scilly"]),
        ("?sort=-latest", ["Nottingham", "Isles of Scilly", "Rutland"]),
        ("?sort=grade", ["Isles of Scilly", "Nottingham", "Rutland"]),
        ("?sort=-complete", ["Isles of Scilly", "Nottingham", "Rutland"]),
        ("?sort=milestone", ["Isles of Scilly", "Nottingham", "Rutland"]),
        ("?sort=-milestone", ["Nottingham", "Isles of Scilly", "Rutland"]),
    ],
)
def test_it_filters_and_sorts(client, helen, councils, query, expected):
    client.force_login(helen)
    assert rows(client, query)[1] == expected


def test_it_pages_through_many_councils(client, helen, councils):
    for n in range(30):
        CouncilFactory(name=f"Zed council {n:02d}")
    client.force_login(helen)
    html, names = rows(client)
    assert len(names) == 25 and "33 councils" in html and "page 1 of 2" in html
    assert rows(client, "?page=2")[1][-1] == "Zed council 29"


@pytest.mark.parametrize(
    "query, message",
    [
        ("?region=Atlantis", "Choose a region from the list: showing every region"),
        ("?grade=brilliant", "Choose a grade from the list: showing every grade"),
        ("?sort=shoe-size", "Sort by a column heading of the table: showing councils by name"),
        ("?page=banana", "3 councils"),
    ],
)
def test_bad_input_is_reported_and_ignored(client, helen, councils, query, message):
    client.force_login(helen)
    html, names = rows(client, query)
    assert message in html
    assert names == ["Isles of Scilly", "Nottingham", "Rutland"]


def test_an_htmx_request_answers_the_results_alone(client, helen, councils):
    client.force_login(helen)
    response = client.get(URL + "?region=South+West", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert 'hx-swap-oob="innerHTML">1 council found' in html


def test_a_history_restore_gets_the_whole_page(client, helen, councils):
    client.force_login(helen)
    response = client.get(
        URL + "?region=South+West",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" in html
    assert "Filter councils" in html
    assert "hx-swap-oob" not in html


def test_sort_links_work_without_javascript_and_mark_the_sorted_column(client, helen, councils):
    client.force_login(helen)
    html, _ = rows(client, "?sort=-complete&region=South+West")
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=complete&amp;region=' in html
    assert 'hx-get="?sort=name&amp;region=South+West"' in html


def test_council_names_are_escaped(client, helen, councils):
    CouncilFactory(name="<script>alert(1)</script>", slug="script")
    client.force_login(helen)
    html, _ = rows(client)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_header_links_to_the_overview_for_platform_admins_only(client, helen, alice):
    client.force_login(helen)
    assert 'href="/overview/"' in client.get("/").content.decode()
    client.force_login(alice)
    assert 'href="/overview/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("user", ["alice", "bob", "sam", "dina", "charlie"])
def test_everyone_else_signed_in_is_refused(client, councils, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.get(URL)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see every council" in html
    assert "lets you read its inspections" not in html


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_read_only_role_refused_a_change_is_told_why(client, bob, councils):
    client.force_login(bob)
    response = client.post("/councils/isles-of-scilly/inspections/new/")
    assert response.status_code == 403
    assert "You cannot change this" in response.content.decode()
