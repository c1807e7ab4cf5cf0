"""Scoped getters: the one place that decides who may see and change a council's data.

Another council's objects answer 404 so that their existence does not leak; a read-only
role asking to write answers 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from .models import Council, Role


@dataclass(frozen=True)
class CouncilAccess:
    council: Council
    role: Role

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OFFICER, Role.ADMIN)


def get_council_for_user(request, slug: str, councils=None) -> CouncilAccess:
    """Return the council with the user's role, or 404 if they do not belong to it.

    ``councils`` is for a view that needs annotations on the council; one query either way.
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404("No such council")
    councils = Council.objects.all() if councils is None else councils
    if not user.is_superuser:
        councils = councils.filter(memberships__user=user).annotate(
            member_role=F("memberships__role")
        )
    council = councils.filter(slug=slug).first()
    if council is None:
        raise Http404("No such council")
    return CouncilAccess(council, Role.ADMIN if user.is_superuser else Role(council.member_role))


def check_platform_admin(request) -> None:
    """403 for anyone signed in who is not a platform admin: views across every council."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only platform admins may see every council")


def get_rw_council_for_user(request, slug: str) -> CouncilAccess:
    """Like get_council_for_user, but 403 for roles that may only read."""
    access = get_council_for_user(request, slug)
    if not access.can_edit:
        raise PermissionDenied("Your role at this council can only read")
    return access
