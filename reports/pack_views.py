from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from councils.access import get_council_for_user

from .pack import pack_context, pack_pdf


@login_required
@require_safe
def pack_page(request, slug):
    access = get_council_for_user(request, slug)
    context = pack_context(council=access.council, inspection=None, since=None)
    return render(request, "reports/pack_page.html", context | {"access": access})


@login_required
@require_safe
def pack_download(request, slug):
    access = get_council_for_user(request, slug)
    pdf = pack_pdf(council=access.council)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(access.council.name)}-scrutiny-pack.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
