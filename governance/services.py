"""The writes of intervention and governance: each validates, saves with a history record
and keeps the intervention's duties in step as milestones of its cycle, which the daily
reminders already cover (inspections/services/reminders.py)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions import services as action_services
from actions.models import Action
from councils.models import User
from inspections.models import Inspection, Milestone, Recommendation
from inspections.services.locks import inspection_lock

from .models import Board, Decision, DfeReview, Intervention, InterventionKind, Meeting

# DfE reviews progress about every six months (docs/domain.md, "After inadequate").
REVIEW_EVERY_MONTHS = 6
# An open-ended duty to report is planned this far ahead of today; each change, each review
# and the daily task (tasks.py) plan it again.
REPORTS_AHEAD_MONTHS = 12
# The steps of intervention from the lightest; a review steps down to a lighter one.
STEPS = [InterventionKind.ADVISER, InterventionKind.NOTICE, InterventionKind.DIRECTION]


def _save(obj, user: User | None, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.full_clean()
    obj.save()


# The intervention ------------------------------------------------------------------------------


def _check_intervention(intervention: Intervention) -> None:
    errors = {}
    cycle = intervention.cycle
    if cycle.council_id != intervention.council_id or cycle.is_withdrawn:
        errors["cycle"] = "Choose an inspection of this council"
    elif not cycle.is_graded:
        errors["cycle"] = "Choose the graded inspection whose judgement led to the intervention"
    elif intervention.started_on and intervention.started_on < cycle.start_date:
        errors["started_on"] = (
            f"The intervention must start after the inspection began, on "
            f"{cycle.start_date:%-d %B %Y}"
        )
    if intervention.started_on and intervention.started_on > timezone.localdate():
        errors.setdefault("started_on", "The date it started must be today or in the past")
    start, end = intervention.started_on, intervention.ended_on
    if start and end and end < start:
        errors["ended_on"] = "The date it ended must be on or after the date it started"
    if intervention.requirements_due_on and not intervention.requirements.strip():
        errors["requirements"] = "Enter what the intervention requires, or remove its date"
    due = intervention.requirements_due_on
    if due and start and due <= start:
        errors["requirements_due_on"] = (
            "The date the requirements must be met by must be after the intervention started"
        )
    every, first = intervention.report_every_months, intervention.first_report_due_on
    if every is not None and not 1 <= every <= 12:
        errors["report_every_months"] = "Months between reports must be between 1 and 12"
    elif (every is None) != (first is None):
        field = "first_report_due_on" if first is None else "report_every_months"
        errors[field] = (
            "Enter the first report's due date and the months between reports, or neither"
        )
    elif first and intervention.started_on and first <= intervention.started_on:
        errors["first_report_due_on"] = (
            "The first report must be due after the intervention started"
        )
    if (every is not None or first is not None) and not intervention.report_to.strip():
        errors.setdefault("report_to", "Enter who the reports go to")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intervention_save(*, intervention: Intervention, user: User | None) -> Intervention:
    """Record or change a step of intervention, and plan its duties as milestones."""
    inspection_lock(intervention.cycle_id)
    _check_intervention(intervention)
    new = intervention.pk is None
    others = list(
        Intervention.objects.select_for_update()
        .filter(council_id=intervention.council_id)
        .exclude(pk=intervention.pk)
    )
    # A new step while one is in force follows it: the one in force ends the day it starts.
    current = next((o for o in others if o.ended_on is None), None) if new else None
    if current is not None:
        if intervention.started_on <= current.started_on:
            raise ValidationError(
                {
                    "started_on": f"The {current.kind_noun} in force began on "
                    f"{current.started_on:%-d %B %Y}: a step that follows it must start later"
                }
            )
        others.remove(current)
    _refuse_overlap(intervention, others)
    latest_review = intervention.reviews.order_by("-held_on").first() if not new else None
    if latest_review and intervention.ended_on and intervention.ended_on < latest_review.held_on:
        raise ValidationError(
            {
                "ended_on": f"A DfE review of it is recorded on {latest_review.held_on:%-d %B %Y}: "
                "it cannot have ended before that"
            }
        )
    if current is not None:
        current.ended_on = intervention.started_on
        _save(current, user, f"Followed by {intervention.kind_with_article}")
        intervention_duties_sync(current)
    _save(intervention, user, "Recorded" if new else "Changed")
    intervention_duties_sync(intervention)
    return intervention


def _refuse_overlap(intervention: Intervention, others: list[Intervention]) -> None:
    """Steps follow one another: one may start the day another ends, never before."""
    far = date.max
    start, end = intervention.started_on, intervention.ended_on or far
    for other in others:
        if other.started_on < end and (other.ended_on or far) > start:
            until = f"{other.ended_on:%-d %B %Y}" if other.ended_on else "now"
            raise ValidationError(
                {
                    "started_on": f"It would overlap the {other.kind_noun} from "
                    f"{other.started_on:%-d %B %Y} to {until}: one step of intervention is in "
                    "force at a time"
                }
            )


@dataclass(frozen=True)
class Duty:
    key: str
    title: str
    due_on: date
    basis: str
    precision: str = Milestone.Precision.DAY


def intervention_duties(
    intervention: Intervention, reviews: list[DfeReview], today: date
) -> list[Duty]:
    """The dated duties an intervention sets, from its terms and its reviews (pure)."""
    prefix = f"iv{intervention.pk}"
    title = intervention.document_title
    what = f"“{title}”" if title else f"the {intervention.kind_noun}"
    duties = []
    if intervention.requirements_due_on:
        duties.append(
            Duty(
                f"{prefix}-requirements",
                f"Meet what {f'the {intervention.kind_noun}'} requires",
                intervention.requirements_due_on,
                f"Set by {what}",
            )
        )
    end = intervention.ended_on
    latest_review = max((r.held_on for r in reviews), default=None)
    if intervention.report_every_months and intervention.first_report_due_on:
        horizon = end or max(today, intervention.first_report_due_on) + relativedelta(
            months=REPORTS_AHEAD_MONTHS
        )
        number, due = 1, intervention.first_report_due_on
        while due <= horizon:
            duties.append(
                Duty(
                    f"{prefix}-report-{number}",
                    f"Report {number} to {intervention.report_to}",
                    due,
                    f"Every {intervention.report_every_months} months, as {what} requires",
                )
            )
            number += 1
            due = intervention.first_report_due_on + relativedelta(
                months=intervention.report_every_months * (number - 1)
            )
    if end is None:
        since = latest_review or intervention.started_on
        duties.append(
            Duty(
                f"{prefix}-review",
                "DfE progress review",
                since + relativedelta(months=REVIEW_EVERY_MONTHS),
                f"Expected in the month {REVIEW_EVERY_MONTHS} months after the "
                + (
                    f"review of {latest_review:%-d %B %Y}"
                    if latest_review
                    else "intervention began"
                )
                + ": the DfE fixes the day",
                Milestone.Precision.MONTH,
            )
        )
    return duties


def _month_end(day: date) -> date:
    return day + relativedelta(day=31)


def intervention_duties_sync(
    intervention: Intervention, *, today: date | None = None
) -> list[Milestone]:
    """Make the intervention's open duty milestones match its terms; done ones are history."""
    reviews = list(intervention.reviews.all())
    today = today or timezone.localdate()
    wanted = {d.key: d for d in intervention_duties(intervention, reviews, today)}
    open_duties = intervention.duties().filter(done_on__isnull=True)
    done_keys = set(
        intervention.duties()
        .filter(done_on__isnull=False)
        .exclude(key=f"iv{intervention.pk}-review")
        .values_list("key", flat=True)
    )
    kept = []
    for milestone in open_duties:
        duty = wanted.pop(milestone.key, None)
        if duty is None:
            milestone.delete()
            continue
        kept.append(_apply(milestone, duty))
    for duty in wanted.values():
        if duty.key in done_keys:
            continue  # reported already: history
        milestone = Milestone(
            inspection_id=intervention.cycle_id, source=Milestone.Source.DFE, key=duty.key
        )
        kept.append(_apply(milestone, duty))
    return kept


