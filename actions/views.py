"""An inspection's action plan and one action: its page, adding, editing, closing, progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from config.forms import add_service_errors
from config.htmx import wants_fragment
from inspections.access import get_inspection_for_user, get_rw_inspection_for_user
from inspections.cycles import superseded_by

from . import selectors, services
from .access import get_action_for_user, get_rw_action_for_user
from .conflicts import (
    CONFLICT,
    describe_conflict,
    field_name,
    last_change,
    merge_edit,
    rebase,
    rebase_merged,
)
from .evidence import evidence_add
from .evidence import evidence_remove as remove_evidence
from .forms import ActionForm, CloseForm, EvidenceForm, EvidenceRemoveForm
from .models import Action, Evidence
from .progress import ProgressSave, progress_form, progress_save


@login_required
@require_safe
def action_plan(request, slug, pk):
    access, inspection = get_inspection_for_user(request, slug, pk)
    recommendations = selectors.plan_recommendations(inspection)
    # The figures leave out actions closed unfinished, as every plan's figures do.
    moved_on = inspection.is_graded  # a graded inspection's actions in another plan moved on
    actions = [
        a
        for r in recommendations
        for a in r.actions.all()
        if not a.is_ended and not (moved_on and a.plan_id != inspection.pk)
    ]
    today = timezone.localdate()
    return render(
        request,
        "actions/plan.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "recommendations": recommendations,
            "counts": selectors.action_counts(actions, today),
            "today": today,
            "superseded_by": superseded_by(inspection),
        },
    )


@login_required
def action_create(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    superseding = superseded_by(inspection)
    if superseding is not None:
        # Its cycle has ended: new actions belong in the live plan, nothing is saved here.
        messages.warning(
            request,
            f"The {superseding.kind_in_sentence()} of {superseding.fieldwork_display()} "
            "superseded this inspection: add new actions to its plan",
        )
        return redirect("action_plan", slug, inspection.pk)
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
            if action.is_overdue():
                messages.success(request, "Action added: its due date has passed, so it is Red")
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
    # An action closed unfinished when its plan was replaced takes no more progress.
    form = progress_form(action) if access.can_edit and not action.is_ended else None
    return render(request, "actions/action_detail.html", _detail_context(access, action, form))


def _detail_context(access, action: Action, form, **extra) -> dict:
    return {
        "access": access,
        "council": access.council,
        "action": action,
        "inspection": action.recommendation.inspection,
        "updates": action.updates.select_related("author"),
        "evidence": action.evidence.select_related("uploaded_by", "update"),
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
    _hint_original_due_date(form, action)
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
            merge = merge_edit(current, form.cleaned_data["version"], changes)
            if not merge.conflicts and _save_merged(request, current, merge):
                return redirect(current)
            conflict = describe_conflict(
                current, form, merge.conflicts, kept=merge.kept, merged=True, viewer=request.user
            )
            form = rebase_merged(ActionForm, current, merge, instance=current, **kwargs)
            _hint_original_due_date(form, current)
            action = current
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


def _hint_original_due_date(form, action: Action) -> None:
    """The revised due date's hint names the original, which the edit form does not show. Set
    before the form is validated or shown: its bound fields take the hint when first made."""
    field = form.fields.get("revised_due_on")
    if field is not None:
        field.help_text = (
            f"The original due date was {action.due_on:%-d %B %Y} and stays on record. "
            "Only fill this in if the due date has moved."
        )


def _names(fields) -> str:
    names = [field_name(name) for name in fields]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _save_merged(request, current: Action, merge) -> bool:
    """Save a stale edit that overlaps nothing the other person changed, on the current version;
    False if it cannot be (a third save came first, or the merged values do not go together)."""
    change = last_change(current, request.user)
    try:
        services.action_update(
            action=current,
            expected_version=current.version,
            user=request.user,
            changes=merge.values,
        )
    except (services.ActionConflict, ValidationError):
        return False
    kept = change.kept(_names(merge.kept) if merge.kept else "")
    messages.success(request, f"Action saved with your changes. {kept}")
    return True


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
            mine = {"evidence_of_impact": form.cleaned_data["evidence_of_impact"]}
            merge = merge_edit(action, form.cleaned_data["version"], mine)
            if not merge.conflicts and _close_merged(request, action, form):
                return redirect(action)
            conflict = describe_conflict(
                action, form, merge.conflicts or mine, merged=True, viewer=request.user
            )
            form = rebase(CloseForm, request, action)
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


def _close_merged(request, current: Action, form) -> bool:
    """Close an action someone changed after the close form was opened, when they left its
    evidence of impact as it was; False if it cannot be closed now."""
    change = last_change(current, request.user)
    try:
        services.action_close(
            action=current,
            expected_version=current.version,
            user=request.user,
            evidence_of_impact=form.cleaned_data["evidence_of_impact"],
            narrative=form.cleaned_data["narrative"],
        )
    except (services.ActionConflict, ValidationError):
        return False
    messages.success(request, f"Action closed: it is now complete (Blue). {change.kept()}")
    return True


@login_required
def action_progress(request, slug, action_pk):
    """The progress form on a page of its own: how an update is added without JavaScript."""
    access, action = get_rw_action_for_user(request, slug, action_pk)
    progress = ProgressSave(action, progress_form(action))
    if request.method == "POST":
        progress = progress_save(request, slug, action)
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
    progress = progress_save(request, slug, action)
    context = _detail_context(
        access,
        progress.action,
        progress.form,
        conflict=progress.conflict,
        # A saved update is confirmed by the success banner in the section, which takes focus
        # and is read out as an alert: the live region is emptied so it is not read twice.
        announcement="" if progress.saved else progress.announcement,
        oob=True,
        saved_update=progress.update,
    )
    return render(request, "actions/action_detail.html#progress_response", context)


@login_required
def evidence_create(request, slug, action_pk):
    access, action = get_rw_action_for_user(request, slug, action_pk)
    form = EvidenceForm(request.POST or None, request.FILES or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_add(
                action=action,
                upload=form.cleaned_data["file"],
                user=request.user,
                description=form.cleaned_data["description"],
                update=form.cleaned_data["update"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{evidence.name} added as evidence")
            return redirect(f"{action.get_absolute_url()}#evidence")
    return render(
        request,
        "actions/evidence_form.html",
        {"access": access, "council": access.council, "action": action, "form": form},
    )


@login_required
@require_safe
def evidence_download(request, slug, action_pk, evidence_pk):
    """An evidence file, to the council's people only, under the name it was uploaded with."""
    access, action = get_action_for_user(request, slug, action_pk)
    evidence = get_object_or_404(Evidence, action=action, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def evidence_remove(request, slug, action_pk, evidence_pk):
    access, action = get_rw_action_for_user(request, slug, action_pk)
    evidence = get_object_or_404(Evidence, action=action, pk=evidence_pk)
    form = EvidenceRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_evidence(
                evidence=evidence, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{evidence.name} removed")
            return redirect(f"{action.get_absolute_url()}#evidence")
    return render(
        request,
        "actions/evidence_remove.html",
        {
            "access": access,
            "council": access.council,
            "action": action,
            "evidence": evidence,
            "form": form,
        },
    )
