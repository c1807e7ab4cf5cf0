"""Reads of published outcomes, alone and beside what councils record: a fixed number of queries
each, however many councils and reports there are."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import Council
from inspections.models import OVERALL, Framework, Inspection, Judgement

from . import rules
from .forms import NationalFilterForm
from .models import (
    JUDGEMENT_KEYS,
    JUDGEMENT_NAMES,
    Cell,
    OutcomesLoad,
    PublishedOutcome,
    Status,
    status_label,
)

RECORDED_KINDS = {"standard_ilacs": "standard", "short_ilacs": "short", "sif": "sif"}
# The columns of a published outcome that make an Outcome.
OUTCOME_FIELDS = [
    "pk",
    "council_id",
    "published_on",
    "start_date",
    "kind",
    "report_url",
    *(name for key in JUDGEMENT_KEYS for name in (key, f"{key}_status")),
]


def outcome_from_published(row, loaded_at: datetime | None = None) -> rules.Outcome:
    """An Outcome of a PublishedOutcome, or of a dict of its OUTCOME_FIELDS."""
    if not isinstance(row, dict):
        row = {name: getattr(row, name) for name in OUTCOME_FIELDS}
    grades, statuses = {}, {}
    for key in JUDGEMENT_KEYS:
        status = row[f"{key}_status"]
        if status == Status.GRADED:
            grades[key] = row[key]
        else:
            statuses[key] = status
    return rules.Outcome(
        source=rules.PUBLISHED,
        start=row["start_date"],
        published=row["published_on"],
        kind=row["kind"],
        grades=grades,
        statuses=statuses,
        combined_in_care=statuses.get("care_leavers") == Status.PRE_DATES_JUDGEMENT,
        pk=row["pk"],
        council_id=row["council_id"],
        report_url=row["report_url"] or "",
        as_of=loaded_at,
    )


def outcome_from_recorded(inspection: Inspection) -> rules.Outcome:
    """An Outcome of a recorded inspection whose judgements (with areas) are prefetched."""
    grades, combined = rules.outcome_grades(
        {j.area.key: j.grade for j in inspection.judgements.all()}
    )
    return rules.Outcome(
        source=rules.RECORDED,
        start=inspection.start_date,
        published=inspection.published_on,
        kind=RECORDED_KINDS.get(inspection.kind, "unknown"),
        grades=grades,
        combined_in_care=combined,
        pk=inspection.pk,
        council_id=inspection.council_id,
        report_url=inspection.report_url,
        as_of=inspection.updated_at,
    )


def outcome_cells(outcome: rules.Outcome) -> list[Cell]:
    """The five judgements of an outcome of either source, as a table shows them."""
    cells = []
    for key in JUDGEMENT_KEYS:
        combined = outcome.combined_in_care
        if key in outcome.grades:
            note = "with care leavers" if key == "in_care" and combined else ""
            cells.append(Cell(key=key, grade=outcome.grades[key], note=note))
        elif key == "care_leavers" and combined:
            cells.append(Cell(key=key, grade="", label="Judged with children in care"))
        elif key in outcome.statuses:
            cells.append(Cell(key=key, grade="", label=status_label(key, outcome.statuses[key])))
        else:
            cells.append(Cell(key=key, grade="", label="Not judged"))
    return cells


def _with_grades(inspections):
    return inspections.prefetch_related(
        Prefetch("judgements", queryset=Judgement.objects.select_related("area"))
    )


def latest_load() -> OutcomesLoad | None:
    return OutcomesLoad.objects.order_by("-loaded_at", "-pk").first()


def focused_visit_rule_from() -> date | None:
    """The day the April 2026 rule starts: the first ILACS framework without an overall grade."""
    return (
        Framework.objects.filter(family=Framework.Family.ILACS)
        .exclude(areas__key=OVERALL)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )


def describe_source(outcome: rules.Outcome | None) -> str:
    """Where a figure came from, and when, in words."""
    if outcome is None:
        return ""
    as_of = timezone.localtime(outcome.as_of) if outcome.as_of else None
    if outcome.is_recorded:
        when = f", last changed {as_of:%-d %B %Y}" if as_of else ""
        return f"Recorded by the council{when}"
    loaded = f" loaded on {as_of:%-d %B %Y}" if as_of else ""
    return (
        f"Published by Ofsted on {outcome.published:%-d %B %Y}, from the national outcomes "
        f"file{loaded}"
    )


# One council.


@dataclass(frozen=True)
class HistoryEntry:
    """One inspection of a council, as recorded, as published, or both."""

    recorded: rules.Outcome | None
    published: rules.Outcome | None
    differences: list[rules.Difference]

    @property
    def shown(self) -> rules.Outcome:
        """The council's record wins."""
        return self.recorded or self.published


