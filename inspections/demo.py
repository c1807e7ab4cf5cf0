"""Demo data from the seed documents: real councils, their real inspections and a cast of users."""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from councils.models import Council, Membership, Role, User

from . import services
from .models import Inspection, InspectionKind

SCILLY_2023_RECOMMENDATIONS = [
    "The effectiveness with which information shared with the local authority about children in "
    "need, or children in need of protection, is recorded, assessed and responded to.",
    "The quality of social work practice to assess, support and protect children.",
    "The quality of strategy discussions and subsequent child protection enquiries.",
    "The effectiveness of multi-agency working, including child protection strategy discussions, "
    "in identifying risk and providing support and protection to children.",
    "Management and leadership oversight of the service at both a practice and a strategic level.",
    "The oversight of corporate parenting arrangements.",
    "The accuracy of children's records, including how well they capture children's wishes and "
    "feelings and record their histories in up-to-date chronologies, to allow full consideration "
    "of the child's journey.",
    "How consistently and effectively the services that children receive meet statutory "
    "requirements.",
]

SCILLY_2019_RECOMMENDATIONS = [
    "Greater clarity among education colleagues about what is a contact and what is informal "
    "advice.",
    "The recording of decisions that are made in strategy meetings, to more clearly demonstrate "
    "rationale for decisions and consideration of the significant harm threshold.",
    "The quality of assessments and other case records to ensure that they are consistently up "
    "to date and easily understood by children and families.",
    "The sufficiency of on-island foster placements and the clarity of quality practice standards "
    "for emergency placements.",
]

# The eight areas for improvement as Nottingham's scrutiny committee minutes list them (seed 003);
# the minutes cut the last one short, so it ends where they do.
NOTTINGHAM_2022_RECOMMENDATIONS = [
    "Effectiveness and timeliness of responses to children's needs when first presented to the "
    "Multi Agency Safeguarding Hub (MASH).",
    "Management oversight and direction of front-line workers and the local authority designated "
    "officer.",
    "Social work capacity so that social workers and first-line managers can respond effectively "
    "to children in need of help and protection, and that children in care have greater "
    "consistency of social worker.",
    "Placement sufficiency for children in care and those with complex needs.",
    "The service response to care leavers aged 21 or over.",
    "The service response to young people who are aged 16/17 years who present as homeless.",
    "The quality and timeliness of return home interviews.",
    "Oversight of children missing from education.",
]

RI = "requires_improvement"


@dataclass(frozen=True)
class DemoInspection:
    council: str
    kind: str
    start: date
    end: date
    published: date | None
    lead_inspector: str = ""
    report_url: str = ""
    grades: dict | None = None
    recommendations: tuple[str, ...] = ()
    findings: str = ""
    priority_areas: str = ""


SCILLY_2023 = DemoInspection(
    council="isles-of-scilly",
    kind=InspectionKind.STANDARD_ILACS,
    start=date(2023, 7, 11),
    end=date(2023, 7, 13),
    published=date(2023, 8, 25),
    lead_inspector="Tracey Ledder",
    grades={
        "leaders": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": RI,
        "care_leavers": RI,
        "overall_effectiveness": "inadequate",
    },
    recommendations=tuple(SCILLY_2023_RECOMMENDATIONS),
)

INSPECTIONS = [
    DemoInspection(
        council="isles-of-scilly",
        kind=InspectionKind.SHORT_ILACS,
        start=date(2019, 10, 14),
        end=date(2019, 10, 18),
        published=date(2019, 12, 19),
        lead_inspector="Joy Howick",
        report_url="https://files.ofsted.gov.uk/v1/file/50135438",
        grades={
            "leaders": "outstanding",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
        recommendations=tuple(SCILLY_2019_RECOMMENDATIONS),
    ),
    SCILLY_2023,
    # The first monitoring visit after the 2023 inspection, on the day the demo timeline has
    # long shown it met. The letter's wording is not among the seeds: the findings are the
    # demo's own, and say so.
    DemoInspection(
        council="isles-of-scilly",
        kind=InspectionKind.MONITORING_VISIT,
        start=date(2024, 2, 20),
        end=date(2024, 2, 21),
        published=None,
        findings=(
            "Illustrative text for the demo, not Ofsted's letter: inspectors looked at the "
            "front door and at child protection enquiries. Contacts are now screened promptly "
            "and recorded; the quality of strategy discussions remains variable."
        ),
        priority_areas="The quality of strategy discussions and child protection enquiries.",
    ),
    DemoInspection(
        council="nottingham",
        kind=InspectionKind.STANDARD_ILACS,
        start=date(2022, 7, 4),
        end=date(2022, 7, 22),
        published=date(2022, 9, 5),
        grades={
            "leaders": RI,
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": RI,
            "overall_effectiveness": "inadequate",
        },
        recommendations=tuple(NOTTINGHAM_2022_RECOMMENDATIONS),
    ),
    DemoInspection(
        council="nottingham",
        kind=InspectionKind.MONITORING_VISIT,
        start=date(2023, 2, 28),
        end=date(2023, 3, 1),
        published=None,
    ),
    DemoInspection(
        council="nottingham",
        kind=InspectionKind.MONITORING_VISIT,
        start=date(2023, 7, 25),
        end=date(2023, 7, 26),
        published=None,
    ),
    # Seed 004: inspected in February and March 2019, "requires improvement" throughout; the
    # report was published on 1 April 2019. The exact fieldwork days are not in the seeds.
    DemoInspection(
        council="barking-and-dagenham",
        kind=InspectionKind.STANDARD_ILACS,
        start=date(2019, 2, 25),
        end=date(2019, 3, 8),
        published=date(2019, 4, 1),
        grades={
            "leaders": RI,
            "help_and_protection": RI,
            "children_in_care_and_care_leavers": RI,
            "overall_effectiveness": RI,
        },
    ),
]

# (username, first name, last name, [(council slug, role)], platform admin)
CAST = [
    ("scilly-officer", "Morwenna", "Tregarthen", [("isles-of-scilly", Role.OFFICER)], False),
    ("scilly-lead-member", "Joel", "Penrose", [("isles-of-scilly", Role.LEAD_MEMBER)], False),
    ("scilly-scrutiny", "Ruth", "Hicks", [("isles-of-scilly", Role.SCRUTINY)], False),
    ("scilly-admin", "Daniel", "Jenkins", [("isles-of-scilly", Role.ADMIN)], False),
    (
        "consultant",
        "Priya",
        "Shah",
        [("isles-of-scilly", Role.OFFICER), ("nottingham", Role.OFFICER)],
        False,
    ),
    ("nottingham-officer", "Sam", "Morris", [("nottingham", Role.OFFICER)], False),
    ("barking-officer", "Grace", "Adeyemi", [("barking-and-dagenham", Role.OFFICER)], False),
    ("platform-admin", "Helen", "Carter", [], True),
]


def demo_password(username: str) -> str:
    """A password per installation, derived from SECRET_KEY so re-runs can print it again."""
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:16].lower()


