"""Officers create, edit, close and update actions; others read; stale saves are refused."""

import re
from datetime import date

import pytest
import time_machine

from actions.models import Action, ProgressUpdate

from .factories import (
    ActionFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
XSS = "<script>alert('x')</script>"


def date_fields(name, day, month, year):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


@pytest.fixture
def inspection(scilly):
    return InspectionFactory(council=scilly)


@pytest.fixture
def recommendation(inspection):
    return RecommendationFactory(inspection=inspection, position=1, text="Strategy discussions.")


@pytest.fixture
def action(recommendation):
    return ActionFactory(recommendation=recommendation, title="Audit strategy discussions")


@pytest.fixture
def march_action(recommendation):
    """An action due on 31 March 2024, for tests that travel to before or after that day."""
    return ActionFactory(
        recommendation=recommendation, title="Audit strategy discussions", due_on=date(2024, 3, 31)
    )


def action_url(action, suffix=""):
    return f"/councils/{action.council.slug}/actions/{action.pk}/{suffix}"


def create_post(recommendation, **overrides):
    data = {
        "recommendation": recommendation.pk,
        "title": "Run monthly audits",
        "description": "",
        "success_criterion": "90% rated good or better",
        "owner_name": "Morwenna Tregarthen",
        "owner": "",
        "lead": "",
    } | date_fields("due_on", "31", "3", "2024")
    return data | overrides


def edit_post(action, **overrides):
    data = {
        "recommendation": action.recommendation_id,
        "title": action.title,
        "description": action.description,
        "success_criterion": action.success_criterion,
        "owner_name": action.owner_name,
        "owner": "",
        "lead": action.lead,
        "revision_reason": "",
        "evidence_of_impact": "",
        "version": action.version,
    } | date_fields("revised_due_on", "", "", "")
    return data | overrides


def progress_post(action, **overrides):
    return {
        "narrative": "First audit done.",
        "status": "in_progress",
        "rag": "amber",
        "percent_complete": "30",
        "version": action.version,
    } | overrides


# Creating


def test_an_officer_adds_an_action_to_a_recommendation(client, alice, inspection, recommendation):
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/"
    assert client.get(f"{url}?recommendation={recommendation.pk}").status_code == 200
    response = client.post(url, create_post(recommendation))
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action_url(action)
    assert (action.title, action.current_due_on) == ("Run monthly audits", date(2024, 3, 31))
    assert action.history.get().history_user == alice


def test_adding_an_action_with_bad_input_shows_errors_and_saves_nothing(
    client, alice, inspection, recommendation
):
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/",
        create_post(recommendation, title="", success_criterion="")
        | date_fields("due_on", "31", "2", "2024"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the action" in html
    assert "Enter the measurable success criterion" in html
    assert "The due date must be a real date" in html
    assert not Action.objects.exists()


def test_an_officer_cannot_attach_an_action_to_another_councils_recommendation(
    client, alice, inspection, nottingham
):
    theirs = RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/", create_post(theirs)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Action.objects.exists()


def test_an_inspection_without_recommendations_asks_for_them_first(client, alice, inspection):
    client.force_login(alice)
    response = client.get(f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/")
    assert "Add the recommendations" in response.content.decode()


# Reading


def test_the_action_plan_lists_actions_under_recommendations_with_counts(
    client, bob, inspection, recommendation, action
):
    ActionFactory(recommendation=recommendation, title="Train managers", due_on=date(2024, 1, 31))
    client.force_login(bob)
    response = client.get(f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Recommendation 1" in html
    assert "Audit strategy discussions" in html and "Train managers" in html
    assert "0% of 2 actions complete; 1 overdue." in html
    assert "Add an action" not in html


def test_the_action_page_shows_details_timeline_and_history(client, alice, bob, action):
    client.force_login(alice)
    client.post(action_url(action, "edit/"), edit_post(action, owner_name="Joel Penrose"))
    client.post(action_url(action, "progress/"), progress_post(Action.objects.get()))
    client.force_login(bob)
    response = client.get(action_url(action))
    html = response.content.decode()
    assert response.status_code == 200
    assert "First audit done." in html
    assert "Owner: from <del>Morwenna Tregarthen</del> to <ins>Joel Penrose</ins>" in html
    assert "RAG: from <del>Green</del> to <ins>Amber</ins>" in html
    assert "Alice" in html
    assert "Add progress update" not in html
    assert "Change the details" not in html


def test_free_text_is_escaped_on_the_action_page_and_the_plan(client, alice, recommendation):
    action = ActionFactory(recommendation=recommendation, title=XSS, description=XSS)
    ProgressUpdateFactory(action=action, author=alice, narrative=XSS)
    client.force_login(alice)
    for url in (
        action_url(action),
        f"/councils/isles-of-scilly/inspections/{recommendation.inspection_id}/actions/",
    ):
        html = client.get(url).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;" in html


def test_evidence_links_are_clickable_and_safe(client, alice, action):
    Action.objects.filter(pk=action.pk).update(
        evidence_of_impact=f"Audit https://example.org/audit {XSS}"
    )
    client.force_login(alice)
    html = client.get(action_url(action)).content.decode()
    assert '<a href="https://example.org/audit"' in html
    assert XSS not in html


# Editing and conflicts


@time_machine.travel(date(2024, 2, 1))
def test_an_officer_revises_the_due_date_with_a_reason_and_the_original_stays(
    client, alice, march_action
):
    action = march_action
    client.force_login(alice)
    response = client.post(
        action_url(action, "edit/"),
        edit_post(action, revision_reason="Audit tool delayed")
        | date_fields("revised_due_on", "30", "6", "2024"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.current_due_on) == (date(2024, 3, 31), date(2024, 6, 30))
    html = client.get(action_url(action)).content.decode()
    assert "30 June 2024 (revised)" in html
    assert "Originally due 31 March 2024" in html
    assert "Audit tool delayed" in html


@time_machine.travel(date(2024, 2, 1))
def test_moving_a_revised_date_again_needs_a_new_reason(client, alice, march_action):
    action = march_action
    client.force_login(alice)
    client.post(
        action_url(action, "edit/"),
        edit_post(action, revision_reason="Audit tool delayed")
        | date_fields("revised_due_on", "30", "6", "2024"),
    )
    action.refresh_from_db()
    again = edit_post(action, revision_reason="Audit tool delayed")
    response = client.post(
        action_url(action, "edit/"), again | date_fields("revised_due_on", "28", "2", "2025")
    )
    assert response.status_code == 200
    assert "Give the reason for moving the due date again" in response.content.decode()
    action.refresh_from_db()
    assert (action.revised_due_on, action.version) == (date(2024, 6, 30), 2)
    # With its own reason the move is saved; an edit that keeps the date keeps its reason.
    again["revision_reason"] = "Auditor off sick"
    response = client.post(
        action_url(action, "edit/"), again | date_fields("revised_due_on", "28", "2", "2025")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.revised_due_on, action.revision_reason) == (
        date(2025, 2, 28),
        "Auditor off sick",
    )
    response = client.post(
        action_url(action, "edit/"),
        edit_post(
            action, title="Audit every strategy discussion", revision_reason="Auditor off sick"
        )
        | date_fields("revised_due_on", "28", "2", "2025"),
    )
    assert response.status_code == 302


@time_machine.travel(date(2024, 2, 1))
def test_the_revised_due_date_hint_names_the_original_due_date(client, alice, march_action):
    action = march_action
    client.force_login(alice)
    hint = (
        "The original due date was 31 March 2024 and stays on record. "
        "Only fill this in if the due date has moved."
    )
    html = client.get(action_url(action, "edit/")).content.decode()
    assert hint in html
    # The hint is the date's description, read out with it.
    hint_id = re.search(r'<div[^>]*id="([^"]+)"[^>]*>\s*The original due date was', html).group(1)
    assert re.search(rf'aria-describedby="[^"]*{hint_id}', html)
    # A refused edit, and one refused because of a newer save, keep it.
    response = client.post(
        action_url(action, "edit/"),
        edit_post(action) | date_fields("revised_due_on", "30", "6", "2024"),
    )
    assert hint in response.content.decode()
    stale = edit_post(action, title="From a stale tab")
    client.post(action_url(action, "edit/"), edit_post(action, title="Saved first"))
    response = client.post(action_url(action, "edit/"), stale)
    assert response.status_code == 409
    assert hint in response.content.decode()
    # Once revised, the hint still names the original, not the revised date.
    action.refresh_from_db()
    client.post(
        action_url(action, "edit/"),
        edit_post(action, revision_reason="Audit tool delayed")
        | date_fields("revised_due_on", "30", "6", "2024"),
    )
    assert hint in client.get(action_url(action, "edit/")).content.decode()


@time_machine.travel(date(2024, 2, 1))
def test_a_revised_due_date_without_a_reason_is_refused(client, alice, march_action):
    action = march_action
    client.force_login(alice)
    response = client.post(
        action_url(action, "edit/"),
        edit_post(action) | date_fields("revised_due_on", "30", "6", "2024"),
    )
    assert response.status_code == 200
    assert "Enter the reason the due date was revised" in response.content.decode()
    action.refresh_from_db()
    assert (action.revised_due_on, action.version) == (None, 1)


def test_a_stale_edit_gets_the_conflict_page_with_both_versions(client, alice, dina, action):
    form_as_alice_opened_it = edit_post(action, title="Alice's title")
    client.force_login(dina)
    client.post(action_url(action, "edit/"), edit_post(action, title="Dina's title"))
    client.force_login(alice)
    response = client.post(action_url(action, "edit/"), form_as_alice_opened_it)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Dina changed this action" in html
    assert "Dina&#x27;s title" in html and "Alice&#x27;s title" in html
    assert 'name="version" value="2"' in html
    assert "Save my version" in html
    action.refresh_from_db()
    assert (action.title, action.version) == ("Dina's title", 2)

    # Saving again, knowingly, from the version now shown, replaces theirs.
    response = client.post(action_url(action, "edit/"), form_as_alice_opened_it | {"version": 2})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Alice's title"


def test_a_conflict_with_your_own_other_tab_speaks_to_you(client, alice, action):
    tab_a = edit_post(action, title="Title from tab A")
    tab_b = edit_post(action, title="Title from tab B")
    client.force_login(alice)
    assert client.post(action_url(action, "edit/"), tab_a).status_code == 302
    response = client.post(action_url(action, "edit/"), tab_b)
    html = response.content.decode()
    assert response.status_code == 409
    assert "You changed this action in another tab or window" in html
    assert "Saved by you, elsewhere" in html
    assert "Alice changed" not in html

    # A change of another field in the other tab is merged, and the message says so.
    action.refresh_from_db()
    tab_c = edit_post(action, description="From tab C")
    tab_d = edit_post(action, lead="Head of service")
    assert client.post(action_url(action, "edit/"), tab_c).status_code == 302
    response = client.post(action_url(action, "edit/"), tab_d, follow=True)
    assert "Your change to the description made in another tab or window is kept" in (
        response.content.decode()
    )


def test_a_stale_edit_of_other_fields_is_merged_and_keeps_the_colleagues_change(
    client, alice, dina, action
):
    """Issue 14: tabs A and B open the form; A changes the title; B changes the description."""
    tab_a = edit_post(action, title="Audit every strategy discussion")
    tab_b = edit_post(action, description="Monthly, by the principal social worker")
    client.force_login(dina)
    assert client.post(action_url(action, "edit/"), tab_a).status_code == 302
    client.force_login(alice)
    response = client.post(action_url(action, "edit/"), tab_b)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.description, action.version) == (
        "Audit every strategy discussion",
        "Monthly, by the principal social worker",
        3,
    )
    html = client.get(response["Location"]).content.decode()
    assert "Action saved with your changes" in html
    assert "Dina&#x27;s change to the action, made after you opened it, is kept" in html


def test_save_my_version_after_a_conflict_keeps_what_only_the_colleague_changed(
    client, alice, dina, action
):
    """Both change the title; only the colleague changes the owner: the owner is theirs, the
    title is the person's to decide, and saving their version leaves the owner alone."""
    tab_a = edit_post(action, title="Dina's title", owner_name="Dina Owner")
    tab_b = edit_post(action, title="Alice's title", description="Alice's description")
    client.force_login(dina)
    client.post(action_url(action, "edit/"), tab_a)
    client.force_login(alice)
    response = client.post(action_url(action, "edit/"), tab_b)
    html = response.content.decode()
    assert response.status_code == 409
    assert "You both changed the action: decide which to keep." in html
    assert "Their change to the owner is in the form below" in html
    table = html.split('<table class="govuk-table">')[1].split("</table>")[0]
    assert "Dina&#x27;s title" in table and "Alice&#x27;s title" in table
    assert "Dina Owner" not in table  # not a conflict: only Dina changed it
    form = html.split('<form method="post" novalidate>')[1]
    assert 'name="owner_name" value="Dina Owner"' in form
    assert 'value="Alice&#x27;s title"' in form
    assert "Alice&#x27;s description" in form
    assert 'name="version" value="2"' in form
    action.refresh_from_db()
    assert (action.title, action.version) == ("Dina's title", 2)

    # "Save my version" posts the form as the conflict page filled it in.
    rebased = tab_b | {"owner_name": "Dina Owner", "version": 2}
    assert client.post(action_url(action, "edit/"), rebased).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.description, action.owner_name) == (
        "Alice's title",
        "Alice's description",
        "Dina Owner",
    )


def test_the_same_change_made_twice_is_not_a_conflict(client, alice, dina, action):
    both = edit_post(action, title="Audit every strategy discussion")
    client.force_login(dina)
    client.post(action_url(action, "edit/"), both)
    client.force_login(alice)
    assert client.post(action_url(action, "edit/"), both).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.version) == ("Audit every strategy discussion", 3)


def test_a_stale_edit_is_merged_after_a_progress_update(client, alice, dina, action):
    """A progress update changes none of the form's fields: the edit goes through on top."""
    tab = edit_post(action, title="Audit every strategy discussion")
    client.force_login(dina)
    client.post(action_url(action, "progress/"), progress_post(action))
    client.force_login(alice)
    assert client.post(action_url(action, "edit/"), tab).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.rag, action.version) == (
        "Audit every strategy discussion",
        "amber",
        3,
    )


def test_a_stale_close_goes_through_when_the_evidence_was_left_alone(client, alice, dina, action):
    close = {"evidence_of_impact": "Audits rated good", "narrative": "Done", "version": 1}
    client.force_login(dina)
    client.post(action_url(action, "edit/"), edit_post(action, title="Renamed by Dina"))
    client.force_login(alice)
    response = client.post(action_url(action, "close/"), close)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.title, action.evidence_of_impact) == (
        "complete",
        "Renamed by Dina",
        "Audits rated good",
    )


