"""A meeting's pack: the scrutiny pack's machinery (reports/pack.py) with the meeting's own
front matter, for the improvement board, the scrutiny committee or cabinet.

Changes since the meeting of the same kind before this one; decisions of that meeting with
what became of their actions, and this meeting's own once minuted.
"""

from datetime import datetime, time

from django.template.loader import render_to_string
from django.utils import timezone

from reports.pack import SECTIONS, pack_context
from reports.pdf import html_to_pdf

from .models import Board, Meeting, MeetingKind
from .selectors import current_intervention, decisions_of, previous_meeting

MEETING_SECTIONS = [
    ("decisions", "Decisions since the last meeting"),
    ("intervention", "Intervention"),
]


def meeting_pack_context(meeting: Meeting) -> dict:
    council = meeting.council
    today = timezone.localdate()
    previous = previous_meeting(meeting)
    since = previous.held_on if previous and previous.held_on < today else None
    context = pack_context(council=council, inspection=None, since=since, today=today)
    decisions = decisions_of([m for m in (previous, meeting) if m is not None])
    intervention = current_intervention(council)
    context |= {
        "meeting": meeting,
        "previous": previous,
        "board": board_on(council, meeting) if meeting.kind == MeetingKind.BOARD else None,
        "previous_decisions": [d for d in decisions if previous and d.meeting_id == previous.pk],
        "meeting_decisions": [d for d in decisions if d.meeting_id == meeting.pk],
        "intervention": intervention,
        "intervention_duties": list(
            intervention.duties().filter(done_on__isnull=True).order_by("due_on")
        )
        if intervention
        else [],
        "sections": MEETING_SECTIONS + [(i, h) for i, h in SECTIONS if since or i != "direction"],
    }
    return context


def board_on(council, meeting: Meeting):
    """The board's chair and members as they were at the end of the meeting's day, from its
    history; as they are now if it was recorded later than that."""
    board = Board.objects.filter(council=council).first()
    if board is None:
        return None
    end_of_day = timezone.make_aware(datetime.combine(meeting.held_on, time.max))
    if end_of_day >= timezone.now():
        return board
    try:
        return board.history.as_of(end_of_day)
    except Board.DoesNotExist:
        return board


def meeting_pack_html(context: dict) -> str:
    return render_to_string(
        "governance/meeting_pack.html",
        context | {"css": render_to_string("reports/pack.css")},
    )


def meeting_pack_pdf(meeting: Meeting) -> bytes:
    return html_to_pdf(meeting_pack_html(meeting_pack_context(meeting)))


def meeting_pack_filename(meeting: Meeting) -> str:
    kind = {"board": "improvement-board", "scrutiny": "scrutiny", "cabinet": "cabinet"}[
        meeting.kind
    ]
    return f"{meeting.council.slug}-{kind}-pack-{meeting.held_on:%Y-%m-%d}.pdf"
