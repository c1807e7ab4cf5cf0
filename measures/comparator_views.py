"""The published comparators page: the indicators loaded by ``manage.py import_measures``, and
which of the council's measures each gives England's, the region's and the neighbours' values.

Everyone at the council reads it; officers and admins map and unmap (councils/access.py), an
unmapping once they have confirmed it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from councils.access import get_council_for_user, get_rw_council_for_user

from .mapping import indicator_summaries, measure_map_indicator, measure_unmap_indicator
from .models import Indicator, Measure


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _render(request, access, *, errors=None, failed_indicator=None, chosen=None):
    council = access.council
    summaries = indicator_summaries(council)
    return render(
        request,
        "measures/comparators.html",
        {
            "access": access,
            "council": council,
            "mapped": [s for s in summaries if s.measures],
            "unmapped": [s for s in summaries if not s.measures],
            "free_measures": list(Measure.objects.filter(council=council, indicator__isnull=True)),
            "has_measures": Measure.objects.filter(council=council).exists(),
            "errors": errors or [],
            "failed_indicator": failed_indicator,
            "chosen": chosen,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def measure_comparators(request, slug):
    if request.method != "POST":
        return _render(request, get_council_for_user(request, slug))
    access = get_rw_council_for_user(request, slug)
    council = access.council
    action = request.POST.get("action")
    measure = Measure.objects.filter(council=council, pk=_pk(request.POST.get("measure"))).first()
    if action == "unmap":
        if measure is None or measure.indicator_id is None:
            return _render(
                request,
                access,
                errors=[("unmapped", "Choose a measure of this council that has an indicator")],
            )
        if request.POST.get("confirm") != "yes":
            # Unmapping takes the comparators off the measure's chart and tables everywhere:
            # the officer confirms it first.
            return render(
                request,
                "measures/comparator_unmap.html",
                {"access": access, "council": council, "measure": measure},
            )
        label = measure.indicator.label
        measure_unmap_indicator(measure=measure, user=request.user)
        messages.success(request, f"{label} unmapped from {measure.name}")
        return redirect("measure_comparators", council.slug)
    if action != "map":
        return _render(request, access, errors=[("main-content", "Choose map or unmap")])
    indicator = Indicator.objects.filter(pk=_pk(request.POST.get("indicator"))).first()
    if indicator is None:
        return _render(request, access, errors=[("unmapped", "Choose a published indicator")])
    target = f"measure-{indicator.pk}"
    if not request.POST.get("measure"):
        error = f"Choose the measure that {indicator.label} gives comparators for"
    elif measure is None:
        error = f"Choose one of {council.name}'s measures"
    else:
        try:
            measure_map_indicator(measure=measure, indicator=indicator, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{indicator.label} mapped to {measure.name}")
            return redirect("measure_comparators", council.slug)
    return _render(
        request,
        access,
        errors=[(target, error)],
        failed_indicator=indicator.pk,
        chosen=request.POST.get("measure"),
    )
