from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from config.forms import add_service_errors
from config.htmx import wants_fragment
from councils.access import get_council_for_user, get_rw_council_for_user
from inspections.access import get_inspection_for_user, get_rw_inspection_for_user

from . import exports, selectors, services
from .access import get_action_for_user, get_rw_action_for_user
from .forms import ActionForm, BulkAssignForm, CloseForm, ProgressForm
from .listing import PER_PAGE, RAG_ORDER, STATUS_ORDER, ActionFilter
from .models import Action, Rag, Status

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


def _conflict(action: Action, form, fields) -> Conflict:
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


def _on_version(data: QueryDict, action: Action) -> QueryDict:
    """The person's posted values on the current version, so that they can save them knowingly."""
    data = data.copy()
    data["version"] = str(action.version)
    return data


def _rebase(form_class, request, action: Action, **kwargs):
    form = form_class(_on_version(request.POST, action), **kwargs)
    form.is_valid()
    return form


def _counts(actions: list[Action], today) -> dict:
    status = Counter(a.status for a in actions)
    rag = Counter(a.rag for a in actions)
    total = len(actions)
    return {
        "total": total,
        "complete_share": round(100 * status[Status.COMPLETE] / total) if total else 0,
        "overdue": sum(1 for a in actions if a.is_overdue(today)),
        "by_status": [(Status(s), status[s]) for s in STATUS_ORDER],
        "by_rag": [(Rag(r), rag[r]) for r in RAG_ORDER],
    }


@login_required
@require_safe
def action_plan(request, slug, pk):
    access, inspection = get_inspection_for_user(request, slug, pk)
    recommendations = selectors.action_plan_recommendations(inspection)
    actions = [a for r in recommendations for a in r.actions.all()]
    today = timezone.localdate()
    return render(
        request,
        "actions/plan.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "recommendations": recommendations,
            "counts": _counts(actions, today),
            "today": today,
        },
    )


@login_required
def action_create(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    recommendations = inspection.recommendations.all()
    form = ActionForm(
        request.POST or None,
        instance=Action(council=access.council),
        initial={"recommendation": request.GET.get("recommendation")},
        council=access.council,
        recommendations=recommendations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(action=form.instance, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action added")
            return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "form": form,
            "creating": True,
            "has_recommendations": recommendations.exists(),
        },
    )


@login_required
@require_safe
def action_detail(request, slug, action_pk):
    access, action = get_action_for_user(request, slug, action_pk)
    form = _progress_form(action) if access.can_edit else None
    return render(request, "actions/action_detail.html", _detail_context(access, action, form))


def _progress_form(action: Action, data=None) -> ProgressForm:
    """The progress form; ids carry the action's number, as a list may show several."""
    initial = {
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "version": action.version,
    }
    return ProgressForm(data, initial=initial, auto_id=f"progress-{action.pk}-%s")


def _detail_context(access, action: Action, form, **extra) -> dict:
    return {
        "access": access,
        "council": access.council,
        "action": action,
        "inspection": action.recommendation.inspection,
        "updates": action.updates.select_related("author"),
        "history": selectors.action_history(action),
        "form": form,
        "today": timezone.localdate(),
        **extra,
    }


@login_required
def action_edit(request, slug, action_pk):
    access, action = get_rw_action_for_user(request, slug, action_pk)
    kwargs = {
        "council": access.council,
        "recommendations": action.recommendation.inspection.recommendations.all(),
        "editing": True,
    }
    form = ActionForm(
        request.POST or None, instance=action, initial={"version": action.version}, **kwargs
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        editable = [name for name in services.EDITABLE_FIELDS if name in form.fields]
        changes = {name: form.cleaned_data[name] for name in editable}
        try:
            services.action_update(
                action=action,
                expected_version=form.cleaned_data["version"],
                user=request.user,
                changes=changes,
            )
        except services.ActionConflict:
            _, current = get_rw_action_for_user(request, slug, action_pk)
            conflict = _conflict(current, form, changes)
            form = _rebase(ActionForm, request, current, instance=current, **kwargs)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action saved")
            return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": action.recommendation.inspection,
            "action": action,
            "form": form,
            "conflict": conflict,
        },
        status=CONFLICT if conflict else 200,
    )