def test_a_stale_close_over_changed_evidence_shows_the_conflict(client, alice, dina, action):
    client.force_login(dina)
    client.post(
        action_url(action, "edit/"), edit_post(action, evidence_of_impact="Dina's evidence")
    )
    client.force_login(alice)
    response = client.post(
        action_url(action, "close/"),
        {"evidence_of_impact": "Alice's evidence", "narrative": "Done", "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "You both changed the evidence of impact" in html
    action.refresh_from_db()
    assert (action.status, action.evidence_of_impact) == ("not_started", "Dina's evidence")


def test_a_tampered_version_is_refused_without_a_500(client, alice, action):
    client.force_login(alice)
    response = client.post(action_url(action, "edit/"), edit_post(action, version="abc"))
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()


@pytest.mark.parametrize("version", ["2147483648", "99999999999999999999999"])
def test_a_version_beyond_what_the_column_holds_is_refused_as_tampered(
    client, alice, action, version
):
    client.force_login(alice)
    for suffix, post in (("edit/", edit_post(action)), ("progress/", progress_post(action))):
        response = client.post(action_url(action, suffix), post | {"version": version})
        assert response.status_code == 200, suffix
        assert "reload the page" in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1


# Progress updates


def test_the_percent_complete_box_is_as_wide_as_three_digits(client, alice, action):
    client.force_login(alice)
    html = client.get(action_url(action, "progress/")).content.decode()
    box = re.search(r'<input[^>]*name="percent_complete"[^>]*>', html)[0]
    assert re.search(r'class="[^"]*govuk-input--width-3[^"]*"', box), box


def test_the_percent_complete_box_is_a_numeric_text_box_not_a_number_input(client, alice, action):
    client.force_login(alice)
    html = client.get(action_url(action, "progress/")).content.decode()
    box = re.search(r'<input[^>]*name="percent_complete"[^>]*>', html)[0]
    assert 'type="text"' in box and 'inputmode="numeric"' in box, box
    assert 'spellcheck="false"' in box and "min=" not in box and "max=" not in box, box


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("40%", "Enter the percent complete as a whole number, like 40"),
        ("12.5", "Enter the percent complete as a whole number, like 40"),
        ("101", "The percent complete must be 100 or less"),
        ("-1", "The percent complete must be 0 or more"),
    ],
)
def test_a_percent_that_is_not_a_whole_number_from_0_to_100_is_refused_in_words(
    client, alice, action, typed, message
):
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/"), progress_post(action, percent_complete=typed)
    )
    html = response.content.decode()
    assert response.status_code == 200
    box = re.search(r'<input[^>]*name="percent_complete"[^>]*>', html)[0]
    box_id = re.search(r'\sid="([^"]+)"', box)[1]
    assert f'href="#{box_id}">{message}</a>' in html
    assert not ProgressUpdate.objects.exists()


