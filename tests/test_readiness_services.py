"""Self-evaluations: starting, copying, grading, sign-off by the two named people, the frozen
version, and the history of every change."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action
from actions.tasks import send_reminders
from readiness import selectors, services
from readiness.models import EngagementMeeting, PlanAction, SelfAssessedGrade, SelfEvaluation

from .factories import ActionFactory, RecommendationFactory
from .helpers import readiness_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(scilly, alice, bob):
    """Isles of Scilly's 2024 self-evaluation, complete, naming alice and bob to sign it."""
    return readiness_world(scilly, director=alice, lead_member=bob)["self_evaluation"]


def signed(draft, alice, bob) -> SelfEvaluation:
    services.self_evaluation_sign_off(self_evaluation=draft, user=alice)
    services.self_evaluation_sign_off(self_evaluation=draft, user=bob)
    draft.refresh_from_db()
    return draft


def test_it_grades_against_the_framework_in_force_that_year(scilly):
    assert services.self_evaluation_start(council=scilly, year=2022).framework.code == "ilacs-2018"
    assert services.self_evaluation_start(council=scilly, year=2024).framework.code == "ilacs-2023"


def test_it_refuses_a_second_self_evaluation_for_a_year(draft, scilly):
    with pytest.raises(ValidationError, match="already a 2024 self-evaluation"):
        services.self_evaluation_start(council=scilly, year=2024)
    assert SelfEvaluation.objects.count() == 1


def test_the_database_refuses_one_too(draft, scilly):
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfEvaluation.objects.create(council=scilly, year=2024, framework=draft.framework)


def test_it_refuses_a_year_out_of_range(scilly):
    with pytest.raises(ValidationError, match=f"from 2013 to {date.today().year + 1}"):
        services.self_evaluation_start(council=scilly, year=99999)


def test_one_signature_leaves_it_a_draft(draft, alice):
    result = services.self_evaluation_sign_off(self_evaluation=draft, user=alice)
    assert result.as_role == "director of children's services"
    assert not result.complete
    draft.refresh_from_db()
    assert draft.director_signed_at and not draft.is_signed_off


def test_both_signatures_sign_it_off(draft, alice, bob):
    services.self_evaluation_sign_off(self_evaluation=draft, user=alice)
    result = services.self_evaluation_sign_off(self_evaluation=draft, user=bob)
    assert result.complete and result.as_role == "lead member"
    draft.refresh_from_db()
    assert draft.is_signed_off


def test_only_the_named_people_may_sign(draft, dina, sam):
    for person in (dina, sam):
        with pytest.raises(ValidationError, match="Only the director"):
            services.self_evaluation_sign_off(self_evaluation=draft, user=person)
    draft.refresh_from_db()
    assert draft.director_signed_at is None and draft.lead_member_signed_at is None


def test_no_one_signs_twice(draft, alice):
    services.self_evaluation_sign_off(self_evaluation=draft, user=alice)
    with pytest.raises(ValidationError, match="already signed"):
        services.self_evaluation_sign_off(self_evaluation=draft, user=alice)


def test_an_incomplete_self_evaluation_cannot_be_signed(scilly, alice, bob):
    evaluation = services.self_evaluation_start(council=scilly, year=2023)
    services.self_evaluation_update(
        self_evaluation=evaluation,
        what_we_know="Known",
        how_we_know="",
        plans="Plans",
        director=alice,
        lead_member=bob,
    )
    with pytest.raises(ValidationError) as caught:
        services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    assert "Answer the question \u201cHow do we know it?\u201d" in caught.value.messages
    assert "Give a self-assessed grade for impact of leaders" in caught.value.messages


def test_the_director_and_lead_member_are_two_people_of_the_council(draft, alice, charlie):
    with pytest.raises(ValidationError) as caught:
        services.self_evaluation_update(
            self_evaluation=draft,
            what_we_know="x",
            how_we_know="x",
            plans="x",
            director=charlie,
            lead_member=alice,
        )
    assert caught.value.message_dict["director"] == [
        "Choose one of the council's officers or admins"
    ]
    with pytest.raises(ValidationError, match="someone other than the director"):
        services.self_evaluation_update(
            self_evaluation=draft,
            what_we_know="x",
            how_we_know="x",
            plans="x",
            director=alice,
            lead_member=alice,
        )


def test_a_change_after_one_signature_clears_it(draft, alice, bob):
    services.self_evaluation_sign_off(self_evaluation=draft, user=alice)
    services.self_evaluation_update(
        self_evaluation=draft,
        what_we_know="Rewritten",
        how_we_know=draft.how_we_know,
        plans=draft.plans,
        director=alice,
        lead_member=bob,
    )
    draft.refresh_from_db()
    assert draft.director_signed_at is None


