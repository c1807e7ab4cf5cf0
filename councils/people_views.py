"""The council's people, for its admins: who has which role, invitations, removal; and the page
where an invited person accepts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from config.forms import add_service_errors

from . import people
from .access import get_council_for_user
from .forms import InviteForm, NewAccountForm, RoleForm
from .models import Invitation, Membership, Role


def _admin_access(request, slug):
    """The council, for its admins and the platform's; 403 for its other people."""
    access = get_council_for_user(request, slug)
    if access.role != Role.ADMIN and not request.user.is_superuser:
        raise PermissionDenied("Only the council's admins manage its people")
    return access


def _context(access, **extra):
    return {"access": access, "council": access.council, **extra}


@login_required
@require_safe
def people_list(request, slug):
    access = _admin_access(request, slug)
    council = access.council
    memberships = (
        Membership.objects.filter(council=council)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    history = (
        Membership.history.filter(council_id=council.pk)
        .select_related("history_user", "user")
        .order_by("-history_date")[:30]
    )
    return render(
        request,
        "councils/people.html",
        _context(
            access,
            memberships=memberships,
            invitations=Invitation.objects.pending().filter(council=council),
            history=history,
        ),
    )


@login_required
def person_invite(request, slug):
    access = _admin_access(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = people.invitation_send(
                council=access.council,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works once, for "
                f"{settings.INVITATION_DAYS} days.",
            )
            return redirect("people", access.council.slug)
    return render(request, "councils/invite_form.html", _context(access, form=form))


@login_required
def person_change(request, slug, membership_pk):
    access = _admin_access(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), council=access.council, pk=membership_pk
    )
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                people.membership_remove(membership=membership, by=request.user)
                messages.success(request, f"{membership.user} no longer has access to the council")
                return redirect("people", access.council.slug)
            if form.is_valid():
                people.membership_set_role(
                    membership=membership, role=form.cleaned_data["role"], by=request.user
                )
                messages.success(request, f"{membership.user}'s role saved")
                return redirect("people", access.council.slug)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "councils/person_form.html", _context(access, form=form, membership=membership)
    )


@login_required
@require_POST
def invitation_withdraw(request, slug, invitation_pk):
    access = _admin_access(request, slug)
    invitation = get_object_or_404(Invitation, council=access.council, pk=invitation_pk)
    try:
        people.invitation_withdraw(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn")
    return redirect("people", access.council.slug)


def invitation_accept(request, token):
    """Open to anyone with the link: join as the person signed in, or make an account."""
    try:
        invitation = people.invitation_for_token(token)
    except people.InvitationRefused as refused:
        return render(
            request, "councils/invitation_refused.html", {"reason": str(refused)}, status=410
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else NewAccountForm(request.POST or None)
    error = ""
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                member = people.invitation_accept(token=token, user=request.user)
            else:
                member = people.invitation_accept(
                    token=token, new_user=form.user(), password=form.cleaned_data["password1"]
                )
                login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        except people.InvitationRefused as refused:
            error = str(refused)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Welcome to {invitation.council.name}")
            return redirect(invitation.council.get_absolute_url())
    return render(
        request,
        "councils/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "error": error,
            "sign_in_url": f"{reverse('login')}?next={request.path}",
        },
    )