def test_an_officer_adds_a_progress_update_without_javascript(client, alice, action):
    client.force_login(alice)
    assert client.get(action_url(action, "progress/")).status_code == 200
    response = client.post(action_url(action, "progress/"), progress_post(action))
    assert response.status_code == 302
    assert response["Location"] == action_url(action)
    update = ProgressUpdate.objects.get()
    assert (update.author, update.rag, update.percent_complete) == (alice, "amber", 30)
    action.refresh_from_db()
    assert (action.status, action.rag, action.version) == ("in_progress", "amber", 2)


def test_an_htmx_progress_update_returns_the_section_with_the_new_entry_and_an_announcement(
    client, alice, action
):
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/section/"),
        progress_post(action, narrative=XSS),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert '<section id="progress"' in html
    assert "&lt;script&gt;" in html and XSS not in html
    assert 'id="action-status" hx-swap-oob="true"' in html
    assert 'name="version" value="2"' in html
    assert ProgressUpdate.objects.count() == 1


@time_machine.travel("2025-03-04 10:42 +0000", tick=False)
def test_an_htmx_progress_update_is_confirmed_by_a_success_banner_in_the_section(
    client, alice, action
):
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/section/"), progress_post(action), headers=HTMX
    )
    html = response.content.decode()
    section = html[html.index('<section id="progress"') : html.index("</section>")]
    banner = re.search(r'<div class="govuk-notification-banner[^"]*"[^>]*>', section).group(0)
    # The success banner, as the page shows after a save without JavaScript: read out as an
    # alert, and given keyboard focus when swapped in.
    assert "govuk-notification-banner--success" in banner
    assert 'role="alert"' in banner and 'data-module="govuk-notification-banner"' in banner
    assert 'tabindex="-1"' in banner and "autofocus" in banner
    assert "Progress update saved on 4 March 2025 at 10:42" in section
    # The banner is read out; the live region is emptied so that it is not read out twice.
    assert '<div id="live-region" hx-swap-oob="innerHTML"></div>' in html


