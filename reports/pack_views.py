from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from councils.access import get_council_for_user, get_rw_council_for_user

from . import services
from .access import get_pack_job_for_user
from .forms import PackCoverForm
from .models import PackCover, PackJob, pack_filename
from .pack import (
    PackOptionsForm,
    pack_context,
    pack_inspection,
    pack_is_large,
    pack_pdf,
)


def _query(options: dict) -> str:
    """The pack's options as a query string, for links that keep them."""
    params = {}
    if options.get("inspection"):
        params["inspection"] = options["inspection"].pk
    if options.get("since"):
        params["since"] = options["since"].isoformat()
    return f"?{urlencode(params)}" if params else ""


def _dashboard_query(options: dict) -> str:
    """The dashboard showing what the pack covers: the way back from the pack's page."""
    params = {}
    if options.get("inspection"):
        params["inspection"] = options["inspection"].pk
    if options.get("since"):
        since = options["since"]
        params |= {"since_0": since.day, "since_1": since.month, "since_2": since.year}
    return f"?{urlencode(params)}" if params else ""


def _invalid(request, access, form):
    context = {"access": access, "council": access.council, "form": form}
    return render(request, "reports/pack_page.html", context, status=400)


def _cover_form(access, cover: PackCover | None, data=None) -> PackCoverForm | None:
    """The cover's form for those who may change it (officers and admins), else None."""
    if not access.can_edit:
        return None
    return PackCoverForm(data, instance=cover or PackCover(council=access.council))


@login_required
@require_safe
def pack_page(request, slug):
    access = get_council_for_user(request, slug)
    form = PackOptionsForm(request.GET, council=access.council)
    if not form.is_valid():
        return _invalid(request, access, form)
    context = pack_context(council=access.council, **form.cleaned_data)
    return render(
        request,
        "reports/pack_page.html",
        context
        | {
            "access": access,
            "form": form,
            "cover_form": _cover_form(access, context["cover"]),
            "pack_query": _query(form.cleaned_data),
            "dashboard_query": _dashboard_query(form.cleaned_data),
            "pack_large": pack_is_large(access.council, context["inspection"]),
        },
    )


@login_required
@require_POST
def pack_cover(request, slug):
    """Save the council's cover for its packs, from the form on the pack's page; back to the
    page, with the inspection and date it showed, once saved."""
    access = get_rw_council_for_user(request, slug)
    options = PackOptionsForm(request.GET, council=access.council)
    query = _query(options.cleaned_data) if options.is_valid() else ""
    if not options.is_valid():
        options = PackOptionsForm(council=access.council)
    cover = PackCover.objects.filter(council=access.council).first()
    form = _cover_form(access, cover, request.POST)
    if not form.is_valid():
        context = {
            "access": access,
            "council": access.council,
            "form": options,
            "cover": cover,
            "cover_form": form,
            "pack_query": query,
        }
        return render(request, "reports/pack_page.html", context, status=400)
    services.pack_cover_save(council=access.council, user=request.user, **form.cleaned_data)
    messages.success(request, "Cover page saved: the PDF and this page show it")
    return redirect(f"{reverse('pack_page', args=[access.council.slug])}{query}")


@login_required
@require_safe
def pack_download(request, slug):
    access = get_council_for_user(request, slug)
    form = PackOptionsForm(request.GET, council=access.council)
    if not form.is_valid():
        return _invalid(request, access, form)
    options = form.cleaned_data
    if pack_is_large(access.council, options["inspection"]):
        # Too large to render during the request: offer to build it in the background.
        recent = PackJob.objects.for_council(access.council).defer("pdf")[:5]
        return render(
            request,
            "reports/pack_request.html",
            {
                "access": access,
                "council": access.council,
                "options": options,
                "jobs": recent,
                "pack_query": _query(options),
                "dashboard_query": _dashboard_query(options),
            },
        )
    response = HttpResponse(pack_pdf(council=access.council, **options), "application/pdf")
    # Named as the packs built in the background are: council, inspection, the day it was made.
    covered = pack_inspection(access.council, options["inspection"])
    filename = pack_filename(access.council, covered, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def pack_job_create(request, slug):
    # Every role of the council may ask for a pack: building one changes none of its data.
    access = get_council_for_user(request, slug)
    form = PackOptionsForm(request.POST, council=access.council)
    if not form.is_valid():
        return _invalid(request, access, form)
    try:
        job = services.pack_job_start(
            council=access.council, user=request.user, **form.cleaned_data
        )
    except services.PackJobRefused as refusal:
        return _refused(request, access, refusal)
    if request.htmx:
        job = PackJob.objects.defer("pdf").get(pk=job.pk)  # with no broker it has run already
        return _status(request, access, job, partial=True)
    return redirect(job)


def _refused(request, access, refusal):
    """The person may not ask for another pack yet: a page answering 429, or for htmx (which
    swaps only successful responses) the message in the place of the job's status."""
    waiting = (
        PackJob.objects.filter(requested_by=request.user)
        .filter(status__in=[PackJob.Status.QUEUED, PackJob.Status.RUNNING])
        .select_related("council")
        .defer("pdf")
    )
    context = {
        "access": access,
        "council": access.council,
        "message": refusal.messages[0],
        "jobs": waiting,
    }
    if request.htmx:
        return render(request, "reports/pack_refused.html#message", context)
    response = render(request, "reports/pack_refused.html", context, status=429)
    response["Retry-After"] = "60" if refusal.code == "in_flight" else "3600"
    return response


def _status(request, access, job, *, partial: bool):
    template = "reports/pack_job.html#status" if partial else "reports/pack_job.html"
    return render(request, template, {"access": access, "council": access.council, "job": job})


@login_required
@require_safe
def pack_job_status(request, slug, job_pk):
    access, job = get_pack_job_for_user(request, slug, job_pk)
    # The poll sweeps its own job: one whose queueing failed or whose worker was lost is queued
    # again, or failed, rather than polled for ever. Only the job's own bookkeeping changes.
    if not job.is_finished and services.pack_jobs_sweep(job_ids=[job.pk]):
        job.refresh_from_db()
    return _status(request, access, job, partial=bool(request.htmx))


@login_required
@require_safe
def pack_job_download(request, slug, job_pk):
    access, job = get_pack_job_for_user(request, slug, job_pk, with_pdf=True)
    if job.status != PackJob.Status.DONE:
        raise Http404("This pack is not ready")
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
