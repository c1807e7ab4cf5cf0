"""Isles of Scilly's intervention after its inadequate judgement of July 2023 (seed 000: the DfE
funded Essex County Council to support and challenge the service). Names, dates and words the
public record does not give are the demo's own and say so."""

from datetime import date, time, timedelta

from django.db.models import F

from actions.models import Action
from councils.models import Council, User
from inspections.models import Inspection, Milestone

from . import services
from .models import Board, DfeReview, Intervention, InterventionKind, Meeting, MeetingKind

ILLUSTRATIVE = "(illustrative: written for the demo)"
REVIEWS = [
    (
        date(2024, 3, 14),
        "Early signs of better management oversight; the pace of change in front-door "
        "decisions must quicken before the next monitoring visit.",
    ),
    (date(2024, 9, 19), "Supervision is now regular; audits still find drift in plans."),
    (date(2025, 3, 20), "Front-door decisions are timely; care planning needs the same pace."),
    (date(2025, 9, 18), "The new case management system is in use; quality assurance is firmer."),
    (date(2026, 3, 19), "Progress is sustained; the board should test the impact on children."),
    (date(2026, 9, 17), "Most areas for priority action are met; intervention continues for now."),
]


def demo_load_governance(*, today: date) -> int:
    """Record the intervention, its board and its meetings once; return the rows created."""
    council = Council.objects.filter(slug="isles-of-scilly").first()
    inspection = Inspection.objects.filter(council=council, start_date=date(2023, 7, 11)).first()
    if council is None or inspection is None or Intervention.objects.filter(council=council):
        return 0
    officer = User.objects.get(username="scilly-officer")
    created = 0
    intervention = services.intervention_save(
        intervention=Intervention(
            council=council,
            cycle=inspection,
            kind=InterventionKind.ADVISER,
            started_on=date(2023, 9, 1),
            adviser=f"the adviser the DfE appointed {ILLUSTRATIVE}",
            partner="Essex County Council, funded by the DfE to provide support and challenge",
            document_title=f"The DfE's letter on support after the inadequate judgement "
            f"{ILLUSTRATIVE}",
            requirements=f"Agree the improvement plan with the DfE's adviser and Essex County "
            f"Council; set up an improvement board with an independent chair {ILLUSTRATIVE}.",
            requirements_due_on=date(2023, 12, 1),
            report_to="the DfE improvement adviser",
            report_every_months=3,
            first_report_due_on=date(2023, 12, 1),
        ),
        user=officer,
    )
    created += 1
    for held_on, findings in REVIEWS:
        if held_on > today:
            break
        services.dfe_review_record(
            review=DfeReview(
                intervention=intervention,
                held_on=held_on,
                findings=f"{findings} {ILLUSTRATIVE}",
                outcome=DfeReview.Outcome.CONTINUES,
            ),
            user=officer,
        )
        created += 1
    # What the council has done so far, each on its due date, as the demo's other milestones.
    intervention.cycle.milestones.filter(
        source=Milestone.Source.DFE, done_on__isnull=True, due_on__lte=today
    ).update(done_on=F("due_on"))
    services.board_save(
        board=Board(
            council=council,
            name="Children's Services Improvement Board",
            chair=f"The independent chair {ILLUSTRATIVE}",
            members="\n".join(
                [
                    "Councillor Joel Williams, Lead Member for Children",
                    "Justine Davies, interim Director of Children's Services",
                    "Essex County Council, improvement partner",
                    "The DfE improvement adviser",
                ]
            ),
        ),
        user=officer,
    )
    created += 1
    first = services.meeting_save(
        meeting=Meeting(
            council=council,
            kind=MeetingKind.BOARD,
            held_on=date(2024, 1, 18),
            starts_at=time(14, 0),
            location="Town Hall, St Mary's, and online",
            agenda_item="Item 4: progress against the improvement plan",
            minutes=f"The board heard the first quarterly report {ILLUSTRATIVE}.",
        ),
        user=officer,
    )
    recommendation = inspection.recommendations.order_by("position").first()
    services.decision_add(
        meeting=first,
        text=f"Ask Essex County Council to audit 20 referrals at the front door before the "
        f"next board {ILLUSTRATIVE}",
        user=officer,
        action=Action(
            recommendation=recommendation,
            title="Audit of 20 front-door referrals with Essex County Council",
            owner=officer,
            owner_name=officer.get_full_name(),
            due_on=date(2024, 2, 9),
            success_criterion="The audit's findings are reported to the February board",
        )
        if recommendation
        else None,
    )
    services.decision_add(
        meeting=first,
        text=f"Receive the case management system's timetable at the next meeting {ILLUSTRATIVE}",
        user=officer,
    )
    services.meeting_save(
        meeting=Meeting(
            council=council,
            kind=MeetingKind.BOARD,
            held_on=date(2024, 2, 15),
            starts_at=time(14, 0),
            location="Town Hall, St Mary's, and online",
            agenda_item="Item 3: the front-door audit",
        ),
        user=officer,
    )
    for kind, days, item in [
        (MeetingKind.SCRUTINY, 14, "Children's services improvement plan"),
        (MeetingKind.BOARD, 28, "Progress against the improvement plan"),
    ]:
        services.meeting_save(
            meeting=Meeting(
                council=council,
                kind=kind,
                held_on=today + timedelta(days=days),
                starts_at=time(10, 0),
                location="Town Hall, St Mary's",
                agenda_item=f"{item} {ILLUSTRATIVE}",
            ),
            user=officer,
        )
    return created + 4
