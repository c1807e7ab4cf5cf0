"""The council dashboard: grades, neighbours, milestones, figures, exceptions and travel."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from actions.services import action_add_progress, action_close
from councils.models import StatisticalNeighbour
from inspections.models import BankHolidayChange
from inspections.services import (
    inspection_set_judgements,
    milestone_add_agreed,
    milestone_record_done,
)

from .factories import (
    ActionFactory,
    CouncilFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)
from .helpers import SPLIT_GRADES

pytestmark = pytest.mark.django_db

URL = "/councils/isles-of-scilly/dashboard/"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def plan(scilly, alice, today):
    """A graded inspection with two recommendations and actions in every state."""
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    first, second = (RecommendationFactory(inspection=inspection, position=n) for n in (1, 2))
    late = ActionFactory(
        recommendation=first,
        title="Audit strategy discussions",
        owner_name="Morwenna Jenkins",
        due_on=date(2024, 3, 31),
    )
    ProgressUpdateFactory(action=late, author=alice, narrative="Audits slipped: staff sickness.")
    slipping = ActionFactory(
        recommendation=first, title="Recruit two social workers", due_on=today + timedelta(60)
    )
    action_add_progress(
        action=slipping,
        expected_version=1,
        user=alice,
        narrative="Recruitment has stalled.",
        status="in_progress",
        rag="red",
        percent_complete=20,
    )
    on_track = ActionFactory(
        recommendation=second, title="Train managers", due_on=today + timedelta(90)
    )
    done = ActionFactory(recommendation=second, title="Publish the practice standards")
    action_close(
        action=done,
        expected_version=1,
        user=alice,
        evidence_of_impact="Standards read by every team.",
        narrative="Published.",
    )
    return {
        "inspection": inspection,
        "recommendations": (first, second),
        "late": late,
        "slipping": slipping,
        "on_track": on_track,
        "done": done,
    }


def page(client, user, query="", **headers):
    client.force_login(user)
    response = client.get(URL + query, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_latest_grades(client, bob, plan):
    html = page(client, bob)
    assert "Latest grades" in html
    assert "The impact of leaders on social work practice" in html
    assert "Grades at each inspection (the data in the chart)" in html


def test_it_counts_actions_by_status_and_rag_with_percentages_and_charts(client, bob, plan):
    html = page(client, bob)
    assert "1 of 4 (25%)" in html  # complete
    assert "Actions by status (the data in the chart)" in html
    assert "Actions by RAG rating (the data in the chart)" in html
    assert html.count('class="app-chart" role="img"') == 3  # grades, status, RAG
    # Tags carry words: colour only reinforces them.
    assert 'Red<span class="govuk-visually-hidden"> (slipped)</span>' in html
    assert "Blocked" in html


def test_it_shows_percent_complete_per_recommendation(client, bob, plan):
    html = page(client, bob)
    assert "Progress by recommendation" in html
    assert "1. The quality of practice" in html
    assert "0 (0%)" in html  # recommendation 1: none of its two complete
    assert "1 (50%)" in html  # recommendation 2: one of two


def test_the_exception_list_has_red_overdue_and_blocked_actions_with_their_narrative(
    client, bob, plan
):
    html = page(client, bob)
    exceptions = html.split('id="exceptions">Exceptions</h3>')[1].split("</table>")[0]
    assert "Audit strategy discussions" in exceptions  # overdue (due 31 March 2024)
    assert "Morwenna Jenkins" in exceptions
    assert "Audits slipped: staff sickness." in exceptions
    assert "Overdue" in exceptions
    assert "Recruit two social workers" in exceptions  # red
    assert "Recruitment has stalled." in exceptions
    assert f'href="/councils/isles-of-scilly/actions/{plan["late"].pk}/"' in exceptions
    assert "Train managers" not in exceptions  # green and on time
    assert "Publish the practice standards" not in exceptions  # complete


def travel_count(html: str, label: str) -> int:
    """The figure beside a direction-of-travel label (which ends with the date)."""
    found = re.search(
        rf'{re.escape(label)}[^<]*</dt><dd class="govuk-summary-list__value">(\d+)<', html
    )
    assert found, label
    return int(found[1])


def test_direction_of_travel_lists_completions_rag_changes_and_new_overdue(
    client, bob, plan, today
):
    html = page(client, bob)
    travel = html.split("Direction of travel since")[1]
    assert 'Actions completed</dt><dd class="govuk-summary-list__value">1<' in travel
    assert travel_count(travel, "Actions rated worse than on") == 1
    assert "Recruit two social workers" in travel  # green to red, listed
    assert "Worse" in travel
    # The late action fell due long before the 28 days the dashboard looks back by default.
    assert 'Newly overdue</dt><dd class="govuk-summary-list__value">0<' in travel


def test_a_rag_change_counts_when_the_rating_before_it_was_set_before_the_date(
    client, bob, alice, plan, today
):
    # Created (green) and then made red long ago; made amber today: one change, for the better.
    long_ago = timezone.now() - timedelta(days=400)
    action = ActionFactory(recommendation=plan["recommendations"][1], title="Stabilise the team")
    action.history.update(history_date=long_ago)
    action_add_progress(
        action=action,
        expected_version=1,
        user=alice,
        narrative="Two agency workers left.",
        status="in_progress",
        rag="red",
        percent_complete=10,
        at=long_ago + timedelta(days=1),
    )
    action_add_progress(
        action=action,
        expected_version=2,
        user=alice,
        narrative="Two permanent workers started.",
        status="in_progress",
        rag="amber",
        percent_complete=30,
    )
    travel = page(client, bob).split("Direction of travel since")[1]
    changes = travel.split("RAG changes since")[1]
    assert "Stabilise the team" in changes
    row = changes.split("Stabilise the team")[1].split("</tr>")[0]
    assert "Red" in row and "Amber" in row and "Better" in row
    # This one, and the plan's action closed today (green to blue).
    assert travel_count(travel, "Actions rated better than on") == 2


def test_a_date_as_year_month_day_in_the_address_works_as_the_three_boxes_do(client, bob, plan):
    html = page(client, bob, "?since=2024-01-01")
    assert "Direction of travel since 1 January 2024" in html
    assert re.search(r'name="since_2"[^>]*value="2024"', html)
    html = page(client, bob, "?since=0001-01-01")
    assert "The date to show changes since must be a real date as year-month-day" in html


def test_a_chosen_date_widens_the_direction_of_travel(client, bob, plan):
    html = page(client, bob, "?since_0=1&since_1=1&since_2=2024")
    assert "Direction of travel since 1 January 2024" in html
    assert 'Newly overdue</dt><dd class="govuk-summary-list__value">1<' in html


def test_the_date_input_shows_the_default_of_28_days_ago(client, bob, plan, today):
    html = page(client, bob)
    since = today - timedelta(days=28)
    assert (
        f'name="since_0" type="text" inputmode="numeric" autocomplete="off" value="{since.day}"'
        in html
    )
    assert f"Direction of travel since {since.day} {since:%B %Y}" in html


def test_it_shows_the_next_milestones_with_working_days_left(client, bob, plan, today):
    milestone_add_agreed(
        inspection=plan["inspection"], key="monitoring_visit", due_on=today + timedelta(days=42)
    )
    html = page(client, bob)
    milestones = html.split('id="milestones"')[1].split("</table>")[0]
    assert "Monitoring visit" in milestones
    assert "Upcoming" in milestones
    # Six weeks ahead holds 30 working days, fewer if a bank holiday falls within them.
    left = int(milestones.split('govuk-table__cell--numeric">')[1].split("<")[0])
    assert 26 <= left <= 30


def test_statistical_neighbours_latest_grades_sit_beside_the_councils_own(
    client, bob, plan, scilly, nottingham
):
    quiet = CouncilFactory(name="Rutland", slug="rutland", dfe_code="857")
    StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)
    StatisticalNeighbour.objects.create(council=scilly, neighbour=quiet, rank=2)
    older = InspectionFactory(council=nottingham)
    inspection_set_judgements(
        inspection=older, grades=SPLIT_GRADES | {"overall_effectiveness": "inadequate"}
    )
    newer = InspectionFactory(
        council=nottingham,
        start_date=older.start_date.replace(year=2024),
        end_date=older.end_date.replace(year=2024),
        published_on=older.published_on.replace(year=2024),
    )
    inspection_set_judgements(
        inspection=newer,
        grades={
            "leaders": "good",
            "help_and_protection": "good",
            "children_in_care": "good",
            "care_leavers": "outstanding",
            "overall_effectiveness": "good",
        },
    )
    html = page(client, bob)
    table = html.split("and its statistical neighbours")[1].split("</table>")[0]
    rows = table.split('<tr class="govuk-table__row">')[2:]
    assert "Isles of Scilly" in rows[0] and "This council" in rows[0]
    assert "Nottingham" in rows[1] and "Neighbour 1" in rows[1]
    assert "Good" in rows[1] and "Outstanding" in rows[1] and "Inadequate" not in rows[1]
    assert "Rutland" in rows[2] and "No graded inspection recorded" in rows[2]


def test_neighbours_grades_take_a_fixed_number_of_queries(scilly, django_assert_num_queries):
    from outcomes.selectors import national_data
    from reports.dashboard import neighbour_grades

    for rank in range(1, 6):
        neighbour = CouncilFactory()
        StatisticalNeighbour.objects.create(council=scilly, neighbour=neighbour, rank=rank)
        inspection_set_judgements(
            inspection=InspectionFactory(council=neighbour), grades=SPLIT_GRADES
        )
    # The councils with their latest graded inspection; that inspection's judgements; their
    # latest published reports and when the national file was loaded (issue 13).
    with django_assert_num_queries(4):
        table = neighbour_grades(scilly)
    assert len(table.rows) == 6
    # The dashboard reads every published report once for the national picture, and passes it.
    national = national_data()
    with django_assert_num_queries(2):
        neighbour_grades(scilly, national)


def test_filtering_by_recommendation_narrows_the_figures(client, bob, plan):
    second = plan["recommendations"][1]
    html = page(client, bob, f"?recommendation={second.pk}")
    assert "Figures for recommendation 2 of the standard ILACS inspection" in html
    assert "1 of 2 (50%)" in html
    assert "Recruit two social workers" not in html.split('id="exceptions"')[1]


def test_filtering_by_inspection_leaves_out_other_inspections_actions(client, bob, plan, scilly):
    other = InspectionFactory(
        council=scilly,
        start_date=plan["inspection"].start_date.replace(year=2019),
        end_date=plan["inspection"].end_date.replace(year=2019),
        published_on=plan["inspection"].published_on.replace(year=2019),
    )
    ActionFactory(
        recommendation=RecommendationFactory(inspection=other),
        title="Old action",
        due_on=date(2024, 3, 31),
    )
    html = page(client, bob, f"?inspection={plan['inspection'].pk}")
    assert "1 of 4 (25%)" in html
    assert "Old action" not in html.split('id="exceptions"')[1]
    old_plan = page(client, bob, f"?inspection={other.pk}")
    assert "0 of 1 (0%)" in old_plan
    assert "Old action" in old_plan.split('id="exceptions"')[1]


def test_with_no_filter_it_shows_the_live_plan_only(client, bob, plan, scilly):
    """A later graded inspection's plan is the live one: the 2019 plan's open action waits to be
    carried over or closed, and is not in the council's figures meanwhile."""
    other = InspectionFactory(
        council=scilly,
        start_date=plan["inspection"].start_date.replace(year=2019),
        end_date=plan["inspection"].end_date.replace(year=2019),
        published_on=plan["inspection"].published_on.replace(year=2019),
    )
    ActionFactory(recommendation=RecommendationFactory(inspection=other), title="Old action")
    everything = page(client, bob)
    assert "1 of 4 (25%)" in everything
    assert "Old action" not in everything


