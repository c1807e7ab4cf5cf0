"""Statutory deadlines after an inspection: bank holidays, milestones and their reminders.

The arithmetic lives in workdays.py; this module supplies it with the bank holidays in force
(the holidays package, with the changes an admin has made) and the rules in the database, and
keeps each inspection's stored milestones in step with them.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_package
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from councils.models import Council, Role, User

from .models import (
    HELP_AND_PROTECTION,
    LEADERS,
    OVERALL,
    BankHolidayChange,
    DeadlineRule,
    DeadlineSettings,
    DeadlineTrigger,
    DeadlineUnit,
    Grade,
    Inspection,
    InspectionKind,
    Milestone,
    Monitoring,
)
from .workdays import add_months, add_working_days, last_day_of_month, working_days_between

logger = logging.getLogger(__name__)

# The visits whose letters can set priority actions (DESIGN.md).
PRIORITY_ACTION_KINDS = {InspectionKind.FOCUSED_VISIT, InspectionKind.JTAI}

# The years a bank-holiday listing may be asked for: the package's data is reliable in this range.
FIRST_YEAR, LAST_YEAR = 2000, 2100


# Bank holidays -------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _package_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays for one year, as the holidays package knows them."""
    return dict(holidays_package.country_holidays("GB", subdiv="ENG", years=year))


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    name: str
    source: str
    in_force: bool


class HolidayCalendar:
    """The bank holidays in force: the holidays package, with the days an admin added or removed.

    Works as the container of dates that workdays.py expects.
    """

    PACKAGE = "Holidays package (England and Wales)"
    ADDED = "Added by an admin"
    REMOVED = "Removed by an admin"

    def __init__(self, changes: Iterable[BankHolidayChange] = ()):
        self.added = {c.day: c.name for c in changes if c.action == BankHolidayChange.Action.ADD}
        self.removed = {
            c.day: c.name for c in changes if c.action == BankHolidayChange.Action.REMOVE
        }

    @classmethod
    def load(cls) -> "HolidayCalendar":
        return cls(BankHolidayChange.objects.all())

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.removed:
            return False
        return day in self.added or day in _package_holidays(day.year)

    def entries(self, year: int) -> list[HolidayEntry]:
        """Every bank holiday of a year with where it came from, removed ones included."""
        entries = {
            day: HolidayEntry(day, name, self.PACKAGE, day not in self.removed)
            for day, name in _package_holidays(year).items()
        }
        for day, name in self.added.items():
            if day.year == year:
                entries[day] = HolidayEntry(day, name, self.ADDED, True)
        for day, name in self.removed.items():
            if day.year == year and day not in entries:
                entries[day] = HolidayEntry(day, name, self.REMOVED, False)
        return sorted(entries.values(), key=lambda e: e.day)


# Planning milestones from rules ----------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMilestone:
    key: str
    title: str
    rule: DeadlineRule
    due_on: date
    due_by: date
    precision: str
    basis: str


def _clock_start(rule: DeadlineRule, published_on, received_on) -> tuple[date, str] | None:
    if rule.count_from_received and received_on:
        return received_on, "the report was received"
    if published_on:
        return published_on, "publication"
    return None


def _plan_one(rule: DeadlineRule, start: date, event: str, calendar) -> PlannedMilestone:
    if rule.unit == DeadlineUnit.CALENDAR_MONTHS:
        due_on = add_months(start, rule.amount)
        due_by = last_day_of_month(due_on)
        precision = Milestone.Precision.MONTH
        unit = "calendar month" if rule.amount == 1 else "calendar months"
    else:
        due_on = due_by = add_working_days(start, rule.amount, calendar)
        precision = Milestone.Precision.DAY
        unit = "working day" if rule.amount == 1 else "working days"
    basis = f"{rule.amount} {unit} after {event} on {start:%a %-d %b %Y}"
    if precision == Milestone.Precision.MONTH:
        basis += "; Ofsted fixes the month, not the day"
    return PlannedMilestone(rule.key, rule.name, rule, due_on, due_by, precision, basis)


