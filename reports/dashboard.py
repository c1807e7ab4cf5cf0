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
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery

from actions.models import Action
from councils.models import Council, StatisticalNeighbour
from inspections.models import Inspection, Judgement, Recommendation
from inspections.selectors import CouncilMilestones
from outcomes import rules as outcome_rules
from outcomes import selectors as outcome_selectors
from outcomes.models import JUDGEMENT_NAMES, Cell

from .benchmarks import Bar, shares_over_time_svg, shares_svg
from .charts import bar_chart_svg
from .grades import GradeHistory, grade_history, outcome_history
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
    cells: list[Cell] = field(default_factory=list)  # the same, with why a grade is missing
    source: str = ""  # where the grades came from


@dataclass(frozen=True)
class NeighbourTable:
    columns: list[str]  # judgement names
    rows: list[NeighbourRow]


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the council's inspections and recommendations."""

    inspections: list[Choice]
    recommendations: list[Choice]


@dataclass(frozen=True)
class CouncilPicture:
    """What does not depend on the filters: the grades, the neighbours' and the nation's."""

    history: GradeHistory
    history_svg: str
    neighbours: NeighbourTable
    # The latest graded inspection, recorded or published: the council's record wins.
    latest_outcome: outcome_rules.Outcome | None = None
    latest_source: str = ""
    latest_cells: list[Cell] = field(default_factory=list)
    national: outcome_selectors.NationalPicture | None = None
    shares_svg: str = ""
    england_svg: str = ""
    region_svg: str = ""

    @property
    def movement(self) -> list[tuple[str, str, list]]:
        """(area, chart, figures) for England and the region."""
        if self.national is None:
            return []
        return [
            ("England", self.england_svg, self.national.england_over_time),
            (self.national.region, self.region_svg, self.national.region_over_time),
        ]

    @property
    def latest(self) -> Inspection | None:
        """The latest recorded graded inspection."""
        return self.history.inspections[-1] if self.history.inspections else None


@dataclass(frozen=True)
class Figures:
    """The figures for one choice of inspection, recommendation and date."""

    milestones: CouncilMilestones
    summary: ActionSummary
    status_svg: str
    rag_svg: str
    exceptions: list[Action]
    travel: DirectionOfTravel
    # Open actions of superseded plans waiting to be carried over or closed; with the live plan.
    awaiting_carry_over: int = 0


def _count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _milestone_due(row) -> str:
    milestone = row.milestone
    if milestone.precision == "month":
        return f"due in {milestone.due_on:%B %Y}"
    return f"due {milestone.due_on:%-d %B %Y}"


def headline(figures: Figures, scope: str, *, kind: str = "live") -> str:
    """The figures in a sentence or two, for the top of the dashboard: the actions by status
    and RAG, how many are overdue, and the next deadline. Made from the figures as computed,
    with no query of its own. ``kind`` is what ``scope`` names: the live plan ("live"), an
    inspection's plan ("inspection") or a recommendation ("recommendation")."""
    where = {
        "live": f"in {scope}",
        "inspection": f"in the plan of {scope}",
        "recommendation": f"for {scope}",
    }[kind]
    summary = figures.summary
    if summary.total:
        rag = {share.code: share.count for share in summary.by_rag}
        overdue = sum(1 for action in figures.exceptions if action.overdue)
        sentences = [
            f"{_count(summary.total, 'action')} {where}: {summary.complete} complete, "
            f"{rag.get('red', 0)} Red, {rag.get('amber', 0)} Amber, {rag.get('green', 0)} Green; "
            f"{overdue or 'none'} overdue."
        ]
    else:
        sentences = [f"No actions {where} yet."]
    milestones = figures.milestones
    if milestones.overdue:
        first, missed = milestones.overdue[0], len(milestones.overdue)
        late = "Deadline missed" if missed == 1 else f"{missed} deadlines missed, the earliest"
        sentences.append(f"{late}: {first.milestone.title}, {_milestone_due(first)}.")
    upcoming = milestones.next
    if upcoming is not None:
        days = upcoming.working_days_left
        left = "today" if days == 0 else f"{_count(days, 'working day')} left"
        sentences.append(
            f"Next deadline: {upcoming.milestone.title}, {_milestone_due(upcoming)} ({left})."
        )
    elif not milestones.overdue:
        sentences.append("No deadlines to come.")
    return " ".join(sentences)


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
    return _cached(picture_key(council, version), lambda: _council_picture(council, version.today))


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
        Recommendation.objects.filter(
            inspection__council=council, inspection__withdrawn_at__isnull=True
        )
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


def _council_picture(council: Council, today: date) -> CouncilPicture:
    """The council's grades from both sources, its neighbours', England's and its region's.

    Published outcomes change only when the national file is loaded, which bumps every
    council's data version: the cached picture is keyed by them.
    """
    recorded_history = grade_history(council)
    national = outcome_selectors.national_data()
    recorded = [outcome_selectors.outcome_from_recorded(i) for i in recorded_history.inspections]
    published = national.histories.get(council.pk, [])
    # Reports whose grades the national file could not read have nothing to draw.
    outcomes = [
        e.shown
        for e in outcome_selectors.pair_entries(recorded, published)
        if e.recorded or e.published.grades
    ]
    history = outcome_history(outcomes, recorded_history.inspections)
    latest = outcome_rules.latest(
        recorded[-1] if recorded else None, published[-1] if published else None
    )
    picture = national.picture(council, latest, today)
    return CouncilPicture(
        history=history,
        history_svg=history.svg(),
        neighbours=neighbour_grades(council, national),
        latest_outcome=latest,
        latest_source=outcome_selectors.describe_source(latest),
        latest_cells=outcome_selectors.outcome_cells(latest) if latest else [],
        national=picture,
        **_national_charts(council, picture) if national.histories else {},
    )


