"""Withdrawing an inspection recorded in error: a confirmation page saying what leaves the
pages with it. A platform admin restores one from the admin (admin.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from config.forms import add_service_errors
from councils.access import get_rw_council_for_user

from . import services
from .forms import WithdrawForm
from .models import Inspection


@login_required
def inspection_withdraw(request, slug, pk):
    access = get_rw_council_for_user(request, slug)
    # Withdrawn ones too, so that a second POST (Back, then Withdraw again) is told so.
    inspection = (
        Inspection.all_objects.for_council(access.council)
        .select_related("council", "framework", "withdrawn_by")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404("No such inspection")
    if inspection.is_withdrawn:
        messages.warning(request, f"{services.already_withdrawn(inspection)}: nothing changed")
        return redirect(access.council)
    impact = services.withdrawal_impact(inspection)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_withdraw(
                inspection=inspection, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{inspection} withdrawn: it no longer appears anywhere")
            return redirect(access.council)
    context = {"access": access, "council": access.council, "inspection": inspection}
    context |= {"impact": impact, "form": form}
    return render(request, "inspections/inspection_withdraw.html", context)
