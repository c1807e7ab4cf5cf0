"""Writes to actions and their progress; every change claims the version it started from.

The claim is a conditional ``UPDATE ... SET version = N + 1 WHERE id = ... AND version = N``.
If it touches no row, someone else saved first and the write is refused with ActionConflict.
The UPDATE also locks the row until the transaction ends, so a concurrent claim from the same
version waits, then finds the new version and fails: exactly one of two concurrent saves wins.
The full ``save()`` that follows records the change in the history, with who and when.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from councils.models import Council, User

from .models import Action, ProgressUpdate, Rag, Status, check_overdue_rag


class ActionConflict(Exception):
    """Someone else saved the action after the version this edit started from."""

    def __init__(self, action_ids: list[int]):
        self.action_ids = action_ids
        super().__init__(f"Actions changed by someone else: {action_ids}")


# The fields an edit may change; status, RAG and percent change through progress updates.
EDITABLE_FIELDS = (
    "recommendation",
    "title",
    "description",
    "owner_name",
    "owner",
    "lead",
    "revised_due_on",
    "revision_reason",
    "success_criterion",
    "evidence_of_impact",
)


def _refuse_if_ended(action: Action) -> None:
    """An action closed unfinished when its plan was replaced is history: nothing changes it."""
    if action.ended_on is not None:
        raise ValidationError(
            f"“{action.title}” was closed unfinished on {action.ended_on:%-d %B %Y} "
            "when its plan was replaced: it cannot be changed"
        )


def _claim(action: Action, expected_version: int) -> None:
    claimed = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if claimed == 0:
        raise ActionConflict([action.pk])
    action.refresh_from_db()


def _day(at: datetime | None) -> date:
    return timezone.localdate(at) if at else timezone.localdate()


def _save(action: Action, user: User | None, reason: str, at: datetime | None = None) -> None:
    # An open action past its due date is Red (the glossary): one created late, or whose
    # revised date was taken away, is saved Red rather than keep a colour it cannot have.
    action.full_clean()
    if action.is_overdue(_day(at)) and action.rag != Rag.RED:
        action.rag = Rag.RED
        reason = f"{reason}; overdue, so Red"
    action._history_user = user
    action._change_reason = reason
    if at is not None:
        action._history_date = at
    else:
        # Not the date of an earlier backdated save of this same object.
        action.__dict__.pop("_history_date", None)
    action.save()


@transaction.atomic
def action_create(*, action: Action, user: User | None, at: datetime | None = None) -> Action:
    """Validate and save a new action; its council is its recommendation's.

    ``at`` backdates the record, for loading an existing plan; forms never pass it.
    """
    action.council_id = action.recommendation.inspection.council_id
    action.version = 1
    action.status = Status.NOT_STARTED
    action.rag = Rag.GREEN
    action.percent_complete = 0
    _save(action, user, "Created", at)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    expected_version: int,
    user: User | None,
    changes: dict,
    at: datetime | None = None,
) -> Action:
    """Apply the changes to the action if nobody else has saved it since expected_version."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields that an edit may not change: {sorted(unknown)}")
    _refuse_if_ended(action)
    _claim(action, expected_version)
    for field, value in changes.items():
        setattr(action, field, value)
    _save(action, user, "Edited", at)
    return action


def _set_progress(
    action: Action, *, status: str, rag: str, percent_complete: int, at: datetime | None
) -> None:
    was_complete = action.status == Status.COMPLETE
    action.status, action.rag, action.percent_complete = status, rag, percent_complete
    if status == Status.COMPLETE and not was_complete:
        action.closed_on = _day(at)
    elif status != Status.COMPLETE:
        action.closed_on = None


@transaction.atomic
def action_add_progress(
    *,
    action: Action,
    expected_version: int,
    user: User,
    narrative: str,
    status: str,
    rag: str,
    percent_complete: int,
    at: datetime | None = None,
) -> ProgressUpdate:
    """Add a dated progress entry and set the action's status, RAG and percent from it."""
    update = ProgressUpdate(
        action=action,
        author=user,
        created_at=at or timezone.now(),
        narrative=narrative.strip(),
        status=status,
        rag=rag,
        percent_complete=percent_complete,
    )
    update.full_clean(exclude=["action"])
    if errors := check_overdue_rag(status, rag, action.current_due_on, _day(at)):
        raise ValidationError(errors)
    _refuse_a_repeat(action, update)
    _refuse_if_ended(action)
    _claim(action, expected_version)
    _set_progress(action, status=status, rag=rag, percent_complete=percent_complete, at=at)
    _save(action, user, "Progress update", at)
    update.save()
    return update


# The same update from the same person this soon after the last is a form sent twice (Back,
# then Save again with the browser's copy of what was typed), not a new week's news.
REPEAT_WINDOW = timedelta(minutes=30)


