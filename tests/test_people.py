"""A council's admins manage its people: invitations by email with a one-time link that expires,
roles, removal; password reset by email; every change in the history."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from councils.models import Invitation, Membership, Role, User

pytestmark = pytest.mark.django_db

PEOPLE = "/councils/isles-of-scilly/people/"


def invitation_link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/invitations/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def invited(client, dina, scilly, django_capture_on_commit_callbacks):
    """Dina, the council's admin, invites a new officer."""
    client.force_login(dina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{PEOPLE}invite/", {"email": "new.officer@example.org", "role": "officer"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    client.logout()
    return message


def test_an_invitation_is_emailed_with_a_link_that_works_once(client, invited, scilly):
    assert invited.to == ["new.officer@example.org"]
    assert invited.subject == "You are invited to follow Isles of Scilly's Ofsted improvement plan"
    link = invitation_link(invited)
    page = client.get(link).content.decode()
    assert "as officer at Isles of Scilly" in page
    response = client.post(
        link,
        {
            "first_name": "Nia",
            "last_name": "Jones",
            "username": "nia",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/councils/isles-of-scilly/"
    nia = User.objects.get(username="nia")
    assert nia.email == "new.officer@example.org"
    assert Membership.objects.get(user=nia).role == Role.OFFICER
    record = Membership.history.get(user_id=nia.pk)
    assert record.history_user == nia
    assert record.history_change_reason.startswith("Joined by the invitation of")
    # Signed in already; the link does not work a second time.
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "This invitation has been used already." in again.content.decode()


def test_an_expired_or_unknown_link_says_so_and_opens_nothing(client, invited):
    link = invitation_link(invited)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(link)
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert client.get("/invitations/not-a-real-token/").status_code == 410


def test_a_new_account_needs_a_good_password_and_a_free_username(client, invited, alice):
    link = invitation_link(invited)
    response = client.post(
        link,
        {
            "first_name": "Nia",
            "last_name": "Jones",
            "username": "alice",
            "password1": "12345678",
            "password2": "12345679",
        },
    )
    html = response.content.decode()
    assert "That username is taken: choose another" in html
    assert "The passwords do not match" in html
    assert not User.objects.filter(email="new.officer@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_person_with_an_account_accepts_by_signing_in(
    client, dina, scilly, nottingham, charlie, django_capture_on_commit_callbacks
):
    charlie.email = "charlie@example.org"
    charlie.save()
    client.force_login(dina)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{PEOPLE}invite/", {"email": "Charlie@example.org", "role": "scrutiny"})
    link = invitation_link(mail.outbox[-1])
    client.force_login(charlie)
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=charlie, council=scilly).role == Role.SCRUTINY


def test_someone_else_signed_in_cannot_use_the_link(client, invited, alice):
    client.force_login(alice)
    response = client.post(invitation_link(invited))
    assert "This invitation is for new.officer@example.org" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_inviting_a_member_again_is_refused(client, dina, alice):
    alice.email = "alice@example.org"
    alice.save()
    client.force_login(dina)
    response = client.post(f"{PEOPLE}invite/", {"email": "alice@example.org", "role": "admin"})
    assert "already belongs to Isles of Scilly" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_admin_changes_a_role_and_removes_someone_and_the_history_says_who(
    client, dina, bob, scilly
):
    dina.first_name = "Dina"
    dina.save()
    membership = Membership.objects.get(user=bob, council=scilly)
    client.force_login(dina)
    client.post(f"{PEOPLE}{membership.pk}/", {"role": "scrutiny"})
    membership.refresh_from_db()
    assert membership.role == Role.SCRUTINY
    client.post(f"{PEOPLE}{membership.pk}/", {"remove": "yes", "role": "scrutiny"})
    assert not Membership.objects.filter(user=bob).exists()
    bob.refresh_from_db()
    assert not bob.is_active  # no council left
    page = client.get(PEOPLE).content.decode()
    assert "Role changed" in page and "Removed from the council" in page
    assert [r.history_user for r in Membership.history.filter(user_id=bob.pk)][:2] == [dina, dina]


def test_the_last_admin_cannot_be_demoted_or_removed(client, dina, scilly):
    membership = Membership.objects.get(user=dina, council=scilly)
    client.force_login(dina)
    response = client.post(f"{PEOPLE}{membership.pk}/", {"role": "officer"})
    assert "The council needs an admin" in response.content.decode()
    response = client.post(f"{PEOPLE}{membership.pk}/", {"remove": "yes"})
    assert "The council needs an admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_only_admins_manage_people(client, alice, bob, charlie):
    for user, status in ((alice, 403), (bob, 403), (charlie, 404)):
        client.force_login(user)
        assert client.get(PEOPLE).status_code == status
        assert (
            client.post(f"{PEOPLE}invite/", {"email": "x@example.org", "role": "admin"}).status_code
            == status
        )
    assert not Invitation.objects.exists()


def test_a_password_is_reset_by_email(client, alice):
    alice.email = "alice@example.org"
    alice.save()
    response = client.post("/password-reset/", {"email": "alice@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/password-reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a fresh long passphrase", "new_password2": "a fresh long passphrase"},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a fresh long passphrase")
    # The link works once.
    assert "This link cannot be used" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_an_admin_withdraws_a_waiting_invitation_and_its_link_stops_working(client, invited, dina):
    link = invitation_link(invited)
    invitation = Invitation.objects.get()
    client.force_login(dina)
    response = client.post(f"{PEOPLE}invitations/{invitation.pk}/withdraw/", follow=True)
    assert "The invitation to new.officer@example.org was withdrawn" in response.content.decode()
    assert (
        "new.officer@example.org"
        not in response.content.decode().split("Invitations waiting")[1].split("History")[0]
    )
    client.logout()
    page = client.get(link)
    assert page.status_code == 410
    assert "withdrawn or replaced" in page.content.decode()
