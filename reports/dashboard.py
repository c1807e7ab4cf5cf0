"""What the council dashboard shows, computed once per change of the data and cached.

The figures come from summary.py (shared with the scrutiny pack). They are cached under the
council's data version, which every recorded change to its inspections and actions bumps in the
same transaction (councils.models.CouncilData), read in the query that finds the council and the
person's role: a cached entry is never served after a write, and a warm dashboard makes no
query of its own. The picture (grades, and the neighbours' grades) is keyed by the neighbours'
versions too. The keys hold the day: overdue and working days left depend on it.

The view caches the rendered body of the page under the same versions, the person's role (which
controls it shows) and the filters as sent; on a miss, the rendered picture, filter form and
figures are cached as fragments too (templates/reports/dashboard.html), so that another choice
of filters reuses the grades.

A read: it changes no data (it fills the cache); reports' writes are in services.py.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery

from actions.models import Action
from councils.models import Council, StatisticalNeighbour
from inspections.models import Inspection, Judgement, Recommendation
from inspections.selectors import TimelineRow

from .charts import bar_chart_svg
from .grades import GradeHistory, grade_history
from .summary import (
    ActionSummary,
    DirectionOfTravel,
    action_scope,
    action_summary,
    direction_of_travel,
    exception_list,
    next_milestones,
)

# A backstop only, for reference data outside the versions: framework and judgement names.
CACHE_SECONDS = 60 * 10


@dataclass(frozen=True)
class Choice:
    pk: int
    label: str  # in the select
    scope: str  # in a sentence: "the figures for ..."
    inspection_id: int | None = None


@dataclass(frozen=True)
class NeighbourRow:
    name: str
    rank: int | None  # None for the council itself
    inspected_on: date | None
    kind: str
    grades: list[str]  # one grade code per column, "" where not judged


@dataclass(frozen=True)
class NeighbourTable:
    columns: list[str]  # judgement short names
    rows: list[NeighbourRow]


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the council's inspections and recommendations."""

    inspections: list[Choice]
    recommendations: list[Choice]


@dataclass(frozen=True)
class CouncilPicture:
    """What does not depend on the filters: the grades and the neighbours'."""

    history: GradeHistory
    history_svg: str
    neighbours: NeighbourTable

    @property
    def latest(self) -> Inspection | None:
        return self.history.inspections[-1] if self.history.inspections else None


@dataclass(frozen=True)
class Figures:
    """The figures for one choice of inspection, recommendation and date."""

    milestones: list[TimelineRow]
    summary: ActionSummary
    status_svg: str
    rag_svg: str
    exceptions: list[Action]
    travel: DirectionOfTravel


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@dataclass(frozen=True)
class Version:
    """What the cached entries depend on: the data versions, and the day."""

    council: int  # the council's data version
    neighbours: int  # the sum of its statistical neighbours' data versions
    today: date

    @property
    def stamp(self) -> str:
        """The council's own data, for what shows nothing of the neighbours'."""
        return f"{self.council}:{self.today}"

    @property
    def picture_stamp(self) -> str:
        return f"{self.council}:{self.neighbours}:{self.today}"


def version(council: Council, today: date) -> Version:
    """The version of a council read with Council.objects.with_neighbours_version()."""
    return Version(council.data_version, council.neighbours_version, today)


def picture_key(council: Council, version: Version) -> str:
    return f"dashboard:picture:{council.pk}:{version.picture_stamp}"


def figures_key(council: Council, version: Version, **filters) -> str:
    chosen = ":".join(f"{name}={filters[name]}" for name in sorted(filters))
    return f"dashboard:figures:{council.pk}:{version.stamp}:{chosen}"


def body_key(council: Council, version: Version, *, can_edit: bool, htmx: bool, query) -> str:
    """The rendered dashboard for this version, role and query: the filters' raw values."""
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    return (
        f"dashboard:body:{council.pk}:{version.picture_stamp}:{int(can_edit)}{int(htmx)}:{digest}"
    )


def council_choices(council: Council, version: Version) -> Choices:
    """The filters' choices, cached for this version."""
    key = f"dashboard:choices:{council.pk}:{version.stamp}"
    return _cached(key, lambda: _council_choices(council))


def council_picture(council: Council, version: Version) -> CouncilPicture:
    """The council's grade history and its neighbours' grades, cached for this version."""
    return _cached(picture_key(council, version), lambda: _council_picture(council))


