"""The carry-over page: officers decide on the old plan's open actions; others may not."""

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services import action_update

from .helpers import FormValues, two_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(scilly, alice):
    return two_plans(scilly, alice)


def url(inspection):
    return reverse("carry_over", args=[inspection.council.slug, inspection.pk])


def page_values(response) -> dict[str, str]:
    """The decisions form as a browser would post it untouched."""
    html = response.content.decode()
    start = html.index('<form method="post" novalidate>')
    parser = FormValues()
    parser.feed(html[start : html.index("</form>", start)])
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def row(values, action) -> str:
    """The form prefix of the action's row."""
    return next(k for k, v in values.items() if k.endswith("-action") and v == str(action.pk))[
        : -len("-action")
    ]


def test_the_page_lists_every_open_action_of_the_old_plan(client, alice, plans):
    client.force_login(alice)
    response = client.get(url(plans["newer"]))
    assert response.status_code == 200
    html = response.content.decode()
    for action in plans["open"]:
        assert action.title in html
    assert plans["done"].title not in html
    assert "Audit strategy discussions" not in html
    # The reason is revealed under "Close"; without scripts it shows whole.
    assert 'data-app-reveal="carry-0-reveal"' in html
    assert "govuk-radios__conditional govuk-radios__conditional--hidden" in html