@dataclass(frozen=True)
class CouncilOutcomes:
    """A council's inspections from both sources, oldest first."""

    entries: list[HistoryEntry]
    loaded_at: datetime | None

    @property
    def latest(self) -> rules.Outcome | None:
        recorded = [e.recorded for e in self.entries if e.recorded]
        published = [e.published for e in self.entries if e.published]
        return rules.latest(
            max(recorded, key=lambda o: (o.start, o.pk), default=None),
            max(published, key=lambda o: o.published, default=None),
        )

    @property
    def published(self) -> list[HistoryEntry]:
        return [e for e in self.entries if e.published]

    @property
    def disagreements(self) -> list[HistoryEntry]:
        return [e for e in self.entries if e.differences]

    def for_inspection(self, pk: int) -> HistoryEntry | None:
        return next((e for e in self.entries if e.recorded and e.recorded.pk == pk), None)

    def outcomes(self) -> list[rules.Outcome]:
        return [e.shown for e in self.entries]


def council_outcomes(council: Council) -> CouncilOutcomes:
    """The council's graded inspections, recorded and published, paired up (4 queries)."""
    recorded = [
        outcome_from_recorded(i)
        for i in _with_grades(
            Inspection.objects.for_council(council).filter(framework__isnull=False)
        ).order_by("start_date", "pk")
    ]
    loaded_at = _loaded_at()
    published = [
        outcome_from_published(row, loaded_at)
        for row in PublishedOutcome.objects.filter(council=council).order_by("published_on")
    ]
    return CouncilOutcomes(entries=pair_entries(recorded, published), loaded_at=loaded_at)


def _loaded_at() -> datetime | None:
    """When the national file now in the database was loaded: every report in it is the
    file's, since a load makes them mirror it."""
    load = latest_load()
    return load.loaded_at if load else None


def pair_entries(
    recorded: list[rules.Outcome], published: list[rules.Outcome]
) -> list[HistoryEntry]:
    """A council's inspections from both sources, paired up, with their disagreements."""
    return [
        HistoryEntry(r, p, rules.differences(r, p) if r and p else [])
        for r, p in rules.pair_up(recorded, published)
    ]


def latest_reports(council_ids) -> dict[int, PublishedOutcome]:
    """Each council's latest published report, by council (1 query)."""
    return {
        row.council_id: row
        for row in PublishedOutcome.objects.filter(council_id__in=list(council_ids), is_latest=True)
    }


@dataclass(frozen=True)
class EstimateInputs:
    """What an estimate of the next inspection needs besides the council's history."""

    gaps: dict | None
    focused_visit_rule_from: date | None
    loaded_at: datetime | None

    def estimate(self, history: list[rules.Outcome], as_of: date) -> rules.Estimate:
        return rules.estimate_next(
            history,
            as_of=as_of,
            gaps=self.gaps,
            focused_visit_rule_from=self.focused_visit_rule_from,
        )


def estimate_inputs() -> EstimateInputs:
    """The latest load's gaps and the April 2026 rule's start, for estimates as of today
    (2 queries)."""
    load = latest_load()
    return EstimateInputs(
        gaps=load.gaps if load else None,
        focused_visit_rule_from=focused_visit_rule_from(),
        loaded_at=load.loaded_at if load else None,
    )


def next_inspection(council: Council, *, as_of: date) -> rules.Estimate:
    """The estimate of the council's next inspection from what was published before as_of."""
    history = council_outcomes(council).outcomes()
    return rules.estimate_next(
        history,
        as_of=as_of,
        gaps=gaps_as_of(as_of),
        focused_visit_rule_from=focused_visit_rule_from(),
    )


