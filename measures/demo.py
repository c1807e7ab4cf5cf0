"""Six impact measures each for Isles of Scilly and Nottingham, with about two years of values,
baselines, targets and tolerances, linked to the recommendations (and, for Isles of Scilly, the
actions) of each council's live plan.

The figures are the demo's own, not the councils': every measure says so in its definition and
its source. Where a published indicator of the same name is loaded (``manage.py import_measures``
runs before this in a full demo), the measure is mapped to it for its comparators. Running it
again adds nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from actions.models import Action
from councils.models import Council, User
from inspections.cycles import live_inspection

from .models import Indicator, Measure, MeasureValue, Polarity, Unit
from .periods import Frequency, period_end, recent_period_ends

ILLUSTRATIVE = "Illustrative figures for the demonstration"


@dataclass(frozen=True)
class DemoMeasure:
    name: str
    column: str  # the published indicator it maps to, where one is loaded
    definition: str
    polarity: str
    frequency: str
    tolerance: str
    target: dict[str, str]  # by council slug
    values: dict[str, tuple[str, ...]]  # by council slug, oldest first
    recommendations: dict[str, tuple[int, ...]]  # positions in the live plan, by council slug
    actions: tuple[str, ...] = ()  # titles of Isles of Scilly's demo actions


LOWER, HIGHER = Polarity.LOWER, Polarity.HIGHER
QUARTERLY, YEARLY = Frequency.QUARTERLY, Frequency.YEARLY
SCILLY, NOTTINGHAM = "isles-of-scilly", "nottingham"

MEASURES = [
    DemoMeasure(
        "Re-referrals within 12 months",
        "re_referrals_within_12_months_pct",
        "Referrals in the period that came within 12 months of a previous referral of the same "
        "child, as a percentage of all referrals in the period.",
        LOWER,
        QUARTERLY,
        "2",
        {SCILLY: "18", NOTTINGHAM: "20"},
        {
            # Few referrals on the islands: the figure moves a lot from quarter to quarter.
            SCILLY: ("28.6", "25.0", "30.0", "22.2", "25.0", "20.0", "21.4", "19.0"),
            NOTTINGHAM: ("26.1", "25.4", "25.9", "24.2", "23.8", "23.1", "22.6", "22.9"),
        },
        {SCILLY: (1,), NOTTINGHAM: (1,)},
        ("Single front door: every contact screened and recorded within 24 hours",),
    ),
    DemoMeasure(
        "Child protection plans lasting two years or more",
        "cpp_lasting_two_years_or_more_pct",
        "Child protection plans ended in the period that had lasted two years or more, as a "
        "percentage of all plans ended in the period.",
        LOWER,
        QUARTERLY,
        "1",
        {SCILLY: "2", NOTTINGHAM: "3"},
        {
            SCILLY: ("0.0", "12.5", "0.0", "0.0", "10.0", "0.0", "0.0", "0.0"),
            NOTTINGHAM: ("5.8", "6.2", "5.1", "4.9", "4.4", "4.6", "3.9", "3.7"),
        },
        {SCILLY: (3,), NOTTINGHAM: (2,)},
        ("Strategy discussions held with police and health in every case that needs one",),
    ),
    DemoMeasure(
        "Assessments completed within 45 working days",
        "assessments_within_45_days_pct",
        "Children and family assessments completed in the period within 45 working days of the "
        "referral, as a percentage of all assessments completed in the period.",
        HIGHER,
        QUARTERLY,
        "5",
        {SCILLY: "90", NOTTINGHAM: "88"},
        {
            SCILLY: ("66.7", "71.4", "75.0", "80.0", "83.3", "85.7", "88.9", "91.7"),
            NOTTINGHAM: ("71.2", "73.5", "72.8", "76.4", "78.9", "80.2", "82.5", "81.7"),
        },
        {SCILLY: (2,), NOTTINGHAM: (1,)},
        ("Audit ten assessments a month against the practice standards",),
    ),
    DemoMeasure(
        "Care leavers in suitable accommodation",
        "care_leavers_suitable_accommodation_pct",
        "Care leavers aged 19 to 21 whom the council was in touch with, living in accommodation "
        "judged suitable on their birthday in the year, as a percentage of all care leavers of "
        "that age.",
        HIGHER,
        YEARLY,
        "3",
        {SCILLY: "95", NOTTINGHAM: "92"},
        {SCILLY: ("80.0", "100.0", "83.3"), NOTTINGHAM: ("84.6", "86.1", "88.4")},
        {SCILLY: (6,), NOTTINGHAM: (5, 6)},
        ("Publish a local offer for care leavers",),
    ),
    DemoMeasure(
        "Care leavers in education, employment or training",
        "care_leavers_eet_pct",
        "Care leavers aged 19 to 21 whom the council was in touch with, in education, "
        "employment or training on their birthday in the year, as a percentage of all care "
        "leavers of that age.",
        HIGHER,
        YEARLY,
        "5",
        {SCILLY: "60", NOTTINGHAM: "55"},
        {SCILLY: ("40.0", "50.0", "66.7"), NOTTINGHAM: ("47.9", "46.2", "49.5")},
        {SCILLY: (6,), NOTTINGHAM: (5,)},
        ("Publish a local offer for care leavers",),
    ),
    DemoMeasure(
        "Social worker turnover",
        "social_worker_turnover_pct",
        "Children and family social workers (full-time equivalent) who left in the year to 30 "
        "September, as a percentage of those in post on that day; reported for the year to the "
        "following 31 March.",
        LOWER,
        YEARLY,
        "2",
        {SCILLY: "12", NOTTINGHAM: "15"},
        {SCILLY: ("33.3", "25.0", "14.3"), NOTTINGHAM: ("21.8", "19.6", "18.2")},
        {SCILLY: (5,), NOTTINGHAM: (3,)},
        ("Recruit a permanent senior social worker",),
    ),
]

OFFICERS = {SCILLY: "scilly-officer", NOTTINGHAM: "nottingham-officer"}


def demo_load_measures(*, today: date) -> int:
    """Record the demo's measures and their values once; return the rows created."""
    created = 0
    for slug in (SCILLY, NOTTINGHAM):
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            continue
        with transaction.atomic():
            created += _load_council(council, today)
    return created


