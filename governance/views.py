"""Pages of the DfE's intervention, the improvement board, meetings and the governance calendar.

Everyone at the council reads them; officers and admins record (councils/access.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.forms import add_service_errors
from councils.access import get_council_for_user, get_rw_council_for_user
from inspections.cycles import live_inspection

from . import pack, selectors, services
from .forms import BoardForm, DecisionForm, DfeReviewForm, InterventionForm, MeetingForm
from .models import Board, DfeReview, Intervention, Meeting, MeetingKind


def _context(access, **extra) -> dict:
    return {"access": access, "council": access.council, **extra}


@login_required
@require_safe
def governance(request, slug):
    access = get_council_for_user(request, slug)
    council = access.council
    interventions = list(Intervention.objects.filter(council=council).select_related("cycle"))
    meetings = list(Meeting.objects.for_council(council)[:20])
    return render(
        request,
        "governance/governance.html",
        _context(
            access,
            interventions=interventions,
            current=next((i for i in interventions if i.is_current), None),
            board=Board.objects.filter(council=council).first(),
            meetings=meetings,
            today=timezone.localdate(),
        ),
    )


def _intervention(access, pk) -> Intervention:
    return get_object_or_404(
        Intervention.objects.select_related("cycle", "council"), council=access.council, pk=pk
    )


@login_required
@require_safe
def intervention_detail(request, slug, intervention_pk):
    access = get_council_for_user(request, slug)
    intervention = _intervention(access, intervention_pk)
    duties = intervention.duties().order_by("due_on", "pk")
    return render(
        request,
        "governance/intervention_detail.html",
        _context(
            access,
            intervention=intervention,
            to_come=[m for m in duties if m.done_on is None],
            done=[m for m in duties if m.done_on is not None][::-1],
            reviews=intervention.reviews.all(),
            history=selectors.intervention_history(intervention),
            today=timezone.localdate(),
        ),
    )


def _intervention_form(request, access, intervention: Intervention):
    form = InterventionForm(
        request.POST or None, request.FILES or None, instance=intervention, council=access.council
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_save(intervention=form.instance, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{intervention.get_kind_display()} saved")
            return redirect(intervention)
    return render(
        request,
        "governance/intervention_form.html",
        _context(access, form=form, intervention=intervention),
    )


@login_required
def intervention_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    intervention = Intervention(council=access.council)
    if request.method != "POST":
        intervention.cycle = live_inspection(access.council)
    return _intervention_form(request, access, intervention)


@login_required
def intervention_edit(request, slug, intervention_pk):
    access = get_rw_council_for_user(request, slug)
    return _intervention_form(request, access, _intervention(access, intervention_pk))


@login_required
def review_create(request, slug, intervention_pk):
    access = get_rw_council_for_user(request, slug)
    intervention = _intervention(access, intervention_pk)
    review = DfeReview(intervention=intervention)
    form = DfeReviewForm(request.POST or None, instance=review, intervention=intervention)
    refused = ""
    if intervention.ended_on is not None:
        refused = (
            f"This {intervention.kind_noun} ended on "
            f"{intervention.ended_on:%-d %B %Y}: record a review on the step that followed it."
        )
    elif request.method == "POST" and form.is_valid():
        try:
            following = services.dfe_review_record(review=form.instance, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "DfE review recorded")
            if following is not None:
                messages.success(
                    request,
                    f"The intervention stepped down to {following.kind_with_article} "
                    f"from {following.started_on:%-d %B %Y}: add its terms below.",
                )
                return redirect(following)
            return redirect(intervention)
    return render(
        request,
        "governance/review_form.html",
        _context(access, form=form, intervention=intervention, refused=refused),
    )


@login_required
def board_edit(request, slug):
    access = get_rw_council_for_user(request, slug)
    board = Board.objects.filter(council=access.council).first() or Board(council=access.council)
    form = BoardForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        services.board_save(board=form.instance, user=request.user)
        messages.success(request, "Improvement board saved")
        return redirect("governance", access.council.slug)
    return render(request, "governance/board_form.html", _context(access, form=form, board=board))


def _meeting(access, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("council"), council=access.council, pk=pk
    )


@login_required
@require_safe
def meeting_detail(request, slug, meeting_pk):
    access = get_council_for_user(request, slug)
    meeting = _meeting(access, meeting_pk)
    return render(
        request,
        "governance/meeting_detail.html",
        _context(
            access,
            meeting=meeting,
            decisions=selectors.decisions_of([meeting]),
            future=meeting.held_on > timezone.localdate(),
            history=selectors.meeting_history(meeting),
            board=Board.objects.filter(council=access.council).first()
            if meeting.kind == MeetingKind.BOARD
            else None,
        ),
    )


def _meeting_form(request, access, meeting: Meeting):
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_save(meeting=form.instance, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{meeting.get_kind_display()} meeting saved")
            return redirect(meeting)
    return render(
        request, "governance/meeting_form.html", _context(access, form=form, meeting=meeting)
    )


@login_required
def meeting_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    meeting = Meeting(council=access.council)
    if request.GET.get("kind") in MeetingKind.values:
        meeting.kind = request.GET["kind"]
    return _meeting_form(request, access, meeting)


@login_required
def meeting_edit(request, slug, meeting_pk):
    access = get_rw_council_for_user(request, slug)
    return _meeting_form(request, access, _meeting(access, meeting_pk))


@login_required
def decision_create(request, slug, meeting_pk):
    access = get_rw_council_for_user(request, slug)
    meeting = _meeting(access, meeting_pk)
    live = live_inspection(access.council)
    form = DecisionForm(
        request.POST or None,
        council=access.council,
        recommendations=services.live_plan_recommendations(access.council, live),
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_add(
                meeting=meeting,
                text=form.cleaned_data["text"],
                user=request.user,
                action=form.action(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if decision.action:
                messages.success(
                    request,
                    f"Decision recorded, and “{decision.action.title}” added to the live plan",
                )
            else:
                messages.success(request, "Decision recorded")
            return redirect(meeting)
    return render(
        request,
        "governance/decision_form.html",
        _context(
            access,
            form=form,
            meeting=meeting,
            live=live,
            future=meeting.held_on > timezone.localdate(),
        ),
    )


@login_required
@require_safe
def meeting_pack(request, slug, meeting_pk):
    access = get_council_for_user(request, slug)
    meeting = _meeting(access, meeting_pk)
    context = pack.meeting_pack_context(meeting)
    return render(request, "governance/meeting_pack_page.html", context | _context(access))


@login_required
@require_safe
def meeting_pack_pdf(request, slug, meeting_pk):
    access = get_council_for_user(request, slug)
    meeting = _meeting(access, meeting_pk)
    response = HttpResponse(pack.meeting_pack_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{pack.meeting_pack_filename(meeting)}"'
    )
    return response


@login_required
@require_safe
def intervention_document(request, slug, intervention_pk):
    """The copy of the notice or direction, to the council's people only."""
    access = get_council_for_user(request, slug)
    intervention = _intervention(access, intervention_pk)
    if not intervention.document:
        raise Http404("No copy of the document is kept")
    try:
        handle = intervention.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The copy of the document is missing") from exc
    name = f"{access.council.slug}-{intervention.kind.replace('_', '-')}-"
    name += f"{intervention.started_on:%Y-%m-%d}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@login_required
@require_safe
def calendar(request, slug):
    access = get_council_for_user(request, slug)
    today = timezone.localdate()
    with_actions = request.GET.get("actions") == "yes"
    events = selectors.calendar_events(access.council, today=today, with_actions=with_actions)
    return render(
        request,
        "governance/calendar.html",
        _context(
            access,
            upcoming=[e for e in events if e.on >= today],
            past=[e for e in events if e.on < today][::-1],
            today=today,
            with_actions=with_actions,
        ),
    )


@login_required
@require_safe
def calendar_download(request, slug):
    access = get_council_for_user(request, slug)
    events = selectors.calendar_events(
        access.council, with_actions=request.GET.get("actions") == "yes"
    )
    body = selectors.calendar_ics(access.council, events, site_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{access.council.slug}-governance-calendar.ics"'
    )
    return response