def test_an_officer_carries_three_and_closes_one(client, alice, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    first, second, third, fourth = plans["open"]
    for action in (first, second, third):
        values[f"{row(values, action)}-decision"] = "carry"
    values[f"{row(values, fourth)}-decision"] = "close"
    values[f"{row(values, fourth)}-reason"] = "Merged into the 2023 placements action"
    response = client.post(url(plans["newer"]), values, follow=True)
    assert response.redirect_chain[-1][0] == plans["newer"].get_absolute_url()
    assert "3 actions carried into this plan and 1 action closed unfinished" in (
        response.content.decode()
    )
    assert set(Action.objects.filter(plan=plans["newer"], carried_from=plans["older"])) == {
        first,
        second,
        third,
    }
    fourth.refresh_from_db()
    assert fourth.end_reason == "Merged into the 2023 placements action"
    assert "need a decision" not in response.content.decode()


def test_the_inspection_page_says_how_many_wait_and_links_officers_to_the_page(
    client, alice, bob, plans
):
    client.force_login(alice)
    html = client.get(plans["newer"].get_absolute_url()).content.decode()
    assert "4 open actions of the previous plan need a decision" in html
    assert url(plans["newer"]) in html
    assert "need a decision" not in client.get(plans["older"].get_absolute_url()).content.decode()
    client.force_login(bob)
    html = client.get(plans["newer"].get_absolute_url()).content.decode()
    assert "4 open actions of the previous plan need a decision" in html
    assert url(plans["newer"]) not in html


def test_the_action_page_says_where_it_came_from_or_why_it_closed(client, alice, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    first, second = plans["open"][:2]
    values[f"{row(values, first)}-decision"] = "carry"
    values[f"{row(values, second)}-decision"] = "close"
    values[f"{row(values, second)}-reason"] = "No longer needed"
    client.post(url(plans["newer"]), values)
    first.refresh_from_db()
    html = client.get(first.get_absolute_url()).content.decode()
    older = plans["older"]
    assert (
        f'Carried over from the plan of the <a class="govuk-link" '
        f'href="{older.get_absolute_url()}">{older.kind_in_sentence()} of '
        f"{older.fieldwork_display()}</a> on {first.carried_on:%-d %B %Y}" in html
    )
    second.refresh_from_db()
    html = client.get(second.get_absolute_url()).content.decode()
    assert f"Closed unfinished on {second.ended_on:%-d %B %Y}: No longer needed" in html
    assert "Close the action" not in html
    assert 'name="narrative"' not in html


def test_closing_without_a_reason_shows_the_error_summary_and_saves_nothing(client, alice, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    first, second = plans["open"][:2]
    values[f"{row(values, first)}-decision"] = "carry"
    values[f"{row(values, second)}-decision"] = "close"
    response = client.post(url(plans["newer"]), values)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f"Enter the reason for closing \u201c{second.title}\u201d unfinished" in html
    assert f'href="#id_{row(values, second)}-reason"' in html
    assert not Action.objects.filter(plan=plans["newer"], carried_from__isnull=False).exists()


def test_posting_nothing_chosen_asks_for_a_choice(client, alice, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    response = client.post(url(plans["newer"]), values)
    assert "Choose to carry or close at least one action" in response.content.decode()


def test_a_second_post_from_the_back_button_is_refused_clearly(client, alice, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    values[f"{row(values, plans['open'][1])}-decision"] = "carry"
    client.post(url(plans["newer"]), values)
    response = client.post(url(plans["newer"]), values)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "is already in this plan: it needs no decision" in html
    assert plans["open"][1].history.count() == 2


def test_an_action_changed_since_loading_is_marked_and_nothing_is_saved(client, alice, dina, plans):
    client.force_login(alice)
    values = page_values(client.get(url(plans["newer"])))
    first, second = plans["open"][1:3]
    action_update(action=second, expected_version=1, user=dina, changes={"owner_name": "Tamsin"})
    values[f"{row(values, first)}-decision"] = "carry"
    values[f"{row(values, second)}-decision"] = "close"
    values[f"{row(values, second)}-reason"] = "Done elsewhere"
    response = client.post(url(plans["newer"]), values)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Dina changed \u201c{second.title}\u201d after this page was loaded" in html
    first.refresh_from_db()
    assert first.plan == plans["older"]
    # The page comes back on the current version, with the choices made: saving again works.
    values = page_values(response)
    assert values[f"{row(values, second)}-version"] == "2"
    assert values[f"{row(values, second)}-reason"] == "Done elsewhere"
    response = client.post(url(plans["newer"]), values)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.ended_on is not None


def test_read_only_roles_are_refused(client, bob, sam, plans):
    for person in (bob, sam):
        client.force_login(person)
        assert client.get(url(plans["newer"])).status_code == 403
        action = plans["open"][1]
        data = {
            "carry-TOTAL_FORMS": "1",
            "carry-INITIAL_FORMS": "1",
            "carry-0-action": action.pk,
            "carry-0-version": 1,
            "carry-0-decision": "carry",
        }
        assert client.post(url(plans["newer"]), data).status_code == 403
    assert Action.objects.get(pk=plans["open"][1].pk).plan == plans["older"]


def test_another_council_answers_404(client, charlie, plans):
    client.force_login(charlie)
    assert client.get(url(plans["newer"])).status_code == 404


def test_a_visit_has_no_carry_over_page(client, alice, plans, scilly):
    from .factories import InspectionFactory

    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=plans["newer"].start_date.replace(year=2024),
        end_date=plans["newer"].end_date.replace(year=2024),
        published_on=None,
    )
    client.force_login(alice)
    assert client.get(url(visit)).status_code == 404


def test_a_tampered_form_is_refused_without_a_500(client, alice, plans):
    client.force_login(alice)
    for data in (
        {},
        {"carry-TOTAL_FORMS": "1", "carry-INITIAL_FORMS": "1", "carry-0-action": "x"},
        {
            "carry-TOTAL_FORMS": "1",
            "carry-INITIAL_FORMS": "1",
            "carry-0-action": "99999999",
            "carry-0-version": "1",
            "carry-0-decision": "carry",
        },
        {
            "carry-TOTAL_FORMS": "1",
            "carry-INITIAL_FORMS": "1",
            "carry-0-action": plans["open"][1].pk,
            "carry-0-version": "1",
            "carry-0-decision": "burn",
        },
    ):
        response = client.post(url(plans["newer"]), data)
        assert response.status_code == 200, data
        assert "govuk-error-summary" in response.content.decode()
    assert not Action.objects.filter(carried_from__isnull=False).exists()
