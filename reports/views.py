from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from councils.access import get_council_for_user

from .grades import grade_history


@login_required
@require_safe
def dashboard(request, slug):
    access = get_council_for_user(request, slug)
    history = grade_history(access.council)
    latest = next((i for i in reversed(history.inspections)), None)
    return render(
        request,
        "reports/dashboard.html",
        {
            "access": access,
            "council": access.council,
            "history": history,
            "history_svg": history.svg(),
            "latest": latest,
        },
    )