def _refuse_a_repeat(action: Action, update: ProgressUpdate) -> None:
    last = action.updates.order_by("-created_at", "-pk").first()
    if (
        last is not None
        and last.author_id == update.author_id
        and (last.narrative, last.status, last.rag, last.percent_complete)
        == (update.narrative, update.status, update.rag, update.percent_complete)
        and timedelta(0) <= update.created_at - last.created_at < REPEAT_WINDOW
    ):
        added = timezone.localtime(last.created_at)
        raise ValidationError(
            f"You added this update at {added:%H:%M}: it has not been added a second time"
        )


@transaction.atomic
def action_close(
    *,
    action: Action,
    expected_version: int,
    user: User,
    evidence_of_impact: str,
    narrative: str,
    at: datetime | None = None,
) -> ProgressUpdate:
    """Mark the action complete (Blue, 100%) with its evidence of impact and a closing entry."""
    if action.status == Status.COMPLETE:
        raise ValidationError("This action is already complete")
    _refuse_if_ended(action)
    _claim(action, expected_version)
    action.evidence_of_impact = evidence_of_impact.strip()
    _set_progress(action, status=Status.COMPLETE, rag=Rag.BLUE, percent_complete=100, at=at)
    _save(action, user, "Closed", at)
    update = ProgressUpdate(
        action=action,
        author=user,
        created_at=at or timezone.now(),
        narrative=narrative.strip(),
        status=Status.COMPLETE,
        rag=Rag.BLUE,
        percent_complete=100,
    )
    update.full_clean()
    update.save()
    return update


@dataclass(frozen=True)
class BulkAssignment:
    owner_name: str = ""
    owner: User | None = None
    revised_due_on: date | None = None
    revision_reason: str = ""


@transaction.atomic
def actions_bulk_assign(
    *, council: Council, versions: dict[int, int], user: User, assignment: BulkAssignment
) -> list[Action]:
    """Give every selected action the owner and/or revised due date; all or nothing."""
    if not versions:
        raise ValidationError("Select at least one action")
    changes: dict = {}
    if assignment.owner_name.strip() or assignment.owner:
        changes["owner_name"] = assignment.owner_name.strip() or str(assignment.owner)
        changes["owner"] = assignment.owner
    if assignment.revised_due_on:
        changes["revised_due_on"] = assignment.revised_due_on
        changes["revision_reason"] = assignment.revision_reason.strip()
    if not changes:
        raise ValidationError("Enter an owner or a revised due date to assign")
    actions = list(Action.objects.for_council(council).filter(pk__in=versions).order_by("pk"))
    if len(actions) != len(versions):
        raise ValidationError("Some of the selected actions no longer exist: reload the list")
    for action in actions:
        _refuse_if_ended(action)
    if assignment.revised_due_on:
        same = [a for a in actions if assignment.revised_due_on == a.due_on]
        if same:
            raise ValidationError(
                "The new due date is the original due date of "
                + "; ".join(f"\u201c{a.title}\u201d" for a in same)
                + ": enter a different date, or leave those actions out"
            )
    stale = []
    for action in actions:
        try:
            _claim(action, versions[action.pk])
        except ActionConflict:
            stale.append(action.pk)
    if stale:
        # The claims made so far roll back with the transaction.
        raise ActionConflict(stale)
    for action in actions:
        for field, value in changes.items():
            setattr(action, field, value)
        _save(action, user, "Bulk assignment")
    return actions


def actions_mark_overdue_red(*, today: date | None = None) -> int:
    """Rate Red every open action that has passed its due date and is not Red yet, as the
    glossary defines overdue; return how many. Daily, before the reminders (actions/tasks.py)."""
    today = today or timezone.localdate()

    def rate(action: Action) -> None:
        action.rag = Rag.RED
        _save(action, None, f"Overdue since {action.current_due_on:%-d %B %Y}, so Red")

    return rate_each_claimed(Action.objects.overdue(today).exclude(rag=Rag.RED), rate)


def rate_each_claimed(rows: QuerySet, rate: Callable) -> int:
    """Call rate on each row of the query (rows with a version), each in its own claim of the
    version it was found at; return how many were rated. A save meanwhile (a revised date, a
    Red rating, completion) leaves the row alone and its version unspent: it is rated again
    the next day. Shared with the self-evaluation plan's actions (readiness/services.py)."""
    marked = 0
    for row in rows.order_by("pk").iterator(chunk_size=200):
        with transaction.atomic():
            # Claimed only if still as found.
            if not rows.filter(pk=row.pk, version=row.version).update(version=row.version + 1):
                continue
            row.refresh_from_db()
            rate(row)
            marked += 1
    return marked
