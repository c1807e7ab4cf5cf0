"""Reads of readiness: a self-evaluation's history, the readiness picture and how well the
council knew itself, judgement by judgement, at each inspection."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from actions.models import Action
from councils.models import Council, User
from inspections.models import GRADE_RANK, Grade, Inspection, Judgement
from inspections.workdays import add_months
from outcomes.selectors import next_inspection
from reports.charts import Point, Series, grade_history_svg

from .models import (
    QUESTIONS,
    EngagementMeeting,
    EvidenceLink,
    PlanAction,
    SelfAssessedGrade,
    SelfEvaluation,
)

GRADE_LABELS = dict(Grade.choices)
GRADES_WITH_AREAS = SelfAssessedGrade.objects.select_related("area")


def get_self_evaluation(council: Council, year: int) -> SelfEvaluation:
    try:
        return SelfEvaluation.objects.select_related(
            "council", "framework", "director", "lead_member"
        ).get(council=council, year=year)
    except SelfEvaluation.DoesNotExist:
        raise Http404("No self-evaluation for that year") from None


def get_meeting(council: Council, pk: int) -> EngagementMeeting:
    try:
        return EngagementMeeting.objects.select_related("council").get(council=council, pk=pk)
    except EngagementMeeting.DoesNotExist:
        raise Http404("No such meeting") from None


def get_evidence(evaluation: SelfEvaluation, pk: int) -> EvidenceLink:
    """One piece of the self-evaluation's evidence; 404 for any other."""
    try:
        return evaluation.evidence.get(pk=pk)
    except EvidenceLink.DoesNotExist:
        raise Http404("No such evidence") from None


def get_evidence_file(evaluation: SelfEvaluation, pk: int) -> EvidenceLink:
    """One of the self-evaluation's evidence files; 404 for any other evidence."""
    try:
        return evaluation.evidence.exclude(file="").get(pk=pk)
    except EvidenceLink.DoesNotExist:
        raise Http404("No such evidence file") from None


def get_plan_action(council: Council, pk: int) -> PlanAction:
    try:
        return PlanAction.objects.select_related("self_evaluation", "meeting", "council").get(
            council=council, pk=pk
        )
    except PlanAction.DoesNotExist:
        raise Http404("No such action") from None


def grade_rows(self_evaluation: SelfEvaluation) -> list[tuple]:
    """(judgement area, grade or None) for every judgement of its framework, in order."""
    grades = {g.area_id: g for g in self_evaluation.grades.all()}
    return [(area, grades.get(area.pk)) for area in self_evaluation.framework.areas.all()]


@dataclass(frozen=True)
class PlanSummary:
    total: int
    open: int
    overdue: int
    complete: int


def plan_summary(actions: list[PlanAction], today: date) -> PlanSummary:
    complete = sum(1 for a in actions if a.status == "complete")
    return PlanSummary(
        total=len(actions),
        open=len(actions) - complete,
        overdue=sum(1 for a in actions if a.is_overdue(today)),
        complete=complete,
    )


# --- History ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    changes: list[str] = field(default_factory=list)


# Bookkeeping, or said by the entry's own sentence rather than as a change.
HIDDEN = {
    "id",
    "created_at",
    "updated_at",
    "council",
    "self_evaluation",
    "meeting",
    "framework",
    "year",
    "area",
    "copied_from",
    "version",
    # Evidence: its file by the name it was uploaded as, its measure by the name kept with it.
    "file",
    "content_type",
    "size",
    "measure",
}

# The sign-off, said as what happened rather than as timestamps: (when set, when cleared).
SIGNATURES = {
    "director_signed_at": (
        "Signed off by the director of children's services",
        "The director of children's services' sign-off was removed, as the text changed",
    ),
    "lead_member_signed_at": (
        "Signed off by the lead member",
        "The lead member's sign-off was removed, as the text changed",
    ),
    "signed_off_at": ("Signed off by both: this version can no longer be changed", ""),
}

# Reasons the services give that say no more than the entry's verb already does.
PLAIN_REASONS = {"", "Added", "Edited", "Removed"}