def test_an_htmx_filter_answers_the_figures_alone_and_announces_them(client, bob, plan):
    second = plan["recommendations"][1]
    html = page(client, bob, f"?recommendation={second.pk}", HX_Request="true")
    # The title first (htmx takes a title at the root of the answer), then the figures.
    title, figures = html.lstrip().split("\n", 1)
    assert title == "<title>Dashboard - Isles of Scilly - Ofsted improvement tracker</title>"
    assert figures.lstrip().startswith('<div id="figures">')
    assert "<html" not in html and "Latest grades" not in html
    assert 'hx-swap-oob="innerHTML">Figures updated for recommendation 2' in html
    assert "2 actions, 50% complete" in html


def test_the_filter_form_works_with_and_without_javascript(client, bob, plan):
    html = page(client, bob)
    form = html.split('<form method="get" action="/councils/isles-of-scilly/dashboard/"')[1]
    form = form.split("</form>")[0]
    assert 'hx-get="/councils/isles-of-scilly/dashboard/"' in form
    assert 'hx-target="#figures"' in form and 'hx-push-url="true"' in form
    assert '<select name="inspection"' in form and '<select name="recommendation"' in form
    assert 'aria-live="polite"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("?inspection=999999", "Choose an inspection from the list: showing the live plan"),
        ("?inspection=abc", "Choose an inspection from the list: showing the live plan"),
        (
            "?since_0=31&since_1=2&since_2=2024",
            "The date to show changes since must be a real date",
        ),
        ("?since_0=1&since_1=&since_2=2024", "The date to show changes since must include a month"),
        ("?since_0=1&since_1=1&since_2=2999", "must be today or in the past"),
    ],
)
def test_bad_filters_are_reported_and_ignored(client, bob, plan, query, message):
    html = page(client, bob, query)
    assert "There is a problem" in html
    # At the top of the page, before the heading, as GOV.UK puts it.
    assert html.index("govuk-error-summary") < html.index('<h1 class="govuk-heading-l">')
    assert message in html
    assert "Figures for the live plan" in html
    assert "1 of 4 (25%)" in html


