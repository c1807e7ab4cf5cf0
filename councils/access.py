"""Scoped getters: the one place that decides who may see and change a council's data.

Another council's objects answer 404 so that their existence does not leak; a read-only
role asking to write answers 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Council, Membership, Role


@dataclass(frozen=True)
class CouncilAccess:
    council: Council
    role: Role

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OFFICER, Role.ADMIN)


def role_for(user, council: Council) -> Role | None:
    """Return the user's role at the council, or None if they may not see it."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    role = (
        Membership.objects.filter(user=user, council=council).values_list("role", flat=True).first()
    )
    return Role(role) if role else None


def get_council_for_user(request, slug: str) -> CouncilAccess:
    """Return the council with the user's role, or 404 if they do not belong to it."""
    user = request.user
    if not user.is_authenticated:
        raise Http404("No such council")
    if user.is_superuser:
        try:
            return CouncilAccess(council=Council.objects.get(slug=slug), role=Role.ADMIN)
        except Council.DoesNotExist:
            raise Http404("No such council") from None
    # The council and the person's role at it in one query.
    try:
        membership = Membership.objects.select_related("council").get(user=user, council__slug=slug)
    except Membership.DoesNotExist:
        raise Http404("No such council") from None
    return CouncilAccess(council=membership.council, role=Role(membership.role))


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
