"""Pages of the statutory-deadline timeline: record a date, add an agreed visit, settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from config.forms import add_service_errors

from . import services
from .access import get_rw_inspection_for_user
from .deadline_forms import (
    REASON_FIELDS,
    AgreedMilestoneForm,
    DeadlineSettingsForm,
    HolidayYearForm,
    MilestoneDoneForm,
)
from .holidays import FIRST_YEAR, LAST_YEAR, HolidayCalendar
from .models import DeadlineSettings, Milestone, Monitoring
from .planning import deadlines_apply, framework_monitoring_rule


def _timeline_url(inspection) -> str:
    return inspection.get_absolute_url() + "#timeline"


def _bound(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_record(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    milestones = inspection.milestones.all()
    chosen = request.GET.get("milestone", "")
    milestone = milestones.filter(pk=chosen).first() if chosen.isdigit() else None
    initial = {"milestone": milestone, "done_on": milestone.done_on} if milestone else {}
    form = MilestoneDoneForm(_bound(request), milestones=milestones, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_record_done(milestone=data["milestone"], done_on=data["done_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            verb = "recorded" if data["done_on"] else "cleared"
            messages.success(request, f"{data['milestone'].title}: date {verb}")
            return redirect(_timeline_url(inspection))
    return render(
        request,
        "inspections/milestone_record_form.html",
        {"access": access, "council": access.council, "inspection": inspection, "form": form},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_add(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    form = AgreedMilestoneForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_add_agreed(inspection=inspection, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{dict(form.fields['key'].choices)[data['key']]} added")
            return redirect(_timeline_url(inspection))
    return render(
        request,
        "inspections/milestone_add_form.html",
        {"access": access, "council": access.council, "inspection": inspection, "form": form},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_remove(request, slug, pk, milestone_pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    milestone = get_object_or_404(
        inspection.milestones, pk=milestone_pk, source=Milestone.Source.AGREED
    )
    if request.method == "POST":
        services.milestone_remove_agreed(milestone=milestone)
        messages.success(request, f"{milestone.title} of {milestone.due_on:%-d %B %Y} removed")
        return redirect(_timeline_url(inspection))
    return render(
        request,
        "inspections/milestone_remove_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "milestone": milestone,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def deadline_settings(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    current = DeadlineSettings.objects.filter(inspection=inspection).first()
    applicable = deadlines_apply(inspection)
    initial = {
        "monitoring": current.monitoring if current else Monitoring.FROM_GRADES,
        "priority_actions": current.priority_actions if current else False,
    }
    if current and current.monitoring in REASON_FIELDS:
        initial[REASON_FIELDS[current.monitoring]] = current.monitoring_reason
    form = DeadlineSettingsForm(
        _bound(request) if applicable else None,
        graded=inspection.is_graded,
        monitoring_rule=framework_monitoring_rule(inspection.framework),
        initial=initial,
    )
    if applicable and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.deadline_settings_save(
                inspection=inspection,
                priority_actions=data.get("priority_actions", False),
                monitoring=data.get("monitoring", Monitoring.FROM_GRADES),
                monitoring_reason=data["monitoring_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Deadline settings saved: the timeline is being updated")
            return redirect(_timeline_url(inspection))
    return render(
        request,
        "inspections/deadline_settings_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "form": form,
            "applicable": applicable,
        },
    )


@login_required
@require_safe
def bank_holidays(request):
    this_year = timezone.localdate().year
    form = HolidayYearForm(
        request.GET or None, first=FIRST_YEAR, last=LAST_YEAR, initial={"year": this_year}
    )
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    return render(
        request,
        "inspections/bank_holidays.html",
        {
            "form": form,
            "year": year,
            "entries": HolidayCalendar.load().entries(year),
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )
