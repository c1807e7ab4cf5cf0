from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Council


@login_required
@require_safe
def home(request):
    councils = Council.objects.for_user(request.user)
    if request.user.is_superuser:
        # Platform admins see every council; list the ones with inspections recorded first.
        councils = councils.filter(inspections__isnull=False).distinct()
    memberships = {m.council_id: m for m in request.user.memberships.all()}
    rows = [(council, memberships.get(council.pk)) for council in councils]
    return render(request, "councils/home.html", {"rows": rows, "nav": "home"})