def test_a_signed_off_version_refuses_every_change_and_nothing_changes(draft, alice, bob):
    evaluation = signed(draft, alice, bob)
    area = evaluation.framework.areas.first()
    before = (
        list(SelfEvaluation.objects.values_list()),
        list(SelfAssessedGrade.objects.values_list()),
        list(PlanAction.objects.values_list()),
        evaluation.evidence.count(),
    )
    attempts = [
        lambda: services.self_evaluation_update(
            self_evaluation=evaluation,
            what_we_know="Changed",
            how_we_know="x",
            plans="x",
            director=alice,
            lead_member=bob,
        ),
        lambda: services.self_evaluation_set_grades(
            self_evaluation=evaluation, grades={area.key: ("outstanding", "")}
        ),
        lambda: services.self_evaluation_add_evidence(
            self_evaluation=evaluation, title="Audit", url="https://example.org/a.pdf"
        ),
        lambda: services.plan_action_add(
            council=evaluation.council,
            self_evaluation=evaluation,
            title="Late",
            owner_name="Someone",
            due_on=date(2025, 1, 31),
        ),
        lambda: services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [
            f"The 2024 self-evaluation was signed off on {evaluation.signed_off_at:%-d %B %Y} "
            "and cannot be changed: start the 2025 self-evaluation from it instead"
        ]
    after = (
        list(SelfEvaluation.objects.values_list()),
        list(SelfAssessedGrade.objects.values_list()),
        list(PlanAction.objects.values_list()),
        evaluation.evidence.count(),
    )
    assert after == before


def test_a_stale_copy_of_the_row_is_refused_too(draft, alice, bob):
    stale = SelfEvaluation.objects.get(pk=draft.pk)
    signed(draft, alice, bob)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.self_evaluation_set_grades(
            self_evaluation=stale, grades={"leaders": ("outstanding", "")}
        )


def test_the_plan_actions_take_progress_after_sign_off(draft, alice, bob):
    evaluation = signed(draft, alice, bob)
    action = evaluation.actions.get()
    with time_machine.travel(date(2024, 6, 1), tick=False):
        services.plan_action_update_progress(
            action=action,
            expected_version=action.version,
            status="in_progress",
            rag="amber",
            progress="Half the audits done",
        )
    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "amber")


def test_an_overdue_plan_action_is_red_whatever_calls_the_service(draft):
    action = draft.actions.get()  # due 31 March 2025, open
    for rag in ("amber", "green"):
        with (
            time_machine.travel(date(2025, 4, 1), tick=False),
            pytest.raises(ValidationError, match="due on 31 March 2025, so it is overdue and Red"),
        ):
            services.plan_action_update_progress(
                action=action,
                expected_version=action.version,
                status="in_progress",
                rag=rag,
                progress="Nearly there",
            )
    action.refresh_from_db()
    assert (action.status, action.progress) == ("not_started", "")
    with time_machine.travel(date(2025, 4, 1), tick=False):
        services.plan_action_update_progress(
            action=action,
            expected_version=action.version,
            status="complete",
            rag="blue",
            progress="Done late",
        )
    action.refresh_from_db()
    assert action.rag == "blue"


def test_a_plan_action_added_past_its_due_date_is_red(draft, scilly):
    with time_machine.travel(date(2025, 6, 1), tick=False):
        action = services.plan_action_add(
            council=scilly,
            self_evaluation=draft,
            title="Late from the start",
            owner_name="Head of service",
            due_on=date(2025, 1, 31),
        )
    assert action.rag == "red"
    assert action.history.latest().history_change_reason == (
        "Added; overdue since 31 January 2025, so Red"
    )


@pytest.fixture
def amber_then_overdue(scilly, alice, bob):
    """The world as on 1 June 2024, its plan action rated Amber: it falls due on 31 March 2025."""
    with time_machine.travel(date(2024, 6, 1), tick=False):
        world = readiness_world(scilly, director=alice, lead_member=bob)
        services.plan_action_update_progress(
            action=world["plan_action"],
            expected_version=world["plan_action"].version,
            status="in_progress",
            rag="amber",
            progress="Started",
        )
    return PlanAction.objects.get(pk=world["plan_action"].pk)