def gaps_as_of(as_of: date) -> dict | None:
    """The gaps between inspections in the national file, counting only reports published
    before as_of: the latest load's figures when every report in it was."""
    load = latest_load()
    if load is None:
        return None
    if not PublishedOutcome.objects.filter(published_on__gte=as_of).exists():
        return load.gaps
    histories: dict[int, list[rules.Outcome]] = {}
    for row in PublishedOutcome.objects.filter(published_on__lt=as_of).values(*OUTCOME_FIELDS):
        histories.setdefault(row["council_id"], []).append(outcome_from_published(row))
    return rules.summarise_gaps(rules.inspection_gaps(histories.values()))


# Many councils at once.


def latest_outcomes(council_ids) -> dict[int, rules.Outcome]:
    """Each council's latest outcome, its record winning over the national file (4 queries:
    the latest recorded graded inspections, their grades, the latest reports, the load)."""
    council_ids = list(council_ids)
    latest_graded = (
        Inspection.objects.filter(council=OuterRef("council"), framework__isnull=False)
        .order_by("-start_date", "-pk")
        .values("pk")[:1]
    )
    inspections = list(
        Inspection.objects.filter(council_id__in=council_ids, pk=Subquery(latest_graded)).values(
            "pk", "council_id", "start_date", "published_on", "kind", "report_url", "updated_at"
        )
    )
    area_grades: dict[int, dict[str, str]] = {}
    for inspection_id, key, grade in Judgement.objects.filter(
        inspection_id__in=[i["pk"] for i in inspections]
    ).values_list("inspection_id", "area__key", "grade"):
        area_grades.setdefault(inspection_id, {})[key] = grade
    recorded = {}
    for i in inspections:
        grades, combined = rules.outcome_grades(area_grades.get(i["pk"], {}))
        recorded[i["council_id"]] = rules.Outcome(
            source=rules.RECORDED,
            start=i["start_date"],
            published=i["published_on"],
            kind=RECORDED_KINDS.get(i["kind"], "unknown"),
            grades=grades,
            combined_in_care=combined,
            pk=i["pk"],
            council_id=i["council_id"],
            report_url=i["report_url"],
            as_of=i["updated_at"],
        )
    published = latest_outcomes_published(council_ids)
    found = {}
    for pk in council_ids:
        outcome = rules.latest(recorded.get(pk), published.get(pk))
        if outcome:
            found[pk] = outcome
    return found


def latest_outcomes_published(council_ids) -> dict[int, rules.Outcome]:
    """Each council's latest published report (2 queries: the reports, the load)."""
    loaded_at = _loaded_at()
    return {
        row["council_id"]: outcome_from_published(row, loaded_at)
        for row in PublishedOutcome.objects.filter(
            council_id__in=list(council_ids), is_latest=True
        ).values(*OUTCOME_FIELDS)
    }


@dataclass(frozen=True)
class Comparison:
    """One judgement: the shares of councils at each grade in England and the region, and
    where the council's own latest grade stands among the others."""

    key: str
    name: str
    england: rules.Shares
    region: rules.Shares
    grade: str  # the council's own latest grade, "" if none
    england_standing: rules.Standing | None
    region_standing: rules.Standing | None
    region_name: str = ""

    @property
    def areas(self) -> list[tuple[str, rules.Shares]]:
        return [("England", self.england), (self.region_name, self.region)]


@dataclass(frozen=True)
class NationalPicture:
    """The national outcomes file as a dashboard shows it beside one council."""

    region: str
    loaded_at: datetime | None
    councils: int  # councils with a published report
    region_councils: int
    comparisons: list[Comparison] = field(default_factory=list)
    england_over_time: list[tuple[date, rules.Shares]] = field(default_factory=list)
    region_over_time: list[tuple[date, rules.Shares]] = field(default_factory=list)


