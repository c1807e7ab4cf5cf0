"""Adding a progress update: the one way its page, the action's page and the action's row in the
actions list save the form."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from config.forms import add_service_errors

from . import services
from .access import get_rw_action_for_user
from .conflicts import Conflict, ConflictRow, describe_conflict, on_version
from .forms import ProgressForm
from .models import Action, ProgressUpdate


def progress_form(action: Action, data=None) -> ProgressForm:
    """The progress form; ids carry the action's number, as a list may show several."""
    initial = {
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "version": action.version,
    }
    return ProgressForm(data, initial=initial, auto_id=f"progress-{action.pk}-%s", action=action)


@dataclass
class ProgressSave:
    """A progress update posted from any of the three places that offer the form, once tried."""

    action: Action
    form: ProgressForm
    conflict: Conflict | None = None
    saved: bool = False
    # The update saved, for the confirmation shown where the form was posted in place.
    update: ProgressUpdate | None = None

    @property
    def announcement(self) -> str:
        """What the live region says after the form is posted in place (htmx)."""
        if self.saved:
            return f"Progress update added to \u201c{self.action.title}\u201d"
        if self.conflict and self.conflict.by_you:
            return "Not saved: you changed this action in another tab or window first"
        if self.conflict:
            return "Not saved: someone else changed this action first"
        if self.form.errors:
            return "Not saved: there is a problem with the progress update"
        return ""


def progress_save(request, slug, action: Action) -> ProgressSave:
    """Save the posted progress update: the one way its page, the action's page and the action's
    row in the list do it. A stale save comes back on the current version with the conflict; a
    saved one comes back with an empty form for the next update."""
    form = progress_form(action, request.POST)
    if not form.is_valid():
        return ProgressSave(action, form)
    try:
        update = services.action_add_progress(
            action=action,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            narrative=form.cleaned_data["narrative"],
            status=form.cleaned_data["status"],
            rag=form.cleaned_data["rag"],
            percent_complete=form.cleaned_data["percent_complete"],
        )
    except services.ActionConflict:
        _, action = get_rw_action_for_user(request, slug, action.pk)
        conflict = describe_conflict(
            action, form, ["status", "rag", "percent_complete"], viewer=request.user
        )
        # The update saved first, beside this one: the figures alone may well agree.
        saved = action.updates.order_by("-created_at", "-pk").first()
        conflict.rows.insert(
            0,
            ConflictRow(
                label="Progress update",
                yours=form.cleaned_data["narrative"],
                theirs=saved.narrative if saved else "None",
                name="progress update",
            ),
        )
        conflict.progress = True
        form = progress_form(action, on_version(request.POST, action))
        form.is_valid()
        return ProgressSave(action, form, conflict=conflict)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return ProgressSave(action, form)
    return ProgressSave(action, progress_form(action), saved=True, update=update)
