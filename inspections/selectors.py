"""Reads of inspections: grades, the milestone timeline, an imported report's match, officers.

Writes are in services/; the pure planning of deadlines is in planning.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from councils.models import Council, Role, User

from .cycles import superseded_by
from .holidays import HolidayCalendar
from .importing import ILACS_KINDS
from .models import DeadlineSettings, Inspection, Judgement, Milestone
from .planning import (
    REMINDER_DAYS,
    MonitoringDecision,
    deadlines_apply,
    framework_monitoring_rule,
    monitoring_decision,
)
from .rules import GradeCheck, check_grades
from .workdays import working_days_between

# Inspections and grades ------------------------------------------------------------------------


def council_inspections(council: Council) -> list[Inspection]:
    """A council's inspections, newest first, each with its framework and graded judgements."""
    return list(
        Inspection.objects.for_council(council)
        .select_related("framework")
        .prefetch_related(Prefetch("judgements", queryset=Judgement.objects.select_related("area")))
    )


def inspection_grades(inspection: Inspection) -> dict[str, str]:
    return {j.area.key: j.grade for j in inspection.judgements.select_related("area")}


def inspection_check_grades(inspection: Inspection, grades: dict[str, str]) -> GradeCheck:
    """Check grades against the rules, knowing which areas of the framework judge practice."""
    practice = set(
        inspection.framework.areas.filter(practice=True).values_list("key", flat=True)
        if inspection.framework
        else []
    )
    return check_grades(grades, practice)


def inspection_monitoring(
    inspection: Inspection, grades: dict[str, str]
) -> MonitoringDecision | None:
    """Whether Ofsted will monitor the council after a graded inspection, and why."""
    if not inspection.is_graded:
        return None
    deadline_settings = DeadlineSettings.objects.filter(inspection=inspection).first()
    return monitoring_decision(
        grades, framework_monitoring_rule(inspection.framework), deadline_settings
    )


def existing_inspection(*, council: Council, start_date: date) -> Inspection | None:
    """The council's ILACS inspection that started that day, if it is already recorded.

    Either ILACS kind counts, because the report does not say which it was: an inspection
    recorded as short and imported again as standard is still the same inspection.
    """
    return (
        Inspection.objects.for_council(council)
        .filter(start_date=start_date, kind__in=ILACS_KINDS)
        .order_by("pk")
        .first()
    )


# The timeline of milestones ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    milestone: Milestone
    # done; superseded (a later graded inspection replaced it); overdue; needs_date (already
    # past when it was recorded, so never late on the council's watch: it waits for the date it
    # happened); due_soon; upcoming.
    status: str
    working_days_left: int | None  # None when done, superseded or past
    working_days_late: int | None = None
    superseded_by: Inspection | None = None


def timeline_rows(
    milestones: Iterable[Milestone],
    *,
    today: date,
    calendar: HolidayCalendar,
    superseded_by: Inspection | None = None,
) -> list[TimelineRow]:
    """A row per milestone with its status on ``today``; ``superseded_by`` is the graded
    inspection that superseded the milestones' inspection, if one has (cycles.superseded_by)."""
    rows = []
    for milestone in milestones:
        if milestone.done_on:
            rows.append(TimelineRow(milestone, "done", None))
            continue
        if superseded_by is not None:
            rows.append(TimelineRow(milestone, "superseded", None, superseded_by=superseded_by))
            continue
        left = working_days_between(today, milestone.due_by, calendar)
        if milestone.due_by < today:
            if _recorded_after(milestone) > milestone.due_by:
                rows.append(TimelineRow(milestone, "needs_date", None))
            else:
                # Past the due date: count the working days since (a weekend alone counts none).
                rows.append(TimelineRow(milestone, "overdue", None, max(-left, 0)))
        elif left <= REMINDER_DAYS[0]:
            rows.append(TimelineRow(milestone, "due_soon", left))
        else:
            rows.append(TimelineRow(milestone, "upcoming", left))
    return rows


def _recorded_after(milestone: Milestone) -> date:
    """The day the tracker first knew of the milestone: an older inspection recorded or imported
    now brings milestones that were already past, which it cannot call late."""
    return timezone.localdate(milestone.created_at) if milestone.created_at else date.max


def timeline_context(inspection: Inspection, *, today: date | None = None) -> dict:
    """What the inspection page needs to show its timeline of milestones."""
    superseding = superseded_by(inspection)
    return {
        "timeline": timeline_rows(
            # The rule gives each computed milestone its description.
            inspection.milestones.select_related("rule", "fulfilled_by"),
            today=today or timezone.localdate(),
            calendar=HolidayCalendar.load(),
            superseded_by=superseding,
        ),
        "superseded_by": superseding,
        "deadlines_apply": deadlines_apply(inspection),
    }


@dataclass(frozen=True)
class CouncilMilestones:
    """A council's current milestones for its summary lines: what is next, what is late, and how
    many past ones wait for the date they happened."""

    upcoming: list[TimelineRow]
    overdue: list[TimelineRow]
    needs_date: list[TimelineRow]

    @property
    def next(self) -> TimelineRow | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def shown(self) -> list[TimelineRow]:
        """For a table of what needs attention: every overdue one, then the next five."""
        return self.overdue + self.upcoming[:5]


def council_milestones(
    council: Council,
    *,
    today: date | None = None,
    inspection: Inspection | int | None = None,
    calendar: HolidayCalendar | None = None,
) -> CouncilMilestones:
    """The council's open milestones still in force (not superseded, not withdrawn), sorted
    into upcoming, overdue and needing a date (one query, and one for the calendar if not given).
    """
    milestones = (
        Milestone.objects.for_council(council)
        .current()
        .open()
        .select_related("inspection")
        .order_by("due_by", "due_on", "pk")
    )
    if inspection is not None:
        milestones = milestones.filter(inspection=inspection)
    rows = timeline_rows(
        milestones,
        today=today or timezone.localdate(),
        calendar=calendar or HolidayCalendar.load(),
    )
    return CouncilMilestones(
        upcoming=[r for r in rows if r.status in ("due_soon", "upcoming")],
        overdue=[r for r in rows if r.status == "overdue"],
        needs_date=[r for r in rows if r.status == "needs_date"],
    )


# Who hears about it ------------------------------------------------------------------------------


def council_officer_emails(council: Council) -> list[str]:
    """The email addresses of a council's active improvement officers, for reminders."""
    return list(
        User.objects.filter(
            memberships__council=council, memberships__role=Role.OFFICER, is_active=True
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