def _load_council(council: Council, today: date) -> int:
    inspection = live_inspection(council)
    recommendations = (
        {r.position: r for r in inspection.recommendations.all()} if inspection else {}
    )
    actions = (
        {a.title: a for a in Action.objects.filter(recommendation__inspection=inspection)}
        if inspection
        else {}
    )
    indicators = Indicator.objects.in_bulk([m.column for m in MEASURES], field_name="column")
    officer = User.objects.filter(username=OFFICERS[council.slug]).first()
    # Targets for the end of the next financial year but one, as an improvement plan sets them.
    target_on = period_end(YEARLY, today + timedelta(days=366))
    created = 0
    for demo in MEASURES:
        indicator = indicators.get(demo.column)
        existing = Measure.objects.filter(council=council, name=demo.name).first()
        if existing is not None:
            # Loaded before: only a published indicator loaded since is mapped to it.
            if existing.indicator_id is None and indicator is not None:
                existing.indicator = indicator
                existing.save(update_fields=["indicator", "updated_at"])
            continue
        values = demo.values[council.slug]
        ends = list(reversed(recent_period_ends(demo.frequency, today, len(values))))
        measure = Measure(
            council=council,
            name=demo.name,
            definition=f"{demo.definition} {ILLUSTRATIVE}: not {council.name}'s own figures.",
            unit=Unit.PERCENTAGE,
            polarity=demo.polarity,
            source=ILLUSTRATIVE,
            frequency=demo.frequency,
            baseline=Decimal(values[0]),
            baseline_on=ends[0],
            target=Decimal(demo.target[council.slug]),
            target_on=target_on,
            tolerance=Decimal(demo.tolerance),
            indicator=indicator,
        )
        measure.full_clean()
        measure.save()
        created += 1
        measure.recommendations.set(
            [recommendations[p] for p in demo.recommendations[council.slug] if p in recommendations]
        )
        measure.actions.set([actions[t] for t in demo.actions if t in actions])
        for end, value in zip(ends, values, strict=True):
            row = MeasureValue(
                measure=measure,
                period_end=end,
                value=Decimal(value),
                entered_by=officer,
                note=ILLUSTRATIVE,
            )
            # The history names who entered it, as the values grid does.
            row._history_user = officer
            row.full_clean()
            row.save()
            created += 1
    return created