@login_required
def action_close(request, slug, action_pk):
    access, action = get_rw_action_for_user(request, slug, action_pk)
    form = CloseForm(
        request.POST or None,
        initial={"version": action.version, "evidence_of_impact": action.evidence_of_impact},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.action_close(
                action=action,
                expected_version=form.cleaned_data["version"],
                user=request.user,
                evidence_of_impact=form.cleaned_data["evidence_of_impact"],
                narrative=form.cleaned_data["narrative"],
            )
        except services.ActionConflict:
            _, action = get_rw_action_for_user(request, slug, action_pk)
            conflict = _conflict(action, form, ["evidence_of_impact"])
            form = _rebase(CloseForm, request, action)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action closed: it is now complete (Blue)")
            return redirect(action)
    return render(
        request,
        "actions/close_form.html",
        {
            "access": access,
            "council": access.council,
            "action": action,
            "form": form,
            "conflict": conflict,
        },
        status=CONFLICT if conflict and not request.htmx else 200,
    )


@dataclass
class ProgressSave:
    """A progress update posted from any of the three places that offer the form, once tried."""

    action: Action
    form: ProgressForm
    conflict: Conflict | None = None
    saved: bool = False

    @property
    def announcement(self) -> str:
        """What the live region says after the form is posted in place (htmx)."""
        if self.saved:
            return f"Progress update added to \u201c{self.action.title}\u201d"
        if self.conflict:
            return "Not saved: someone else changed this action first"
        if self.form.errors:
            return "Not saved: there is a problem with the progress update"
        return ""


def _progress_save(request, slug, action: Action) -> ProgressSave:
    """Save the posted progress update: the one way its page, the action's page and the action's
    row in the list do it. A stale save comes back on the current version with the conflict; a
    saved one comes back with an empty form for the next update."""
    form = _progress_form(action, request.POST)
    if not form.is_valid():
        return ProgressSave(action, form)
    try:
        services.action_add_progress(
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
        conflict = _conflict(action, form, ["status", "rag", "percent_complete"])
        form = _progress_form(action, _on_version(request.POST, action))
        form.is_valid()
        return ProgressSave(action, form, conflict=conflict)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return ProgressSave(action, form)
    return ProgressSave(action, _progress_form(action), saved=True)


@login_required
def action_progress(request, slug, action_pk):
    """The progress form on a page of its own: how an update is added without JavaScript."""
    access, action = get_rw_action_for_user(request, slug, action_pk)
    progress = ProgressSave(action, _progress_form(action))
    if request.method == "POST":
        progress = _progress_save(request, slug, action)
        if progress.saved:
            messages.success(request, "Progress update added")
            return redirect(progress.action)
    context = {
        "access": access,
        "council": access.council,
        "action": progress.action,
        "form": progress.form,
        "conflict": progress.conflict,
    }
    status = CONFLICT if progress.conflict else 200
    return render(request, "actions/progress_form.html", context, status=status)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def action_detail_progress(request, slug, action_pk):
    """The action page's progress section once its form is posted in place (htmx), with the
    status and the history redrawn too. Without htmx, the progress page does it."""
    access, action = get_rw_action_for_user(request, slug, action_pk)
    if not wants_fragment(request):
        return redirect("action_progress", slug=slug, action_pk=action.pk)
    progress = _progress_save(request, slug, action)
    context = _detail_context(
        access,
        progress.action,
        progress.form,
        conflict=progress.conflict,
        announcement=progress.announcement,
        oob=True,
        # After an update saved in place, keyboard focus goes to the section's heading.
        focus_progress=progress.saved,
    )
    return render(request, "actions/action_detail.html#progress_response", context)


def _row_context(access, action: Action, **extra) -> dict:
    """What an action's row in the actions list (actions/list.html#row) shows."""
    return {
        "access": access,
        "council": access.council,
        "row": selectors.action_list_row(action),
        "today": timezone.localdate(),
        **extra,
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def action_list_row(request, slug, action_pk):
    """An action's row in the actions list without the progress form: Cancel on the form opened
    in the row. Without htmx, Cancel leads to the action's page."""
    access, action = get_action_for_user(request, slug, action_pk)
    if not wants_fragment(request):
        return redirect(action)
    announcement = f"Closed the progress form of \u201c{action.title}\u201d without saving"
    context = _row_context(
        access, action, show_form=False, return_focus=True, announcement=announcement
    )
    return render(request, "actions/list.html#row_response", context)


@login_required
@vary_on_headers("HX-Request")
def action_list_row_progress(request, slug, action_pk):
    """An action's row in the actions list with its progress form open (GET), or once the form is
    posted (POST): saved, the row closes it; refused, it stays open with the problem. Without
    htmx, the progress page does both."""
    access, action = get_rw_action_for_user(request, slug, action_pk)
    if not wants_fragment(request):
        return redirect("action_progress", slug=slug, action_pk=action.pk)
    if request.method == "POST":
        progress = _progress_save(request, slug, action)
    else:
        progress = ProgressSave(action, _progress_form(action))
        # Opened in the row: keyboard focus goes to the form it opened (htmx honours it).
        progress.form.fields["narrative"].widget.attrs["autofocus"] = True
    show_form = request.method == "GET" or bool(progress.form.errors or progress.conflict)
    context = _row_context(
        access,
        progress.action,
        form=progress.form,
        conflict=progress.conflict,
        announcement=progress.announcement,
        show_form=show_form,
        # Once the form closes, keyboard focus goes back to the row's own "Add update" link.
        return_focus=not show_form,
    )
    return render(request, "actions/list.html#row_response", context)


def _list_context(access, action_filter: ActionFilter, params: QueryDict, bulk_form=None) -> dict:
    page = Paginator(action_filter.queryset(), PER_PAGE).get_page(params.get("page"))
    if bulk_form is None and access.can_edit:
        bulk_form = BulkAssignForm(council=access.council, action_ids=[])
    return {
        "access": access,
        "council": access.council,
        "filter": action_filter,
        "form": action_filter.form,
        "params": params,
        "page": page,
        "today": action_filter.today,
        "bulk_form": bulk_form,
        "selected": set(),
    }


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def action_list(request, slug):
    access = get_council_for_user(request, slug)
    action_filter = ActionFilter.bind(access.council, request.GET, timezone.localdate())
    context = _list_context(access, action_filter, request.GET)
    if wants_fragment(request):
        response = render(request, "actions/list.html#results", context)
        # The filter form sends its empty fields too; the address bar gets only those in use.
        return push_url(response, _without_empty(request))
    return render(request, "actions/list.html", context)


def _without_empty(request) -> str:
    used = [(key, value) for key, values in request.GET.lists() for value in values if value]
    return f"{request.path}?{urlencode(used)}" if used else request.path


@login_required
@require_POST
def action_bulk_assign(request, slug):
    access = get_rw_council_for_user(request, slug)
    posted = [pk for pk in request.POST.getlist("actions") if pk.isdigit()]
    action_ids = Action.objects.for_council(access.council).filter(pk__in=posted)
    form = BulkAssignForm(
        request.POST,
        council=access.council,
        action_ids=action_ids.values_list("pk", flat=True),
    )
    query = QueryDict(request.POST.get("query", ""))
    if form.is_valid():
        try:
            assigned = services.actions_bulk_assign(
                council=access.council,
                versions=form.versions(),
                user=request.user,
                assignment=services.BulkAssignment(
                    owner_name=form.cleaned_data["owner_name"],
                    owner=form.cleaned_data["owner"],
                    revised_due_on=form.cleaned_data["revised_due_on"],
                    revision_reason=form.cleaned_data["revision_reason"],
                ),
            )
        except services.ActionConflict as exc:
            titles = Action.objects.filter(pk__in=exc.action_ids).values_list("title", flat=True)
            form.add_error(
                None,
                "Nothing was assigned: someone else changed these actions since you loaded "
                f"the list: {'; '.join(titles)}. Check them and try again.",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{len(assigned)} actions assigned")
            return redirect(reverse("action_list", args=[slug]) + _query(query))
    # Show the list as the person left it, with their selection and the problem.
    action_filter = ActionFilter.bind(access.council, query, timezone.localdate())
    context = _list_context(access, action_filter, query, bulk_form=form)
    context["selected"] = {str(pk) for pk in posted}
    return render(request, "actions/list.html", context)


def _query(query: QueryDict) -> str:
    return f"?{query.urlencode()}" if query else ""


def _export(request, slug, writer):
    access = get_council_for_user(request, slug)
    action_filter = ActionFilter.bind(access.council, request.GET, timezone.localdate())
    return writer(access.council, action_filter.queryset(), action_filter.today)


@login_required
@require_safe
def action_export_csv(request, slug):
    return _export(request, slug, exports.csv_response)


@login_required
@require_safe
def action_export_xlsx(request, slug):
    return _export(request, slug, exports.xlsx_response)
