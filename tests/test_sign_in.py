"""Signing in and out, and throttling repeated failures per account and address."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_and_sees_their_councils(client, alice, scilly):
    response = client.post(
        "/sign-in/", {"username": "alice", "password": "correct horse battery staple"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Isles of Scilly" in response.content.decode()


def test_a_wrong_password_is_explained_in_the_error_summary(client, alice):
    response = client.post("/sign-in/", {"username": "alice", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Please enter a correct username and password" in html


def test_repeated_failures_lock_the_account_from_that_address(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": "alice", "password": "wrong"})
    response = client.post(
        "/sign-in/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


def test_people_see_only_the_councils_they_belong_to(client, charlie, scilly, nottingham):
    client.force_login(charlie)
    html = client.get("/").content.decode()
    assert "Nottingham" in html
    assert "Isles of Scilly" not in html


def test_a_deactivated_person_is_signed_out_on_their_next_request(client, alice, scilly):
    client.post("/sign-in/", {"username": "alice", "password": "correct horse battery staple"})
    assert client.get("/").status_code == 200
    alice.is_active = False
    alice.save()
    response = client.get("/councils/isles-of-scilly/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_deleted_persons_session_signs_nobody_in(client, alice, scilly):
    client.post("/sign-in/", {"username": "alice", "password": "correct horse battery staple"})
    alice.delete()
    assert client.get("/councils/isles-of-scilly/").status_code == 302
