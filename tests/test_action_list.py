"""The council's actions list: filters, sorting, pagination, bulk assignment and exports."""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from actions.models import Action

from .factories import (
    ActionFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/councils/isles-of-scilly/actions/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def on_1_may_2024():
    with time_machine.travel(date(2024, 5, 1), tick=False):
        yield


@pytest.fixture
def recommendations(scilly):
    inspection = InspectionFactory(council=scilly)
    return [
        RecommendationFactory(inspection=inspection, position=1),
        RecommendationFactory(inspection=inspection, position=2),
    ]


@pytest.fixture
def actions(recommendations, alice):
    first, second = recommendations
    overdue = ActionFactory(
        recommendation=first, title="Overdue audit", owner_name="Ann", due_on=date(2024, 4, 1)
    )
    soon = ActionFactory(
        recommendation=first, title="Soon training", owner_name="Ben", due_on=date(2024, 5, 20)
    )
    later = ActionFactory(
        recommendation=second, title="Later review", owner_name="Ann", due_on=date(2024, 12, 1)
    )
    done = ActionFactory(
        recommendation=second,
        title="Done panel",
        owner_name="Cat",
        due_on=date(2024, 2, 1),
        status="complete",
        rag="blue",
        percent_complete=100,
        evidence_of_impact="Panel meets monthly",
    )
    ProgressUpdateFactory(action=soon, author=alice, narrative="Sessions booked for May.")
    return {"overdue": overdue, "soon": soon, "later": later, "done": done}


def titles(response):
    return [a.title for a in response.context["page"].object_list]


def test_the_list_shows_every_action_open_ones_soonest_first_then_complete_ones(
    client, alice, actions
):
    client.force_login(alice)
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Overdue audit", "Soon training", "Later review", "Done panel"]
    html = response.content.decode()
    assert "Sessions booked for May." in html
    assert html.count('govuk-tag--red">Overdue') == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=complete", ["Done panel"]),
        ("rag=blue", ["Done panel"]),
        ("owner=Ann", ["Overdue audit", "Later review"]),
        ("overdue=on", ["Overdue audit"]),
        ("due_within=30", ["Soon training"]),
        ("q=training", ["Soon training"]),
        ("q=TRAINING&owner=Ann", []),
        ("sort=-due", ["Later review", "Soon training", "Overdue audit", "Done panel"]),
        ("sort=title", ["Done panel", "Later review", "Overdue audit", "Soon training"]),
        ("sort=status", ["Overdue audit", "Soon training", "Later review", "Done panel"]),
    ],
)
def test_filters_and_sorting(client, alice, actions, query, expected):
    client.force_login(alice)
    assert titles(client.get(f"{LIST}?{query}")) == expected


def test_filtering_by_recommendation(client, alice, actions, recommendations):
    client.force_login(alice)
    response = client.get(f"{LIST}?recommendation={recommendations[1].pk}")
    assert titles(response) == ["Later review", "Done panel"]


def test_bad_filter_values_are_explained_and_ignored_not_500(client, alice, actions):
    client.force_login(alice)
    response = client.get(f"{LIST}?due_within=soon&status=nonsense&sort=evil&page=999")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the number of days as a whole number" in html
    assert len(titles(response)) == 4


def test_the_days_box_is_a_numeric_text_box_not_a_number_input(client, alice, actions):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    box = re.search(r'<input[^>]*name="due_within"[^>]*>', html)[0]
    assert 'type="text"' in box and 'inputmode="numeric"' in box, box


@pytest.mark.parametrize(
    "query, message",
    [
        ("sort=zzz", "That order is not one the list offers: sorted by due date"),
        ("q=%00", "Search for letters and numbers: showing every action"),
        (f"q={'x' * 5000}", "Search for at most 200 characters: showing every action"),
        ("owner=%00", "Choose an owner from the list: showing anyone&#x27;s"),
        ("status=nonsense", "Choose a status from the list: showing any status"),
        ("rag=purple", "Choose a RAG rating from the list: showing any"),
        ("recommendation=abc", "Choose a recommendation from the list: showing every one"),
    ],
)
def test_each_bad_filter_says_what_is_shown_instead(client, alice, actions, query, message):
    client.force_login(alice)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<title>Error: Actions" in html
    assert len(titles(response)) == 4


def test_a_sort_chosen_by_a_heading_is_drawn_again_with_the_results(client, alice, actions):
    client.force_login(alice)
    html = client.get(f"{LIST}?sort=-due&owner=Ann", headers=HTMX).content.decode()
    assert '<div id="action-sort" hx-swap-oob="true">' in html
    assert 'name="sort" value="-due"' in html
    assert '<span class="app-sort" aria-hidden="true"> ▼</span>' in html


