"""Changing and removing a self-evaluation plan's action or a meeting's follow-up: the form,
its refusals, a save that someone else beat, and the history kept of each."""

from datetime import date

import pytest

from readiness import services
from readiness.models import PlanAction

from .helpers import date_fields, pdf_text, readiness_world

pytestmark = pytest.mark.django_db

BASE = "/councils/isles-of-scilly/readiness/actions"


@pytest.fixture
def world(scilly, alice, bob):
    return readiness_world(scilly, director=alice, lead_member=bob)


@pytest.fixture
def action(world):
    return world["plan_action"]  # "Audit strategy discussions", due 31 March 2025, Red


def edit_post(action, *, due=("30", "6", "2025"), **overrides):
    return (
        {
            "title": "Audit every strategy discussion",
            "owner_name": "Principal social worker",
            "reason": "The audit tool arrives in May",
            "version": action.version,
        }
        | date_fields("due_on", due)
        | overrides
    )


def test_an_officer_changes_the_title_owner_and_due_date(client, alice, action):
    client.force_login(alice)
    page = client.get(f"{BASE}/{action.pk}/edit/")
    assert page.status_code == 200
    assert 'value="Audit strategy discussions"' in page.text
    response = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action))
    assert response.status_code == 302
    assert response["Location"] == "/councils/isles-of-scilly/self-evaluations/2024/"
    action.refresh_from_db()
    assert (action.title, action.owner_name, action.due_on, action.version) == (
        "Audit every strategy discussion",
        "Principal social worker",
        date(2025, 6, 30),
        2,
    )
    record = action.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        alice,
        "The audit tool arrives in May",
    )


def test_a_due_date_outside_the_plans_years_is_refused_and_changes_nothing(client, alice, action):
    client.force_login(alice)
    response = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, due=("31", "12", "2023")))
    assert response.status_code == 200
    assert "Actions in the 2024 plan cannot be due before 2024" in response.text
    assert "govuk-error-summary" in response.text
    action.refresh_from_db()
    assert (action.title, action.due_on, action.version) == (
        "Audit strategy discussions",
        date(2025, 3, 31),
        1,
    )


def test_a_follow_up_due_before_its_meeting_is_refused(client, alice, world, scilly):
    follow_up = services.plan_action_add(
        council=scilly,
        meeting=world["meeting"],
        title="Report to the board",
        owner_name="Director",
        due_on=date(2024, 9, 30),
    )
    client.force_login(alice)
    response = client.post(
        f"{BASE}/{follow_up.pk}/edit/", edit_post(follow_up, due=("1", "5", "2024"))
    )
    assert "A follow-up falls due after the meeting, on 14 May 2024" in response.text
    follow_up.refresh_from_db()
    assert follow_up.due_on == date(2024, 9, 30)


def test_a_malformed_date_and_an_empty_title_get_clear_messages(client, alice, action):
    client.force_login(alice)
    response = client.post(
        f"{BASE}/{action.pk}/edit/", edit_post(action, due=("31", "13", "99999"), title="")
    )
    assert response.status_code == 200
    assert "Enter the action" in response.text
    action.refresh_from_db()
    assert action.title == "Audit strategy discussions"


def test_a_save_someone_else_beat_is_refused_showing_both_versions(client, alice, dina, action):
    client.force_login(alice)
    started = edit_post(action, title="Alice's title")
    client.force_login(dina)
    client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, title="Dina's title"))
    client.force_login(alice)
    response = client.post(f"{BASE}/{action.pk}/edit/", started)
    assert response.status_code == 409
    assert "Dina" in response.text and "changed this" in response.text
    assert "Dina&#x27;s title" in response.text and "Alice&#x27;s title" in response.text
    action.refresh_from_db()
    assert action.title == "Dina's title"
    # The form is now on Dina's version: saving again replaces it knowingly.
    assert f'name="version" value="{action.version}"' in response.text
    again = client.post(f"{BASE}/{action.pk}/edit/", started | {"version": action.version})
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.title == "Alice's title"


