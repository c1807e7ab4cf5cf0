"""Planning an inspection's statutory milestones from the deadline rules: pure, no writes.

Which kinds of rule apply (deadline_triggers), and the dates they give (milestones_plan), from
rules, dates and grades the caller passes in; services/milestones.py stores the result. The
working-day arithmetic is in workdays.py, the bank holidays in holidays.py.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .models import (
    OVERALL,
    DeadlineRule,
    DeadlineSettings,
    DeadlineTrigger,
    DeadlineUnit,
    Framework,
    Grade,
    Inspection,
    InspectionKind,
    Milestone,
    Monitoring,
)
from .workdays import add_months, add_working_days, last_day_of_month

logger = logging.getLogger(__name__)

# The visits whose letters can set priority actions (docs/domain.md, "Priority actions after
# focused visits and JTAIs").
PRIORITY_ACTION_KINDS = {InspectionKind.FOCUSED_VISIT, InspectionKind.JTAI}

# Reminders go out this many working days before the due date, and once when it is missed; a
# milestone is due soon from the first of them.
REMINDER_DAYS = (10, 3)


@dataclass(frozen=True)
class PlannedMilestone:
    key: str
    title: str
    rule: DeadlineRule
    due_on: date
    due_by: date
    precision: str
    basis: str


def deadlines_apply(inspection: Inspection) -> bool:
    """Whether statutory deadlines can follow this inspection at all."""
    return inspection.is_graded or inspection.kind in PRIORITY_ACTION_KINDS


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
    inspection: Inspection,
    grades: dict[str, str],
    deadline_settings: DeadlineSettings | None,
    monitoring_rule: str | None = None,
) -> set[str]:
    """Which kinds of deadline rule apply to this inspection.

    The monitoring rule is that of the inspection's framework; the caller passes it in when it
    has it, else it is read from the framework.
    """
    monitoring = deadline_settings.monitoring if deadline_settings else Monitoring.FROM_GRADES
    triggers = set()
    if inspection.is_graded:
        triggers.add(DeadlineTrigger.GRADED)
        if monitoring_rule is None:
            monitoring_rule = framework_monitoring_rule(inspection.framework)
        if monitoring == Monitoring.YES or (
            monitoring == Monitoring.FROM_GRADES
            and grades_call_for_monitoring(grades, monitoring_rule)
        ):
            triggers.add(DeadlineTrigger.INADEQUATE)
    elif (
        inspection.kind in PRIORITY_ACTION_KINDS
        and deadline_settings
        and deadline_settings.priority_actions
    ):
        triggers.add(DeadlineTrigger.PRIORITY_ACTIONS)
    return triggers


def framework_monitoring_rule(framework: Framework | None) -> str:
    """The framework's monitoring rule; overall inadequate for a record with no framework."""
    if framework is None:
        return Framework.MonitoringRule.OVERALL_INADEQUATE
    return framework.monitoring_rule


def grades_call_for_monitoring(grades: dict[str, str], rule: str) -> bool:
    """Whether these grades mean Ofsted will monitor the council, under the framework's rule.

    Overall inadequate under the frameworks with an overall grade; any judgement inadequate
    from April 2026, when there is none (docs/domain.md, "Monitoring after April 2026"). A
    record without an overall grade under the older rule falls back to any judgement, since
    there is nothing else to go on. An officer can override this, with a reason, in the
    inspection's deadline settings.
    """
    if rule == Framework.MonitoringRule.OVERALL_INADEQUATE and OVERALL in grades:
        return grades[OVERALL] == Grade.INADEQUATE
    return Grade.INADEQUATE in grades.values()


@dataclass(frozen=True)
class MonitoringDecision:
    """Whether monitoring follows an inspection, and why, as the inspection page says it."""

    follows: bool
    reason: str
    overridden: bool


# Each framework's monitoring rule, inside a sentence.
MONITORING_WHEN = {
    Framework.MonitoringRule.OVERALL_INADEQUATE: "overall effectiveness is inadequate",
    Framework.MonitoringRule.ANY_INADEQUATE: "any judgement is inadequate",
}


def monitoring_decision(
    grades: dict[str, str], rule: str, deadline_settings: DeadlineSettings | None
) -> MonitoringDecision:
    """Whether monitoring follows, from an officer's override or else the grades under the rule."""
    monitoring = deadline_settings.monitoring if deadline_settings else Monitoring.FROM_GRADES
    if monitoring != Monitoring.FROM_GRADES:
        return MonitoringDecision(
            follows=monitoring == Monitoring.YES,
            reason=deadline_settings.monitoring_reason,
            overridden=True,
        )
    when = MONITORING_WHEN[rule]
    follows = grades_call_for_monitoring(grades, rule)
    if not grades:
        reason = f"No grades recorded yet: under this framework, monitoring follows when {when}."
    elif follows:
        reason = f"Under this framework, monitoring follows when {when}, as here."
    else:
        reason = f"Under this framework, monitoring follows only when {when}: not so here."
    return MonitoringDecision(follows=follows, reason=reason, overridden=False)