def milestones_plan(
    *,
    rules: Iterable[DeadlineRule],
    triggers: set[str],
    published_on: date | None,
    received_on: date | None,
    calendar,
) -> list[PlannedMilestone]:
    """The milestones the active rules for these triggers give, one per key, in date order.

    Where two rules set the same milestone (an inadequate inspection is also a graded one), the
    earlier date wins, and on a tie the rule for the more specific outcome.
    """
    chosen: dict[str, PlannedMilestone] = {}
    for rule in rules:
        if not rule.active or rule.trigger not in triggers:
            continue
        clock = _clock_start(rule, published_on, received_on)
        if clock is None:
            continue
        try:
            planned = _plan_one(rule, *clock, calendar)
        except ValueError:
            logger.warning("Deadline %s from %s is out of range; skipped", rule, clock[0])
            continue
        current = chosen.get(rule.key)
        if current is None or _preference(planned) < _preference(current):
            chosen[rule.key] = planned
    return sorted(chosen.values(), key=lambda p: (p.due_on, p.key))


def _preference(planned: PlannedMilestone) -> tuple:
    return (planned.due_by, planned.rule.trigger == DeadlineTrigger.GRADED, planned.rule.pk or 0)


def deadline_triggers(
    inspection: Inspection, grades: dict[str, str], deadline_settings: DeadlineSettings | None
) -> set[str]:
    """Which kinds of deadline rule apply to this inspection."""
    monitoring = deadline_settings.monitoring if deadline_settings else Monitoring.FROM_GRADES
    triggers = set()
    if inspection.is_graded:
        triggers.add(DeadlineTrigger.GRADED)
        if monitoring == Monitoring.YES or (
            monitoring == Monitoring.FROM_GRADES and grades_call_for_monitoring(grades)
        ):
            triggers.add(DeadlineTrigger.INADEQUATE)
    elif (
        inspection.kind in PRIORITY_ACTION_KINDS
        and deadline_settings
        and deadline_settings.priority_actions
    ):
        triggers.add(DeadlineTrigger.PRIORITY_ACTIONS)
    return triggers


def grades_call_for_monitoring(grades: dict[str, str]) -> bool:
    """Overall inadequate; with no overall grade (from April 2026), leaders or help inadequate.

    The sources do not yet say what triggers monitoring without an overall grade (DESIGN.md);
    an officer can override this in the inspection's deadline settings.
    """
    if OVERALL in grades:
        return grades[OVERALL] == Grade.INADEQUATE
    return Grade.INADEQUATE in (grades.get(LEADERS), grades.get(HELP_AND_PROTECTION))


# Keeping stored milestones in step ---------------------------------------------------------------


@transaction.atomic
def milestones_recompute(
    *, inspection_id: int, calendar: HolidayCalendar | None = None, rules=None
) -> list[Milestone]:
    """Make an inspection's computed milestones match the rules, its dates and its grades."""
    # The row lock makes concurrent recomputations of one inspection take turns.
    inspection = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if inspection is None:
        return []  # deleted since the task was queued
    grades = dict(inspection.judgements.values_list("area__key", "grade"))
    deadline_settings = DeadlineSettings.objects.filter(inspection=inspection).first()
    planned = milestones_plan(
        rules=DeadlineRule.objects.filter(active=True) if rules is None else rules,
        triggers=deadline_triggers(inspection, grades, deadline_settings),
        published_on=inspection.published_on,
        received_on=inspection.report_received_on,
        calendar=HolidayCalendar.load() if calendar is None else calendar,
    )
    existing = {m.key: m for m in inspection.milestones.filter(source=Milestone.Source.COMPUTED)}
    for plan in planned:
        milestone = existing.pop(plan.key, None) or Milestone(
            inspection=inspection, source=Milestone.Source.COMPUTED, key=plan.key
        )
        _apply_plan(milestone, plan)
    for stale in existing.values():
        # A milestone that no longer applies goes, unless it happened: then it is history.
        if stale.done_on is None:
            stale.delete()
    return list(inspection.milestones.all())