def test_read_only_roles_are_refused_and_another_council_gets_404(
    client, bob, sam, charlie, action
):
    for person, status in ((bob, 403), (sam, 403), (charlie, 404)):
        client.force_login(person)
        for url in ("edit/", "remove/"):
            assert client.get(f"{BASE}/{action.pk}/{url}").status_code == status
        assert client.post(f"{BASE}/{action.pk}/edit/", edit_post(action)).status_code == status
        assert (
            client.post(f"{BASE}/{action.pk}/remove/", {"reason": "No", "version": 1}).status_code
            == status
        )
    assert PlanAction.objects.get(pk=action.pk).title == "Audit strategy discussions"


def test_removing_an_action_keeps_it_in_the_history_with_the_reason(client, alice, action):
    client.force_login(alice)
    page = client.get(f"{BASE}/{action.pk}/remove/")
    assert "Remove Audit strategy discussions" in page.text
    response = client.post(
        f"{BASE}/{action.pk}/remove/", {"reason": "Replaced by the audit plan", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"] == "/councils/isles-of-scilly/self-evaluations/2024/"
    assert not PlanAction.objects.filter(pk=action.pk).exists()
    record = PlanAction.history.filter(id=action.pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        alice,
        "Replaced by the audit plan",
    )


def test_a_removal_needs_a_reason(client, alice, action):
    client.force_login(alice)
    response = client.post(f"{BASE}/{action.pk}/remove/", {"reason": "  ", "version": 1})
    assert response.status_code == 200
    assert "Say why the action is removed" in response.text
    assert PlanAction.objects.filter(pk=action.pk).exists()


def test_a_removal_after_someone_changed_the_action_is_confirmed_again(client, alice, action):
    services.plan_action_update(
        action=action,
        expected_version=1,
        title="Changed meanwhile",
        owner_name=action.owner_name,
        due_on=action.due_on,
    )
    client.force_login(alice)
    response = client.post(f"{BASE}/{action.pk}/remove/", {"reason": "Done twice", "version": 1})
    assert response.status_code == 409
    assert "Nothing has been removed" in response.text
    assert "Changed meanwhile" in response.text
    assert PlanAction.objects.filter(pk=action.pk).exists()
    again = client.post(f"{BASE}/{action.pk}/remove/", {"reason": "Done twice", "version": 2})
    assert again.status_code == 302
    assert not PlanAction.objects.filter(pk=action.pk).exists()


def test_the_plan_lists_change_and_remove_to_officers_only(client, alice, bob, action):
    client.force_login(alice)
    html = client.get("/councils/isles-of-scilly/self-evaluations/2024/").text
    assert f"{BASE}/{action.pk}/edit/" in html and f"{BASE}/{action.pk}/remove/" in html
    client.force_login(bob)
    html = client.get("/councils/isles-of-scilly/self-evaluations/2024/").text
    assert f"{BASE}/{action.pk}/edit/" not in html


def test_a_script_in_a_title_or_reason_is_shown_as_text(client, alice, action):
    client.force_login(alice)
    payload = "<script>alert(1)</script>"
    client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, title=payload))
    for url in (f"{BASE}/{action.pk}/edit/", f"{BASE}/{action.pk}/remove/"):
        html = client.get(url).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and payload not in html
    client.post(f"{BASE}/{action.pk}/remove/", {"reason": payload, "version": 2})
    html = client.get("/councils/isles-of-scilly/self-evaluations/2024/").text
    assert "Reason given: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert payload not in html


def test_a_due_date_that_moves_needs_its_reason(client, alice, action):
    client.force_login(alice)
    response = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, reason=""))
    assert response.status_code == 200
    assert "Say why the due date is changing" in response.text
    action.refresh_from_db()
    assert (action.due_on, action.version) == (date(2025, 3, 31), 1)
    # The same due date needs none.
    same = edit_post(action, due=("31", "3", "2025"), reason="")
    assert client.post(f"{BASE}/{action.pk}/edit/", same).status_code == 302
    action.refresh_from_db()
    assert action.history.latest().history_change_reason == "Edited"


