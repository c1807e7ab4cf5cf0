"""Pages of a council's inspections: the list, one inspection, and entering its details, grades
and recommendations. The timeline's pages are deadline_views.py; the import, import_views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from config.forms import add_service_errors
from councils.access import get_council_for_user, get_rw_council_for_user

from . import selectors, services
from .access import get_inspection_for_user, get_rw_inspection_for_user
from .cycles import council_cycles, live_inspection
from .forms import InspectionForm, JudgementsForm, RecommendationFormSet, VisitForm
from .models import DeadlineSettings, Inspection, InspectionKind


@login_required
@require_safe
def council_detail(request, slug):
    access = get_council_for_user(request, slug)
    inspections = selectors.council_inspections(access.council)
    latest_graded = next((i for i in inspections if i.framework_id), None)
    return render(
        request,
        "inspections/council_detail.html",
        {
            "access": access,
            "council": access.council,
            "cycles": council_cycles(inspections),
            "latest_graded": latest_graded,
            "milestones": selectors.council_milestones(access.council),
        },
    )


@login_required
@require_safe
def inspection_detail(request, slug, pk):
    access, inspection = get_inspection_for_user(request, slug, pk)
    judgements = list(inspection.judgements.select_related("area"))
    grades = {j.area.key: j.grade for j in judgements}
    check = selectors.inspection_check_grades(inspection, grades)
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
            "monitoring": selectors.inspection_monitoring(inspection, grades),
            **_visit_context(inspection),
            **selectors.timeline_context(inspection),
        },
    )


def _visit_context(inspection: Inspection) -> dict:
    """What a visit's page shows of its cycle: the inspection it follows, what it fulfilled."""
    if inspection.is_graded:
        return {}
    areas = [line.strip() for line in inspection.priority_areas.splitlines() if line.strip()]
    return {
        "cycle": inspection.cycle,
        "fulfilled": list(inspection.fulfils.select_related("inspection")),
        "priority_areas": areas,
    }


@login_required
def inspection_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    form = InspectionForm(request.POST or None, instance=Inspection(council=access.council))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_save(inspection=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
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
    if not inspection.is_graded:
        settings = DeadlineSettings.objects.filter(inspection=inspection).first()
        answer = settings and ("yes" if settings.priority_actions else "no")
        initial = {"priority_actions": answer}
        graded = Inspection.objects.graded().for_council(access.council)
        return _visit_form(request, access, inspection, graded, initial)
    form = InspectionForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_save(inspection=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Inspection details saved")
            return redirect(inspection)
    return render(
        request,
        "inspections/inspection_form.html",
        {"access": access, "council": access.council, "form": form, "inspection": inspection},
    )


@login_required
def visit_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    graded = Inspection.objects.graded().for_council(access.council).select_related("framework")
    initial = {"cycle": _chosen_cycle(request, graded) or live_inspection(access.council)}
    return _visit_form(request, access, Inspection(council=access.council), graded, initial)


def _visit_form(request, access, visit: Inspection, graded, initial: dict):
    """Record a new visit, or change one: the same form, and the same service."""
    changed = visit.pk is not None
    form = VisitForm(request.POST or None, instance=visit, graded=graded, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.visit_record(
                visit=form.instance, priority_actions=bool(form.cleaned_data["priority_actions"])
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_what_the_visit_fulfilled(request, recorded, changed=changed)
            return redirect(recorded.visit)
    return render(
        request,
        "inspections/visit_form.html",
        {"access": access, "council": access.council, "form": form, "visit": visit},
    )


def _say_what_the_visit_fulfilled(
    request, recorded: services.VisitRecorded, *, changed: bool = False
) -> None:
    visit = recorded.visit
    messages.success(
        request, f"{visit.get_kind_display()} {'details saved' if changed else 'recorded'}"
    )
    if visit.kind != InspectionKind.MONITORING_VISIT:
        return
    if recorded.fulfilled is None:
        messages.warning(
            request,
            "No monitoring visit was waiting on the timeline of the inspection it follows, so "
            "the visit fulfils none. Monitoring visits normally follow an inadequate judgement: "
            "check the inspection it follows.",
        )
        return
    text = f"It fulfils the monitoring visit due {recorded.fulfilled.due_display()}"
    if recorded.also_waiting:
        others = ", ".join(m.due_display() for m in recorded.also_waiting)
        text += f", the nearest of those waiting; still waiting: {others}"
    messages.success(request, text)


def _chosen_cycle(request, graded) -> Inspection | None:
    """The inspection ?cycle= names, from a link on its page; 404 for any other value."""
    if "cycle" not in request.GET:
        return None
    try:
        return graded.get(pk=int(request.GET["cycle"]))
    except (ValueError, Inspection.DoesNotExist):
        raise Http404("No such inspection") from None


def _setup_url(name: str, inspection: Inspection) -> str:
    return reverse(name, args=[inspection.council.slug, inspection.pk]) + "?setup=1"


@login_required
def inspection_judgements(request, slug, pk):
    access, inspection = get_rw_inspection_for_user(request, slug, pk)
    if inspection.framework is None:
        messages.success(request, f"A {inspection.kind_in_sentence()} has no grades")
        return redirect(inspection)
    areas = list(inspection.framework.areas.all())
    form = JudgementsForm(
        request.POST or None, areas=areas, initial=selectors.inspection_grades(inspection)
    )
    setup = "setup" in request.GET
    if request.method == "POST" and form.is_valid():
        try:
            check = services.inspection_set_judgements(
                inspection=inspection, grades=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
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
            services.RecommendationInput(
                id=data.get("id"),
                text=data["text"],
                national_framework_reference=data["national_framework_reference"],
            )
            for data in (form.cleaned_data for form in formset.ordered_forms)
            if data.get("text")
        ]
        try:
            services.inspection_set_recommendations(inspection=inspection, items=items)
        except ValidationError as exc:
            add_service_errors(formset, exc)
        else:
            messages.success(
                request, f"{len(items)} recommendation{'s' if len(items) != 1 else ''} saved"
            )
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
