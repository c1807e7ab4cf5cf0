"""Demo self-evaluations, written through the services.

Barking and Dagenham's 2022 self-evaluation, which its assembly noted on 17 May 2023 ahead of
the inspection it expected that year (seed 004; its last ILACS, in February and March 2019,
found it requires improvement), and Isles of Scilly's 2023 self-evaluation, signed off before
its July 2023 inspection, so that its grades sit beside Ofsted's. The councils' own documents
are not public: every answer, grade, rationale, action, name and date below that the seeds do
not give is illustrative, and says so. Running it again changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from actions.models import Rag
from councils.models import Council, Membership, Role, User
from inspections.demo import demo_password

from . import services
from .models import EngagementMeeting, SelfEvaluation

ILLUSTRATIVE = "Illustrative text for the demo, not the council's self-evaluation. "

# (username, first name, last name, council, role): the people named to sign; illustrative.
SIGNATORIES = [
    ("barking-dcs", "Jordan", "Ellis", "barking-and-dagenham", Role.OFFICER),
    ("barking-lead-member", "Amara", "Okafor", "barking-and-dagenham", Role.LEAD_MEMBER),
    ("scilly-dcs", "Kerensa", "Pender", "isles-of-scilly", Role.OFFICER),
]


@dataclass(frozen=True)
class DemoSelfEvaluation:
    council: str
    year: int
    director: str
    lead_member: str
    signed_on: date  # illustrative
    what_we_know: str
    how_we_know: str
    plans: str
    grades: dict[str, tuple[str, str]]
    actions: tuple[tuple[str, str, date, str, str], ...]  # title, owner, due, status, RAG


RI = "requires_improvement"

SELF_EVALUATIONS = [
    DemoSelfEvaluation(
        council="barking-and-dagenham",
        year=2022,
        director="barking-dcs",
        lead_member="barking-lead-member",
        # Before the assembly of 17 May 2023 noted it (seed 004); the day itself is illustrative.
        signed_on=date(2023, 4, 27),
        what_we_know=ILLUSTRATIVE
        + "Since the 2019 inspection found children's services require improvement, practice "
        "has improved, but not yet with the pace and consistency needed to be good. The "
        "pandemic strained safeguarding services and removed protective factors such as "
        "school, and the borough has the fastest growth in its number of children in the "
        "country while being one of the most deprived.",
        how_we_know=ILLUSTRATIVE
        + "Monthly case audits moderated by senior managers, practice observations, "
        "performance reports to the improvement board, feedback from children and families, "
        "and briefings to members and the overview and scrutiny committee.",
        plans=ILLUSTRATIVE
        + "Make supervision and management oversight consistent across teams; reduce "
        "caseloads in the assessment service; strengthen planning for children in care and "
        "care leavers; prepare for the inspection expected in 2023.",
        grades={
            "leaders": (RI, ILLUSTRATIVE + "Leaders know the service but improvement is uneven."),
            "help_and_protection": (RI, ILLUSTRATIVE + "Thresholds are applied more consistently."),
            "children_in_care_and_care_leavers": (
                RI,
                ILLUSTRATIVE + "Plans for permanence are too often delayed.",
            ),
            "overall_effectiveness": (RI, ILLUSTRATIVE + "Improving, not yet good."),
        },
        actions=(
            (
                "Monthly supervision audit in every team",
                "Head of service",
                date(2023, 3, 31),
                "complete",
                "blue",
            ),
            (
                "Bring assessment caseloads below 20",
                "Head of assessment",
                date(2023, 9, 30),
                "in_progress",
                "amber",
            ),
            (
                "Inspection readiness briefings for members",
                "Director of children's services",
                date(2023, 6, 30),
                "in_progress",
                "green",
            ),
        ),
    ),
    DemoSelfEvaluation(
        council="isles-of-scilly",
        year=2023,
        director="scilly-dcs",
        lead_member="scilly-lead-member",
        signed_on=date(2023, 5, 15),  # before the fieldwork of 11 July 2023; illustrative
        what_we_know=ILLUSTRATIVE
        + "A very small service that knows its children well; recording of strategy "
        "discussions and chronologies is not consistent.",
        how_we_know=ILLUSTRATIVE
        + "Audits of every child protection case each quarter and reviews with partners.",
        plans=ILLUSTRATIVE
        + "Record every strategy discussion's decisions and rationale; keep chronologies up to "
        "date; widen on-island foster placements.",
        grades={
            "leaders": ("good", ILLUSTRATIVE + "Stable leadership with close oversight."),
            "help_and_protection": (RI, ILLUSTRATIVE + "Recording of strategy discussions varies."),
            "children_in_care": ("good", ILLUSTRATIVE + "Children live in stable homes."),
            "care_leavers": ("good", ILLUSTRATIVE + "Personal advisers know young people well."),
            "overall_effectiveness": (RI, ILLUSTRATIVE + "Good in places, not yet consistent."),
        },
        actions=(
            (
                "Audit every strategy discussion's record",
                "Morwenna Tregarthen",
                date(2023, 9, 30),
                "complete",
                "blue",
            ),
            (
                "Chronology on every child's record",
                "Morwenna Tregarthen",
                date(2024, 3, 31),
                "in_progress",
                "red",
            ),
        ),
    ),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _person(username, first, last, slug, role) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(demo_password(username))
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, council=Council.objects.get(slug=slug), defaults={"role": role}
    )
    return user


@transaction.atomic
def demo_load_readiness() -> int:
    """Create the demo self-evaluations, signed off, with their plans; return how many."""
    for signatory in SIGNATORIES:
        _person(*signatory)
    created = 0
    for demo in SELF_EVALUATIONS:
        council = Council.objects.get(slug=demo.council)
        if SelfEvaluation.objects.filter(council=council, year=demo.year).exists():
            continue
        director = User.objects.get(username=demo.director)
        lead_member = User.objects.get(username=demo.lead_member)
        evaluation = services.self_evaluation_start(council=council, year=demo.year)
        services.self_evaluation_update(
            self_evaluation=evaluation,
            what_we_know=demo.what_we_know,
            how_we_know=demo.how_we_know,
            plans=demo.plans,
            director=director,
            lead_member=lead_member,
        )
        services.self_evaluation_set_grades(self_evaluation=evaluation, grades=demo.grades)
        for title, owner, due_on, status, rag in demo.actions:
            action = services.plan_action_add(
                council=council,
                self_evaluation=evaluation,
                title=title,
                owner_name=owner,
                due_on=due_on,
            )
            if status != "not_started":
                # Rated as on the day the demo is loaded: the glossary makes an open action
                # past its due date Red, whatever colour it had before.
                if status != "complete" and action.is_overdue():
                    rag = Rag.RED
                services.plan_action_update_progress(
                    action=action,
                    expected_version=action.version,
                    status=status,
                    rag=rag,
                    progress=ILLUSTRATIVE.strip(),
                )
        services.self_evaluation_sign_off(self_evaluation=evaluation, user=director)
        services.self_evaluation_sign_off(self_evaluation=evaluation, user=lead_member)
        # Signed on the illustrative day, not the day the demo is loaded.
        signed = _at(demo.signed_on)
        SelfEvaluation.objects.filter(pk=evaluation.pk).update(
            director_signed_at=signed, lead_member_signed_at=signed, signed_off_at=signed
        )
        # The history of the signatures says the same day as the page.
        records = SelfEvaluation.history.filter(id=evaluation.pk)
        for field in ("director_signed_at", "lead_member_signed_at", "signed_off_at"):
            records.filter(**{f"{field}__isnull": False}).update(**{field: signed})
        Council.objects.filter(pk=council.pk).bump_data_version()
        created += 1
    scilly = Council.objects.get(slug="isles-of-scilly")
    if not EngagementMeeting.objects.filter(council=scilly).exists():
        meeting = services.engagement_meeting_save(
            meeting=EngagementMeeting(
                council=scilly,
                held_on=date(2024, 11, 12),
                attendees=ILLUSTRATIVE + "\nOfsted regional director\nSenior HMI\n"
                "Director of children's services\nLead member for children",
                topics=ILLUSTRATIVE + "Progress since the 2023 inspection; the self-evaluation; "
                "monitoring visits.",
                letter_on=date(2024, 12, 3),
                letter_summary=ILLUSTRATIVE + "Progress noted; recording of strategy "
                "discussions to remain a focus.",
                focus=ILLUSTRATIVE + "Strategy discussions and child protection enquiries.",
            )
        )
        services.plan_action_add(
            council=scilly,
            meeting=meeting,
            title="Report strategy discussion audit findings to the improvement board",
            owner_name="Morwenna Tregarthen",
            due_on=date(2025, 3, 31),
        )
    return created
