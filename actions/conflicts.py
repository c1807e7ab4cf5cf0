"""A stale save: merged with the one saved first where they do not overlap, shown where they do.

Every edit of an action carries the version it started from (services.py). When someone else
saved first, an edit is merged three ways: the action as it was at that version (its history
record), as the other person saved it, and as this person posted it. A field only one of them
changed takes that change; a field both changed to different values is a conflict, shown side by
side above the person's form, rebased on the current version with the other person's changes in
it, so that saving again is a choice made knowingly and undoes nothing they did not see.
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.http import QueryDict

from .models import Action

# A stale plain-form save answers 409 with the conflict page. An htmx save answers 200 with the
# conflict fragment, because htmx only swaps successful responses into the page.
CONFLICT = 409


@dataclass
class ConflictRow:
    label: str
    yours: str
    theirs: str
    name: str = ""  # what a sentence calls the field: "the revised due date"

    @property
    def differs(self) -> bool:
        return self.yours != self.theirs


@dataclass
class Conflict:
    who: str
    when: object
    rows: list[ConflictRow]
    # The other change was this person's own, in another tab or window.
    by_you: bool = False
    # What sentences call the fields only the other person changed: kept, in the rebased form.
    kept: list[str] = field(default_factory=list)
    # Whether rows are only the fields both people changed (a three-way merge), or every field
    # the form saves (a save that cannot be merged, such as a progress update).
    merged: bool = False
    # A progress update: updates are added, never replaced, so the one saved first stands.
    progress: bool = False


def _show(form_field, value) -> str:
    if value in (None, ""):
        return "(none)"
    if hasattr(form_field, "choices"):
        choices = {str(k): v for k, v in form_field.choices}
        return str(choices.get(str(getattr(value, "pk", value)), value))
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


@dataclass(frozen=True)
class LastChange:
    """Who saved the action last, and when; by_you when it was the person now saving."""

    who: str
    when: object
    by_you: bool

    def kept(self, fields: str = "") -> str:
        """The sentence saying that change is kept beside this person's."""
        if self.by_you:
            what = f"to the {fields} " if fields else ""
            return f"Your change {what}made in another tab or window is kept"
        if fields:
            return f"{self.who}'s change to the {fields}, made after you opened it, is kept"
        return f"{self.who} changed it after you opened it; their changes are kept"


def last_change(action: Action, viewer=None) -> LastChange:
    """Who saved the action last, and when, as the person ``viewer`` reads it."""
    latest = action.history.select_related("history_user").first()
    user = latest.history_user if latest else None
    by_you = bool(user and viewer and user.pk == viewer.pk)
    return LastChange(
        who=str(user) if user else "Someone",
        when=latest.history_date if latest else None,
        by_you=by_you,
    )


def field_name(name: str) -> str:
    """What a sentence calls one of an action's fields: its label on the action's form, as
    the person saw it ("the senior lead", "the action"), else the model's name for it."""
    from .forms import ActionForm

    label = ActionForm.Meta.labels.get(name)
    if label:
        label = label.removesuffix(" (optional)")
        return label if label.isupper() else label[:1].lower() + label[1:]
    try:
        return str(Action._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _named(form, name: str) -> str:
    """What a sentence calls a field: its label on the form the person used ("the senior
    lead", "the action"), or the model's name for one the form does not show."""
    if name not in form.fields:
        return field_name(name)
    label = str(form.fields[name].label or field_name(name)).removesuffix(" (optional)")
    return label if label.isupper() else label[:1].lower() + label[1:]


def describe_conflict(
    action: Action, form, fields, *, kept=(), merged=False, viewer=None
) -> Conflict:
    """The other person's saved values beside the ones this person tried to save."""
    rows = [
        ConflictRow(
            label=str(form[name].label),
            yours=_show(form.fields[name], form.cleaned_data.get(name)),
            theirs=_show(form.fields[name], getattr(action, name)),
            name=_named(form, name),
        )
        for name in fields
        if name in form.fields
    ]
    change = last_change(action, viewer)
    names = [_named(form, name) for name in kept]
    return Conflict(
        who=change.who,
        when=change.when,
        rows=rows,
        kept=names,
        merged=merged,
        by_you=change.by_you,
    )


@dataclass
class Merge:
    """A stale edit merged with the action as it is now."""

    # Every field the form saves, with the value it takes: the other person's where only they
    # changed it, this person's otherwise (so theirs where neither did).
    values: dict
    # Fields both changed, to different values: this person's value is in values, to decide.
    conflicts: list[str]
    # Fields only the other person changed.
    kept: list[str]


def _comparable(value):
    """A value as the form, the action and its history record can all be compared in."""
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        # Browsers send a textarea's lines ending in CRLF, whatever they were saved with.
        return value.replace("\r\n", "\n").strip()
    return value


def values_at(action: Action, version: int, fields) -> dict | None:
    """The action's values as they were at a version, from its history; None if not kept."""
    record = action.history.filter(version=version).order_by("-history_date", "-pk").first()
    if record is None:
        return None
    return {name: getattr(record, Action._meta.get_field(name).attname) for name in fields}


def merge_edit(action: Action, started: int, mine: dict) -> Merge:
    """Merge an edit begun at version ``started`` into the action as it is now."""
    base = values_at(action, started, mine)
    values, conflicts, kept = {}, [], []
    for name, my_value in mine.items():
        their_value = getattr(action, name)
        mine_now, theirs_now = _comparable(my_value), _comparable(their_value)
        if base is None:
            # The version's history is gone: every difference is the person's to decide.
            before = mine_now if mine_now == theirs_now else object()
        else:
            before = _comparable(base[name])
        if theirs_now == before or mine_now == theirs_now:
            values[name] = my_value
        elif mine_now == before:
            values[name] = their_value
            kept.append(name)
        else:
            values[name] = my_value
            conflicts.append(name)
    return Merge(values=values, conflicts=conflicts, kept=kept)


def on_version(data: QueryDict, action: Action) -> QueryDict:
    """The person's posted values on the current version, so that they can save them knowingly."""
    data = data.copy()
    data["version"] = str(action.version)
    return data


def rebase(form_class, request, action: Action, **kwargs):
    form = form_class(on_version(request.POST, action), **kwargs)
    form.is_valid()
    return form


def rebase_merged(form_class, action: Action, merge: Merge, **kwargs):
    """The form on the current version, filled with the merged values."""
    return form_class(initial=merge.values | {"version": action.version}, **kwargs)
