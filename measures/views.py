"""Pages of a council's impact measures: everyone at the council reads them; officers and
admins record (councils/access.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from councils.access import get_council_for_user

from .models import Measure
from .series import measure_series


def _context(access, **extra) -> dict:
    return {"access": access, "council": access.council, **extra}


@login_required
@require_safe
def measure_list(request, slug):
    access = get_council_for_user(request, slug)
    measures = list(Measure.objects.filter(council=access.council).select_related("indicator"))
    series = measure_series(access.council, measures)
    return render(
        request,
        "measures/measure_list.html",
        _context(access, series=series, off_target=[s for s in series if s.off_target]),
    )


@login_required
@require_safe
def measure_detail(request, slug, measure_pk):
    access = get_council_for_user(request, slug)
    measure = get_object_or_404(
        Measure.objects.select_related("indicator", "council"),
        council=access.council,
        pk=measure_pk,
    )
    (series,) = measure_series(access.council, [measure])
    return render(
        request,
        "measures/measure_detail.html",
        _context(
            access,
            measure=measure,
            series=series,
            recommendations=measure.recommendations.select_related("inspection"),
            actions=measure.actions.all(),
        ),
    )