@dataclass
class DemoResult:
    users: list[tuple[str, str, str]]  # username, password or note, roles
    inspections_created: int = 0


@transaction.atomic
def demo_load() -> DemoResult:
    """Create the demo cast and inspections; running it again changes nothing."""
    result = DemoResult(users=[])
    for username, first, last, memberships, platform_admin in CAST:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": platform_admin,
                "is_superuser": platform_admin,
            },
        )
        password = demo_password(username)
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        for slug, role in memberships:
            Membership.objects.get_or_create(
                user=user, council=Council.objects.get(slug=slug), defaults={"role": role}
            )
        roles = ", ".join(f"{Role(r).label} at {s}" for s, r in memberships) or "Platform admin"
        shown = password if user.check_password(password) else "(changed since it was created)"
        result.users.append((username, shown, roles))

    for demo in INSPECTIONS:
        council = Council.objects.get(slug=demo.council)
        if Inspection.objects.filter(
            council=council, kind=demo.kind, start_date=demo.start
        ).exists():
            continue
        inspection = Inspection(
            council=council,
            kind=demo.kind,
            start_date=demo.start,
            end_date=demo.end,
            published_on=demo.published,
            lead_inspector=demo.lead_inspector,
            report_url=demo.report_url,
            findings=demo.findings,
            priority_areas=demo.priority_areas,
        )
        if inspection.is_graded:
            services.inspection_save(inspection=inspection)
        else:
            # In the cycle of the graded inspection before it.
            services.visit_record(visit=inspection)
        if demo.grades:
            services.inspection_set_judgements(inspection=inspection, grades=demo.grades)
        services.inspection_set_recommendations(
            inspection=inspection,
            items=[services.RecommendationInput(text=text) for text in demo.recommendations],
        )
        result.inspections_created += 1
    return result


# When the Isles of Scilly met the milestones after its 2023 inspection, for the demo timeline.
SCILLY_2023_DONE = {
    "action_planning_visit": date(2023, 10, 9),
    "action_plan": date(2023, 12, 4),
}


@transaction.atomic
def demo_load_milestones(*, today: date) -> int:
    """Record the demo's past statutory milestones as met, and one agreed visit still to come.

    Runs after the inspections are saved, so their computed milestones exist; only fills in what
    is missing, so running it again changes nothing.
    """
    changed = 0
    recorded = []
    for demo in INSPECTIONS:
        inspection = Inspection.objects.filter(
            council__slug=demo.council, kind=demo.kind, start_date=demo.start
        ).first()
        if inspection is not None:
            services.milestones_recompute(inspection_id=inspection.pk)
            recorded.append((demo, inspection))
    for demo, inspection in recorded:
        # A monitoring visit fulfils the visit its cycle was waiting for.
        if demo.kind == InspectionKind.MONITORING_VISIT and not inspection.fulfils.exists():
            changed += services.visit_fulfil_milestone(visit=inspection).fulfilled is not None
    for demo, inspection in recorded:
        met = SCILLY_2023_DONE if demo is SCILLY_2023 else {}
        for milestone in inspection.milestones.all():
            if milestone.done_on is None and milestone.due_on <= today:
                done_on = met.get(milestone.key, milestone.due_on)
                services.milestone_record_done(milestone=milestone, done_on=done_on)
                changed += 1
    scilly = Inspection.objects.filter(
        council__slug=SCILLY_2023.council, start_date=SCILLY_2023.start
    ).first()
    if scilly and not scilly.milestones.filter(source="agreed").exists():
        # The next monitoring visit, agreed for about six weeks ahead of whenever the demo runs.
        visit = today + timedelta(weeks=6)
        visit += timedelta(days=max(0, visit.weekday() - 3))  # a Tuesday to Thursday
        services.milestone_add_agreed(inspection=scilly, key="monitoring_visit", due_on=visit)
        changed += 1
    return changed
