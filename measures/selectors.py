"""The story of a measure: every change to it and to its values, newest first."""

from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps

from actions.models import Action
from actions.selectors import Change, HistoryEntry
from inspections.models import Recommendation

from .models import Indicator, Measure, MeasureValue
from .templatetags.measures_tags import format_value

# Fields of a measure the history does not show: bookkeeping, or shown another way.
HIDDEN_FIELDS = {"id", "council", "created_at", "updated_at"}
# A save and the setting of its recommendations and actions are recorded one after another;
# records this close together, by the same person for the same reason, are one change.
SAME_CHANGE = timedelta(seconds=5)


def _display(measure: Measure, field, value, indicators: dict) -> str:
    if value is None or value == "":
        return "(none)"
    if field.is_relation:  # the published comparator mapped to the measure
        return indicators.get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):
        return format_value(value, measure.unit)
    return str(value)


def _label(field) -> str:
    if field.name == "indicator":
        return "Published comparator"
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _who(record) -> str:
    return str(record.history_user) if record.history_user else "The system"


def _linked(names: dict, before: set, after: set) -> str:
    parts = []
    if added := sorted(after - before):
        parts.append("added " + ", ".join(names.get(pk, f"#{pk}") for pk in added))
    if removed := sorted(before - after):
        parts.append("removed " + ", ".join(names.get(pk, f"#{pk}") for pk in removed))
    return "; ".join(parts)


def measure_history(measure: Measure) -> list[HistoryEntry]:
    """Every recorded change to the measure, its links and its values, newest first (a fixed
    number of queries)."""
    records = list(
        measure.history.select_related("history_user").order_by("history_date", "history_id")
    )
    # django-simple-history's records of the links at each record of the measure.
    through_recs = apps.get_model("measures", "HistoricalMeasure_recommendations")
    through_actions = apps.get_model("measures", "HistoricalMeasure_actions")
    ids = [r.history_id for r in records]
    recs_at: dict[int, set] = {i: set() for i in ids}
    actions_at: dict[int, set] = {i: set() for i in ids}
    for history_id, pk in through_recs.objects.filter(history_id__in=ids).values_list(
        "history_id", "recommendation_id"
    ):
        recs_at[history_id].add(pk)
    for history_id, pk in through_actions.objects.filter(history_id__in=ids).values_list(
        "history_id", "action_id"
    ):
        actions_at[history_id].add(pk)
    all_recs = set().union(*recs_at.values()) if recs_at else set()
    all_actions = set().union(*actions_at.values()) if actions_at else set()
    rec_names = {
        r.pk: f"Recommendation {r.position} ({r.inspection.fieldwork_display()})"
        for r in Recommendation.objects.filter(pk__in=all_recs).select_related("inspection")
    }
    action_names = {
        pk: f"“{title}”"
        for pk, title in Action.objects.filter(pk__in=all_actions).values_list("pk", "title")
    }

    indicators = dict(
        Indicator.objects.filter(
            pk__in={r.indicator_id for r in records if r.indicator_id}
        ).values_list("pk", "label")
    )

    # Records of one change (a save, then its links) are merged: the last of them stands.
    groups: list[list] = []
    for record in records:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and record.history_type == "~"
            and record.history_user_id == last.history_user_id
            and (record.history_change_reason or "") == (last.history_change_reason or "")
            and record.history_date - groups[-1][0].history_date <= SAME_CHANGE
        ):
            groups[-1].append(record)
        else:
            groups.append([record])

    fields = [f for f in Measure._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    entries = []
    previous = None
    for group in groups:
        first, record = group[0], group[-1]
        kind = {"+": "Added", "~": "Changed", "-": "Deleted"}[first.history_type]
        entry = HistoryEntry(
            when=first.history_date,
            who=_who(first),
            kind=kind,
            reason=first.history_change_reason or "",
        )
        for field in fields:
            after = getattr(record, field.attname)
            before = getattr(previous, field.attname) if previous else None
            if previous is None and after in (None, ""):
                continue
            if previous is None or before != after:
                entry.changes.append(
                    Change(
                        _label(field),
                        _display(measure, field, before, indicators) if previous else "",
                        _display(measure, field, after, indicators),
                    )
                )
        before_recs = recs_at[previous.history_id] if previous else set()
        before_actions = actions_at[previous.history_id] if previous else set()
        if text := _linked(rec_names, before_recs, recs_at[record.history_id]):
            entry.changes.append(Change("Recommendations", "", text))
        if text := _linked(action_names, before_actions, actions_at[record.history_id]):
            entry.changes.append(Change("Actions", "", text))
        previous = record
        if entry.changes or kind != "Changed":
            entries.append(entry)

    # Each period's value before this record, to say what a correction replaced.
    last: dict[date, MeasureValue] = {}
    for record in (
        MeasureValue.history.filter(measure_id=measure.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        period = measure.period_label(record.period_end)
        value = format_value(record.value, measure.unit)
        before = last.get(record.period_end)
        entry = HistoryEntry(when=record.history_date, who=_who(record), kind="", reason="")
        if record.history_type == "-":
            entry.kind = "Value cleared"
            entry.changes.append(Change(period, value, "(none)"))
        elif record.history_type == "+" or before is None:
            entry.kind = "Value entered"
            entry.changes.append(Change(period, "", value))
            if record.note:
                entry.changes.append(Change("Note", "", record.note))
        else:
            if before.value != record.value:
                entry.kind = "Value corrected"
                before_text = format_value(before.value, measure.unit)
                entry.changes.append(Change(period, before_text, value))
            else:
                entry.kind = "Note changed"
            if before.note != record.note:
                entry.changes.append(
                    Change(f"Note for {period}", before.note or "(none)", record.note or "(none)")
                )
        last[record.period_end] = None if record.history_type == "-" else record
        entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
