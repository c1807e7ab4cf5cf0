"""Import an inspection from the Ofsted report PDF: upload, check the preview, save.

The uploaded file is read during the upload request and never stored. What was read travels to
the confirmation inside the preview form: the officer's corrections as ordinary fields, and the
report as read in a signed hidden field (django.core.signing). A signed form rather than the
session: two previews open in two tabs cannot overwrite each other, nothing is left behind in
the session when an officer walks away, and a preview with a validation error re-renders from
the posted form without asking for the file again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_errors
from councils.access import CouncilAccess, get_rw_council_for_user

from . import services
from .forms import RecommendationFormSet
from .import_forms import ImportForm, ReportUploadForm, preview_initial
from .importing import fieldwork_display, report_sign, report_unsign

EXPIRED = "This preview has expired or could not be read: upload the report again"


@login_required
def inspection_import(request, slug):
    access = get_rw_council_for_user(request, slug)
    posted = request.method == "POST"
    upload = ReportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and upload.is_valid():
        read = upload.parsed.as_dict()
        initial = preview_initial(
            token=report_sign(upload.parsed),
            read=read,
            council=access.council,
            published_on=upload.cleaned_data["published_on"],
        )
        form = ImportForm(initial=initial, council=access.council, read=read)
        recommendations = [
            {"text": r["text"], "national_framework_reference": r["national_framework_reference"]}
            for r in read["recommendations"]
        ]
        if not recommendations and form.existing:
            # None read from this report: offer the ones recorded, which may have actions,
            # rather than a save that would remove them.
            recommendations = [
                {"text": r.text, "national_framework_reference": r.national_framework_reference}
                for r in form.existing.recommendations.all()
            ]
        formset = RecommendationFormSet(initial=recommendations, prefix="rec")
        return _preview(request, access, form, formset)
    return _upload_page(request, access, upload)


@login_required
@require_POST
def inspection_import_confirm(request, slug):
    access = get_rw_council_for_user(request, slug)
    try:
        read = report_unsign(request.POST.get("report", ""))
    except signing.BadSignature:
        return _upload_page(request, access, ReportUploadForm.with_problem(EXPIRED))
    data = request.POST
    if "add_more" in data:
        data = _with_another_row(data)
    form = ImportForm(data, council=access.council, read=read)
    formset = RecommendationFormSet(data, prefix="rec")
    if "add_more" not in data and form.is_valid() and formset.is_valid():
        items = [
            (row["text"], row["national_framework_reference"])
            for row in (f.cleaned_data for f in formset.ordered_forms)
            if row.get("text")
        ]
        try:
            inspection = services.inspection_import(
                council=access.council, values=form.values(items), update=form.existing
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if form.existing:
                # The transaction was rolled back; show the record as it is, not as attempted.
                form.existing.refresh_from_db()
        else:
            verb = "updated" if form.existing else "imported"
            messages.success(request, f"Inspection {verb} from the Ofsted report")
            return redirect(inspection)
    return _preview(request, access, form, formset)


def _with_another_row(data):
    """The posted preview with one more empty recommendation to fill in."""
    data = data.copy()
    try:
        total = int(data.get("rec-TOTAL_FORMS", ""))
    except ValueError:
        return data  # the formset reports its damaged management form itself
    data["rec-TOTAL_FORMS"] = str(min(total + 1, RecommendationFormSet.max_num))
    return data


def _upload_page(request, access: CouncilAccess, form):
    return render(
        request,
        "inspections/import_upload.html",
        {"access": access, "council": access.council, "form": form},
    )


def _preview(request, access: CouncilAccess, form: ImportForm, formset):
    return render(
        request,
        "inspections/import_preview.html",
        {
            "access": access,
            "council": access.council,
            "form": form,
            "formset": formset,
            "read": form.read,
            "read_fieldwork": fieldwork_display(form.read_fieldwork),
            "read_grades": form.read_grades(),
        },
    )