def test_another_councils_recommendation_is_refused_like_an_unknown_one(
    client, bob, plan, nottingham
):
    theirs = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    )
    html = page(client, bob, f"?recommendation={theirs.recommendation_id}")
    assert "Choose a recommendation from the list: showing every recommendation" in html
    assert "Figures for the live plan" in html
    assert theirs.title not in html


def test_a_recommendation_left_from_another_inspection_is_dropped_for_the_whole_inspection(
    client, bob, plan, scilly
):
    other = InspectionFactory(
        council=scilly,
        kind="focused_visit",
        start_date=plan["inspection"].start_date.replace(year=2022),
        end_date=plan["inspection"].end_date.replace(year=2022),
        published_on=None,
    )
    html = page(
        client,
        bob,
        f"?inspection={other.pk}&recommendation={plan['recommendations'][0].pk}",
    )
    assert "There is a problem" not in html
    assert "Figures for the focused visit" in html
    # Only the chosen inspection's recommendations are offered, and none is chosen.
    offered = html.split('id="id_recommendation"')[1].split("</select>")[0]
    assert "Every recommendation</option>" in offered
    assert offered.count("<option") == 1
    # After an htmx change, the address says what is shown: the recommendation is gone from it.
    client.force_login(bob)
    response = client.get(
        f"{URL}?inspection={other.pk}&recommendation={plan['recommendations'][0].pk}&since_0=",
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == f"{URL}?inspection={other.pk}"


def test_free_text_is_escaped_on_the_page_and_the_partial(client, bob, plan, alice):
    action = ActionFactory(
        recommendation=plan["recommendations"][0], title=SCRIPT, due_on=date(2024, 3, 31)
    )
    ProgressUpdateFactory(action=action, author=alice, narrative=SCRIPT)
    for headers in ({}, {"HX_Request": "true"}):
        html = page(client, bob, **headers)
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("user", ["bob", "sam"])
def test_read_only_roles_see_no_edit_controls(client, plan, user, request):
    html = page(client, request.getfixturevalue(user))
    assert "Add an update" not in html
    assert "/progress/" not in html


def test_the_cached_page_shows_each_role_its_own_controls_and_each_person_their_own_name(
    client, alice, bob, sam, plan
):
    # The officer's page is cached first: the read-only roles must not be served it, and the
    # person-specific parts (name, CSRF token) are rendered for each request.
    assert "Add an update" in page(client, alice)
    for user in (bob, sam, bob):
        html = page(client, user)
        assert "Add an update" not in html
        sign_out = html.split('class="app-sign-out"')[1].split("</form>")[0]
        assert f'Sign out<span class="govuk-visually-hidden"> {user}</span>' in sign_out
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        main = html.split('<main class="govuk-main-wrapper"')[1].split("</main>")[0]
        assert token not in main  # in the page around the cached body only
    assert "Add an update" in page(client, alice)


def test_the_pack_links_follow_the_chosen_figures(client, bob, plan, today):
    inspection = plan["inspection"]
    since = today - timedelta(days=28)
    html = page(client, bob)
    assert f'/pack.pdf?since={since.isoformat()}"' in html
    assert f'/pack/?since={since.isoformat()}"' in html
    assert "The pack covers the whole action plan of the latest graded inspection" in html
    html = page(
        client,
        bob,
        f"?recommendation={plan['recommendations'][1].pk}",
        HX_Request="true",
    )
    links = html.split('id="pack-download" hx-swap-oob="true"')[1].split("</p>")[0]
    assert f"?inspection={inspection.pk}&amp;since={since.isoformat()}" in links
    # The pack has no recommendation filter: it says what it covers instead.
    assert "whole action plan of the standard ILACS inspection of 11 to 13 July 2023" in links
    assert f"changes since {since:%-d %B %Y}" in links


def test_the_page_and_its_htmx_fragment_vary_on_the_htmx_header(client, bob, plan):
    client.force_login(bob)
    assert "HX-Request" in client.get(URL)["Vary"]


def test_a_history_restore_gets_the_whole_page_not_the_figures_alone(client, bob, plan):
    # htmx asks for a page it has no copy of with HX-Request set: it must get the whole page.
    page(client, bob, "?inspection=", HX_Request="true")  # the fragment, now cached
    html = page(client, bob, "?inspection=", HX_Request="true", HX_History_Restore_Request="true")
    assert "<html" in html
    assert 'id="dashboard-filters"' in html
    assert "hx-swap-oob" not in html
    assert "<title>Dashboard - Isles of Scilly - Ofsted improvement tracker</title>" in html


def test_no_browser_keeps_a_copy_of_the_page(client, bob, plan):
    client.force_login(bob)
    cache_control = client.get(URL)["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_officers_can_go_from_an_exception_to_its_update_form(client, alice, plan):
    html = page(client, alice)
    assert 'Add an update<span class="govuk-visually-hidden"> to Audit strategy' in html


def test_another_council_answers_404(client, charlie, plan):
    client.force_login(charlie)
    assert client.get(URL).status_code == 404


def test_a_progress_update_shows_on_the_dashboard_at_once(client, bob, alice, plan):
    before = page(client, bob)
    assert "Train managers" not in before.split('id="exceptions"')[1]
    action_add_progress(
        action=plan["on_track"],
        expected_version=1,
        user=alice,
        narrative="Trainer left: course postponed.",
        status="blocked",
        rag="amber",
        percent_complete=10,
    )
    after = page(client, bob)
    exceptions = after.split('id="exceptions"')[1]
    assert "Train managers" in exceptions
    assert "Trainer left: course postponed." in exceptions


def test_grades_and_milestones_changed_after_a_visit_show_at_once(client, bob, plan, today):
    page(client, bob)
    milestone = milestone_add_agreed(
        inspection=plan["inspection"], key="monitoring_visit", due_on=today + timedelta(days=42)
    )
    assert "Monitoring visit" in page(client, bob).split('id="milestones"')[1]
    milestone_record_done(milestone=milestone, done_on=today)
    inspection_set_judgements(
        inspection=plan["inspection"], grades=SPLIT_GRADES | {"care_leavers": "good"}
    )
    html = page(client, bob)
    assert "Monitoring visit" not in html.split('id="milestones"')[1].split("</table>")[0]
    latest = html.split('id="latest-grades"')[1].split("</dl>")[0]
    assert "Good" in latest


def test_a_neighbours_new_grades_show_at_once(client, bob, plan, scilly, nottingham):
    StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)
    assert "No graded inspection recorded" in page(client, bob)
    inspection_set_judgements(inspection=InspectionFactory(council=nottingham), grades=SPLIT_GRADES)
    assert "No graded inspection recorded" not in page(client, bob)


def test_a_bank_holiday_added_by_an_admin_shows_in_the_working_days_left_at_once(
    client, bob, plan, today
):
    milestone_add_agreed(
        inspection=plan["inspection"], key="monitoring_visit", due_on=today + timedelta(days=42)
    )

    def working_days_left():
        milestones = page(client, bob).split('id="milestones"')[1].split("</table>")[0]
        return int(milestones.split('govuk-table__cell--numeric">')[1].split("<")[0])

    before = working_days_left()
    weekday = next(
        today + timedelta(days=n) for n in range(1, 10) if (today + timedelta(days=n)).weekday() < 5
    )
    change = BankHolidayChange.objects.create(day=weekday, name="A royal occasion")
    assert working_days_left() == before - 1
    # An edit in place, as the admin makes one: to a Saturday, which was no working day anyway.
    change.day = weekday + timedelta(days=5 - weekday.weekday())
    change.save()
    assert working_days_left() == before


def summary_text(html: str) -> str:
    """The sentence or two at the top of the dashboard."""
    found = re.search(
        r'<div id="dashboard-summary"[^>]*>\s*<p class="govuk-body-l">(.*?)</p>', html
    )
    assert found, "no summary"
    return found.group(1)


def test_a_one_paragraph_summary_sits_under_the_heading(client, bob, plan, today):
    milestone_add_agreed(
        inspection=plan["inspection"], key="monitoring_visit", due_on=today + timedelta(days=42)
    )
    html = page(client, bob)
    # Directly under the heading, before the grades, the filters and the figures.
    assert html.index('id="dashboard-summary"') < html.index('id="latest-grades"')
    assert html.index("<h1") < html.index('id="dashboard-summary"')
    summary = summary_text(html)
    # Late is overdue and Green; slipping is Red; on track is Green; done is complete (Blue).
    assert summary.startswith(
        "4 actions in the live plan: 1 complete, 1 Red, 0 Amber, 2 Green; 1 overdue. "
        f"Next deadline: Monitoring visit, due {today + timedelta(days=42):%-d %B %Y} ("
    )
    # The working days left, as the milestones table shows them.
    milestones = html.split('id="milestones"')[1].split("</table>")[0]
    left = int(milestones.split('govuk-table__cell--numeric">')[1].split("<")[0])
    assert summary.endswith(f"({left} working days left).")


def test_the_summary_counts_one_action_in_the_singular_and_none_overdue(client, bob, scilly):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    ActionFactory(
        recommendation=RecommendationFactory(inspection=inspection),
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assert summary_text(page(client, bob)) == (
        "1 action in the live plan: 0 complete, 0 Red, 0 Amber, 1 Green; none overdue. "
        "No deadlines to come."
    )


def test_the_summary_says_when_there_are_no_actions_yet(client, bob, scilly):
    assert summary_text(page(client, bob)) == (
        "No actions in the live plan yet. No deadlines to come."
    )


def test_the_summary_follows_the_filters_in_place(client, bob, plan):
    first, _ = plan["recommendations"]
    html = page(client, bob, f"?recommendation={first.pk}")
    assert summary_text(html).startswith(
        "2 actions for recommendation 1 of the standard ILACS inspection of "
    )
    assert "0 complete, 1 Red, 0 Amber, 1 Green; 1 overdue." in summary_text(html)
    # An htmx change of the filters draws the summary again, out of band.
    html = page(client, bob, f"?inspection={plan['inspection'].pk}", **{"HX-Request": "true"})
    assert '<div id="dashboard-summary" hx-swap-oob="true">' in html
    assert summary_text(html).startswith("4 actions in the plan of the standard ILACS inspection")


def test_the_contents_list_links_to_every_section_on_the_page(client, bob, plan):
    html = page(client, bob)
    contents = html.split('<nav aria-label="Contents"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([\w-]+)"', contents)
    assert targets[-3:] == ["direction-of-travel", "impact", "self-evaluation-plan"]
    assert "exceptions" in targets and "action-progress" in targets
    for target in targets:
        assert html.count(f'id="{target}"') == 1, target
    # The contents come straight after the summary, before any section.
    assert html.index('id="dashboard-summary"') < html.index('aria-label="Contents"')
    assert html.index('aria-label="Contents"') < html.index('id="latest-grades"')


def test_the_summary_names_missed_deadlines_and_a_month_or_a_day_due(today):
    """The summary from figures as computed: a unit test, without the page."""
    from types import SimpleNamespace

    from reports.dashboard import headline

    def row(title, due_on, precision="day", left=None):
        milestone = SimpleNamespace(title=title, due_on=due_on, precision=precision)
        return SimpleNamespace(milestone=milestone, working_days_left=left)

    def figures(overdue=(), upcoming=()):
        return SimpleNamespace(
            summary=SimpleNamespace(total=0),
            exceptions=[],
            milestones=SimpleNamespace(
                overdue=list(overdue),
                upcoming=list(upcoming),
                next=upcoming[0] if upcoming else None,
            ),
        )

    visit = row("Monitoring visit", today.replace(day=1), precision="month", left=0)
    plan = row("Action plan", timezone.datetime(2027, 3, 12).date(), left=1)
    assert headline(figures(upcoming=[plan]), "the live plan") == (
        "No actions in the live plan yet. "
        "Next deadline: Action plan, due 12 March 2027 (1 working day left)."
    )
    assert headline(figures(upcoming=[visit]), "the live plan").endswith(
        f"Next deadline: Monitoring visit, due in {today:%B %Y} (today)."
    )
    late = row("Self-evaluation", timezone.datetime(2026, 1, 5).date())
    assert headline(figures(overdue=[late]), "recommendation 2", kind="recommendation") == (
        "No actions for recommendation 2 yet. Deadline missed: Self-evaluation, due 5 January 2026."
    )
    assert headline(figures(overdue=[late, late], upcoming=[plan]), "the live plan") == (
        "No actions in the live plan yet. 2 deadlines missed, the earliest: Self-evaluation, due "
        "5 January 2026. Next deadline: Action plan, due 12 March 2027 (1 working day left)."
    )


def test_the_self_evaluation_plan_sits_beside_the_inspection_plan(
    client, alice, bob, scilly, plan, today
):
    from readiness.models import EngagementMeeting, PlanAction

    meeting = EngagementMeeting.objects.create(
        council=scilly, held_on=date(2024, 6, 1), attendees="DCS", topics="Plans"
    )
    late = PlanAction.objects.create(
        council=scilly,
        meeting=meeting,
        title="Refresh the audit framework",
        owner_name="Head of quality",
        due_on=today - timedelta(days=3),
        rag="red",
        progress="Draft with the principal social worker",
    )
    PlanAction.objects.create(
        council=scilly,
        meeting=meeting,
        title="Share the letter with the board",
        owner_name="DCS",
        due_on=date(2024, 7, 1),
        status="complete",
        rag="blue",
    )
    html = page(client, bob)
    section = html.split('id="self-evaluation-plan"')[1]
    assert "2 actions of the self-evaluation plans and the engagement meetings' follow-ups: " in (
        section
    )
    assert "1 open, 1 complete, 1 overdue, 1 Red." in section
    assert "Refresh the audit framework" in section
    assert "Draft with the principal social worker" in section
    assert "Share the letter with the board" not in section
    # A lead member reads; an officer is offered the update, from a cache entry of their own.
    assert "Update progress" not in section
    section = page(client, alice).split('id="self-evaluation-plan"')[1]
    assert (
        f'href="/councils/{scilly.slug}/readiness/actions/{late.pk}/progress/?from=dashboard"'
        in section
    )