def test_the_action_page_shows_no_progress_banner_until_an_update_is_saved_in_place(
    client, alice, action
):
    client.force_login(alice)
    assert "Progress update saved" not in client.get(action_url(action)).content.decode()
    # Nor does a refused update.
    response = client.post(
        action_url(action, "progress/section/"), progress_post(action, narrative=""), headers=HTMX
    )
    assert "Progress update saved" not in response.content.decode()


def test_a_bad_htmx_progress_update_shows_the_error_summary_and_saves_nothing(
    client, alice, action
):
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/section/"),
        progress_post(action, narrative="", rag="blue", percent_complete="lots"),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter the progress update" in html
    assert "Enter the percent complete as a whole number" in html
    assert "Blue is for complete actions" in html
    assert "Not saved: there is a problem" in html
    assert not ProgressUpdate.objects.exists()


def test_a_stale_htmx_progress_update_gets_the_conflict_fragment_and_keeps_the_narrative(
    client, alice, dina, action
):
    client.force_login(dina)
    client.post(action_url(action, "progress/"), progress_post(action, rag="red", narrative="D"))
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/section/"),
        progress_post(action, narrative="My careful words"),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dina changed this action" in html
    assert "My careful words" in html
    assert 'name="version" value="2"' in html
    assert ProgressUpdate.objects.count() == 1


