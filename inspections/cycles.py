"""A council's inspections as cycles over the years: reads, no writes.

Each graded inspection opens a cycle; monitoring visits, focused visits and JTAIs belong to the
cycle of the graded inspection before them. A later graded inspection supersedes what earlier
ones called for: their open milestones are superseded, never overdue, and their open actions
wait to be carried into the new plan or closed (actions/carry_views.py). The council reports one
live plan: the latest graded inspection's (docs/domain.md, "The cycle a council lives in").

Supersession is computed from the record, not stored, so that it holds whatever order
inspections are recorded, imported or withdrawn in.
"""

from dataclasses import dataclass, field
from datetime import date

from councils.models import Council

from .models import Inspection, superseding_inspections


def live_inspection(council: Council) -> Inspection | None:
    """The graded inspection whose plan the council reports: its latest on the record."""
    return Inspection.objects.graded_latest_first(council).select_related("framework").first()


def cycle_for(council: Council, start: date) -> Inspection | None:
    """The graded inspection whose cycle a visit starting on ``start`` falls in."""
    return (
        Inspection.objects.graded()
        .filter(council=council, start_date__lt=start)
        .order_by("-start_date", "-pk")
        .first()
    )


def superseded_by(inspection: Inspection) -> Inspection | None:
    """The graded inspection that superseded this one's milestones, if any: the first after it."""
    return (
        superseding_inspections(inspection.council_id, inspection.start_date)
        .order_by("start_date", "pk")
        .first()
    )


@dataclass
class Cycle:
    """One graded inspection and the visits that followed it, oldest first."""

    inspection: Inspection | None  # None for visits before any graded inspection on record
    visits: list[Inspection] = field(default_factory=list)
    live: bool = False

    @property
    def members(self) -> list[Inspection]:
        return ([self.inspection] if self.inspection else []) + self.visits


def council_cycles(inspections: list[Inspection]) -> list[Cycle]:
    """The council's inspections (as council_inspections reads them) grouped into cycles,
    newest cycle first: each visit in its recorded cycle, else the graded inspection before it.
    """
    oldest_first = sorted(inspections, key=lambda i: (i.start_date, i.pk))
    graded = [i for i in oldest_first if i.is_graded]
    cycles = {i.pk: Cycle(i) for i in graded}
    loose = Cycle(None)
    for visit in oldest_first:
        if visit.is_graded:
            continue
        head = cycles.get(visit.cycle_id)
        if head is None:
            before = [g for g in graded if g.start_date < visit.start_date]
            head = cycles[before[-1].pk] if before else loose
        head.visits.append(visit)
    ordered = [cycles[g.pk] for g in reversed(graded)]
    if ordered:
        ordered[0].live = True
    if loose.visits:
        ordered.append(loose)
    return ordered