def test_an_htmx_filter_returns_only_the_results_with_an_announcement(client, alice, actions):
    client.force_login(alice)
    response = client.get(f"{LIST}?owner=Ann", headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert '<div id="live-region" hx-swap-oob="innerHTML">2 actions found</div>' in html
    # Sort and page links keep the filters, so the pushed URL can be shared.
    assert 'href="?owner=Ann&amp;sort=title"' in html
    assert 'hx-get="?owner=Ann&amp;sort=title"' in html


def test_the_address_pushed_for_an_htmx_filter_leaves_out_empty_fields(client, alice, actions):
    client.force_login(alice)
    response = client.get(f"{LIST}?q=&status=&owner=Ann&rag=&due_within=", headers=HTMX)
    assert response["HX-Push-Url"] == f"{LIST}?owner=Ann"
    response = client.get(f"{LIST}?q=&status=", headers=HTMX)
    assert response["HX-Push-Url"] == LIST


def test_a_history_restore_gets_the_whole_page(client, alice, actions):
    client.force_login(alice)
    response = client.get(LIST, headers=HTMX | {"HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_the_list_paginates_25_at_a_time(client, alice, recommendations):
    ActionFactory.create_batch(30, recommendation=recommendations[0])
    client.force_login(alice)
    assert len(titles(client.get(LIST))) == 25
    response = client.get(f"{LIST}?page=2")
    assert len(titles(response)) == 5
    assert "page 2 of 2" in response.content.decode()


def test_free_text_is_escaped_in_the_list(client, alice, recommendations):
    ActionFactory(recommendation=recommendations[0], title="<script>alert(1)</script>")
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_unbroken_narrative_is_cut_short_in_the_list(client, alice, recommendations):
    action = ActionFactory(recommendation=recommendations[0])
    ProgressUpdateFactory(action=action, author=alice, narrative="x" * 10_000)
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    assert "x" * 159 + "…" in html
    assert "x" * 160 not in html


def test_the_list_shows_no_edit_controls_to_a_lead_member(client, bob, actions):
    client.force_login(bob)
    html = client.get(LIST).content.decode()
    assert "Add update" not in html
    assert "bulk-assign" not in html


def test_scrutiny_may_read_the_list(client, sam, actions):
    client.force_login(sam)
    assert client.get(LIST).status_code == 200


def test_another_council_sees_404(client, charlie, actions):
    client.force_login(charlie)
    assert client.get(LIST).status_code == 404
    assert client.get("/councils/nottingham/actions/").context["page"].paginator.count == 0


# Bulk assignment


def bulk_post(*actions, **overrides):
    data = {
        "actions": [a.pk for a in actions],
        "owner_name": "Joel Penrose",
        "owner": "",
        "revised_due_on_0": "",
        "revised_due_on_1": "",
        "revised_due_on_2": "",
        "revision_reason": "",
        "query": "owner=Ann&sort=title",
    }
    data |= {f"version-{a.pk}": a.version for a in actions}
    return data | overrides


def test_an_officer_assigns_an_owner_and_date_to_selected_actions(client, alice, actions):
    client.force_login(alice)
    picked = [actions["overdue"], actions["later"]]
    response = client.post(
        f"{LIST}assign/",
        bulk_post(
            *picked,
            revised_due_on_0="30",
            revised_due_on_1="6",
            revised_due_on_2="2024",
            revision_reason="New owner needs time",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?owner=Ann&sort=title"
    for action in picked:
        action.refresh_from_db()
        assert (action.owner_name, action.current_due_on) == ("Joel Penrose", date(2024, 6, 30))
    assert Action.objects.get(pk=actions["soon"].pk).owner_name == "Ben"
    assert "2 actions assigned" in client.get(response["Location"]).content.decode()


def test_one_action_assigned_is_reported_in_the_singular(client, alice, actions):
    client.force_login(alice)
    response = client.post(f"{LIST}assign/", bulk_post(actions["later"]), follow=True)
    assert "1 action assigned" in response.content.decode()


def test_bulk_assignment_without_a_selection_or_change_explains_and_changes_nothing(
    client, alice, actions
):
    client.force_login(alice)
    response = client.post(f"{LIST}assign/", bulk_post(owner_name="") | {"actions": []})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select at least one action" in html
    assert "Enter a new owner or a new due date" in html
    assert not Action.objects.filter(version__gt=1).exists()


def test_bulk_assignment_with_a_version_beyond_the_column_is_refused(client, alice, actions):
    client.force_login(alice)
    picked = actions["overdue"]
    response = client.post(
        f"{LIST}assign/", bulk_post(picked) | {f"version-{picked.pk}": "2147483648"}
    )
    assert response.status_code == 200
    assert "The form was incomplete: reload the list" in response.content.decode()
    assert not Action.objects.filter(version__gt=1).exists()


def test_bulk_assignment_from_a_stale_list_is_refused_whole(client, alice, dina, actions):
    client.force_login(alice)
    stale = bulk_post(actions["overdue"], actions["soon"])
    client.post(f"{LIST}assign/", bulk_post(actions["soon"], owner_name="Dina"))
    response = client.post(f"{LIST}assign/", stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was assigned: someone else changed these actions" in html
    assert "Soon training" in html
    assert Action.objects.get(pk=actions["overdue"].pk).owner_name == "Ann"
    assert Action.objects.get(pk=actions["soon"].pk).owner_name == "Dina"


def test_bulk_assignment_cannot_reach_another_councils_actions(client, alice, actions, nottingham):
    theirs = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    )
    client.force_login(alice)
    response = client.post(f"{LIST}assign/", bulk_post(theirs))
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.version == 1


def test_bulk_assignment_refuses_get_and_read_only_roles(client, alice, bob, actions):
    client.force_login(alice)
    assert client.get(f"{LIST}assign/").status_code == 405
    client.force_login(bob)
    assert client.post(f"{LIST}assign/", bulk_post(actions["soon"])).status_code == 403
    assert Action.objects.get(pk=actions["soon"].pk).owner_name == "Ben"


# Exports


def test_the_csv_export_has_the_same_filters_and_guards_against_formulas(
    client, sam, actions, recommendations
):
    ActionFactory(
        recommendation=recommendations[0], title='=HYPERLINK("http://evil")', owner_name="Ann"
    )
    client.force_login(sam)
    response = client.get(f"{LIST}export.csv?owner=Ann&sort=title")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="isles-of-scilly-actions-2024-05-01.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Reference", "Inspection", "Recommendation", "Action"]
    assert [row[3] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil")',
        "Later review",
        "Overdue audit",
    ]
    overdue = rows[3]
    assert overdue[6] == "2024-04-01" and overdue[9] == "Yes"


def test_the_excel_export_has_the_same_rows_and_guards_against_formulas(
    client, alice, actions, recommendations
):
    ActionFactory(recommendation=recommendations[0], title="+SUM(A1)", owner_name="Ann")
    client.force_login(alice)
    response = client.get(f"{LIST}export.xlsx?owner=Ann&sort=title")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert [row[3] for row in values[1:]] == ["'+SUM(A1)", "Later review", "Overdue audit"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[3][6].date() == date(2024, 4, 1)


def test_the_excel_export_is_ready_to_work_in(client, alice, actions):
    """Typed dates and percentages, set widths, a frozen header and a filter over every row."""
    client.force_login(alice)
    response = client.get(f"{LIST}export.xlsx?sort=title")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"
    assert sheet.column_dimensions["D"].width == 40
    due = sheet.cell(row=2, column=7)
    assert due.is_date and due.number_format == "d mmm yyyy"
    percent = sheet.cell(row=2, column=13)
    assert percent.number_format == "0%"
    assert 0 <= percent.value <= 1
    assert sheet.cell(row=1, column=13).value == "Percent complete"


def test_exports_answer_404_to_another_council(client, charlie, actions):
    client.force_login(charlie)
    assert client.get(f"{LIST}export.csv").status_code == 404
    assert client.get(f"{LIST}export.xlsx").status_code == 404


def test_the_exports_call_an_action_closed_unfinished_what_the_page_calls_it(
    client, alice, actions
):
    Action.objects.filter(pk=actions["later"].pk).update(
        ended_on=date(2024, 4, 20), end_reason="Replaced by the new plan", status="in_progress"
    )
    client.force_login(alice)
    sheet = load_workbook(io.BytesIO(client.get(f"{LIST}export.xlsx?sort=title").content)).active
    rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Later review"][10] == "Closed unfinished (it was in progress when closed)"
    assert rows["Later review"][9] == "No"


def test_an_action_closed_unfinished_cannot_be_picked_for_a_bulk_change(client, alice, actions):
    Action.objects.filter(pk=actions["later"].pk).update(
        ended_on=date(2024, 4, 20), end_reason="Replaced by the new plan", status="in_progress"
    )
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    assert f'id="select-{actions["later"].pk}"' not in html
    assert "Closed unfinished: no change can be made to it" in html
    assert f'id="select-{actions["soon"].pk}"' in html
