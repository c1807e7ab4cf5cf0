"""A council's inspections over the years: a later graded inspection supersedes the milestones of
earlier ones, the council reports one live plan, and every page agrees on it."""

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.utils import timezone

from actions.models import Action
from actions.services import action_close
from inspections.cycles import council_cycles, cycle_for, live_inspection, superseded_by
from inspections.models import Inspection, Milestone
from inspections.selectors import council_inspections, council_milestones, timeline_context
from inspections.services import milestone_add_agreed, reminders_send
from reports.pack import pack_context

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import CONFIRM, SCILLY_2023, form_values, upload

pytestmark = pytest.mark.django_db

SCILLY_2019 = "isles-of-scilly-2019-12-19.pdf"


def import_report(client, name, published):
    values = form_values(upload(client, name, published=published))
    response = client.post(CONFIRM, values)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def both(client, alice, scilly, django_capture_on_commit_callbacks):
    """Scilly's 2023 report imported first, then its 2019 one: the order must not matter."""
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        import_report(client, SCILLY_2023, ("25", "8", "2023"))
    with django_capture_on_commit_callbacks(execute=True):
        import_report(client, SCILLY_2019, ("19", "12", "2019"))
    older, newer = Inspection.objects.order_by("start_date")
    assert older.start_date.year == 2019 and newer.start_date.year == 2023
    assert older.milestones.exists() and newer.milestones.exists()
    return older, newer


def test_the_later_graded_inspection_supersedes_the_earlier_ones_milestones(both):
    older, newer = both
    assert superseded_by(older) == newer
    assert superseded_by(newer) is None
    assert not Milestone.objects.current().filter(inspection=older).exists()
    assert Milestone.objects.superseded().filter(inspection=older).count() == (
        older.milestones.count()
    )
    rows = timeline_context(older)["timeline"]
    assert {row.status for row in rows} == {"superseded"}
    assert all(row.superseded_by == newer for row in rows)
    assert live_inspection(older.council) == newer


def test_no_milestone_shows_as_overdue_anywhere(client, both, alice, bob, helen, scilly):
    older, newer = both
    pages = {
        "council": (alice, scilly.get_absolute_url()),
        "older inspection": (alice, older.get_absolute_url()),
        "newer inspection": (alice, newer.get_absolute_url()),
        "dashboard": (bob, f"/councils/{scilly.slug}/dashboard/"),
        "overview": (helen, "/overview/"),
        "pack": (bob, f"/councils/{scilly.slug}/pack/"),
    }
    for name, (user, url) in pages.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Overdue" not in html, name
        assert " late)" not in html, name
    older_page = client.get(older.get_absolute_url()).content.decode()
    assert "Superseded" in older_page
    # The 2023 milestones were already past when imported: they need a date, once.
    client.force_login(alice)
    council_page = client.get(scilly.get_absolute_url()).content.decode()
    assert "past milestones need the date they happened" in council_page


def test_no_reminder_goes_out_for_a_superseded_or_already_past_milestone(both, alice):
    older, _ = both
    mail.outbox.clear()
    assert reminders_send() == 0
    assert mail.outbox == []


def test_a_tracked_milestone_that_was_missed_is_overdue_and_not_next(both, scilly):
    _, newer = both
    milestone = newer.milestones.order_by("due_by").first()
    Milestone.objects.filter(pk=milestone.pk).update(
        created_at=timezone.make_aware(datetime.combine(newer.published_on, time(9)))
    )
    upcoming = milestone_add_agreed(
        inspection=newer, key="reinspection", due_on=date(timezone.localdate().year + 1, 3, 2)
    )
    milestones = council_milestones(scilly)
    assert [row.milestone for row in milestones.overdue] == [milestone]
    assert milestones.next.milestone == upcoming
    assert milestone not in [row.milestone for row in milestones.needs_date]


def test_the_default_pack_and_the_dashboard_count_the_same_live_plan(client, both, bob, scilly):
    older, newer = both
    old_recommendation = older.recommendations.first()
    ActionFactory(recommendation=old_recommendation, title="Old plan action, still open")
    live = [
        ActionFactory(recommendation=r, title=f"Live action {n}")
        for n, r in enumerate(newer.recommendations.all()[:3], start=1)
    ]
    overdue = ActionFactory(
        recommendation=newer.recommendations.last(),
        title="Live action overdue",
        due_on=date(2024, 1, 31),
    )
    action_close(
        action=live[0], expected_version=1, user=bob, evidence_of_impact="Audit", narrative="Done"
    )

    context = pack_context(council=scilly, inspection=None, since=None)
    client.force_login(bob)
    figures = client.get(f"/councils/{scilly.slug}/dashboard/").context["figures"]
    assert context["inspection"] == newer
    assert context["summary"].total == figures.summary.total == 4
    assert context["summary"].complete == figures.summary.complete == 1
    assert [a.pk for a in context["exceptions"]] == [a.pk for a in figures.exceptions]
    assert overdue.pk in [a.pk for a in figures.exceptions]
    planned = {a.title for r in context["recommendations"] for a in r.actions.all()}
    assert planned == {a.title for a in live} | {overdue.title}
    assert "Old plan action, still open" not in planned