def test_an_old_plans_overdue_action_can_be_given_a_later_date_with_its_reason(
    client, alice, action
):
    """A plan's actions fall due in its year or the next when added; one still open years on
    is given a new date, with its reason, so that it can be rated other than Red again."""
    client.force_login(alice)
    later = ("30", "6", "2027")
    response = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, due=later, reason=""))
    assert "Say why the due date is changing" in response.text
    post = edit_post(action, due=later, reason="Rescheduled with the new audit cycle")
    assert client.post(f"{BASE}/{action.pk}/edit/", post).status_code == 302
    action.refresh_from_db()
    assert action.due_on == date(2027, 6, 30)
    assert action.history.latest().history_change_reason == "Rescheduled with the new audit cycle"


def test_a_change_opened_from_the_dashboard_or_readiness_page_goes_back_there(
    client, alice, action
):
    client.force_login(alice)
    dashboard = client.get("/councils/isles-of-scilly/dashboard/").text
    assert f"{BASE}/{action.pk}/edit/?from=dashboard" in dashboard
    readiness = client.get("/councils/isles-of-scilly/readiness/").text
    assert f"{BASE}/{action.pk}/progress/?from=readiness" in readiness
    form = client.get(f"{BASE}/{action.pk}/edit/?from=dashboard").text
    assert '<input type="hidden" name="from" value="dashboard">' in form
    assert 'href="/councils/isles-of-scilly/dashboard/#self-evaluation-plan">Cancel</a>' in form
    # Cancel goes back to the table; a save to the page's top, where its banner says so.
    readiness_form = client.get(f"{BASE}/{action.pk}/progress/?from=readiness").text
    assert 'href="/councils/isles-of-scilly/readiness/#actions">Cancel</a>' in readiness_form
    assert 'id="actions"' in readiness
    saved = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, **{"from": "dashboard"}))
    assert saved["Location"] == "/councils/isles-of-scilly/dashboard/"
    progress = client.post(
        f"{BASE}/{action.pk}/progress/",
        {"status": "in_progress", "rag": "red", "progress": "Begun", "version": 2}
        | {"from": "source"},
    )
    assert progress["Location"] == "/councils/isles-of-scilly/self-evaluations/2024/"
    removed = client.post(
        f"{BASE}/{action.pk}/remove/", {"reason": "Done twice", "version": 3, "from": "readiness"}
    )
    assert removed["Location"] == "/councils/isles-of-scilly/readiness/"


def test_a_return_page_is_named_never_given_as_an_address(client, alice, action):
    client.force_login(alice)
    for origin in ("https://evil.example/", "//evil.example", "/councils/other/"):
        response = client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, **{"from": origin}))
        assert response["Location"] == "/councils/isles-of-scilly/self-evaluations/2024/"
        action.refresh_from_db()
        form = client.get(f"{BASE}/{action.pk}/edit/", {"from": origin}).text
        assert "evil.example" not in form and 'name="from"' not in form


def test_a_revised_due_date_shows_the_date_first_given_in_every_list(
    client, alice, action, world, scilly
):
    client.force_login(alice)
    assert "Revised from" not in client.get("/councils/isles-of-scilly/readiness/").text
    client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, due=("30", "6", "2027")))
    revised = "Revised from 31 Mar 2025"
    for url in (
        "/councils/isles-of-scilly/readiness/",
        "/councils/isles-of-scilly/self-evaluations/2024/",
        "/councils/isles-of-scilly/dashboard/",
        "/councils/isles-of-scilly/pack/",
    ):
        assert revised in client.get(url).text, url
    pdf = client.get("/councils/isles-of-scilly/self-evaluations/2024/self-evaluation.pdf")
    assert revised in " ".join(pdf_text(pdf.content).split())
    # Moved back to the date first given, it is no longer revised.
    action.refresh_from_db()
    client.post(f"{BASE}/{action.pk}/edit/", edit_post(action, due=("31", "3", "2025")))
    assert revised not in client.get("/councils/isles-of-scilly/readiness/").text
    # A meeting's follow-up too.
    follow_up = services.plan_action_add(
        council=scilly,
        meeting=world["meeting"],
        title="Share the letter with the board",
        owner_name="Director",
        due_on=date(2026, 12, 31),
    )
    client.post(
        f"{BASE}/{follow_up.pk}/edit/",
        edit_post(follow_up, title=follow_up.title, due=("31", "1", "2027")),
    )
    assert "Revised from 31 Dec 2026" in client.get(follow_up.get_source_url()).text
