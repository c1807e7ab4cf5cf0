"""What the council dashboard shows, computed once per change of the data and cached.

The figures come from summary.py (shared with the scrutiny pack). They are cached under a
fingerprint of the council's data: one query counting the history rows that every write to
an action, progress update, inspection, judgement, recommendation or milestone appends. History
rows are never deleted or edited, so any committed write changes the fingerprint, whatever order
concurrent transactions commit in, and a cached entry can never be served after a write. The
same query lists the bank holidays admins added or removed (working days left depend on them),
and the key holds the day (overdue and working days left depend on it).

Rendered fragments of the page are cached under the same keys (templates/reports/dashboard.html).
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast, Concat

from actions.models import Action, ProgressUpdate
from councils.models import Council, StatisticalNeighbour
from inspections.deadlines import TimelineRow
from inspections.models import (
    BankHolidayChange,
    Inspection,
    Judgement,
    Milestone,
    Recommendation,
)

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

# A backstop only: council names in the neighbours table are reference data (load_councils) and
# are not in the fingerprint; everything the council's people write is.
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


def _count(queryset) -> Subquery:
    # COUNT as a plain function, so that the ORM adds no GROUP BY: one scalar subquery.
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def _fingerprint_query(council_id: int):
    shown = Q(council_id=council_id) | Q(
        council__in=StatisticalNeighbour.objects.filter(council_id=council_id).values("neighbour")
    )
    inspections = Inspection.history.model.objects.filter(shown).values("id")
    actions = Action.history.model.objects.filter(council_id=council_id)
    counts = {
        "actions": _count(actions),
        "updates": _count(
            ProgressUpdate.history.model.objects.filter(action__in=actions.values("id"))
        ),
        "inspections": _count(Inspection.history.model.objects.filter(shown)),
        "judgements": _count(Judgement.history.model.objects.filter(inspection__in=inspections)),
        "recommendations": _count(
            Recommendation.history.model.objects.filter(inspection__in=inspections)
        ),
        "milestones": _count(Milestone.history.model.objects.filter(inspection__in=inspections)),
        # Reloading the neighbours replaces the links, with new ids.
        "neighbour_links": Subquery(
            StatisticalNeighbour.objects.filter(council_id=council_id)
            .order_by("-pk")
            .values("pk")[:1]
        ),
    }
    # Working days left depend on the bank holidays an admin added or removed: the whole (small)
    # list, since an edit in place leaves no count or id changed.
    calendar = Subquery(
        BankHolidayChange.objects.order_by()
        .annotate(listed=_Listed(Concat(Cast("day", TextField()), "action")))
        .values("listed")
    )
    names = {f"fingerprint_{name}": value for name, value in counts.items()}
    return (
        Council.objects.filter(pk=council_id)
        .annotate(**names, fingerprint_calendar=calendar)
        .values_list(*names, "fingerprint_calendar")
    )


class _Listed(Func):
    """Every value joined with commas: an aggregate the ORM adds no GROUP BY for.

    In no particular order: another order only misses the cache, it never serves stale figures.
    """

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s)"
        )


# Any id will do: it stands for the council in the statement compiled once.
_PLACEHOLDER = 987654321


@functools.cache
def _fingerprint_sql() -> tuple[str, tuple]:
    """The statement compiled once: building the queryset cost more than running it."""
    sql, params = _fingerprint_query(_PLACEHOLDER).query.sql_with_params()
    if _PLACEHOLDER not in params:
        raise ValueError("The fingerprint query does not depend on the council")
    return sql, params


def fingerprint(council: Council) -> tuple:
    """Counts of the history rows behind everything the dashboard shows (1 query)."""
    sql, params = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk if p == _PLACEHOLDER else p for p in params])
        return tuple(cursor.fetchone())


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@dataclass(frozen=True)
class Version:
    """What the cached entries depend on: the fingerprint of the data, and the day."""

    data: tuple
    today: date

    @property
    def stamp(self) -> str:
        digest = hashlib.sha256(repr(self.data).encode()).hexdigest()[:24]
        return f"{digest}:{self.today}"


def version(council: Council, today: date) -> Version:
    return Version(fingerprint(council), today)


def picture_key(council: Council, version: Version) -> str:
    return f"dashboard:picture:{council.pk}:{version.stamp}"


def figures_key(council: Council, version: Version, **filters) -> str:
    chosen = ":".join(f"{name}={filters[name]}" for name in sorted(filters))
    return f"dashboard:figures:{council.pk}:{version.stamp}:{chosen}"


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
    kind = inspection.get_kind_display()
    return f"the {kind[0].lower()}{kind[1:]} of {inspection.fieldwork_display()}"


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