def _value(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "none"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get(value, "one no longer on record")
    if hasattr(value, "tzinfo"):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    text = str(value)
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"\u201c{text}\u201d" if isinstance(model_field, models.TextField) else text


def _change(model_field, old, new, names: dict, *, added: bool) -> str:
    """One change as a sentence: "Due date changed from 31 March 2025 to 30 June 2025"."""
    if model_field.name in SIGNATURES:
        on, off = SIGNATURES[model_field.name]
        return on if new is not None else off
    label = _label(model_field)
    if added or old in (None, ""):
        return f"{label} set to {_value(model_field, new, names)}"
    if new in (None, ""):
        return f"{label} cleared (it was {_value(model_field, old, names)})"
    return f"{label} changed from {_value(model_field, old, names)} to " + _value(
        model_field, new, names
    )


def _entries(records, model, describe, names: dict) -> list[HistoryEntry]:
    """describe(record, kind) says what happened, as a sentence: "Added the plan action …"."""
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN]
    previous: dict[int, object] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        kind = {"+": "Added", "~": "Changed", "-": "Removed"}[record.history_type]
        what = describe(record, kind)
        reason = (record.history_change_reason or "").strip()
        # "Added; overdue since …, so Red": the verb is said already.
        head, _, rest = reason.partition("; ")
        if rest and head in PLAIN_REASONS:
            reason = rest
        if reason not in PLAIN_REASONS:
            what += f". Reason given: {reason}" if kind == "Removed" else f": {reason}"
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "The system",
            what=what,
        )
        for model_field in fields:
            after = getattr(record, model_field.attname)
            if before is None:
                if after not in (None, "") and record.history_type == "+":
                    entry.changes.append(_change(model_field, None, after, names, added=True))
                continue
            old = getattr(before, model_field.attname)
            if old != after and record.history_type != "-":
                entry.changes.append(_change(model_field, old, after, names, added=False))
        previous[record.id] = record
        if entry.changes or record.history_type != "~":
            entries.append(entry)
    return entries


# Labels that read better in a sentence than the field's own name.
LABELS = {
    "action": "Improvement action",
    "file_name": "File",
    "measure_name": "Impact measure",
} | {field: f"The answer to \u201c{question}\u201d" for field, question in QUESTIONS}


def _label(model_field) -> str:
    if model_field.name in LABELS:
        return LABELS[model_field.name]
    name = str(model_field.verbose_name)
    return name[:1].upper() + name[1:]