def test_a_stale_htmx_progress_update_names_the_colleague_in_the_third_person(
    client, alice, dina, action
):
    # Due after the day travelled to, so that Amber is a rating it can have then.
    Action.objects.filter(pk=action.pk).update(
        due_on=date(2027, 12, 31), current_due_on=date(2027, 12, 31)
    )
    with time_machine.travel("2027-03-04 10:42 +0000", tick=False) as traveller:
        client.force_login(dina)
        client.post(action_url(action, "progress/"), progress_post(action, rag="red"))
        traveller.shift(600)
        client.force_login(alice)
        response = client.post(
            action_url(action, "progress/section/"), progress_post(action), headers=HTMX
        )
    html = response.content.decode()
    assert "Dina changed this action at 10:42 on 4 March 2027, after you opened it." in html
    assert "Saved by Dina" in html and "Their saved values beside yours" in html
    assert "another tab or window" not in html
    assert ">Not saved: someone else changed this action first</div>" in html


def test_a_stale_htmx_progress_update_after_your_own_in_another_tab_speaks_to_you(
    client, alice, action
):
    """Two tabs open the action's page; the second posts its update after the first saved."""
    # Due after the day travelled to, so that Amber is a rating it can have then.
    Action.objects.filter(pk=action.pk).update(
        due_on=date(2027, 12, 31), current_due_on=date(2027, 12, 31)
    )
    other_tab = progress_post(action, narrative="From the other tab", rag="red")
    with time_machine.travel("2027-03-04 10:42 +0000", tick=False) as traveller:
        client.force_login(alice)
        client.post(action_url(action, "progress/"), other_tab)
        traveller.shift(600)
        response = client.post(
            action_url(action, "progress/section/"),
            progress_post(action, narrative="From this tab"),
            headers=HTMX,
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "You changed this action in another tab or window at 10:42 on 4 March 2027, after you "
        "opened it here. The changes made here have not been saved." in html
    )
    assert "Saved by you, elsewhere" in html
    assert "The values you saved there beside these" in html
    assert "Alice changed" not in html and "Their saved values" not in html
    assert ">Not saved: you changed this action in another tab or window first</div>" in html
    assert "From this tab" in html
    assert ProgressUpdate.objects.count() == 1


