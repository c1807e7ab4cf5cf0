"""Every URL pattern x every role x GET/POST x with and without HX-Request, against a table.

Another council's objects answer 404, a read-only role's write 403, anonymous people are sent
to sign in. Writes are posted with valid data, so a missing check would change the database:
after every refused write it must be unchanged.
"""

import pytest

from .helpers import ROLES, TABLE, authorization_world, snapshot, url_for, url_names


def test_every_url_pattern_is_in_the_table():
    assert set(url_names()) == set(TABLE)


@pytest.fixture
def world(scilly, nottingham, alice, bob, sam, dina, charlie, helen):
    users = {
        "anonymous": None,
        "officer": alice,
        "lead_member": bob,
        "scrutiny": sam,
        "admin": dina,
        "platform_admin": helen,
        "outsider": charlie,
    }
    return authorization_world(scilly=scilly, users=users)


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(client, world, name, role, method, htmx):
    row = TABLE[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = url_for(name, world["kwargs"])
    headers = {"HX-Request": "true"} if htmx else {}
    statuses = row.htmx if htmx and row.htmx else row.statuses
    expected = statuses[role][0 if method == "GET" else 1]
    before = snapshot()
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        data = row.post(world) if row.post else {}
        response = client.post(url, data, headers=headers)
    assert response.status_code == expected, response.content[:300]
    if (
        response.status_code == 302
        and role == "anonymous"
        and name not in {"login", "logout", "password_reset"}
    ):
        assert response["Location"].startswith("/sign-in/")
    refused = expected in {403, 404, 405} or role == "anonymous"
    if method == "POST" and refused:
        assert snapshot() == before
