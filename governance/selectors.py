"""Reads for intervention and governance: the council's calendar and the meeting pack."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from actions.models import Action
from councils.models import Council
from inspections.models import GRADED_KINDS, Inspection, Milestone

from .models import Decision, DfeReview, Intervention, Meeting, MeetingKind

# The calendar shows what happened in the last year and everything to come.
CALENDAR_PAST_DAYS = 366


@dataclass(frozen=True)
class Event:
    uid: str  # stable across downloads, so a calendar app updates rather than duplicates
    on: date
    title: str
    kind: str  # what sort of event, for the list's filter-free reading and the ICS category
    url: str
    starts_at: time | None = None
    precision: str = Milestone.Precision.DAY
    status: str = ""  # "Done on …", "Held", or "" for what is to come
    location: str = ""


def current_intervention(council: Council) -> Intervention | None:
    return (
        Intervention.objects.filter(council=council, ended_on__isnull=True)
        .select_related("cycle")
        .first()
    )


def calendar_events(
    council: Council, *, today: date | None = None, with_actions: bool = False
) -> list[Event]:
    """Board, scrutiny and cabinet meetings, DfE reviews, Ofsted's visits and every milestone
    in force (statutory, agreed with Ofsted, required by the DfE), earliest first (4 queries);
    with_actions, the due dates of the live plan's open actions too (1 more)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=CALENDAR_PAST_DAYS)
    events = []
    for meeting in Meeting.objects.for_council(council).filter(held_on__gte=since):
        events.append(
            Event(
                uid=f"meeting-{meeting.pk}",
                on=meeting.held_on,
                starts_at=meeting.starts_at,
                title=f"{meeting.get_kind_display()}"
                + (f", {meeting.agenda_item}" if meeting.agenda_item else ""),
                kind=meeting.get_kind_display(),
                url=meeting.get_absolute_url(),
                status="Held" if meeting.held_on < today else "",
                location=meeting.location,
            )
        )
    for review in DfeReview.objects.filter(
        intervention__council=council, held_on__gte=since
    ).select_related("intervention"):
        events.append(
            Event(
                uid=f"dfe-review-{review.pk}",
                on=review.held_on,
                title=f"DfE review: {review.get_outcome_display().lower()}",
                kind="DfE review",
                url=review.intervention.get_absolute_url(),
                status="Held",
            )
        )
    visits = (
        Inspection.objects.for_council(council)
        .filter(start_date__gte=since)
        .select_related("council")
    )
    for visit in visits:
        events.append(
            Event(
                uid=f"inspection-{visit.pk}",
                on=visit.start_date,
                title=f"Ofsted {visit.kind_in_sentence()}, {visit.fieldwork_display()}",
                kind="Ofsted inspection" if visit.kind in GRADED_KINDS else "Ofsted visit",
                url=visit.get_absolute_url(),
                status="Held" if visit.start_date < today else "",
            )
        )
    milestones = (
        Milestone.objects.current()
        .for_council(council)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=since))
        # A DfE review that happened is in the list as the review itself.
        .exclude(source=Milestone.Source.DFE, key__endswith="-review", done_on__isnull=False)
        .select_related("inspection__council")
    )
    for milestone in milestones:
        events.append(
            Event(
                uid=f"milestone-{milestone.pk}",
                on=milestone.due_on,
                precision=milestone.precision,
                title=milestone.title,
                kind=milestone.get_source_display(),
                url=milestone.inspection.get_absolute_url() + "#timeline",
                status=f"Done on {milestone.done_on:%-d %B %Y}" if milestone.done_on else "",
            )
        )
    if with_actions:
        actions = Action.objects.live_plan(council).open().filter(current_due_on__gte=since)
        for action in actions.select_related("council"):
            events.append(
                Event(
                    uid=f"action-{action.pk}",
                    on=action.current_due_on,
                    title=f"Action due: {action.title} ({action.owner_name})",
                    kind="Improvement action",
                    url=action.get_absolute_url(),
                    status="Overdue" if action.current_due_on < today else "",
                )
            )
    events.sort(key=lambda e: (e.on, e.starts_at or time.min, e.title))
    return events


