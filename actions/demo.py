"""A realistic action plan for the Isles of Scilly 2023 inspection, written through the services.

The plan was agreed in December 2023 (the statutory deadline was 4 December). Early actions have
fixed dates in 2024 and 2025; later ones are due relative to the day the demo is loaded, so
that the plan always has work in progress, some of it overdue. Running it again changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from councils.models import Council, User
from inspections.models import Inspection, InspectionKind

from .models import Action, Rag, Status
from .services import action_add_progress, action_close, action_create, action_update

DCS = "Director of Children's Services"
HEAD_CSC = "Head of Children's Social Care"

# (date, status, RAG, percent, narrative) of a progress update.
Update = tuple[date, str, str, int, str]


@dataclass(frozen=True)
class DemoAction:
    recommendation: int  # position, 1 to 8
    title: str
    owner: str
    lead: str
    due_on: date
    success: str
    updates: tuple[Update, ...] = ()
    revised: tuple[date, date, str] | None = None  # (when, new due date, reason)
    closed: tuple[date, str, str] | None = None  # (when, evidence of impact, closing narrative)
    description: str = ""


def plan(today: date) -> list[DemoAction]:
    soon = today + timedelta(days=21)
    later = today + timedelta(days=120)
    recent = today - timedelta(days=12)
    lately = today - timedelta(days=75)
    return [
        DemoAction(
            1,
            "Single front door: every contact screened and recorded within 24 hours",
            "Morwenna Tregarthen",
            HEAD_CSC,
            date(2024, 3, 31),
            "95% of contacts have a recorded screening decision within 24 hours, for three "
            "months running.",
            updates=(
                (
                    date(2024, 1, 15),
                    "in_progress",
                    "amber",
                    30,
                    "Contact form redesigned with "
                    "the police and school nurses; screening rota agreed.",
                ),
                (
                    date(2024, 3, 12),
                    "in_progress",
                    "green",
                    80,
                    "February: 91% of contacts screened within 24 hours, up from 58% in October.",
                ),
            ),
            closed=(
                date(2024, 6, 28),
                "March 96%, April 97%, May 95%: audit report at "
                "https://example.org/scilly/front-door-audit-2024",
                "Target met for three months; monitoring moves to the monthly performance report.",
            ),
        ),
        DemoAction(
            1,
            "Train partner agencies on what to share and when",
            "Jenna Ward",
            HEAD_CSC,
            date(2024, 5, 31),
            "All GP practices, schools and the police neighbourhood team have attended; "
            "inappropriate contacts fall by half.",
            updates=(
                (
                    date(2024, 2, 2),
                    "in_progress",
                    "green",
                    25,
                    "Sessions booked for schools and the health centre.",
                ),
                (
                    date(2024, 4, 19),
                    "in_progress",
                    "amber",
                    60,
                    "Police session postponed twice because of staffing on St Mary's.",
                ),
            ),
            revised=(
                date(2024, 5, 20),
                date(2024, 9, 30),
                "The police neighbourhood team could not release officers until September.",
            ),
        ),
        DemoAction(
            2,
            "Audit ten assessments a month against the practice standards",
            "Alan Bryher",
            HEAD_CSC,
            date(2024, 12, 31),
            "80% of audited assessments are graded good or better.",
            updates=(
                (
                    date(2024, 1, 30),
                    "in_progress",
                    "amber",
                    10,
                    "First audit: 3 of 10 good. Analysis of risk was the weakest area.",
                ),
                (date(2024, 4, 30), "in_progress", "amber", 40, "April: 6 of 10 good."),
                (date(2024, 9, 30), "in_progress", "green", 75, "September: 8 of 10 good."),
            ),
            closed=(
                date(2025, 1, 20),
                "Average of 82% good or better over October to "
                "December, moderated by the partner council.",
                "Audit programme continues as business as usual.",
            ),
        ),
        DemoAction(
            2,
            "Recruit a permanent senior social worker",
            "Morwenna Tregarthen",
            DCS,
            date(2024, 6, 30),
            "Post filled by a permanent appointment; agency use ends.",
            updates=(
                (
                    date(2024, 2, 14),
                    "in_progress",
                    "amber",
                    20,
                    "Advert out with a relocation "
                    "package; no suitable applicants in the first round.",
                ),
                (
                    date(2024, 6, 3),
                    "blocked",
                    "red",
                    40,
                    "Second round failed: housing on the "
                    "islands is the barrier. Raised with the council's housing lead.",
                ),
                (lately, "in_progress", "red", 60, "Key-worker flat agreed; third advert out."),
            ),
        ),
        DemoAction(
            3,
            "Strategy discussions held with police and health in every case that needs one",
            "Jenna Ward",
            HEAD_CSC,
            date(2024, 4, 30),
            "Every section 47 enquiry follows a recorded multi-agency strategy discussion.",
            updates=(
                (
                    date(2024, 1, 10),
                    "in_progress",
                    "amber",
                    30,
                    "Protocol agreed with Devon and Cornwall Police for virtual attendance.",
                ),
                (
                    date(2024, 4, 2),
                    "in_progress",
                    "green",
                    85,
                    "Monthly dip sample: all strategy discussions had police and health present.",
                ),
            ),
            closed=(
                date(2024, 7, 31),
                "Six-month dip sample: 100% attendance; decisions "
                "and rationale recorded in every case.",
                "Closed at the July board.",
            ),
        ),
        DemoAction(
            3,
            "Record the rationale and threshold decision after every strategy discussion",
            "Alan Bryher",
            HEAD_CSC,
            date(2025, 3, 31),
            "Audits find the significant-harm threshold considered and recorded in 90% of cases.",
            updates=(
                (
                    date(2024, 6, 10),
                    "in_progress",
                    "green",
                    20,
                    "Recording template changed in the case system.",
                ),
                (
                    date(2025, 1, 15),
                    "in_progress",
                    "amber",
                    60,
                    "Audit: 70%. Workshop with managers planned.",
                ),
            ),
            revised=(
                date(2025, 3, 20),
                date(2025, 9, 30),
                "The case system supplier delayed the template release by five months.",
            ),
        ),
        DemoAction(
            4,
            "Set up a multi-agency safeguarding partnership subgroup for the islands",
            "Priya Shah",
            DCS,
            date(2024, 2, 29),
            "Subgroup meets monthly with police, health and education attending.",
            closed=(
                date(2024, 3, 5),
                "Terms of reference signed; four meetings held with full attendance.",
                "Subgroup established.",
            ),
        ),
        DemoAction(
            4,
            "Joint training on risk for social workers, police and health staff",
            "Jenna Ward",
            HEAD_CSC,
            soon,
            "Every practitioner in the three agencies has attended; practice audit shows "
            "shared understanding of risk.",
            updates=(
                (date(2025, 2, 3), "in_progress", "green", 30, "Two of five sessions run."),
                (
                    recent,
                    "in_progress",
                    "amber",
                    70,
                    "Health visitors' session cancelled; rebooked for next month.",
                ),
            ),
        ),
        DemoAction(
            5,
            "Weekly management oversight recorded on every open case",
            "Alan Bryher",
            HEAD_CSC,
            date(2024, 3, 31),
            "Audits find recorded supervision with clear direction in 90% of cases.",
            updates=(
                (
                    date(2024, 1, 22),
                    "in_progress",
                    "amber",
                    40,
                    "Supervision policy rewritten; recording template in use.",
                ),
            ),
            closed=(
                date(2024, 10, 1),
                "Audits April to September: 92% of cases had "
                "recorded oversight with clear actions.",
                "Closed.",
            ),
        ),
        DemoAction(
            5,
            "Quarterly performance report to the lead member and chief executive",
            "Priya Shah",
            DCS,
            date(2024, 4, 30),
            "Report received and challenged at four consecutive quarterly meetings.",
            updates=(
                (date(2024, 4, 25), "in_progress", "green", 25, "First report presented."),
                (
                    date(2024, 10, 30),
                    "in_progress",
                    "green",
                    75,
                    "Third report presented; the lead member asked for trend charts.",
                ),
            ),
            closed=(
                date(2025, 2, 3),
                "Four reports presented; minutes show challenge on caseloads and timeliness.",
                "Now business as usual.",
            ),
        ),
        DemoAction(
            5,
            "Independent review of leadership capacity with the partner council",
            "Priya Shah",
            DCS,
            date(2025, 6, 30),
            "Review completed and its recommendations accepted by the council's cabinet.",
            updates=(
                (
                    date(2025, 3, 1),
                    "in_progress",
                    "amber",
                    30,
                    "Reviewer appointed; fieldwork slipping because of the spring election period.",
                ),
                (lately, "in_progress", "red", 50, "Report drafted but not yet to cabinet."),
            ),
        ),
        DemoAction(
            6,
            "Refresh the corporate parenting board and its terms of reference",
            "Morwenna Tregarthen",
            DCS,
            date(2024, 6, 30),
            "Board meets quarterly, chaired by the lead member, with care-experienced young "
            "people attending.",
            updates=(
                (date(2024, 3, 20), "in_progress", "green", 50, "Terms of reference agreed."),
            ),
            closed=(
                date(2024, 9, 12),
                "Three meetings held; two young people attend and set the agenda for the next one.",
                "Closed.",
            ),
        ),
        DemoAction(
            6,
            "Publish a local offer for care leavers",
            "Jenna Ward",
            DCS,
            date(2025, 10, 31),
            "Offer published, and every care leaver has been told about it by their personal "
            "adviser.",
            updates=(
                (date(2025, 5, 5), "in_progress", "green", 40, "Draft shared with young people."),
                (
                    date(2025, 9, 29),
                    "blocked",
                    "red",
                    70,
                    "Council tax exemption needs a cabinet decision before publication.",
                ),
            ),
        ),
        DemoAction(
            7,
            "Chronology in every child's record, kept up to date",
            "Alan Bryher",
            HEAD_CSC,
            date(2024, 9, 30),
            "Audits find an up-to-date chronology in 90% of records.",
            updates=(
                (
                    date(2024, 2, 28),
                    "not_started",
                    "amber",
                    0,
                    "Waiting for the chronology feature in the case system.",
                ),
                (
                    date(2024, 8, 30),
                    "in_progress",
                    "amber",
                    35,
                    "Feature live; backlog of 40 records to bring up to date.",
                ),
            ),
            revised=(
                date(2024, 9, 20),
                date(2025, 3, 31),
                "The case system feature arrived six months late.",
            ),
        ),
        DemoAction(
            7,
            "Children's wishes and feelings recorded in their own words",
            "Jenna Ward",
            HEAD_CSC,
            later,
            "Audits find the child's voice recorded in their own words in 85% of records.",
            updates=(
                (lately, "in_progress", "green", 40, "Direct work toolkit introduced."),
                (recent, "in_progress", "green", 55, "Audit: 68% of records."),
            ),
        ),
        DemoAction(
            8,
            "Statutory visits and reviews on time for every child",
            "Morwenna Tregarthen",
            HEAD_CSC,
            date(2024, 5, 31),
            "100% of statutory visits and reviews within timescale, for six months.",
            updates=(
                (
                    date(2024, 2, 1),
                    "in_progress",
                    "amber",
                    30,
                    "Weekly compliance report introduced.",
                ),
                (date(2024, 5, 15), "in_progress", "green", 80, "All visits in time since March."),
            ),
            closed=(
                date(2024, 11, 29),
                "Six months at 100%, confirmed at the monitoring visit.",
                "Closed.",
            ),
        ),
        DemoAction(
            8,
            "Annual statutory compliance self-audit",
            "Priya Shah",
            DCS,
            later,
            "Self-audit completed and reported to scrutiny with actions for every gap.",
        ),
    ]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def demo_load_actions(today: date | None = None) -> int:
    """Create the Isles of Scilly 2023 action plan unless it exists; return actions created."""
    today = today or timezone.localdate()
    council = Council.objects.get(slug="isles-of-scilly")
    inspection = Inspection.objects.filter(
        council=council, kind=InspectionKind.STANDARD_ILACS, start_date=date(2023, 7, 11)
    ).first()
    if inspection is None or Action.objects.filter(recommendation__inspection=inspection).exists():
        return 0
    recommendations = {r.position: r for r in inspection.recommendations.all()}
    officer = User.objects.get(username="scilly-officer")
    consultant = User.objects.get(username="consultant")
    owners = {u.get_full_name(): u for u in User.objects.filter(memberships__council=council)}
    agreed = date(2023, 12, 1)
    for demo in plan(today):
        action = action_create(
            action=Action(
                recommendation=recommendations[demo.recommendation],
                title=demo.title,
                description=demo.description,
                owner_name=demo.owner,
                owner=owners.get(demo.owner),
                lead=demo.lead,
                due_on=demo.due_on,
                success_criterion=demo.success,
            ),
            user=officer,
            at=_at(agreed),
        )
        events = [(update[0], "update", update) for update in demo.updates]
        if demo.revised:
            events.append((demo.revised[0], "revise", demo.revised))
        events.sort(key=lambda event: event[0])
        for index, (day, kind, payload) in enumerate(events):
            author = consultant if index % 3 == 2 else officer
            if kind == "revise":
                _, new_date, reason = payload
                action_update(
                    action=action,
                    expected_version=action.version,
                    user=author,
                    changes={"revised_due_on": new_date, "revision_reason": reason},
                    at=_at(day),
                )
            else:
                _, status, rag, percent, narrative = payload
                if status != Status.COMPLETE and day > action.current_due_on:
                    rag = Rag.RED  # past its due date on the day: slipped, as the glossary says
                action_add_progress(
                    action=action,
                    expected_version=action.version,
                    user=author,
                    narrative=narrative,
                    status=status,
                    rag=rag,
                    percent_complete=percent,
                    at=_at(day),
                )
        if demo.closed:
            day, evidence, narrative = demo.closed
            action_close(
                action=action,
                expected_version=action.version,
                user=officer,
                evidence_of_impact=evidence,
                narrative=narrative,
                at=_at(day),
            )
    return len(plan(today))


# The 2019 short inspection's plan (seed 000 names no actions: these are the demo's own), and
# what became of it when the 2023 inspection superseded it: one action done, one carried into
# the new plan, one closed unfinished because the new plan covers it.
PREVIOUS_PLAN = [
    # (recommendation position, title, owner, due, success, fate, updates)
    (
        2,
        "Record the rationale for every strategy meeting decision",
        "Morwenna Tregarthen",
        date(2020, 9, 30),
        "Audits find the rationale and the significant harm threshold recorded in 90% of "
        "strategy meeting minutes.",
        "complete",
        ((date(2020, 3, 2), "in_progress", "green", 40, "New minute template in use."),),
    ),
    (
        3,
        "Keep assessments and case records up to date and readable by families",
        "Jenna Ward",
        date(2021, 3, 31),
        "Case file audits rate 80% of assessments up to date and written for the family.",
        "carry",
        (
            (date(2020, 11, 6), "in_progress", "amber", 35, "Audit tool agreed; backlog of 14."),
            (date(2023, 5, 12), "in_progress", "amber", 60, "Backlog cleared; quality varies."),
        ),
    ),
    (
        4,
        "Recruit on-island foster carers for emergency placements",
        "Daniel Jenkins",
        date(2021, 12, 31),
        "Two approved emergency foster households on the islands.",
        "close",
        ((date(2021, 6, 4), "in_progress", "red", 20, "One enquiry; no assessment started."),),
    ),
]


@transaction.atomic
def demo_load_previous_plan() -> int:
    """Scilly's 2019 plan, decided on when the 2023 plan was agreed; return actions created."""
    from .carry import CarryDecision, Decision, actions_carry_over

    council = Council.objects.get(slug="isles-of-scilly")
    older = Inspection.objects.filter(council=council, start_date=date(2019, 10, 14)).first()
    newer = Inspection.objects.filter(council=council, start_date=date(2023, 7, 11)).first()
    if older is None or newer is None or Action.objects.filter(plan=older).exists():
        return 0
    if Action.objects.filter(carried_from=older).exists():
        return 0
    recommendations = {r.position: r for r in older.recommendations.all()}
    officer = User.objects.get(username="scilly-officer")
    decisions = []
    for position, title, owner, due, success, fate, updates in PREVIOUS_PLAN:
        action = action_create(
            action=Action(
                recommendation=recommendations[position],
                title=title,
                owner_name=owner,
                lead=HEAD_CSC,
                due_on=due,
                success_criterion=success,
            ),
            user=officer,
            at=_at(date(2020, 2, 3)),
        )
        for day, status, rag, percent, narrative in updates:
            if status != Status.COMPLETE and day > action.current_due_on:
                rag = Rag.RED  # past its due date on the day: slipped, as the glossary says
            action_add_progress(
                action=action,
                expected_version=action.version,
                user=officer,
                narrative=narrative,
                status=status,
                rag=rag,
                percent_complete=percent,
                at=_at(day),
            )
        if fate == "complete":
            action_close(
                action=action,
                expected_version=action.version,
                user=officer,
                evidence_of_impact="October 2020 audit: rationale recorded in 92% of minutes.",
                narrative="Audit target met; the template stays.",
                at=_at(date(2020, 10, 16)),
            )
        else:
            decisions.append(
                CarryDecision(
                    action.pk,
                    action.version,
                    Decision.CARRY if fate == "carry" else Decision.CLOSE,
                    "Placement sufficiency now sits in the council's sufficiency strategy, "
                    "reported to the corporate parenting board"
                    if fate == "close"
                    else "",
                )
            )
    actions_carry_over(inspection=newer, decisions=decisions, user=officer, today=date(2023, 12, 1))
    return len(PREVIOUS_PLAN)
