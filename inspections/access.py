"""Scoped getters for inspections: 404 for another council's, 403 for a read-only write."""

from django.http import Http404

from councils.access import CouncilAccess, get_council_for_user, get_rw_council_for_user

from .models import Inspection


def _inspection(access: CouncilAccess, pk: int) -> Inspection:
    try:
        return (
            Inspection.objects.for_council(access.council)
            .select_related("council", "framework")
            .get(pk=pk)
        )
    except Inspection.DoesNotExist:
        raise Http404("No such inspection") from None


def get_inspection_for_user(request, slug: str, pk: int) -> tuple[CouncilAccess, Inspection]:
    access = get_council_for_user(request, slug)
    return access, _inspection(access, pk)


def get_rw_inspection_for_user(request, slug: str, pk: int) -> tuple[CouncilAccess, Inspection]:
    access = get_rw_council_for_user(request, slug)
    return access, _inspection(access, pk)