def test_the_daily_task_rates_overdue_plan_actions_red_once_with_a_reason(amber_then_overdue):
    action = amber_then_overdue
    on_time = PlanAction.objects.create(
        council=action.council,
        meeting=EngagementMeeting.objects.get(),
        title="On time",
        owner_name="Someone",
        due_on=date(2025, 6, 30),
        status="in_progress",
        rag="amber",
    )
    records = action.history.count()
    with time_machine.travel(date(2025, 4, 1), tick=False):
        assert services.plan_actions_mark_overdue_red() == 1
        action.refresh_from_db()
        assert (action.rag, action.status) == ("red", "in_progress")
        record = action.history.latest()
        assert record.history_change_reason == "Overdue since 31 March 2025, so Red"
        assert record.history_user is None
        assert PlanAction.objects.get(pk=on_time.pk).rag == "amber"
        # A second run finds nothing to do.
        assert services.plan_actions_mark_overdue_red() == 0
    assert action.history.count() == records + 1


def test_the_daily_actions_task_rates_plan_actions_too(amber_then_overdue):
    with time_machine.travel(date(2025, 4, 1), tick=False):
        send_reminders.apply()
    amber_then_overdue.refresh_from_db()
    assert amber_then_overdue.rag == "red"


def test_progress_that_contradicts_itself_is_refused(draft):
    action = draft.actions.get()
    with pytest.raises(ValidationError, match="Blue is for complete"):
        services.plan_action_update_progress(
            action=action,
            expected_version=action.version,
            status="in_progress",
            rag="blue",
            progress="",
        )


def test_next_year_starts_from_a_copy_and_the_signed_version_is_kept(draft, alice, bob):
    services.self_evaluation_add_evidence(
        self_evaluation=draft, title="Audit report", url="https://example.org/audit.pdf"
    )
    evaluation = signed(draft, alice, bob)
    copy = services.self_evaluation_start(
        council=evaluation.council, year=2025, copy_from=evaluation
    )
    assert copy.what_we_know == evaluation.what_we_know
    assert not copy.is_signed_off and copy.director_signed_at is None
    assert copy.copied_from == evaluation
    assert list(copy.evidence.values_list("title", "url")) == [
        ("Audit report", "https://example.org/audit.pdf")
    ]
    assert copy.director == alice and copy.lead_member == bob
    assert {g.area.key: g.grade for g in copy.grades.all()} == {
        g.area.key: g.grade for g in evaluation.grades.all()
    }
    services.self_evaluation_update(
        self_evaluation=copy,
        what_we_know="This year",
        how_we_know="x",
        plans="x",
        director=alice,
        lead_member=bob,
    )
    evaluation.refresh_from_db()
    assert evaluation.is_signed_off
    assert evaluation.what_we_know.startswith("Practice is improving")


def test_a_copy_across_frameworks_keeps_the_judgements_both_have(scilly):
    old = services.self_evaluation_start(council=scilly, year=2022)
    services.self_evaluation_set_grades(
        self_evaluation=old,
        grades={
            "leaders": ("good", "Stable leadership"),
            "children_in_care_and_care_leavers": ("good", "Settled placements"),
        },
    )
    copy = services.self_evaluation_start(council=scilly, year=2023, copy_from=old)
    assert copy.framework.code == "ilacs-2023"
    assert {g.area.key: g.rationale for g in copy.grades.all()} == {"leaders": "Stable leadership"}


def test_evidence_links_an_action_of_the_council_only(draft, scilly, nottingham):
    ours = ActionFactory(recommendation=RecommendationFactory(inspection__council=scilly))
    link = services.self_evaluation_add_evidence(self_evaluation=draft, title="", action=ours)
    assert link.title == ours.title
    theirs = ActionFactory(recommendation=RecommendationFactory(inspection__council=nottingham))
    with pytest.raises(ValidationError, match="this council's actions"):
        services.self_evaluation_add_evidence(self_evaluation=draft, title="", action=theirs)


def test_the_history_records_every_change_with_who_made_it(draft, alice, bob):
    signed(draft, alice, bob)
    entries = selectors.self_evaluation_history(draft)
    whats = [e.what for e in entries]
    assert "Started the 2024 self-evaluation" in whats
    assert "Added the self-assessed grade for impact of leaders" in whats
    assert (
        "Added the plan action \u201cAudit strategy discussions\u201d: overdue since 31 March "
        "2025, so Red"
    ) in whats
    changes = [c for e in entries for c in e.changes]
    assert changes.count("Signed off by both: this version can no longer be changed") == 1
    assert "Signed off by the director of children's services" in changes
    assert "Director of children's services set to Alice" in changes
    assert "Due date set to 31 March 2025" in changes
    assert "RAG set to Red" in changes
    # Bookkeeping never shows, nor a record's number.
    assert not [c for c in changes if "#" in c or c.startswith(("Version", "Copied from"))]