def _apply(milestone: Milestone, duty: Duty) -> Milestone:
    due_by = _month_end(duty.due_on) if duty.precision == Milestone.Precision.MONTH else duty.due_on
    if milestone.pk and milestone.due_by != due_by:
        # A new date is a new deadline: its reminders are due afresh.
        milestone.reminded_10_at = milestone.reminded_3_at = milestone.reminded_missed_at = None
    milestone.title = duty.title
    milestone.due_on = duty.due_on
    milestone.due_by = due_by
    milestone.precision = duty.precision
    milestone.basis = duty.basis
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return milestone


# DfE reviews -----------------------------------------------------------------------------------


@transaction.atomic
def dfe_review_record(*, review: DfeReview, user: User | None) -> Intervention | None:
    """Record a DfE review; one that steps intervention down or ends it ends this step, and a
    step down starts the lighter one the same day. Returns the step that follows, if any."""
    intervention = Intervention.objects.select_for_update().get(pk=review.intervention_id)
    inspection_lock(intervention.cycle_id)
    errors = {}
    if intervention.ended_on is not None:
        raise ValidationError(
            f"The {intervention.kind_noun} ended on "
            f"{intervention.ended_on:%-d %B %Y}: record the review on the step that followed it"
        )
    if review.held_on and review.held_on < intervention.started_on:
        errors["held_on"] = (
            f"The review must be on or after the intervention started, on "
            f"{intervention.started_on:%-d %B %Y}"
        )
    elif review.held_on and review.held_on > timezone.localdate():
        errors["held_on"] = "The date of the review must be today or in the past"
    elif review.held_on and intervention.reviews.filter(held_on=review.held_on).exists():
        errors["held_on"] = f"A DfE review on {review.held_on:%-d %B %Y} is already recorded"
    following = None
    if review.outcome == DfeReview.Outcome.STEPS_DOWN:
        lighter = STEPS[: STEPS.index(InterventionKind(intervention.kind))]
        if not lighter:
            errors["outcome"] = (
                "An improvement adviser is the lightest step: choose whether intervention "
                "continues or ends"
            )
        elif review.steps_down_to not in lighter:
            names = [k.with_article for k in reversed(lighter)]
            errors["steps_down_to"] = "Choose " + " or ".join(names)
    else:
        review.steps_down_to = ""
    if errors:
        raise ValidationError(errors)
    _save(review, user, "Recorded")
    # The expected review it was: done on the day it happened.
    intervention.duties().filter(key=f"iv{intervention.pk}-review", done_on__isnull=True).update(
        done_on=review.held_on
    )
    if review.outcome != DfeReview.Outcome.CONTINUES:
        intervention.ended_on = review.held_on
        _save(intervention, user, f"Ended by the {review}")
    intervention_duties_sync(intervention)
    if review.outcome == DfeReview.Outcome.STEPS_DOWN:
        following = Intervention(
            council_id=intervention.council_id,
            cycle_id=intervention.cycle_id,
            kind=review.steps_down_to,
            started_on=review.held_on,
            adviser=intervention.adviser,
            partner=intervention.partner,
        )
        _save(following, user, f"Stepped down at the {review}")
        intervention_duties_sync(following)
    return following