def _apply_plan(milestone: Milestone, plan: PlannedMilestone) -> None:
    values = {
        "rule": plan.rule,
        "title": plan.title,
        "due_on": plan.due_on,
        "due_by": plan.due_by,
        "precision": plan.precision,
        "basis": plan.basis,
    }
    if milestone.pk and all(getattr(milestone, f) == v for f, v in values.items()):
        return
    if milestone.pk and milestone.due_by != plan.due_by:
        # A new date is a new deadline: its reminders are due afresh.
        milestone.reminded_10_at = milestone.reminded_3_at = milestone.reminded_missed_at = None
    for field, value in values.items():
        setattr(milestone, field, value)
    milestone.full_clean(validate_unique=False)
    milestone.save()


def milestones_recompute_all() -> int:
    """Recompute every inspection with a publication or report-received date; return the count."""
    calendar = HolidayCalendar.load()
    rules = list(DeadlineRule.objects.filter(active=True))
    ids = (
        Inspection.objects.exclude(published_on__isnull=True, report_received_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for inspection_id in ids.iterator():
        try:
            milestones_recompute(inspection_id=inspection_id, calendar=calendar, rules=rules)
        except Exception:
            # One bad inspection must not stop the others, nor the reminders after them.
            logger.exception("Could not recompute the milestones of inspection %s", inspection_id)
        else:
            done += 1
    return done


def milestones_recompute_after_commit(inspection_id: int) -> None:
    """Queue a recomputation once the current transaction commits."""
    transaction.on_commit(lambda: _enqueue_recompute(inspection_id))


def _enqueue_recompute(inspection_id: int) -> None:
    from .tasks import recompute_milestones

    try:
        recompute_milestones.delay(inspection_id)
    except OperationalError:
        # The change itself is saved; the daily job recomputes every inspection, so a broker
        # that is down delays the new dates by a day at most instead of losing them.
        logger.exception(
            "Could not queue the milestones of inspection %s; the daily job will recompute them",
            inspection_id,
        )


def deadlines_changed_after_commit() -> None:
    """Queue a recomputation of every inspection once a rule or holiday change commits."""

    def enqueue():
        from .tasks import recompute_all_milestones

        try:
            recompute_all_milestones.delay()
        except OperationalError:
            logger.exception("Could not queue a recomputation; the daily job will do it")

    transaction.on_commit(enqueue)


# What officers do on the timeline --------------------------------------------------------------


@transaction.atomic
def milestone_record_done(*, milestone: Milestone, done_on: date | None) -> Milestone:
    """Record the day a milestone happened, or clear it when done_on is None."""
    if done_on is not None:
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": "The date it happened must be today or in the past"})
        if done_on < milestone.inspection.start_date:
            raise ValidationError(
                {"done_on": "The date it happened must be after the inspection started"}
            )
    milestone.done_on = done_on
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return milestone


class AgreedMilestone(models.TextChoices):
    """The milestones an officer enters from dates agreed with Ofsted."""

    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    REINSPECTION = "reinspection", "Re-inspection"


@transaction.atomic
def milestone_add_agreed(*, inspection: Inspection, key: str, due_on: date) -> Milestone:
    """Add a milestone on a date agreed with Ofsted, such as a later monitoring visit."""
    if key not in AgreedMilestone.values:
        raise ValidationError({"key": "Select what was agreed with Ofsted"})
    if due_on <= inspection.last_fieldwork_day:
        raise ValidationError(
            {"due_on": "The agreed date must be after the inspection's fieldwork"}
        )
    if due_on.year > timezone.localdate().year + 5:
        raise ValidationError({"due_on": "The agreed date must be within the next five years"})
    title = AgreedMilestone(key).label
    if Milestone.objects.filter(
        inspection=inspection, source=Milestone.Source.AGREED, key=key, due_on=due_on
    ).exists():
        raise ValidationError(
            {"due_on": f"A {title.lower()} on {due_on:%-d %B %Y} is already recorded"}
        )
    milestone = Milestone(
        inspection=inspection,
        source=Milestone.Source.AGREED,
        key=key,
        title=title,
        due_on=due_on,
        due_by=due_on,
        precision=Milestone.Precision.DAY,
        basis="Date agreed with Ofsted",
    )
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_remove_agreed(*, milestone: Milestone) -> None:
    """Remove a visit entered from a date agreed with Ofsted, as when it was entered in error.

    Computed milestones follow from the inspection and are never removed by hand; the history
    keeps the removed visit with who removed it.
    """
    if milestone.source != Milestone.Source.AGREED:
        raise ValidationError("Only a visit agreed with Ofsted can be removed")
    milestone.delete()


@transaction.atomic
def deadline_settings_save(
    *, inspection: Inspection, priority_actions: bool, monitoring: str
) -> DeadlineSettings:
    """Record what the grades do not say, then recompute the milestones after commit."""
    if priority_actions and inspection.kind not in PRIORITY_ACTION_KINDS:
        raise ValidationError("Only a focused visit or a JTAI letter sets priority actions")
    if monitoring != Monitoring.FROM_GRADES and not inspection.is_graded:
        raise ValidationError("Only a graded inspection leads to monitoring")
    deadline_settings, _ = DeadlineSettings.objects.select_for_update().get_or_create(
        inspection=inspection
    )
    deadline_settings.priority_actions = priority_actions
    deadline_settings.monitoring = monitoring
    deadline_settings.full_clean()
    deadline_settings.save()
    milestones_recompute_after_commit(inspection.pk)
    return deadline_settings


# Reading the timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    milestone: Milestone
    status: str  # done, overdue, due_soon, upcoming
    working_days_left: int | None  # None when done or overdue
    working_days_late: int | None = None


# Reminders go out this many working days before the due date, and once when it is missed.
REMINDER_DAYS = (10, 3)
# A missed reminder is sent only this soon after the due date, so that old milestones recorded
# late, or a first deployment, do not send a flood of stale emails.
MISSED_WINDOW = timedelta(days=7)


def timeline_rows(
    milestones: Iterable[Milestone], *, today: date, calendar: HolidayCalendar
) -> list[TimelineRow]:
    rows = []
    for milestone in milestones:
        if milestone.done_on:
            rows.append(TimelineRow(milestone, "done", None))
            continue
        left = working_days_between(today, milestone.due_by, calendar)
        if milestone.due_by < today:
            # Past the due date: count the working days since (a weekend alone counts none).
            rows.append(TimelineRow(milestone, "overdue", None, max(-left, 0)))
        elif left <= REMINDER_DAYS[0]:
            rows.append(TimelineRow(milestone, "due_soon", left))
        else:
            rows.append(TimelineRow(milestone, "upcoming", left))
    return rows


def timeline_context(inspection: Inspection, *, today: date | None = None) -> dict:
    """What the inspection page needs to show its timeline of milestones."""
    return {
        "timeline": timeline_rows(
            inspection.milestones.all(),
            today=today or timezone.localdate(),
            calendar=HolidayCalendar.load(),
        ),
        "deadlines_apply": inspection.is_graded or inspection.kind in PRIORITY_ACTION_KINDS,
    }


def council_next_milestone(council: Council, *, today: date | None = None) -> TimelineRow | None:
    """The open milestone with the earliest due date, overdue ones first."""
    milestone = (
        Milestone.objects.for_council(council)
        .open()
        .select_related("inspection")
        .order_by("due_by", "due_on", "pk")
        .first()
    )
    if milestone is None:
        return None
    calendar = HolidayCalendar.load()
    return timeline_rows([milestone], today=today or timezone.localdate(), calendar=calendar)[0]


# Reminder emails -------------------------------------------------------------------------------


def _reminder_due(milestone: Milestone, today: date, calendar) -> str | None:
    """Which reminder this milestone is in the window for today: a stamp field, or None."""
    if milestone.due_by < today:
        return "reminded_missed_at" if today - milestone.due_by <= MISSED_WINDOW else None
    left = working_days_between(today, milestone.due_by, calendar)
    if left <= REMINDER_DAYS[1]:
        return "reminded_3_at"
    if left <= REMINDER_DAYS[0]:
        return "reminded_10_at"
    return None


def reminders_send(*, today: date | None = None) -> int:
    """Email each council's officers about milestones coming due or missed; return emails sent.

    Each reminder is claimed by a conditional UPDATE before its email goes, so a job run twice,
    or two beats at once, send it once.
    """
    today = today or timezone.localdate()
    calendar = HolidayCalendar.load()
    # 10 working days can span three weeks over Christmas; 31 calendar days covers it.
    candidates = (
        Milestone.objects.open()
        .filter(due_by__gte=today - MISSED_WINDOW, due_by__lte=today + timedelta(days=31))
        .select_related("inspection__council")
        .order_by("due_by", "pk")
    )
    sent = 0
    for milestone in candidates:
        field = _reminder_due(milestone, today, calendar)
        if not field:
            continue
        try:
            sent += _send_reminder_once(milestone, field, today, calendar)
        except Exception:
            # The claim rolled back with the failed send; the next run tries again.
            logger.exception("Could not send the %s reminder of milestone %s", field, milestone.pk)
    return sent


def _send_reminder_once(milestone: Milestone, field: str, today: date, calendar) -> bool:
    with transaction.atomic():
        claimed = (
            Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True, due_by=milestone.due_by)
            .filter(**{f"{field}__isnull": True})
            .update(**{field: timezone.now()})
        )
        if claimed != 1:
            return False
        # Sent inside the transaction: if sending fails, the claim rolls back and the next
        # run tries again.
        return _reminder_email(milestone, field, today, calendar).send() > 0


def _officer_emails(council: Council) -> list[str]:
    return list(
        User.objects.filter(
            memberships__council=council, memberships__role=Role.OFFICER, is_active=True
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _reminder_email(milestone: Milestone, field: str, today: date, calendar) -> EmailMessage:
    inspection = milestone.inspection
    council = inspection.council
    if field == "reminded_missed_at":
        headline = f"{milestone.title} was due {_due_phrase(milestone)} and is not recorded as done"
        subject = f"{council.name}: {milestone.title} is overdue"
    else:
        left = working_days_between(today, milestone.due_by, calendar)
        when = "today" if left == 0 else f"in {left} working day{'s' if left != 1 else ''}"
        headline = f"{milestone.title} is due {when} ({_due_phrase(milestone)})"
        subject = f"{council.name}: {milestone.title} due {when}"
    url = settings.SITE_URL.rstrip("/") + inspection.get_absolute_url()
    body = "\n\n".join(
        [
            headline + ".",
            f"Inspection: {inspection}\nBasis: {milestone.basis}",
            f"When it has happened, record the date on the inspection's timeline:\n{url}",
            "You receive this email as an improvement officer of "
            f"{council.name} on the Ofsted improvement tracker.",
        ]
    )
    return EmailMessage(subject=subject, body=body, to=_officer_emails(council))


def _due_phrase(milestone: Milestone) -> str:
    if milestone.precision == Milestone.Precision.MONTH:
        return f"in {milestone.due_on:%B %Y}"
    return f"on {milestone.due_on:%A %-d %B %Y}"
