"""Pages of readiness: the readiness page, self-evaluations and their sign-off, engagement
meetings and the self-evaluation plan's actions."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Action
from config.forms import add_service_errors
from councils.access import get_council_for_user, get_rw_council_for_user
from measures.models import Measure

from . import selectors, services
from .documents import self_evaluation_pdf
from .forms import (
    EvidenceForm,
    GradesForm,
    MeetingCreateForm,
    MeetingEditForm,
    MeetingForm,
    PlanActionEditForm,
    PlanActionForm,
    PlanActionRemoveForm,
    ProgressForm,
    SelfEvaluationForm,
    StartForm,
)
from .models import EngagementMeeting, PlanAction, SelfEvaluation

CONFLICT = 409

# Saved after one person signed: what they signed is no longer what is written.
SIGNATURES_REMOVED = (
    "The signatures given so far were removed, as what was signed has changed: the director "
    "and the lead member named on it sign it off again"
)


def _bound(request):
    return request.POST if request.method == "POST" else None


def _context(access, **extra) -> dict:
    return {"access": access, "council": access.council, **extra}


def _file_response(field, name: str, content_type: str) -> FileResponse:
    """A stored file, as an attachment under the name it was uploaded with."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def readiness(request, slug):
    access = get_council_for_user(request, slug)
    today = timezone.localdate()
    return render(
        request,
        "readiness/readiness.html",
        _context(access, picture=selectors.readiness(access.council, today), today=today),
    )