def calendar_ics(council: Council, events: list[Event], *, site_url: str) -> bytes:
    """The events as an iCalendar file (RFC 5545), for Outlook and other calendar apps."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ofsted improvement tracker//governance calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{council.name}: children's services governance")
    stamp = timezone.now()
    for event in events:
        entry = IcsEvent()
        entry.add("uid", f"{event.uid}.{council.slug}@ofsted-tracker")
        entry.add("dtstamp", stamp)
        entry.add("summary", f"{council.name}: {event.title}")
        if event.starts_at:
            start = timezone.make_aware(datetime.combine(event.on, event.starts_at))
            entry.add("dtstart", start)
            entry.add("dtend", start + timedelta(hours=2))
        else:
            entry.add("dtstart", event.on)
            entry.add("dtend", event.on + timedelta(days=1))
        description = [event.kind]
        if event.precision == Milestone.Precision.MONTH:
            description.append("Ofsted or the DfE fixes only the month: this is its first day.")
        if event.status:
            description.append(event.status)
        entry.add("description", "\n".join(description))
        entry.add("categories", [event.kind])
        entry.add("url", site_url.rstrip("/") + event.url)
        if event.location:
            entry.add("location", event.location)
        calendar.add_component(entry)
    # Times carry TZID=Europe/London: the file describes that zone, as RFC 5545 asks.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same kind before this one."""
    return (
        Meeting.objects.filter(council_id=meeting.council_id, kind=meeting.kind)
        .filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk))
        .order_by("-held_on", "-pk")
        .first()
    )


def decisions_of(meetings: list[Meeting]) -> list[Decision]:
    return list(
        Decision.objects.filter(meeting__in=meetings)
        .select_related("meeting", "action")
        .order_by("meeting__held_on", "created_at", "pk")
    )


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    what: str


def intervention_history(intervention: Intervention) -> list[Change]:
    """Each change to the step and its reviews, saying which terms changed, latest first."""
    records = list(intervention.history.select_related("history_user").order_by("history_date"))
    changes = []
    previous = None
    for record in records:
        what = record.history_change_reason or record.get_history_type_display()
        if previous is not None and record.history_type == "~":
            fields = [
                str(Intervention._meta.get_field(c.field).verbose_name)
                for c in record.diff_against(previous).changes
            ]
            if fields:
                what = f"{what}: {', '.join(fields)}"
        changes.append(Change(at=record.history_date, who=_who(record), what=what))
        previous = record
    for record in DfeReview.history.filter(intervention_id=intervention.pk).select_related(
        "history_user"
    ):
        changes.append(
            Change(
                at=record.history_date,
                who=_who(record),
                what=f"DfE review of {record.held_on:%-d %B %Y} recorded: "
                f"{record.get_outcome_display().lower()}",
            )
        )
    return sorted(changes, key=lambda c: c.at, reverse=True)


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else "The system"


def meeting_history(meeting: Meeting) -> list[Change]:
    """Who recorded or changed the meeting and its decisions, and when, latest first (2 queries)."""
    records = [
        (r, "The meeting")
        for r in meeting.history.select_related("history_user").order_by("-history_date")
    ] + [
        (r, "A decision")
        for r in Decision.history.filter(meeting_id=meeting.pk)
        .select_related("history_user")
        .order_by("-history_date")
    ]
    changes = []
    for record, subject in records:
        user = record.history_user
        what = record.history_change_reason or record.get_history_type_display()
        if subject == "A decision":
            what = f"{what}: {record.text[:120]}"
        changes.append(
            Change(
                at=record.history_date,
                who=(user.get_full_name() or user.username) if user else "The system",
                what=f"{subject}: {what}" if subject == "The meeting" else what,
            )
        )
    return sorted(changes, key=lambda c: c.at, reverse=True)


def board_meetings(council: Council):
    return Meeting.objects.for_council(council).filter(kind=MeetingKind.BOARD)
