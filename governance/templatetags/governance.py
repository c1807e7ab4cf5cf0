from django import template
from django.utils import timezone

from governance.models import Meeting, MeetingKind
from governance.selectors import current_intervention

register = template.Library()


@register.inclusion_tag("governance/includes/summary.html")
def governance_summary(council):
    """The intervention in force, its next duty to come and the next board and scrutiny
    meetings, for the council page and the dashboard (2 queries, 3 with an intervention in
    force; nothing shows without any of them)."""
    today = timezone.localdate()
    intervention = current_intervention(council)
    next_duty = (
        intervention.duties()
        .current()
        .filter(done_on__isnull=True, due_by__gte=today)
        .order_by("due_by", "pk")
        .first()
        if intervention
        else None
    )
    meetings = {}
    for meeting in (
        Meeting.objects.for_council(council)
        .filter(held_on__gte=today, kind__in=[MeetingKind.BOARD, MeetingKind.SCRUTINY])
        .order_by("held_on", "pk")
    ):
        meetings.setdefault(meeting.kind, meeting)
    return {
        "council": council,
        "intervention": intervention,
        "next_duty": next_duty,
        "meetings": sorted(meetings.values(), key=lambda m: (m.held_on, m.pk)),
        "today": today,
    }