@login_required
@require_safe
def self_knowledge(request, slug):
    access = get_council_for_user(request, slug)
    return render(
        request,
        "readiness/self_knowledge.html",
        _context(access, knowledge=selectors.self_knowledge(access.council)),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    earlier = SelfEvaluation.objects.filter(council=access.council).order_by("-year")
    latest = earlier.first()
    # This year's, unless it is begun already; then the next.
    this_year = timezone.localdate().year
    initial = {"year": this_year if not latest or latest.year < this_year else latest.year + 1}
    initial["copy_from"] = latest
    # Started from a self-evaluation's page: from that one, for the year after it if that is free.
    asked = request.GET.get("copy_from", "")
    chosen = earlier.filter(pk=int(asked)).first() if asked.isascii() and asked.isdigit() else None
    if chosen is not None:
        initial["copy_from"] = chosen
        if not earlier.filter(year=chosen.year + 1).exists():
            initial["year"] = chosen.year + 1
    form = StartForm(_bound(request), self_evaluations=earlier, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.self_evaluation_start(
                council=access.council,
                year=form.cleaned_data["year"],
                copy_from=form.cleaned_data["copy_from"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The {created.year} self-evaluation has been started")
            copied = form.cleaned_data["copy_from"]
            left_out = services.grades_left_out(copied, created.framework) if copied else []
            if left_out:
                names = " and ".join(
                    [", ".join(left_out[:-1]), left_out[-1]] if len(left_out) > 1 else left_out
                )
                messages.warning(
                    request,
                    f"The {copied.year} self-evaluation's grade{pluralize(left_out)} for {names} "
                    f"{pluralize(left_out, 'was,were')} not copied: {created.framework.name}, "
                    f"the framework for {created.year}, has no such judgement",
                )
            return redirect(created)
    return render(request, "readiness/start_form.html", _context(access, form=form))


@login_required
@require_safe
def self_evaluation_detail(request, slug, year):
    access = get_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    actions = list(evaluation.actions.with_first_due())
    today = timezone.localdate()
    return render(
        request,
        "readiness/self_evaluation.html",
        _context(
            access,
            evaluation=evaluation,
            grades=selectors.grade_rows(evaluation),
            evidence=evaluation.evidence.select_related("action__council"),
            actions=actions,
            summary=selectors.plan_summary(actions, today),
            history=selectors.self_evaluation_history(evaluation),
            missing=services.incomplete(evaluation) if not evaluation.is_signed_off else [],
            can_sign=_still_to_sign(evaluation, request.user.pk),
            signed_already=request.user.pk in (evaluation.director_id, evaluation.lead_member_id)
            and not _still_to_sign(evaluation, request.user.pk),
            today=today,
        ),
    )


def _still_to_sign(evaluation, user_pk) -> bool:
    """Whether the person is named to sign the self-evaluation and has not signed yet."""
    return (user_pk == evaluation.director_id and not evaluation.director_signed_at) or (
        user_pk == evaluation.lead_member_id and not evaluation.lead_member_signed_at
    )


def _frozen_page(request, access, evaluation, template, **extra):
    """A write page of a signed-off self-evaluation: the refusal, and no form."""
    return render(
        request,
        template,
        _context(
            access, evaluation=evaluation, frozen=services.frozen_message(evaluation), **extra
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_edit(request, slug, year):
    access = get_rw_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    directors = services.council_members(access.council, services.DIRECTOR_ROLES)
    lead_members = services.council_members(access.council, services.LEAD_MEMBER_ROLES)
    initial = {
        "what_we_know": evaluation.what_we_know,
        "how_we_know": evaluation.how_we_know,
        "plans": evaluation.plans,
        "director": evaluation.director,
        "lead_member": evaluation.lead_member,
    }
    form = SelfEvaluationForm(
        _bound(request), directors=directors, lead_members=lead_members, initial=initial
    )
    if request.method == "GET" and evaluation.is_signed_off:
        return _frozen_page(request, access, evaluation, "readiness/edit_form.html")
    if request.method == "POST" and form.is_valid():
        signed = evaluation.director_signed_at or evaluation.lead_member_signed_at
        try:
            services.self_evaluation_update(self_evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The {evaluation.year} self-evaluation has been saved")
            if signed:
                messages.warning(request, SIGNATURES_REMOVED)
            return redirect(evaluation)
    return render(
        request, "readiness/edit_form.html", _context(access, evaluation=evaluation, form=form)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_grades(request, slug, year):
    access = get_rw_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    initial = {}
    for area, grade in selectors.grade_rows(evaluation):
        if grade:
            initial[f"grade_{area.key}"] = grade.grade
            initial[f"rationale_{area.key}"] = grade.rationale
    areas = evaluation.framework.areas.all()
    form = GradesForm(_bound(request), areas=areas, initial=initial)
    if request.method == "GET" and evaluation.is_signed_off:
        return _frozen_page(request, access, evaluation, "readiness/grades_form.html")
    if request.method == "POST" and form.is_valid():
        signed = evaluation.director_signed_at or evaluation.lead_member_signed_at
        try:
            services.self_evaluation_set_grades(self_evaluation=evaluation, grades=form.grades())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The self-assessed grades have been saved")
            if signed:
                messages.warning(request, SIGNATURES_REMOVED)
            return redirect(evaluation.get_absolute_url() + "#grades")
    return render(
        request, "readiness/grades_form.html", _context(access, evaluation=evaluation, form=form)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_evidence(request, slug, year):
    access = get_rw_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    actions = Action.objects.for_council(access.council).order_by("title", "pk")
    measures = Measure.objects.filter(council=access.council).order_by("name", "pk")
    form = EvidenceForm(_bound(request), request.FILES or None, actions=actions, measures=measures)
    if request.method == "GET" and evaluation.is_signed_off:
        return _frozen_page(request, access, evaluation, "readiness/evidence_form.html")
    if request.method == "POST" and form.is_valid():
        try:
            services.self_evaluation_add_evidence(self_evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The evidence has been linked")
            return redirect(evaluation.get_absolute_url() + "#evidence")
    return render(
        request, "readiness/evidence_form.html", _context(access, evaluation=evaluation, form=form)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_evidence_remove(request, slug, year, link_pk):
    access = get_rw_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    link = selectors.get_evidence(evaluation, link_pk)
    if evaluation.is_signed_off:
        return _frozen_page(
            request, access, evaluation, "readiness/evidence_remove.html", link=link
        )
    if request.method == "POST":
        services.self_evaluation_remove_evidence(self_evaluation=evaluation, link=link)
        messages.success(request, f"\u201c{link.title}\u201d is no longer linked as evidence")
        return redirect(evaluation.get_absolute_url() + "#evidence")
    return render(
        request,
        "readiness/evidence_remove.html",
        _context(access, evaluation=evaluation, link=link),
    )


@login_required
@require_safe
def self_evaluation_evidence_file(request, slug, year, link_pk):
    """A self-evaluation's evidence file, to the council's people only."""
    access = get_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    link = selectors.get_evidence_file(evaluation, link_pk)
    return _file_response(link.file, link.file_name, link.content_type)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def self_evaluation_action_add(request, slug, year):
    access = get_rw_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    form = PlanActionForm(_bound(request))
    if request.method == "GET" and evaluation.is_signed_off:
        return _frozen_page(
            request, access, evaluation, "readiness/plan_action_form.html", back=evaluation
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_add(
                council=access.council, self_evaluation=evaluation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The action has been added to the self-evaluation plan")
            return redirect(evaluation.get_absolute_url() + "#plan")
    return render(
        request,
        "readiness/plan_action_form.html",
        _context(access, evaluation=evaluation, form=form, back=evaluation),
    )


@login_required
@require_POST
def self_evaluation_sign_off(request, slug, year):
    # The named lead member signs though the role only reads: any role of the council may
    # reach the service, which accepts only the two people named on the self-evaluation.
    access = get_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    if request.user.pk not in (evaluation.director_id, evaluation.lead_member_id):
        raise PermissionDenied("Only the people named on the self-evaluation sign it off")
    try:
        result = services.self_evaluation_sign_off(self_evaluation=evaluation, user=request.user)
    except ValidationError as exc:
        # One notice, whatever it lists: each banner is a landmark, and they must differ.
        messages.warning(
            request,
            "It cannot be signed off yet. "
            + " ".join(m if m.endswith(".") else f"{m}." for m in exc.messages),
        )
    else:
        if result.complete:
            messages.success(
                request,
                f"Signed off as {result.as_role}: the {evaluation.year} self-evaluation is "
                "signed off and can no longer be changed",
            )
        else:
            messages.success(
                request, f"Signed off as {result.as_role}: the other signature is awaited"
            )
    return redirect(evaluation.get_absolute_url() + "#sign-off")


@login_required
@require_safe
def self_evaluation_download(request, slug, year):
    access = get_council_for_user(request, slug)
    evaluation = selectors.get_self_evaluation(access.council, year)
    response = HttpResponse(self_evaluation_pdf(evaluation), content_type="application/pdf")
    name = f"{access.council.slug}-self-evaluation-{evaluation.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def engagement_meeting_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    form = MeetingCreateForm(_bound(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        letter_file = fields.pop("letter_file")
        try:
            meeting = services.engagement_meeting_save(
                meeting=EngagementMeeting(council=access.council, **fields),
                letter_file=letter_file,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The annual engagement meeting has been recorded")
            return redirect(meeting)
    return render(request, "readiness/meeting_form.html", _context(access, form=form))


MEETING_LABELS = {name: MeetingForm.base_fields[name].label for name in services.MEETING_FIELDS}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def engagement_meeting_edit(request, slug, engagement_pk):
    access = get_rw_council_for_user(request, slug)
    meeting = selectors.get_meeting(access.council, engagement_pk)
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    form = MeetingEditForm(
        _bound(request),
        request.FILES or None,
        initial=initial | {"version": meeting.version},
        kept_letter=meeting.letter_file_name if meeting.letter_file else "",
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.engagement_meeting_update(
                meeting=meeting,
                expected_version=data["version"],
                changes={name: data[name] for name in services.MEETING_FIELDS},
                letter_file=data["letter_file"],
            )
        except services.Conflict as exc:
            conflict = _conflict(form, exc.current, MEETING_LABELS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The annual engagement meeting has been saved")
            return redirect(meeting)
    return render(
        request,
        "readiness/meeting_form.html",
        _context(
            access,
            form=form,
            meeting=selectors.get_meeting(access.council, engagement_pk),
            conflict=conflict,
        ),
        status=CONFLICT if conflict else 200,
    )


@login_required
@require_safe
def engagement_meeting_detail(request, slug, engagement_pk):
    access = get_council_for_user(request, slug)
    meeting = selectors.get_meeting(access.council, engagement_pk)
    return render(
        request,
        "readiness/meeting.html",
        _context(
            access,
            meeting=meeting,
            actions=list(meeting.actions.with_first_due()),
            today=timezone.localdate(),
        ),
    )


@login_required
@require_safe
def engagement_meeting_letter(request, slug, engagement_pk):
    """Ofsted's letter after the meeting, to the council's people only."""
    access = get_council_for_user(request, slug)
    meeting = selectors.get_meeting(access.council, engagement_pk)
    if not meeting.letter_file:
        raise Http404("No letter was uploaded")
    return _file_response(
        meeting.letter_file, meeting.letter_file_name, meeting.letter_content_type
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def engagement_meeting_action_add(request, slug, engagement_pk):
    access = get_rw_council_for_user(request, slug)
    meeting = selectors.get_meeting(access.council, engagement_pk)
    form = PlanActionForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_add(council=access.council, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The follow-up action has been added")
            return redirect(meeting)
    return render(
        request,
        "readiness/plan_action_form.html",
        _context(access, meeting=meeting, form=form, back=meeting),
    )


PROGRESS_FIELDS = {"status": "Status", "rag": "RAG", "progress": "Latest progress"}


def _shown(value) -> str:
    if value in (None, ""):
        return "(none)"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _conflict(form, current, fields: dict[str, str], *, edits=True) -> dict:
    """Someone saved this after the form was opened: say who and when, set what they saved
    beside what this person typed, and put the form on their version, so that saving again
    replaces theirs knowingly."""
    last = current.history.select_related("history_user").first()
    rows = []
    for name, label in fields.items():
        theirs = getattr(current, name)
        mine = form.cleaned_data.get(name) if edits else None
        choices = dict(current._meta.get_field(name).flatchoices)
        rows.append(
            {
                "label": label,
                "theirs": _shown(choices.get(theirs, theirs)),
                "yours": _shown(choices.get(mine, mine)) if edits else None,
                "differs": edits and theirs != mine,
            }
        )
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data
    return {
        "who": str(last.history_user) if last and last.history_user else "Someone else",
        "when": last.history_date if last else None,
        "rows": rows,
        "edits": edits,
    }


PLAN_ACTION_FIELDS = {"title": "Action", "owner_name": "Owner", "due_on": "Due date"}

# The pages that list the actions of every self-evaluation and meeting together: a change made
# from one of them goes back there, to the table it was opened from. "source" is the action's
# own self-evaluation or meeting.
RETURN_PAGES = {
    "dashboard": ("dashboard", "#self-evaluation-plan"),
    "readiness": ("readiness", "#actions"),
}


def _origin(request) -> str:
    origin = request.POST.get("from") or request.GET.get("from") or ""
    return origin if origin in RETURN_PAGES or origin == "source" else ""


def _return_url(request, action: PlanAction, *, default: str | None = None) -> str:
    """Where a change to the action goes back to: the page it was opened from, named by the
    request's "from" (never a web address, so it cannot lead off the site), or else default,
    or else the action's own self-evaluation or meeting; at the table it was opened from."""
    origin = _origin(request)
    if origin in RETURN_PAGES:
        name, anchor = RETURN_PAGES[origin]
        return reverse(name, args=[action.council.slug]) + anchor
    if origin == "source" or default is None:
        return action.get_source_url()
    return default


def _saved_url(request, action: PlanAction, *, default: str | None = None) -> str:
    """After a save, the same page at its top, where the banner says what was saved: at the
    table, the banner would be out of sight and, on a long page, out of reach."""
    return _return_url(request, action, default=default).split("#", 1)[0]


def _action_form_context(request, access, action, form, conflict, *, default=None) -> dict:
    """A plan action's form page: the action, the form, any conflict, and the way back."""
    return _context(
        access,
        action=action,
        form=form,
        conflict=conflict,
        origin=_origin(request),
        return_url=_return_url(request, action, default=default),
    )


def _as_saved(action: PlanAction) -> PlanAction:
    """The action as it is in the database, for the page's heading: not as the form left it."""
    # Or as the form found it, if someone removed it meanwhile: the page says so.
    saved = PlanAction.objects.select_related("self_evaluation", "meeting", "council")
    return saved.filter(pk=action.pk).first() or action


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_action_progress(request, slug, plan_action_pk):
    access = get_rw_council_for_user(request, slug)
    action = selectors.get_plan_action(access.council, plan_action_pk)
    initial = {name: getattr(action, name) for name in PROGRESS_FIELDS}
    form = ProgressForm(
        _bound(request), initial=initial | {"version": action.version}, action=action
    )
    readiness_url = reverse("readiness", args=[access.council.slug])
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_update_progress(
                action=action,
                expected_version=data["version"],
                **{name: data[name] for name in PROGRESS_FIELDS},
            )
        except services.Conflict as exc:
            conflict = _conflict(form, exc.current, PROGRESS_FIELDS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Progress on \u201c{action.title}\u201d has been saved")
            return redirect(_saved_url(request, action, default=readiness_url))
    return render(
        request,
        "readiness/progress_form.html",
        _action_form_context(
            request, access, _as_saved(action), form, conflict, default=readiness_url
        ),
        status=CONFLICT if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_action_edit(request, slug, plan_action_pk):
    access = get_rw_council_for_user(request, slug)
    action = selectors.get_plan_action(access.council, plan_action_pk)
    initial = {name: getattr(action, name) for name in PLAN_ACTION_FIELDS} | {
        "version": action.version
    }
    form = PlanActionEditForm(_bound(request), initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_update(
                action=action,
                expected_version=data["version"],
                reason=data["reason"],
                **{name: data[name] for name in PLAN_ACTION_FIELDS},
            )
        except services.Conflict as exc:
            conflict = _conflict(form, exc.current, PLAN_ACTION_FIELDS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"\u201c{action.title}\u201d has been saved")
            return redirect(_saved_url(request, action))
    return render(
        request,
        "readiness/plan_action_edit.html",
        _action_form_context(request, access, _as_saved(action), form, conflict),
        status=CONFLICT if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_action_remove(request, slug, plan_action_pk):
    access = get_rw_council_for_user(request, slug)
    action = selectors.get_plan_action(access.council, plan_action_pk)
    form = PlanActionRemoveForm(_bound(request), initial={"version": action.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_remove(
                action=action,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except services.Conflict as exc:
            conflict = _conflict(form, exc.current, PLAN_ACTION_FIELDS, edits=False)
            action = exc.current
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"\u201c{action.title}\u201d has been removed")
            return redirect(_saved_url(request, action))
    return render(
        request,
        "readiness/plan_action_remove.html",
        _action_form_context(request, access, action, form, conflict),
        status=CONFLICT if conflict else 200,
    )