def figures(
    council: Council,
    version: Version,
    *,
    since: date,
    inspection_id: int | None,
    recommendation_id: int | None,
) -> Figures:
    """The filtered figures, cached for this version and choice of filters."""
    key = figures_key(
        council,
        version,
        since=since,
        inspection_id=inspection_id,
        recommendation_id=recommendation_id,
    )
    return _cached(key, lambda: _figures(council, version, since, inspection_id, recommendation_id))


def _council_choices(council: Council) -> Choices:
    inspections = Inspection.objects.for_council(council).order_by("-start_date", "-pk")
    recommendations = (
        Recommendation.objects.filter(inspection__council=council)
        .select_related("inspection")
        .order_by("-inspection__start_date", "inspection", "position")
    )
    return Choices(
        inspections=[
            Choice(i.pk, f"{i.get_kind_display()}, {i.fieldwork_display()}", _the(i))
            for i in inspections
        ],
        recommendations=[
            Choice(
                r.pk,
                f"{r.inspection.start_date:%Y} {r.inspection.get_kind_display()}: "
                f"{r.position}. {r.text[:70]}{'...' if len(r.text) > 70 else ''}",
                f"recommendation {r.position} of {_the(r.inspection)}",
                r.inspection_id,
            )
            for r in recommendations
        ],
    )


def _council_picture(council: Council) -> CouncilPicture:
    history = grade_history(council)
    return CouncilPicture(
        history=history, history_svg=history.svg(), neighbours=neighbour_grades(council)
    )


def _the(inspection: Inspection) -> str:
    return f"the {inspection.kind_in_sentence()} of {inspection.fieldwork_display()}"


def _figures(council, version: Version, since, inspection_id, recommendation_id) -> Figures:
    actions = action_scope(council, inspection=inspection_id, recommendation=recommendation_id)
    summary = action_summary(actions)
    today = version.today
    return Figures(
        milestones=next_milestones(council, today=today, inspection=inspection_id),
        summary=summary,
        status_svg=bar_chart_svg(
            bars=[(s.label, s.count) for s in summary.by_status],
            title="Actions by status",
            chart_id="status-chart",
        ),
        rag_svg=bar_chart_svg(
            bars=[(s.label, s.count) for s in summary.by_rag],
            title="Actions by RAG rating",
            chart_id="rag-chart",
        ),
        exceptions=exception_list(actions, today=today),
        travel=direction_of_travel(actions, since=since, today=today),
    )


def neighbour_grades(council: Council) -> NeighbourTable:
    """The council's and its statistical neighbours' latest grades (2 queries)."""
    latest = Inspection.objects.filter(council=OuterRef("pk"), framework__isnull=False).order_by(
        "-start_date", "-pk"
    )
    links = StatisticalNeighbour.objects.filter(council=council)
    councils = list(
        Council.objects.filter(Q(pk=council.pk) | Q(pk__in=links.values("neighbour")))
        .annotate(
            rank=Subquery(links.filter(neighbour=OuterRef("pk")).values("rank")[:1]),
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_on=Subquery(latest.values("start_date")[:1]),
            latest_kind=Subquery(latest.values("kind")[:1]),
        )
        .values("pk", "name", "rank", "latest_id", "latest_on", "latest_kind")
    )
    judgements = Judgement.objects.filter(
        inspection_id__in=[c["latest_id"] for c in councils if c["latest_id"]]
    ).select_related("area")
    by_inspection: dict[int, dict[str, str]] = {}
    columns: dict[str, tuple] = {}
    for judgement in judgements:
        area = judgement.area
        by_inspection.setdefault(judgement.inspection_id, {})[area.key] = judgement.grade
        columns.setdefault(area.key, (area.is_overall, area.position, area.short_name))
    keys = sorted(columns, key=lambda k: columns[k])
    kinds = dict(Inspection._meta.get_field("kind").choices)
    councils.sort(key=lambda c: (c["rank"] is not None, c["rank"] or 0, c["name"]))
    return NeighbourTable(
        columns=[columns[k][2] for k in keys],
        rows=[
            NeighbourRow(
                name=c["name"],
                rank=None if c["pk"] == council.pk else c["rank"],
                inspected_on=c["latest_on"],
                kind=kinds.get(c["latest_kind"], ""),
                grades=[by_inspection.get(c["latest_id"], {}).get(k, "") for k in keys],
            )
            for c in councils
        ],
    )
