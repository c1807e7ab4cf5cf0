"""An address that only takes a form's POST, opened in the browser, explains itself."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/councils/isles-of-scilly/actions/assign/", "/councils/isles-of-scilly/pack/cover/"],
)
def test_opening_a_form_only_address_shows_a_page_saying_so(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">This address is for sending a form</h1>' in html
    assert "nothing was shown or changed" in html


def test_htmx_keeps_the_empty_answer(client, alice):
    client.force_login(alice)
    response = client.get(
        "/councils/isles-of-scilly/actions/assign/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 405
    assert response.content == b""