def intervention_duties_sync_all(*, today: date | None = None) -> int:
    """Plan every current intervention's duties afresh, as the days pass; return the count."""
    done = 0
    for intervention in Intervention.objects.filter(ended_on__isnull=True).order_by("pk"):
        with transaction.atomic():
            inspection_lock(intervention.cycle_id)
            intervention_duties_sync(intervention, today=today)
        done += 1
    return done


# The board and meetings ------------------------------------------------------------------------


@transaction.atomic
def board_save(*, board: Board, user: User | None) -> Board:
    _save(board, user, "Recorded" if board.pk is None else "Changed")
    return board


@transaction.atomic
def meeting_save(*, meeting: Meeting, user: User | None) -> Meeting:
    if meeting.held_on and meeting.held_on.year > timezone.localdate().year + 2:
        raise ValidationError({"held_on": "The date of the meeting must be within two years"})
    if (
        meeting.pk
        and meeting.held_on
        and meeting.held_on > timezone.localdate()
        and meeting.decisions.exists()
    ):
        raise ValidationError(
            {"held_on": "The meeting has decisions recorded, so it has met: its date is past"}
        )
    if meeting.pk is None:
        meeting.created_by = user
    _save(meeting, user, "Recorded" if meeting.pk is None else "Changed")
    return meeting


@transaction.atomic
def decision_add(
    *, meeting: Meeting, text: str, user: User | None, action: Action | None = None
) -> Decision:
    """Minute a decision; one with an action adds that action to the live plan, saying where
    it came from, in the same transaction."""
    if meeting.held_on > timezone.localdate():
        raise ValidationError(
            f"The meeting is on {meeting.held_on:%-d %B %Y}: record its decisions once it has met"
        )
    if action is not None and action.due_on and action.due_on < meeting.held_on:
        raise ValidationError(
            {
                "due_on": f"The action must be due after the meeting that decided it, on "
                f"{meeting.held_on:%-d %B %Y}"
            }
        )
    if action is not None:
        action.description = (
            action.description
            or f"Arising from the {meeting.get_kind_display().lower()} of "
            f"{meeting.held_on:%-d %B %Y}: {text}"
        )
        action_services.action_create(action=action, user=user)
    decision = Decision(meeting=meeting, text=text.strip(), action=action, created_by=user)
    _save(decision, user, "Recorded")
    return decision


def live_plan_recommendations(council, live: Inspection | None):
    """The recommendations an action arising may answer: those of the live plan's inspection
    and its visits."""
    if live is None:
        return Recommendation.objects.none()
    return (
        Recommendation.objects.filter(Q(inspection=live) | Q(inspection__cycle=live))
        .filter(inspection__withdrawn_at__isnull=True, inspection__council=council)
        .select_related("inspection")
        .order_by("inspection__start_date", "position")
    )