@dataclass(frozen=True)
class NationalData:
    """Every published report, read in one query, grouped by council."""

    histories: dict[int, list[rules.Outcome]]  # council -> reports, oldest first
    regions: dict[int, str]
    loaded_at: datetime | None

    def latest_published(self, council_id: int) -> rules.Outcome | None:
        history = self.histories.get(council_id)
        return history[-1] if history else None

    def picture(self, council: Council, own: rules.Outcome | None, today: date):
        """England, the council's region, and where the council's latest grades stand."""
        latest = {pk: history[-1] for pk, history in self.histories.items()}
        in_region = {pk for pk, region in self.regions.items() if region == council.region}
        others = [o for pk, o in latest.items() if pk != council.pk]
        region_latest = [o for pk, o in latest.items() if pk in in_region]
        region_others = [o for o in others if o.council_id in in_region]
        comparisons = []
        for key in JUDGEMENT_KEYS:
            grade = own.grade(key) if own else ""
            comparisons.append(
                Comparison(
                    key=key,
                    name=JUDGEMENT_NAMES[key],
                    england=rules.shares(latest.values(), key),
                    region=rules.shares(region_latest, key),
                    grade=grade,
                    england_standing=rules.standing(grade, rules.shares(others, key)),
                    region_standing=rules.standing(grade, rules.shares(region_others, key)),
                    region_name=council.region,
                )
            )
        starts = [o.start.year for h in self.histories.values() for o in h if o.start]
        days = []
        if starts:
            days = [date(year, 12, 31) for year in range(min(starts), today.year)] + [today]
        england = rules.shares_over_time(self.histories, OVERALL, days)
        # From the first year's end when most councils' latest report had an overall grade:
        # before that, a share is of a handful of councils.
        first = next((i for i, (_, s) in enumerate(england) if 2 * s.total >= len(latest)), 0)
        region_histories = {pk: h for pk, h in self.histories.items() if pk in in_region}
        return NationalPicture(
            region=council.region,
            loaded_at=self.loaded_at,
            councils=len(latest),
            region_councils=len(region_latest),
            comparisons=comparisons,
            england_over_time=england[first:],
            region_over_time=rules.shares_over_time(region_histories, OVERALL, days[first:]),
        )


def national_data() -> NationalData:
    """Every published report with its council's region (2 queries: the reports, the load)."""
    histories: dict[int, list[rules.Outcome]] = {}
    regions: dict[int, str] = {}
    rows = PublishedOutcome.objects.order_by("council_id", "published_on").values(
        *OUTCOME_FIELDS, "council__region"
    )
    loaded_at = _loaded_at()
    for row in rows:
        histories.setdefault(row["council_id"], []).append(outcome_from_published(row, loaded_at))
        regions[row["council_id"]] = row["council__region"]
    return NationalData(histories=histories, regions=regions, loaded_at=loaded_at)


# The national page: public data only, nothing a council recorded.

# Grades in the order a sort by grade puts them: best first.
SORT_POSITION = {
    "outstanding": 1,
    "good": 2,
    "requires_improvement": 3,
    "adequate": 3,
    "inadequate": 4,
}


def national_choices() -> tuple[list[str], list[str], list[int]]:
    """The regions, types of council and years of latest inspection the filters offer (1 query)."""
    rows = list(
        PublishedOutcome.objects.filter(is_latest=True).values_list(
            "council__region", "council__la_type", "start_date", "published_on"
        )
    )
    regions = sorted({region for region, *_ in rows})
    types = sorted({la_type for _, la_type, *_ in rows if la_type})
    years = sorted({(start or published).year for *_, start, published in rows}, reverse=True)
    return regions, types, years


def national_rows(values: dict):
    """Every council's latest published report, filtered and sorted by the form's values."""
    rows = (
        PublishedOutcome.objects.filter(is_latest=True)
        .select_related("council")
        .annotate(
            inspected_date=Coalesce("start_date", "published_on"),
            **{
                f"{key}_rank": Case(
                    *(When(**{key: code}, then=Value(n)) for code, n in SORT_POSITION.items()),
                    output_field=IntegerField(),
                )
                for key in JUDGEMENT_KEYS
            },
        )
    )
    if values.get("region"):
        rows = rows.filter(council__region=values["region"])
    if values.get("la_type"):
        rows = rows.filter(council__la_type=values["la_type"])
    if values.get("grade"):
        judgement = values.get("judgement") or OVERALL
        grades = [
            values["grade"],
            *(["adequate"] if values["grade"] == "requires_improvement" else []),
        ]
        rows = rows.filter(**{f"{judgement}__in": grades})
    if values.get("year"):
        year = values["year"]
        rows = rows.filter(
            Q(start_date__year=year) | Q(start_date__isnull=True, published_on__year=year)
        )
    order = [
        F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)
        for name in NationalFilterForm.SORTS[values.get("sort") or "name"]
    ]
    return rows.order_by(*order, "pk")


def council_reports(council: Council) -> list[PublishedOutcome]:
    """The council's published reports, newest first (1 query)."""
    return list(PublishedOutcome.objects.filter(council=council).order_by("-published_on"))
