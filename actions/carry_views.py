"""The carry-over page: the open actions of the plans a later graded inspection replaced, each
carried into its plan or closed with a reason (carry.py), on one page that works without scripts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from config.forms import add_service_errors
from inspections.access import get_rw_inspection_for_user

from . import carry
from .conflicts import CONFLICT, last_change
from .forms import CarryFormSet
from .models import Action


@login_required
def carry_over(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    if not inspection.is_graded:
        raise Http404("Only a graded inspection has a plan to carry actions into")
    waiting = list(carry.awaiting_decision(inspection))
    if request.method == "POST" and not waiting:
        messages.success(request, "No open actions of an earlier plan need a decision")
        return redirect(inspection)
    initial = [{"action": a.pk, "version": a.version} for a in waiting]
    data = request.POST if request.method == "POST" else None
    formset = CarryFormSet(data, initial=initial, prefix="carry")
    _attach_actions(formset, access.council, waiting)
    status = 200
    if request.method == "POST" and formset.is_valid():
        try:
            result = carry.actions_carry_over(
                inspection=inspection, decisions=_decisions(formset), user=request.user
            )
        except carry.ActionConflict as exc:
            formset = _refuse_stale(request, formset, access.council, exc.action_ids)
            status = CONFLICT
        except ValidationError as exc:
            add_service_errors(formset, exc)
        else:
            messages.success(request, _done(result))
            return redirect(inspection)
    context = {"access": access, "council": access.council, "inspection": inspection}
    context |= {"formset": formset, "waiting": waiting}
    return render(request, "actions/carry_over.html", context, status=status)


def _attach_actions(formset, council, waiting: list[Action]) -> None:
    """Give each form its action, as posted or as listed, to show and to name in errors."""
    by_id = {a.pk: a for a in waiting}
    posted = [form["action"].value() for form in formset]
    missing = {int(v) for v in posted if str(v).isdigit() and int(v) not in by_id}
    if missing:
        by_id |= {
            a.pk: a
            for a in Action.objects.for_council(council)
            .filter(pk__in=missing)
            .select_related("plan", "recommendation")
        }
    for form, value in zip(formset, posted, strict=True):
        form.action_obj = by_id.get(int(value)) if str(value).isdigit() else None


def _decisions(formset) -> list[carry.CarryDecision]:
    return [
        carry.CarryDecision(
            action_id=data["action"],
            version=data["version"],
            decision=data.get("decision") or carry.Decision.LATER,
            reason=data.get("reason") or "",
        )
        for data in (form.cleaned_data for form in formset)
    ]


def _refuse_stale(request, formset, council, stale: list[int]):
    """The page again with the person's choices, each changed action marked and on its current
    version, so that choosing again is done knowingly."""
    data = request.POST.copy()
    current = dict(
        Action.objects.for_council(council).filter(pk__in=stale).values_list("pk", "version")
    )
    for form in formset:
        if form.cleaned_data["action"] in current:
            data[f"{form.prefix}-version"] = str(current[form.cleaned_data["action"]])
    fresh = CarryFormSet(data, prefix="carry")
    _attach_actions(fresh, council, [])
    fresh.is_valid()
    for form in fresh:
        action = form.action_obj
        if action is not None and action.pk in current:
            change = last_change(action, request.user)
            who = "You" if change.by_you else change.who
            form.add_error(
                None,
                f"{who} changed \u201c{action.title}\u201d after this page was loaded: "
                f"nothing has been saved. Check it and choose again",
            )
    return fresh


def _done(result: carry.CarryResult) -> str:
    parts = []
    if result.carried:
        n = len(result.carried)
        parts.append(f"{n} action{pluralize(n)} carried into this plan")
    if result.closed:
        n = len(result.closed)
        parts.append(f"{n} action{pluralize(n)} closed unfinished")
    return " and ".join(parts).capitalize()