def test_a_stale_close_after_your_own_change_in_another_tab_speaks_to_you(client, alice, action):
    client.force_login(alice)
    close = {"version": 1, "evidence_of_impact": "Audits rated good", "narrative": "Done"}
    client.post(
        action_url(action, "edit/"), edit_post(action, evidence_of_impact="Changed in a tab")
    )
    response = client.post(action_url(action, "close/"), close)
    html = response.content.decode()
    assert response.status_code == 409
    assert "You changed this action in another tab or window" in html
    assert "You changed the evidence of impact in both places: decide which to keep." in html
    assert "Alice changed" not in html and "You both changed" not in html


def test_a_stale_plain_progress_update_answers_409(client, alice, dina, action):
    client.force_login(dina)
    client.post(action_url(action, "progress/"), progress_post(action))
    client.force_login(alice)
    response = client.post(action_url(action, "progress/"), progress_post(action))
    assert response.status_code == 409
    assert ProgressUpdate.objects.count() == 1


def test_the_action_pages_form_posts_in_place_to_its_section_and_plainly_to_the_progress_page(
    client, alice, action
):
    client.force_login(alice)
    html = client.get(action.get_absolute_url()).content.decode()
    form = html.split('<section id="progress"')[1].split(">", 2)[2].split("</form>")[0]
    assert f'action="{action_url(action, "progress/")}"' in form
    assert f'hx-post="{action_url(action, "progress/section/")}"' in form
    # Without htmx the section's address sends the person to the progress page; nothing saved.
    response = client.post(action_url(action, "progress/section/"), progress_post(action))
    assert response.status_code == 302
    assert response["Location"] == action_url(action, "progress/")
    assert not ProgressUpdate.objects.exists()


