"""The demo councils' scrutiny pack covers: the committee each reports to, its next meeting and
the recommendation. Committees, items and words are the demo's own; the authors are demo users."""

from datetime import date, timedelta

from councils.models import Council, User

from . import services
from .models import PackCover

ILLUSTRATIVE = "(illustrative: written for the demo)"
THURSDAY = 3

# (council slug, committee, agenda item, the officer who writes the report and their role)
COVERS = [
    (
        "isles-of-scilly",
        "Children and Young People's Scrutiny Committee",
        "Item 6",
        ("scilly-officer", "Improvement Officer"),
    ),
    (
        "nottingham",
        "Children and Young People Scrutiny Committee",
        "Item 5",
        ("nottingham-officer", "Head of Improvement"),
    ),
    (
        "barking-and-dagenham",
        "Children's Services Select Committee",
        "Item 4",
        ("barking-officer", "Service Manager, Quality Assurance"),
    ),
]

RECOMMENDATION = (
    "That the committee notes the progress made against the Ofsted improvement plan since its "
    "last meeting, and the actions that are red, overdue or blocked.\n\n"
    "That the committee agrees which of those actions it will ask the responsible officers to "
    f"report on at its next meeting. {ILLUSTRATIVE}"
)


def next_meeting(today: date) -> date:
    """A committee's meeting about six weeks away, on a Thursday."""
    day = today + timedelta(weeks=6)
    return day + timedelta(days=(THURSDAY - day.weekday()) % 7)


def demo_load_covers(*, today: date) -> int:
    """Record each demo council's cover once; return the covers created."""
    created = 0
    for slug, committee, item, (username, role) in COVERS:
        council = Council.objects.filter(slug=slug).first()
        if council is None or PackCover.objects.filter(council=council).exists():
            continue
        author = User.objects.filter(username=username).first()
        services.pack_cover_save(
            council=council,
            user=author,
            committee=committee,
            meeting_date=next_meeting(today),
            agenda_item=item,
            author=f"{author.get_full_name()}, {role}" if author else role,
            recommendation=RECOMMENDATION,
        )
        created += 1
    return created
