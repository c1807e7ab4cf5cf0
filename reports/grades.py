"""A council's grade history across its graded inspections, for charts and their tables.

A read: it changes nothing; reports' writes are in services.py.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from councils.models import Council
from inspections.models import Inspection, Judgement

from .charts import Point, Series, grade_history_svg


@dataclass(frozen=True)
class GradeHistory:
    points: list[Point]
    series: list[Series]
    inspections: list[Inspection]

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