def test_the_list_opens_the_progress_form_in_the_row_and_swaps_the_row_back(client, alice, action):
    client.force_login(alice)
    response = client.get(action_url(action, "row/progress/"), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody class="govuk-table__body" id="action-row-{action.pk}"')
    assert f'hx-target="#action-row-{action.pk}"' in html
    assert f'hx-post="{action_url(action, "row/progress/")}"' in html
    # Without JavaScript the same form posts to the progress page.
    assert f'action="{action_url(action, "progress/")}"' in html
    # Opened in the row, the form takes keyboard focus; the live region is emptied.
    assert re.search(r"<textarea[^>]*autofocus", html)
    assert '<div id="live-region" hx-swap-oob="innerHTML"></div>' in html

    response = client.post(action_url(action, "row/progress/"), progress_post(action), headers=HTMX)
    html = response.content.decode()
    assert f'id="action-row-{action.pk}"' in html
    assert "First audit done." in html
    assert "<form" not in html
    assert "Progress update added" in html
    # The form closed: focus goes back to the row's own link.
    assert re.search(r"<a [^>]*autofocus>Add update", html)


def test_a_bad_update_in_the_row_keeps_the_form_open_with_the_problem(client, alice, action):
    client.force_login(alice)
    response = client.post(
        action_url(action, "row/progress/"), progress_post(action, narrative=""), headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody class="govuk-table__body" id="action-row-{action.pk}"')
    assert "govuk-error-summary" in html and "Enter the progress update" in html
    assert "Not saved: there is a problem with the progress update" in html
    assert "autofocus" not in html
    assert not ProgressUpdate.objects.exists()


def test_the_rows_addresses_send_requests_without_htmx_to_the_actions_pages(client, alice, action):
    client.force_login(alice)
    response = client.get(action_url(action, "row/progress/"))
    assert (response.status_code, response["Location"]) == (302, action_url(action, "progress/"))
    response = client.post(action_url(action, "row/progress/"), progress_post(action))
    assert (response.status_code, response["Location"]) == (302, action_url(action, "progress/"))
    response = client.get(action_url(action, "row/"))
    assert (response.status_code, response["Location"]) == (302, action_url(action))
    assert not ProgressUpdate.objects.exists()


def test_cancel_closes_the_rows_progress_form_and_saves_nothing(client, alice, action):
    client.force_login(alice)
    html = client.get(action_url(action, "row/progress/"), headers=HTMX).content.decode()
    cancel = html.split('<div class="govuk-button-group">')[1].split("</div>")[0]
    # Without JavaScript, Cancel leads to the action's page; with it, the row closes the form.
    assert f'href="{action.get_absolute_url()}"' in cancel
    assert f'hx-get="{action_url(action, "row/")}"' in cancel
    assert "Cancel" in cancel

    response = client.get(action_url(action, "row/"), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody class="govuk-table__body" id="action-row-{action.pk}"')
    assert "<form" not in html
    assert "Add update" in html
    assert re.search(r"<a [^>]*autofocus>Add update", html)
    assert "without saving" in html  # announced in the live region
    assert not ProgressUpdate.objects.exists()


def test_the_progress_page_of_its_own_offers_a_way_back_to_the_action(client, alice, action):
    client.force_login(alice)
    html = client.get(action_url(action, "progress/")).content.decode()
    assert f'<a class="govuk-link" href="{action.get_absolute_url()}">Cancel</a>' in html


@pytest.mark.parametrize("suffix", ["edit/", "close/"])
def test_the_edit_and_close_pages_offer_cancel_back_to_the_action(client, alice, action, suffix):
    client.force_login(alice)
    cancel = f'<a class="govuk-link" href="{action.get_absolute_url()}">Cancel</a>'
    html = client.get(action_url(action, suffix)).content.decode()
    group = html.split('<div class="govuk-button-group">')[1].split("</div>")[0]
    assert cancel in group
    # A page shown again with its errors still offers the way back, and nothing was saved.
    refused = client.post(action_url(action, suffix), {"version": 1})
    assert refused.status_code == 200 and cancel in refused.content.decode()
    action.refresh_from_db()
    assert action.version == 1


def test_a_complete_update_without_evidence_explains_what_is_missing(client, alice, action):
    client.force_login(alice)
    response = client.post(
        action_url(action, "progress/"),
        progress_post(action, status="complete", rag="blue", percent_complete="100"),
    )
    assert response.status_code == 200
    assert (
        "Record the evidence of impact before the action is complete" in response.content.decode()
    )
    assert not ProgressUpdate.objects.exists()


# Closing


def test_an_officer_closes_an_action_with_evidence(client, alice, action):
    client.force_login(alice)
    assert client.get(action_url(action, "close/")).status_code == 200
    response = client.post(
        action_url(action, "close/"),
        {"evidence_of_impact": "May audit: 92% good", "narrative": "Closed.", "version": 1},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag, action.percent_complete) == ("complete", "blue", 100)


def test_closing_without_evidence_is_refused(client, alice, action):
    client.force_login(alice)
    response = client.post(
        action_url(action, "close/"), {"evidence_of_impact": " ", "narrative": "", "version": 1}
    )
    html = response.content.decode()
    assert "Enter the evidence of impact" in html and "Enter the closing update" in html
    action.refresh_from_db()
    assert action.status == "not_started"


# Refusals for every write view


WRITES = ["edit/", "close/", "progress/"]


@pytest.mark.parametrize("suffix", WRITES)
def test_a_lead_member_may_not_write(client, bob, action, suffix):
    client.force_login(bob)
    assert client.get(action_url(action, suffix)).status_code == 403
    assert client.post(action_url(action, suffix), progress_post(action)).status_code == 403
    action.refresh_from_db()
    assert action.version == 1


@pytest.mark.parametrize("suffix", ["", *WRITES])
def test_another_councils_officer_gets_404(client, charlie, action, suffix):
    client.force_login(charlie)
    assert client.get(action_url(action, suffix)).status_code == 404
    # Not even through their own council's address.
    assert client.get(f"/councils/nottingham/actions/{action.pk}/{suffix}").status_code == 404


def test_the_action_page_refuses_post_with_405(client, alice, action):
    client.force_login(alice)
    assert client.post(action_url(action)).status_code == 405


@time_machine.travel(date(2024, 5, 1))
def test_overdue_shows_on_the_action_page(client, alice, march_action):
    action = march_action
    client.force_login(alice)
    assert "Overdue since 31 March 2024" in client.get(action_url(action)).content.decode()


def test_the_owners_account_is_named_only_where_it_differs_from_the_owner(client, alice, action):
    client.force_login(alice)
    action.owner, action.owner_name = alice, alice.get_full_name() or alice.username
    action.save()
    html = client.get(action_url(action)).content.decode()
    assert "(account:" not in html
    action.owner_name = "Someone Else"
    action.save()
    html = client.get(action_url(action)).content.decode()
    assert f"Someone Else (account: {alice})" in html


def test_a_stale_progress_update_shows_the_update_saved_first_beside_yours(client, alice, action):
    other_tab = progress_post(action, narrative="Audit booked for May", rag="red")
    client.force_login(alice)
    client.post(action_url(action, "progress/"), other_tab)
    response = client.post(
        action_url(action, "progress/section/"),
        progress_post(action, narrative="Audit booked; panel chosen", rag="red"),
        headers=HTMX,
    )
    html = response.content.decode()
    table = html.split("The values you saved there beside these")[1].split("</table>")[0]
    assert "Progress update" in table
    assert "Audit booked for May" in table and "Audit booked; panel chosen" in table
    assert "Updates are added to the action's record, never replaced" in html
