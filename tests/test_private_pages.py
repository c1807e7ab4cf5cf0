"""Pages drawn from someone's session are kept by no browser or proxy cache."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/councils/isles-of-scilly/",
        "/councils/isles-of-scilly/dashboard/",
        "/councils/isles-of-scilly/actions/",
        "/councils/isles-of-scilly/pack/",
    ],
)
def test_a_signed_in_page_is_not_stored(client, bob, url):
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_response_that_reads_no_session_keeps_its_own_caching(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")
