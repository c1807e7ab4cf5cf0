"""Writing a council's impact measures and their values: the only way pages change them.

Every write validates in full, records who made it and why in the history, and runs in one
transaction. A measure's edit is refused if someone else saved it after the form was opened
(its ``updated_at`` is the token the form carries), so that no edit is lost silently. Values for
many measures are saved all or nothing: any bad value, or any value someone else changed since
the page was shown, and nothing is saved.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.models import User

from .models import Measure, MeasureValue, Unit


class MeasureConflict(Exception):
    """The measure was saved by someone else after the form was opened."""

    def __init__(self, current: Measure):
        super().__init__(f"Measure {current.pk} changed since the form was opened")
        self.current = current


def _check_name(measure: Measure) -> None:
    same = Measure.objects.filter(council_id=measure.council_id, name__iexact=measure.name.strip())
    if measure.pk:
        same = same.exclude(pk=measure.pk)
    if same.exists():
        raise ValidationError(
            {"name": f"There is already a measure called “{measure.name}”: choose another name"}
        )


def _check_against_values(measure: Measure, before: Measure) -> None:
    """A change of frequency or unit must still fit the values already entered."""
    values = MeasureValue.objects.filter(measure=measure)
    if before.frequency != measure.frequency and values.exists():
        raise ValidationError(
            {
                "frequency": "The measure has values entered by period, so its frequency "
                "cannot change: add a new measure instead"
            }
        )
    if (
        measure.unit == Unit.PERCENTAGE
        and before.unit != Unit.PERCENTAGE
        and values.filter(value__gt=100).exists()
    ):
        raise ValidationError(
            {"unit": "The measure has values over 100, so it cannot be a percentage"}
        )


def _save(measure: Measure, user: User | None, reason: str, recommendations, actions) -> None:
    measure.name = measure.name.strip()
    _check_name(measure)
    measure.full_clean()
    measure._history_user = user
    measure._change_reason = reason
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError:  # the same name saved by someone else a moment ago
        raise ValidationError(
            {"name": f"There is already a measure called “{measure.name}”: choose another name"}
        ) from None
    if recommendations is not None:
        measure.recommendations.set(recommendations)
    if actions is not None:
        measure.actions.set(actions)


@transaction.atomic
def measure_create(
    *, measure: Measure, user: User | None, recommendations=None, actions=None
) -> Measure:
    """Validate and save a new measure of its council, with what it shows the impact of."""
    _save(measure, user, "Added", recommendations, actions)
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    expected_updated_at: datetime | None,
    user: User | None,
    recommendations=None,
    actions=None,
) -> Measure:
    """Save changes to a measure; MeasureConflict if it was saved after ``expected_updated_at``
    (the time of the version the form showed), with the current version."""
    current = Measure.objects.select_for_update().get(pk=measure.pk)
    if expected_updated_at is None or current.updated_at != expected_updated_at:
        raise MeasureConflict(Measure.objects.select_related("council").get(pk=measure.pk))
    _check_against_values(measure, current)
    _save(measure, user, "Edited", recommendations, actions)
    return measure


# --- Values -----------------------------------------------------------------------------------

# Stands for "the form did not say what it showed": no check against a concurrent change.
UNKNOWN = object()


@dataclass
class ValueInput:
    """One value to record: None to clear the period's value (the grid only)."""

    measure: Measure
    period_end: object
    value: Decimal | None
    note: str = ""
    # The value the page showed for the period (None for none), or UNKNOWN (a file upload).
    shown: object = UNKNOWN
    # Where the value is reported, for messages: a line of a file, say. Defaults to the measure.
    where: str = ""
    key: str = ""


@dataclass
class SaveResult:
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    cleared: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.corrected + self.cleared


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _record(item: ValueInput, existing: MeasureValue | None, user, now) -> str:
    """Create, correct, clear or leave one value; what was done."""
    if item.value is None:
        if existing is None:
            return "unchanged"
        existing._history_user = user
        existing._change_reason = f"Cleared (was {_number(existing.value)})"
        existing.delete()
        return "cleared"
    note = item.note.strip()
    if existing is None:
        value = MeasureValue(
            measure=item.measure,
            period_end=item.period_end,
            value=item.value,
            note=note,
            entered_by=user,
            entered_at=now,
        )
        reason = "Entered"
    else:
        if existing.value == item.value and existing.note == note:
            return "unchanged"
        value = existing
        if existing.value != item.value:
            reason = f"Corrected from {_number(existing.value)}"
        else:
            reason = "Note changed"
        value.value, value.note, value.entered_by, value.entered_at = item.value, note, user, now
    value.full_clean(exclude=["entered_by"])
    value._history_user = user
    value._change_reason = reason
    value.save()
    return "created" if existing is None else "corrected"


def _describe(item: ValueInput) -> str:
    return item.where or item.measure.name


@transaction.atomic
def values_save(*, items: list[ValueInput], user: User | None) -> SaveResult:
    """Record many values in one transaction: all or nothing.

    A ValidationError lists every problem, keyed by each item's ``key`` where it has one (the
    grid's field names), otherwise as messages naming the measure or the line."""
    now = timezone.now()
    measures = {item.measure.pk for item in items}
    periods = {item.period_end for item in items}
    existing = {
        (v.measure_id, v.period_end): v
        for v in MeasureValue.objects.select_for_update()
        .filter(measure__in=measures, period_end__in=periods)
        .select_related("measure")
    }
    errors: dict[str, list[str]] = {}
    messages: list[str] = []

    def refuse(item: ValueInput, message: str) -> None:
        if item.key:
            errors.setdefault(item.key, []).append(message)
        else:
            messages.append(f"{_describe(item)}: {message}")

    for item in items:
        current = existing.get((item.measure.pk, item.period_end))
        if item.shown is not UNKNOWN:
            now_value = current.value if current else None
            if now_value != item.shown:
                who = (current.entered_by if current else None) or "someone else"
                shown = "no value" if now_value is None else _number(now_value)
                refuse(
                    item,
                    f"{who} changed {item.measure.name} for this period to {shown} after you "
                    "opened the page: check it and save again",
                )
                continue
    if errors or messages:
        raise _error(errors, messages)
    result = SaveResult()
    for item in items:
        current = existing.get((item.measure.pk, item.period_end))
        try:
            with transaction.atomic():
                done = _record(item, current, user, now)
        except ValidationError as exc:
            for message in exc.messages:
                refuse(item, message)
            continue
        except IntegrityError:  # entered by someone else a moment ago
            refuse(
                item,
                f"Someone else entered {item.measure.name} for this period a moment ago: check "
                "it and save again",
            )
            continue
        setattr(result, done, getattr(result, done) + 1)
    if errors or messages:
        raise _error(errors, messages)
    return result


def _error(errors: dict, messages: list[str]) -> ValidationError:
    combined = dict(errors)
    if messages:
        combined["__all__"] = messages
    # Raised out of values_save's transaction, it undoes whatever was saved before.
    return ValidationError(combined)


@transaction.atomic
def measure_remove(*, measure: Measure, user: User | None, reason: str) -> None:
    """Remove a measure added by mistake or no longer reported, with its values. The history
    keeps the measure and each value, with who removed them, when and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the measure is removed"})
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    for value in measure.values.all():
        value._history_user = user
        value._change_reason = f"Removed with the measure: {reason}"
        value.delete()
    measure._history_user = user
    measure._change_reason = f"Removed: {reason}"
    measure.delete()
