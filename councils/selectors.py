"""Reads of councils for the views: the councils a person sees on their home page."""

from .models import Council, Membership, User


def home_councils(user: User) -> list[tuple[Council, Membership | None]]:
    """The councils the person may see, each with their membership of it (None for a platform
    admin who is not a member). Platform admins see every council with inspections recorded."""
    councils = Council.objects.for_user(user)
    if user.is_superuser:
        councils = councils.filter(inspections__isnull=False).distinct()
    memberships = {m.council_id: m for m in user.memberships.all()}
    return [(council, memberships.get(council.pk)) for council in councils]