def self_evaluation_history(self_evaluation: SelfEvaluation) -> list[HistoryEntry]:
    """Every recorded change to the self-evaluation, its grades, evidence and plan actions,
    newest first, each as a sentence."""
    own = list(self_evaluation.history.select_related("history_user"))
    people = {r.director_id for r in own} | {r.lead_member_id for r in own}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=people - {None})}
    copied = {r.copied_from_id for r in own} - {None}
    years = dict(SelfEvaluation.objects.filter(pk__in=copied).values_list("pk", "year"))

    def started(record, kind) -> str:
        if kind != "Added":
            return f"{kind} the {record.year} self-evaluation"
        if record.copied_from_id in years:
            return (
                f"Started the {record.year} self-evaluation as a copy of the "
                f"{years[record.copied_from_id]} one"
            )
        return f"Started the {record.year} self-evaluation"

    entries = _entries(own, SelfEvaluation, started, names)
    areas = {a.pk: a.short_name for a in self_evaluation.framework.areas.all()}
    grades = SelfAssessedGrade.history.filter(self_evaluation_id=self_evaluation.pk)
    entries += _entries(
        grades.select_related("history_user"),
        SelfAssessedGrade,
        lambda r, kind: (
            f"{kind} the self-assessed grade for " + areas.get(r.area_id, "a judgement").lower()
        ),
        {},
    )
    evidence = list(
        EvidenceLink.history.filter(self_evaluation_id=self_evaluation.pk).select_related(
            "history_user"
        )
    )
    linked = {r.action_id for r in evidence} - {None}
    titles = {
        pk: f"\u201c{title}\u201d"
        for pk, title in Action.objects.filter(pk__in=linked).values_list("pk", "title")
    }
    entries += _entries(
        evidence,
        EvidenceLink,
        lambda r, kind: f"{kind} the evidence \u201c{r.title}\u201d",
        titles,
    )
    actions = PlanAction.history.filter(self_evaluation_id=self_evaluation.pk)
    entries += _entries(
        actions.select_related("history_user"),
        PlanAction,
        lambda r, kind: f"{kind} the plan action \u201c{r.title}\u201d",
        {},
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# --- Readiness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    estimate: object  # outcomes.rules.Estimate
    latest: SelfEvaluation | None
    latest_signed: SelfEvaluation | None
    age_days: int | None  # since the latest signed-off self-evaluation was signed
    self_evaluations: list[SelfEvaluation]
    open_actions: list[PlanAction]
    meetings: list[EngagementMeeting]
    summary: PlanSummary

    @property
    def latest_meeting(self) -> EngagementMeeting | None:
        return self.meetings[0] if self.meetings else None

    age_months: int | None = None  # whole calendar months since then

    @property
    def age_label(self) -> str:
        if self.age_months is None:
            return "No self-evaluation has been signed off"
        if self.age_months < 1:
            return "Signed off less than a month ago"
        return f"Signed off {_months(self.age_months)} ago"

    # No self-evaluation signed off, or the latest more than 12 months ago: it is refreshed
    # every year, ahead of the annual engagement meeting.
    out_of_date: bool = True

    @property
    def out_of_date_warning(self) -> str:
        if self.latest_signed is None:
            return (
                "No self-evaluation has been signed off: it is refreshed every year, ahead of "
                "the annual engagement meeting with Ofsted"
            )
        signed = timezone.localdate(self.latest_signed.signed_off_at)
        return (
            f"The latest signed-off self-evaluation, for {self.latest_signed.year}, is "
            f"{_months(self.age_months)} old: it was signed off on {signed:%-d %B %Y}. It is "
            "refreshed every year, ahead of the annual engagement meeting with Ofsted"
        )


STALE_MONTHS = 12


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end: 15 May to 14 May next year is 11."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def readiness(council: Council, today: date) -> Readiness:
    evaluations = list(
        SelfEvaluation.objects.filter(council=council).select_related("council").order_by("-year")
    )
    signed = [s for s in evaluations if s.is_signed_off]
    latest_signed = max(signed, key=lambda s: s.signed_off_at) if signed else None
    signed_on = timezone.localdate(latest_signed.signed_off_at) if latest_signed else None
    age = (today - signed_on).days if signed_on else None
    actions = list(
        PlanAction.objects.for_council(council)
        .select_related("self_evaluation", "meeting")
        .with_first_due()
    )
    return Readiness(
        estimate=next_inspection(council, as_of=today),
        latest=evaluations[0] if evaluations else None,
        latest_signed=latest_signed,
        age_days=age,
        age_months=months_between(signed_on, today) if signed_on else None,
        out_of_date=signed_on is None or today > add_months(signed_on, STALE_MONTHS),
        self_evaluations=evaluations,
        open_actions=[a for a in actions if a.status != "complete"],
        meetings=list(EngagementMeeting.objects.filter(council=council).select_related("council")),
        summary=plan_summary(actions, today),
    )


# --- How well do we know ourselves ------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One judgement at one inspection: the grade the council gave itself, and Ofsted's."""

    inspection: Inspection
    self_evaluation: SelfEvaluation | None
    area_key: str
    area_name: str
    own: str  # grade code, or "" where the council gave none
    ofsted: str

    @property
    def own_label(self) -> str:
        return GRADE_LABELS.get(self.own, "Not self-assessed")

    @property
    def ofsted_label(self) -> str:
        return GRADE_LABELS.get(self.ofsted, self.ofsted)

    @property
    def agreement(self) -> str:
        if not self.own:
            return "Not self-assessed"
        difference = GRADE_RANK[self.own] - GRADE_RANK[self.ofsted]
        if difference == 0:
            return "Same as Ofsted"
        return "Higher than Ofsted" if difference > 0 else "Lower than Ofsted"


@dataclass(frozen=True)
class SelfKnowledge:
    inspections: list[Inspection]
    comparisons: list[Comparison]

    def areas(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for c in self.comparisons:
            seen.setdefault(c.area_key, c.area_name)
        return list(seen.items())

    def for_area(self, key: str) -> list[Comparison]:
        return [c for c in self.comparisons if c.area_key == key]

    def charts(self) -> list[tuple[str, str, list[Comparison]]]:
        """(judgement, SVG, its rows) for each judgement Ofsted graded."""
        result = []
        for key, name in self.areas():
            rows = self.for_area(key)
            points = [
                Point(when=c.inspection.start_date, label=f"{c.inspection.start_date:%b %Y}")
                for c in rows
            ]
            series = [
                Series(
                    name="Self-assessed",
                    grades={c.inspection.start_date: c.own for c in rows if c.own},
                ),
                Series(name="Ofsted", grades={c.inspection.start_date: c.ofsted for c in rows}),
            ]
            svg = grade_history_svg(
                points=points,
                series=series,
                title=f"{name}: self-assessed grade against Ofsted's, at each inspection",
                chart_id=f"self-knowledge-{key}",
            )
            result.append((name, svg, rows))
        return result


def self_knowledge(council: Council) -> SelfKnowledge:
    """Each graded inspection, oldest first, beside the latest self-evaluation signed off
    before its fieldwork began."""
    inspections = list(
        Inspection.objects.graded()
        .for_council(council)
        .select_related("council")
        .order_by("start_date", "pk")
        .prefetch_related(Prefetch("judgements", queryset=Judgement.objects.select_related("area")))
    )
    signed = list(
        SelfEvaluation.objects.filter(council=council, signed_off_at__isnull=False)
        .select_related("council")
        .order_by("signed_off_at")
        .prefetch_related(
            Prefetch("grades", queryset=SelfAssessedGrade.objects.select_related("area"))
        )
    )
    comparisons = []
    for inspection in inspections:
        before = [s for s in signed if timezone.localdate(s.signed_off_at) < inspection.start_date]
        evaluation = before[-1] if before else None
        own = {g.area.key: g.grade for g in evaluation.grades.all()} if evaluation else {}
        for judgement in inspection.judgements.all():
            comparisons.append(
                Comparison(
                    inspection=inspection,
                    self_evaluation=evaluation,
                    area_key=judgement.area.key,
                    area_name=judgement.area.short_name,
                    own=own.get(judgement.area.key, ""),
                    ofsted=judgement.grade,
                )
            )
    return SelfKnowledge(inspections=inspections, comparisons=comparisons)
