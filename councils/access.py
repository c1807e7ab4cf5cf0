"""Scoped getters: the one place that decides who may see and change a council's data.

Another council's objects answer 404 so that their existence does not leak; a read-only
role asking to write answers 403.
"""

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from config.queries import CompiledQuery

from .models import Council, Role


@dataclass(frozen=True)
class CouncilAccess:
    council: Council
    role: Role

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OFFICER, Role.ADMIN)


# Every council page starts with this query: the council, and the person's role at it.
COUNCILS = Council.objects.all()
# Stand-ins for the slug and the person in the queries compiled once.
_SLUG, _USER = "\x00slug", -987654321


@functools.lru_cache(maxsize=16)
def _query(councils, superuser: bool) -> CompiledQuery:
    if superuser:
        return CompiledQuery(lambda slug: councils.filter(slug=slug), slug=_SLUG)
    return CompiledQuery(
        lambda slug, user: councils.filter(slug=slug, memberships__user=user).annotate(
            member_role=F("memberships__role")
        ),
        slug=_SLUG,
        user=_USER,
    )


def get_council_for_user(request, slug: str, councils=COUNCILS) -> CouncilAccess:
    """Return the council with the user's role, or 404 if they do not belong to it.

    ``councils``, a queryset kept for the life of the process, is for a view that needs
    annotations on the council.
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404("No such council")
    if user.is_superuser:
        found = _query(councils, True).run(slug=slug)
    else:
        found = _query(councils, False).run(slug=slug, user=user.pk)
    if not found:
        raise Http404("No such council")
    council = found[0]
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