def test_the_history_names_a_copy_its_evidence_and_a_removal_in_sentences(
    draft, alice, bob, scilly
):
    evaluation = signed(draft, alice, bob)
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection__council=scilly), title="Monthly audits"
    )
    later = services.self_evaluation_start(council=scilly, year=2025, copy_from=evaluation)
    services.self_evaluation_add_evidence(self_evaluation=later, title="", action=action)
    plan = services.plan_action_add(
        council=scilly,
        self_evaluation=later,
        title="Refresh the audit plan",
        owner_name="Head of service",
        due_on=date(2025, 12, 31),
    )
    services.plan_action_update(
        action=plan,
        expected_version=plan.version,
        title=plan.title,
        owner_name="Principal social worker",
        due_on=plan.due_on,
    )
    services.plan_action_remove(
        action=plan, expected_version=plan.version, reason="Replaced by the audit plan"
    )
    entries = selectors.self_evaluation_history(later)
    whats = [e.what for e in entries]
    assert "Started the 2025 self-evaluation as a copy of the 2024 one" in whats
    assert "Added the evidence \u201cMonthly audits\u201d" in whats
    assert (
        "Removed the plan action \u201cRefresh the audit plan\u201d. Reason given: Replaced by the "
        "audit plan"
    ) in whats
    changes = [c for e in entries for c in e.changes]
    assert "Improvement action set to \u201cMonthly audits\u201d" in changes
    assert "Owner changed from Head of service to Principal social worker" in changes
    assert not [c for c in changes if "#" in c]


def test_self_evaluation_actions_leave_an_inspection_plans_figures_alone(draft, scilly):
    recommendation = RecommendationFactory(inspection__council=scilly)
    ActionFactory(recommendation=recommendation)
    inspection = recommendation.inspection
    before = (
        list(Action.objects.live_plan(scilly).values_list("pk", flat=True)),
        list(Action.objects.of_plan(inspection).values_list("pk", flat=True)),
        Action.objects.for_council(scilly).count(),
    )
    services.plan_action_add(
        council=scilly,
        self_evaluation=draft,
        title="Another",
        owner_name="Someone",
        due_on=date(2025, 6, 30),
    )
    after = (
        list(Action.objects.live_plan(scilly).values_list("pk", flat=True)),
        list(Action.objects.of_plan(inspection).values_list("pk", flat=True)),
        Action.objects.for_council(scilly).count(),
    )
    assert after == before and len(before[0]) == 1


def test_plans_fall_due_in_the_self_evaluations_year_or_the_next(draft, scilly):
    with pytest.raises(ValidationError) as caught:
        services.plan_action_add(
            council=scilly,
            self_evaluation=draft,
            title="Audit",
            owner_name="Head of service",
            due_on=date(2020, 1, 1),
        )
    assert caught.value.message_dict["due_on"] == [
        f"Actions in the {draft.year} plan cannot be due before {draft.year}"
    ]
    with pytest.raises(ValidationError) as caught:
        services.plan_action_add(
            council=scilly,
            self_evaluation=draft,
            title="Audit",
            owner_name="Head of service",
            due_on=date(draft.year + 2, 1, 1),
        )
    assert caught.value.message_dict["due_on"] == [
        f"Actions in the {draft.year} plan must be due in {draft.year} or {draft.year + 1}"
    ]


def test_a_due_date_moved_into_the_past_makes_an_open_action_red(amber_then_overdue):
    action = amber_then_overdue
    with time_machine.travel(date(2024, 6, 1), tick=False):
        services.plan_action_update(
            action=action,
            expected_version=action.version,
            title=action.title,
            owner_name=action.owner_name,
            due_on=date(2024, 5, 31),
            reason="Brought forward for the board",
        )
    action.refresh_from_db()
    assert action.rag == "red"
    assert action.history.latest().history_change_reason == (
        "Brought forward for the board; overdue since 31 May 2024, so Red"
    )


def test_an_edit_from_a_stale_version_is_refused_and_changes_nothing(draft):
    action = draft.actions.get()
    services.plan_action_update_progress(
        action=action,
        expected_version=action.version,
        status="in_progress",
        rag="red",
        progress="Started",
    )
    with pytest.raises(services.Conflict):
        services.plan_action_update(
            action=action,
            expected_version=1,
            title="Stale",
            owner_name=action.owner_name,
            due_on=action.due_on,
        )
    assert PlanAction.objects.get(pk=action.pk).title == "Audit strategy discussions"
