"""A council's grade history across its graded inspections, for charts and their tables.

A read: it changes nothing; reports' writes are in services.py.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from councils.models import Council
from inspections.models import Inspection, Judgement
from outcomes.rules import KEYS, Outcome

from .charts import Point, Series, grade_history_svg


@dataclass(frozen=True)
class GradeHistory:
    points: list[Point]
    series: list[Series]
    inspections: list[Inspection]
    # Where each point came from, when the history has published reports in it too.
    sources: list[str] = field(default_factory=list)

    def table(self) -> list[tuple[str, list[str]]]:
        """Rows of (judgement, [grade label per inspection]) for the chart's data table."""
        labels = dict(Judgement._meta.get_field("grade").choices)
        return [
            (one.name, [labels.get(one.grades.get(p.when, ""), "Not judged") for p in self.points])
            for one in self.series
        ]

    def svg(self, chart_id: str = "grade-history") -> str:
        return grade_history_svg(
            points=self.points,
            series=self.series,
            title="Grades at each inspection, by judgement",
            chart_id=chart_id,
        )


def grade_history(council: Council) -> GradeHistory:
    """Every graded inspection of the council, oldest first, with one series per judgement."""
    inspections = list(
        Inspection.objects.for_council(council)
        .filter(framework__isnull=False)
        .order_by("start_date")
        .prefetch_related(Prefetch("judgements", queryset=Judgement.objects.select_related("area")))
    )
    points = [Point(when=i.start_date, label=f"{i.start_date:%b %Y}") for i in inspections]
    by_name: dict[str, dict] = {}
    order: dict[str, tuple[int, int]] = {}
    for number, inspection in enumerate(inspections):
        for judgement in inspection.judgements.all():
            name = judgement.area.short_name
            by_name.setdefault(name, {})[inspection.start_date] = judgement.grade
            order.setdefault(name, (judgement.area.position, number))
    names = sorted(by_name, key=lambda n: (n == "Overall effectiveness", order[n]))
    return GradeHistory(
        points=points,
        series=[Series(name=n, grades=by_name[n]) for n in names],
        inspections=inspections,
    )


# The judgements of the national outcomes file under the names of the framework's areas, so that
# published reports and recorded inspections share a line (migration 0002_frameworks).
PUBLISHED_NAMES = {
    "overall_effectiveness": "Overall effectiveness",
    "leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "in_care": "Children in care",
    "care_leavers": "Care leavers",
}


def outcome_history(outcomes: list[Outcome], inspections: list[Inspection]) -> GradeHistory:
    """Every graded inspection of the council, oldest first, whether the council recorded it
    or only the national outcomes file has it: the council's record wins (outcomes.rules)."""
    recorded = {inspection.pk: inspection for inspection in inspections}
    points, sources = [], []
    by_name: dict[str, dict] = {}
    order: dict[str, tuple[int, int]] = {}
    for number, outcome in enumerate(outcomes):
        when = outcome.when
        label = f"{when:%b %Y}" if outcome.start else f"{when:%b %Y} (published)"
        points.append(Point(when=when, label=label))
        sources.append("Recorded by the council" if outcome.is_recorded else "Published by Ofsted")
        if outcome.is_recorded:
            grades = [
                (j.area.short_name, j.area.position, j.grade)
                for j in recorded[outcome.pk].judgements.all()
            ]
        else:
            grades = [
                (_published_name(key, outcome), KEYS.index(key) + 1, grade)
                for key, grade in outcome.grades.items()
            ]
        for name, position, grade in grades:
            by_name.setdefault(name, {})[when] = grade
            order.setdefault(name, (position, number))
    names = sorted(by_name, key=lambda n: (n == "Overall effectiveness", order[n]))
    return GradeHistory(
        points=points,
        series=[Series(name=n, grades=by_name[n]) for n in names],
        inspections=inspections,
        sources=sources,
    )


def _published_name(key: str, outcome: Outcome) -> str:
    if key == "in_care" and outcome.combined_in_care:
        return "Children in care and care leavers"
    return PUBLISHED_NAMES[key]