def test_an_action_carried_into_the_new_plan_is_reported_with_it(both, scilly):
    older, newer = both
    carried = ActionFactory(recommendation=older.recommendations.first(), title="Carried action")
    Action.objects.filter(pk=carried.pk).update(
        plan=newer, carried_from=older, carried_on=timezone.localdate()
    )
    assert list(Action.objects.live_plan(scilly)) == [carried]
    context = pack_context(council=scilly, inspection=None, since=None)
    labels = {r.label for r in context["recommendations"] if r.actions.all()}
    assert labels == {"Recommendation 1 of the October 2019 standard ILACS inspection"}


def test_a_visit_belongs_to_the_cycle_of_the_graded_inspection_before_it(both, scilly):
    older, newer = both
    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 2, 6),
        end_date=date(2024, 2, 7),
        published_on=date(2024, 3, 1),
    )
    assert cycle_for(scilly, visit.start_date) == newer
    cycles = council_cycles(council_inspections(scilly))
    assert [c.inspection for c in cycles] == [newer, older]
    assert cycles[0].live and not cycles[1].live
    assert cycles[0].visits == [visit]
    # Its recommendations' actions go into its cycle's plan.
    action = ActionFactory(recommendation=RecommendationFactory(inspection=visit))
    assert action.plan == newer


def test_a_withdrawn_inspection_leaves_the_record_and_the_earlier_one_is_live_again(both, scilly):
    older, newer = both
    Inspection.objects.filter(pk=newer.pk).update(withdrawn_at=timezone.now())
    assert live_inspection(scilly) == older
    assert superseded_by(older) is None
    assert Milestone.objects.current().filter(inspection=older).exists()
    assert not Milestone.objects.current().filter(inspection=newer).exists()
    assert Inspection.all_objects.filter(pk=newer.pk).exists()
    assert not Inspection.objects.filter(pk=newer.pk).exists()


def test_an_action_closed_unfinished_cannot_be_changed_by_any_form(client, both, alice, scilly):
    older, _ = both
    action = ActionFactory(recommendation=older.recommendations.first(), title="Closed action")
    Action.objects.filter(pk=action.pk).update(
        ended_on=date(2024, 1, 8), end_reason="Replaced by the 2023 plan"
    )
    action.refresh_from_db()
    base = f"/councils/{scilly.slug}/actions/{action.pk}"
    posts = {
        f"{base}/edit/": {
            "recommendation": action.recommendation_id,
            "title": "Changed",
            "success_criterion": action.success_criterion,
            "owner_name": action.owner_name,
            "version": action.version,
        },
        f"{base}/progress/": {
            "narrative": "More work",
            "status": "in_progress",
            "rag": "amber",
            "percent_complete": "10",
            "version": action.version,
        },
        f"{base}/close/": {"evidence_of_impact": "x", "narrative": "x", "version": action.version},
    }
    client.force_login(alice)
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert "was closed unfinished on 8 January 2024" in response.content.decode(), url
    action.refresh_from_db()
    assert (action.title, action.version, action.updates.count()) == ("Closed action", 1, 0)


def test_the_council_page_says_when_the_old_plans_actions_wait_for_a_decision(
    client, both, alice, bob, scilly
):
    older, newer = both
    ActionFactory(recommendation=older.recommendations.first(), title="Waiting action")
    client.force_login(alice)
    html = client.get(scilly.get_absolute_url()).content.decode()
    assert "1 open action of the previous plan needs a decision" in html
    assert f"/inspections/{newer.pk}/carry-over/" in html
    client.force_login(bob)
    html = client.get(scilly.get_absolute_url()).content.decode()
    assert "an officer carries them into this plan or closes them" in html
    assert "/carry-over/" not in html


def test_the_old_plans_page_shows_what_became_of_each_action(client, both, alice, scilly):
    older, newer = both
    recommendation = older.recommendations.first()
    carried = ActionFactory(recommendation=recommendation, title="Carried on")
    ended = ActionFactory(recommendation=recommendation, title="Closed on the way")
    ActionFactory(recommendation=recommendation, title="Still waiting")
    Action.objects.filter(pk=carried.pk).update(
        plan=newer, carried_from=older, carried_on=date(2023, 12, 1)
    )
    Action.objects.filter(pk=ended.pk).update(ended_on=date(2023, 12, 1), end_reason="Replaced")
    client.force_login(alice)
    response = client.get(f"/councils/{scilly.slug}/inspections/{older.pk}/actions/")
    html = response.content.decode()
    assert "Carried on" in html and "Closed on the way" in html and "Still waiting" in html
    assert "Carried over</strong>" in html and "July 2023 plan" in html
    assert "Closed unfinished</strong>" in html
    # Its figures count the one still in it.
    assert response.context["counts"]["total"] == 1


def test_no_action_is_added_to_a_superseded_plan(client, both, alice, scilly):
    older, newer = both
    recommendation = older.recommendations.first()
    client.force_login(alice)
    url = f"/councils/{scilly.slug}/inspections/{older.pk}/actions/new/"
    response = client.post(
        url,
        {
            "recommendation": recommendation.pk,
            "title": "Too late",
            "owner_name": "Someone",
            "due_on_0": "1",
            "due_on_1": "6",
            "due_on_2": "2027",
            "success_criterion": "Done",
        },
        follow=True,
    )
    assert not Action.objects.filter(title="Too late").exists()
    assert "superseded this inspection: add new actions to its plan" in (response.content.decode())
    assert client.get(url).status_code == 302
