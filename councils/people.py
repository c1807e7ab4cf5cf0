"""A council's admins manage its people: invitations by email, roles, removal.

Every change is in the history: Membership and Invitation keep theirs (simple_history), with
who made it. Invitations go through the outbox in the transaction that creates them.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Council, Invitation, Membership, Role, User
from .outbox import outbox_add


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user_with_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("pk").first()


@transaction.atomic
def invitation_send(*, council: Council, email: str, role: str, by: User) -> Invitation:
    """Invite someone to the council in a role; a pending invitation to them is replaced."""
    email = email.strip()
    existing = _user_with_email(email)
    if existing and Membership.objects.filter(council=council, user=existing).exists():
        raise ValidationError(
            {"email": f"{email} already belongs to {council.name}: change their role instead"}
        )
    now = timezone.now()
    for old in Invitation.objects.pending(now).filter(council=council, email__iexact=email):
        old.revoked_at = now
        old._history_user = by
        old._change_reason = "Replaced by a new invitation"
        old.save()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        council=council,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation._history_user = by
    invitation._change_reason = "Invited"
    invitation.full_clean()
    invitation.save()
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token]),
        "by": by,
    }
    outbox_add(
        to=[email],
        subject=render_to_string("emails/invitation_subject.txt", context).strip(),
        body=render_to_string("emails/invitation_body.txt", context).rstrip("\n"),
    )
    return invitation


class InvitationRefused(Exception):
    """The link is unknown, used, withdrawn or expired: the message says which."""


def invitation_for_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("council").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationRefused("This invitation link is not valid.")
    if invitation.accepted_at:
        raise InvitationRefused("This invitation has been used already.")
    if invitation.revoked_at:
        raise InvitationRefused("This invitation was withdrawn or replaced by a newer one.")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("This invitation has expired.")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, new_user: User | None = None, password: str = ""
) -> User:
    """Join the council: as the person signed in, whose email must be the invitation's, or as
    a new account made here. The link works once."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationRefused("This invitation has been used already.")
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise InvitationRefused(
                f"This invitation is for {invitation.email}. Sign out, then open the link again."
            )
        member = user
    else:
        if _user_with_email(invitation.email):
            raise InvitationRefused(
                f"An account with {invitation.email} exists: sign in, then open the link again."
            )
        member = new_user
        member.email = invitation.email
        member.set_password(password)
        member.full_clean()
        member.save()
    if not Membership.objects.filter(user=member, council=invitation.council).exists():
        membership = Membership(user=member, council=invitation.council, role=invitation.role)
        membership._history_user = member
        membership._change_reason = (
            f"Joined by the invitation of {invitation.invited_by or 'an admin'}"
        )
        membership.save()
    if not member.is_active:
        member.is_active = True
        member.save(update_fields=["is_active"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation._history_user = member
    invitation._change_reason = "Accepted"
    invitation.save()
    return member


def _admins_left(council: Council, excluding: Membership) -> int:
    return (
        Membership.objects.filter(council=council, role=Role.ADMIN).exclude(pk=excluding.pk).count()
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and not _admins_left(membership.council, membership):
        raise ValidationError({"role": "The council needs an admin: make someone else admin first"})
    membership.role = role
    membership._history_user = by
    membership._change_reason = "Role changed"
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take away the person's access to the council; one with no council left is deactivated,
    unless they run the platform."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.ADMIN and not _admins_left(membership.council, membership):
        raise ValidationError("The council needs an admin: make someone else admin first")
    user = membership.user
    membership._history_user = by
    membership._change_reason = "Removed from the council"
    membership.delete()
    if not user.is_staff and not user.memberships.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    """Stop a waiting invitation's link working, as when it went to the wrong address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(f"{invitation.email} has accepted the invitation already")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation._history_user = by
        invitation._change_reason = "Withdrawn"
        invitation.save()
    return invitation
