from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from councils.access import get_council_for_user, get_rw_council_for_user

from .access import get_inspection_for_user, get_rw_inspection_for_user
from .deadlines import council_next_milestone, timeline_context
from .forms import InspectionForm, JudgementsForm, RecommendationFormSet
from .models import Inspection, Judgement
from .services import (
    RecommendationInput,
    inspection_check_grades,
    inspection_grades,
    inspection_save,
    inspection_set_judgements,
    inspection_set_recommendations,
)


def _with_grades(queryset):
    return queryset.select_related("framework").prefetch_related(
        Prefetch("judgements", queryset=Judgement.objects.select_related("area"))
    )


@login_required
@require_safe
def council_detail(request, slug):
    access = get_council_for_user(request, slug)
    inspections = list(_with_grades(Inspection.objects.for_council(access.council)))
    latest_graded = next((i for i in inspections if i.framework_id), None)
    return render(
        request,
        "inspections/council_detail.html",
        {
            "access": access,
            "council": access.council,
            "inspections": inspections,
            "latest_graded": latest_graded,
            "next_milestone": council_next_milestone(access.council),
        },
    )


@login_required
@require_safe
def inspection_detail(request, slug, pk):
    access, inspection = get_inspection_for_user(request, slug, pk)
    judgements = list(inspection.judgements.select_related("area"))
    check = inspection_check_grades(inspection, {j.area.key: j.grade for j in judgements})
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "judgements": judgements,
            "recommendations": inspection.recommendations.all(),
            "grade_warnings": check.warnings + check.errors,
            **timeline_context(inspection),
        },
    )


def _save_inspection_form(form):
    """Save a valid form through the service, moving model errors back onto the form."""
    try:
        return inspection_save(inspection=form.instance)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def inspection_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    form = InspectionForm(request.POST or None, instance=Inspection(council=access.council))
    if request.method == "POST" and form.is_valid():
        inspection = _save_inspection_form(form)
        if inspection:
            messages.success(request, "Inspection recorded")
            if inspection.framework_id:
                return redirect(_setup_url("inspection_judgements", inspection))
            return redirect(_setup_url("inspection_recommendations", inspection))
    return render(
        request,
        "inspections/inspection_form.html",
        {"access": access, "council": access.council, "form": form, "creating": True},
    )


@login_required
def inspection_edit(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    form = InspectionForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid() and _save_inspection_form(form):
        messages.success(request, "Inspection details saved")
        return redirect(inspection)
    return render(
        request,
        "inspections/inspection_form.html",
        {"access": access, "council": access.council, "form": form, "inspection": inspection},
    )


def _setup_url(name: str, inspection: Inspection) -> str:
    return reverse(name, args=[inspection.council.slug, inspection.pk]) + "?setup=1"


@login_required
def inspection_judgements(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    if inspection.framework is None:
        messages.success(request, f"A {inspection.kind_in_sentence()} has no grades")
        return redirect(inspection)
    areas = list(inspection.framework.areas.all())
    form = JudgementsForm(request.POST or None, areas=areas, initial=inspection_grades(inspection))
    setup = "setup" in request.GET
    if request.method == "POST" and form.is_valid():
        try:
            check = inspection_set_judgements(inspection=inspection, grades=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Grades saved")
            # Grades Ofsted would rarely give together are saved, but said at once, to be checked
            # against the report.
            for warning in check.warnings:
                messages.warning(request, f"Check this against the report: {warning}")
            if setup:
                return redirect(_setup_url("inspection_recommendations", inspection))
            return redirect(inspection)
    return render(
        request,
        "inspections/judgements_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "form": form,
            "setup": setup,
        },
    )


@login_required
def inspection_recommendations(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    initial = [
        {"id": r.pk, "text": r.text, "national_framework_reference": r.national_framework_reference}
        for r in inspection.recommendations.all()
    ]
    formset = RecommendationFormSet(request.POST or None, initial=initial, prefix="rec")
    if request.method == "POST" and formset.is_valid():
        items = [
            RecommendationInput(
                id=data.get("id"),
                text=data["text"],
                national_framework_reference=data["national_framework_reference"],
            )
            for data in (form.cleaned_data for form in formset.ordered_forms)
            if data.get("text")
        ]
        try:
            inspection_set_recommendations(inspection=inspection, items=items)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, f"{len(items)} recommendations saved")
            if "add_more" in request.POST:
                return redirect(request.get_full_path())
            return redirect(inspection)
    return render(
        request,
        "inspections/recommendations_form.html",
        {
            "access": access,
            "council": access.council,
            "inspection": inspection,
            "formset": formset,
            "setup": "setup" in request.GET,
        },
    )
