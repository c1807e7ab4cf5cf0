"""Scoped getters for actions: 404 for another council's, 403 for a read-only write."""

from django.http import Http404

from councils.access import CouncilAccess, get_council_for_user, get_rw_council_for_user

from .models import Action


def _action(access: CouncilAccess, pk: int) -> Action:
    try:
        return (
            Action.objects.for_council(access.council)
            .select_related("council", "owner", "recommendation__inspection")
            .get(pk=pk)
        )
    except Action.DoesNotExist:
        raise Http404("No such action") from None


def get_action_for_user(request, slug: str, pk: int) -> tuple[CouncilAccess, Action]:
    access = get_council_for_user(request, slug)
    return access, _action(access, pk)


def get_rw_action_for_user(request, slug: str, pk: int) -> tuple[CouncilAccess, Action]:
    access = get_rw_council_for_user(request, slug)
    return access, _action(access, pk)
