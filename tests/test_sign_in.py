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


# Bounded input, errors on the fields, and throttling across accounts and behind proxies (issue 14)

PASSWORD = "correct horse battery staple"


def test_a_10000_character_username_is_refused_on_its_field_and_not_recorded(client, alice):
    from axes.models import AccessAttempt

    response = client.post("/sign-in/", {"username": "a" * 10_000, "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your username must be 150 characters or fewer" in html
    assert 'href="#id_username"' in html
    assert not AccessAttempt.objects.exists()


def test_an_overlong_username_at_the_admin_sign_in_is_refused_too(client, helen):
    response = client.post("/admin/login/", {"username": "a" * 10_000, "password": "wrong"})
    assert response.status_code == 200
    assert "Your username must be 150 characters or fewer" in response.content.decode()


def test_sign_in_errors_sit_on_their_fields(client, alice):
    html = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'id="id_username_error"' in html and 'id="id_password_error"' in html

    html = client.post("/sign-in/", {"username": "alice", "password": "wrong"}).content.decode()
    username_group = html.split('for="id_username"')[0].rsplit("<div", 1)[1]
    assert "govuk-form-group--error" in username_group
    assert 'id="id_username_error"' in html
    assert '<a href="#id_username">Please enter a correct username and password' in html
    assert '<a href="#main-content">' not in html


def test_one_password_tried_against_many_accounts_locks_the_address(client, alice, settings):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        response = client.post("/sign-in/", {"username": f"person{n}", "password": "Summer2024"})
        assert response.status_code == 200, n
    response = client.post("/sign-in/", {"username": "person99", "password": "Summer2024"})
    assert response.status_code == 429
    response = client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    response = client.post(
        "/sign-in/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_others(
    client, alice, settings
):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        client.post("/sign-in/", {"username": f"person{n}", "password": "Summer2024"})
    assert client.post("/sign-in/", {"username": "alice", "password": PASSWORD}).status_code == 302
    client.post("/sign-out/")
    client.post("/sign-in/", {"username": "person99", "password": "Summer2024"})
    response = client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/sign-in/",
            {"username": "alice", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        "/sign-in/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_address(client, alice, settings):
    """Behind one proxy every request comes from the proxy's address: someone locking alice out
    from their own address must not lock her out from hers."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # A client may write what it likes at the left of the header; the proxy adds the
        # address it saw at the right.
        client.post(
            "/sign-in/",
            {"username": "alice", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66",
            **proxy,
        )
    attacker = client.post(
        "/sign-in/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        **proxy,
    )
    assert attacker.status_code == 429
    alice_herself = client.post(
        "/sign-in/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert alice_herself.status_code == 302
