"""Scoped getters for reports: a pack job is found only through its council's access."""

from django.shortcuts import get_object_or_404

from councils.access import CouncilAccess, get_council_for_user

from .models import PackJob


def get_pack_job_for_user(
    request, slug: str, job_pk: int, *, with_pdf: bool = False
) -> tuple[CouncilAccess, PackJob]:
    """The council's pack job and the user's access; 404 for another council's job."""
    access = get_council_for_user(request, slug)
    jobs = PackJob.objects.for_council(access.council).select_related("council")
    if not with_pdf:
        jobs = jobs.defer("pdf")
    return access, get_object_or_404(jobs, pk=job_pk)
