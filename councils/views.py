from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@login_required
@require_safe
def home(request):
    rows = selectors.home_councils(request.user)
    return render(request, "councils/home.html", {"rows": rows, "nav": "home"})
