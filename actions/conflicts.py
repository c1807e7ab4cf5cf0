"""A stale save, shown to the person who made it: their values beside the ones saved first.

Every edit of an action carries the version it started from (services.py). When someone else
saved first, the views show both versions and rebase the person's form on the current version,
so that saving again is a choice made knowingly.
"""

from dataclasses import dataclass

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

    @property
    def differs(self) -> bool:
        return self.yours != self.theirs


@dataclass
class Conflict:
    who: str
    when: object
    rows: list[ConflictRow]


def _show(form_field, value) -> str:
    if value in (None, ""):
        return "(none)"
    if hasattr(form_field, "choices"):
        choices = {str(k): v for k, v in form_field.choices}
        return str(choices.get(str(getattr(value, "pk", value)), value))
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def describe_conflict(action: Action, form, fields) -> Conflict:
    """The other person's saved values beside the ones this person tried to save."""
    latest = action.history.select_related("history_user").first()
    rows = [
        ConflictRow(
            label=str(form[name].label),
            yours=_show(form.fields[name], form.cleaned_data.get(name)),
            theirs=_show(form.fields[name], getattr(action, name)),
        )
        for name in fields
        if name in form.fields
    ]
    who = str(latest.history_user) if latest and latest.history_user else "Someone"
    return Conflict(who=who, when=latest.history_date if latest else None, rows=rows)


def on_version(data: QueryDict, action: Action) -> QueryDict:
    """The person's posted values on the current version, so that they can save them knowingly."""
    data = data.copy()
    data["version"] = str(action.version)
    return data


def rebase(form_class, request, action: Action, **kwargs):
    form = form_class(on_version(request.POST, action), **kwargs)
    form.is_valid()
    return form