def _national_charts(council: Council, picture) -> dict:
    bars = []
    for comparison in picture.comparisons:
        note = ""
        if comparison.grade:
            level = outcome_rules.level(comparison.grade)
            note = f"{council.name}: {outcome_rules.LEVEL_LABELS[level]}"
        bars.append(Bar("England", comparison.name, comparison.england, note))
        bars.append(Bar(picture.region, comparison.name, comparison.region))
    return {
        "shares_svg": shares_svg(
            bars=bars,
            title=f"Share of councils at each grade, by judgement: England and {picture.region}",
            chart_id="shares-chart",
        ),
        "england_svg": shares_over_time_svg(
            points=picture.england_over_time,
            title="Overall effectiveness in England over the years: share of councils at each "
            "grade",
            chart_id="england-chart",
        ),
        "region_svg": shares_over_time_svg(
            points=picture.region_over_time,
            title=f"Overall effectiveness in {picture.region} over the years: share of councils "
            "at each grade",
            chart_id="region-chart",
        ),
    }


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
        awaiting_carry_over=(
            Action.objects.awaiting_carry_over(council).count()
            if inspection_id is None and recommendation_id is None
            else 0
        ),
    )


def neighbour_grades(council: Council, national=None) -> NeighbourTable:
    """The council's and its statistical neighbours' latest grades, each from the council's
    record or, where it has none as recent, the national outcomes file (3 queries; 2 with the
    national data given).

    A neighbour's recorded inspection shows only once its report is published: until then it
    is that council's alone.
    """
    latest = (
        Inspection.objects.filter(council=OuterRef("pk"), framework__isnull=False)
        .filter(Q(council_id=council.pk) | Q(published_on__isnull=False))
        .order_by("-start_date", "-pk")
    )
    links = StatisticalNeighbour.objects.filter(council=council)
    councils = list(
        Council.objects.filter(Q(pk=council.pk) | Q(pk__in=links.values("neighbour")))
        .annotate(
            rank=Subquery(links.filter(neighbour=OuterRef("pk")).values("rank")[:1]),
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_on=Subquery(latest.values("start_date")[:1]),
            latest_published_on=Subquery(latest.values("published_on")[:1]),
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_updated_at=Subquery(latest.values("updated_at")[:1]),
        )
        .values(
            "pk",
            "name",
            "rank",
            "latest_id",
            "latest_on",
            "latest_published_on",
            "latest_kind",
            "latest_updated_at",
        )
    )
    judgements = Judgement.objects.filter(
        inspection_id__in=[c["latest_id"] for c in councils if c["latest_id"]]
    ).select_related("area")
    by_inspection: dict[int, dict[str, str]] = {}
    for judgement in judgements:
        by_inspection.setdefault(judgement.inspection_id, {})[judgement.area.key] = judgement.grade
    if national is None:
        published = outcome_selectors.latest_outcomes_published([c["pk"] for c in councils])
    else:
        published = {c["pk"]: national.latest_published(c["pk"]) for c in councils}
    councils.sort(key=lambda c: (c["rank"] is not None, c["rank"] or 0, c["name"]))
    kinds = dict(Inspection._meta.get_field("kind").choices)
    rows = []
    for c in councils:
        recorded = None
        if c["latest_id"]:
            grades, combined = outcome_rules.outcome_grades(by_inspection.get(c["latest_id"], {}))
            recorded = outcome_rules.Outcome(
                source=outcome_rules.RECORDED,
                start=c["latest_on"],
                published=c["latest_published_on"],
                kind=outcome_selectors.RECORDED_KINDS.get(c["latest_kind"], "unknown"),
                grades=grades,
                combined_in_care=combined,
                pk=c["latest_id"],
                as_of=c["latest_updated_at"],
            )
        shown = outcome_rules.latest(recorded, published.get(c["pk"]))
        cells = outcome_selectors.outcome_cells(shown) if shown else []
        if shown is None:
            kind = ""
        elif shown.is_recorded:
            kind = kinds.get(c["latest_kind"], "")
        else:
            kind = PUBLISHED_KINDS.get(shown.kind, "Inspection")
        rows.append(
            NeighbourRow(
                name=c["name"],
                rank=None if c["pk"] == council.pk else c["rank"],
                inspected_on=shown.when if shown else None,
                kind=kind,
                grades=[cell.grade for cell in cells],
                cells=cells,
                source=SOURCES[shown.source] if shown else "",
            )
        )
    return NeighbourTable(columns=list(JUDGEMENT_NAMES.values()), rows=rows)


PUBLISHED_KINDS = {"standard": "Standard inspection", "short": "Short inspection"}
SOURCES = {
    outcome_rules.RECORDED: "Recorded by the council",
    outcome_rules.PUBLISHED: "Published by Ofsted",
}
