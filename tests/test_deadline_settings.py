"""The deadline settings page: an override of monitoring, either way, with the officer's reason."""

from datetime import date

import pytest

from inspections.models import DeadlineSettings, Milestone

from .helpers import SPLIT_GRADES, record

pytestmark = pytest.mark.django_db

GOOD_2026 = {
    "leaders": "good",
    "help_and_protection": "good",
    "children_in_care": "good",
    "care_leavers": "requires_improvement",
}


@pytest.fixture
def scilly_2023(scilly, django_capture_on_commit_callbacks):
    return record(scilly, django_capture_on_commit_callbacks)


def settings_url(inspection):
    return f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/deadline-settings/"


def keys(inspection):
    return set(Milestone.objects.filter(inspection=inspection).values_list("key", flat=True))


def test_the_form_reveals_a_reason_under_each_override(client, alice, scilly_2023):
    client.force_login(alice)
    html = client.get(settings_url(scilly_2023)).content.decode()
    assert 'data-reveals="conditional-id_monitoring_1"' in html
    assert 'data-reveals="conditional-id_monitoring_2"' in html
    # Hidden only by the page's script: without JavaScript both textareas show.
    assert (
        '<div class="govuk-radios__conditional govuk-radios__conditional--hidden" '
        'id="conditional-id_monitoring_1">'
    ) in html
    assert html.count("<textarea") == 2
    assert "Why will Ofsted monitor the council?" in html
    assert "Why will Ofsted not monitor the council?" in html
    assert "monitoring follows overall effectiveness inadequate" in html


def test_the_2026_framework_says_any_inadequate_judgement(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=GOOD_2026,
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 15),
        published_on=date(2026, 7, 3),
    )
    client.force_login(alice)
    html = client.get(settings_url(inspection)).content.decode()
    assert "monitoring follows any judgement inadequate" in html


@pytest.mark.parametrize(
    ("monitoring", "message"),
    [
        ("yes", "Enter why Ofsted will monitor the council"),
        ("no", "Enter why Ofsted will not monitor the council"),
    ],
)
def test_an_override_without_a_reason_is_refused_and_changes_nothing(
    client, alice, scilly_2023, monitoring, message
):
    client.force_login(alice)
    # A reason typed under the other answer does not count for this one.
    other = "no" if monitoring == "yes" else "yes"
    response = client.post(
        settings_url(scilly_2023),
        {
            "monitoring": monitoring,
            f"monitoring_reason_{monitoring}": "  ",
            f"monitoring_reason_{other}": "x",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Deadline settings" in html
    assert "There is a problem" in html
    assert f'<a href="#id_monitoring_reason_{monitoring}">{message}</a>' in html
    assert "govuk-textarea--error" in html
    # The chosen override's reason shows, revealed, with its error.
    assert (
        '<div class="govuk-radios__conditional" '
        f'id="conditional-id_monitoring_{1 if monitoring == "yes" else 2}">' in html
    )
    assert not DeadlineSettings.objects.exists()


def test_an_officer_takes_an_inspection_out_of_monitoring_with_a_reason(
    client, alice, scilly_2023, django_capture_on_commit_callbacks
):
    assert "first_monitoring_visit" in keys(scilly_2023)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            settings_url(scilly_2023),
            {
                "monitoring": "no",
                "monitoring_reason_no": "  Ofsted's letter of 1 September 2023: no monitoring  ",
                "monitoring_reason_yes": "ignored",
            },
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#timeline")
    saved = DeadlineSettings.objects.get()
    assert (saved.monitoring, saved.monitoring_reason) == (
        "no",
        "Ofsted's letter of 1 September 2023: no monitoring",
    )
    assert "first_monitoring_visit" not in keys(scilly_2023)
    assert saved.history.first().history_user == alice
    assert saved.history.first().monitoring_reason == saved.monitoring_reason

    html = client.get(scilly_2023.get_absolute_url()).content.decode()
    assert "Monitoring does not follow this inspection" in html
    assert "as an officer recorded in the deadline settings" in html
    assert "Reason given: Ofsted&#x27;s letter of 1 September 2023: no monitoring" in html

    # The form shows the reason under the chosen answer when it is opened again.
    html = client.get(settings_url(scilly_2023)).content.decode()
    assert "Ofsted&#x27;s letter of 1 September 2023: no monitoring</textarea>" in html


def test_following_the_grades_again_clears_the_reason_and_history_keeps_it(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=GOOD_2026,
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 15),
        published_on=date(2026, 7, 3),
    )
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            settings_url(inspection),
            {"monitoring": "yes", "monitoring_reason_yes": "The DfE asked Ofsted to monitor"},
        )
    assert "first_monitoring_visit" in keys(inspection)
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert "Monitoring follows this inspection" in html
    assert "Reason given: The DfE asked Ofsted to monitor" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(settings_url(inspection), {"monitoring": "from_grades"})
    saved = DeadlineSettings.objects.get()
    assert (saved.monitoring, saved.monitoring_reason) == ("from_grades", "")
    assert [h.monitoring_reason for h in saved.history.all()] == [
        "",
        "The DfE asked Ofsted to monitor",
        "",
    ]
    assert "first_monitoring_visit" not in keys(inspection)
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert "Monitoring does not follow this inspection" in html
    assert (
        "Under this framework, monitoring follows only when any judgement is inadequate: not so "
        "here." in html
    )


def test_the_inspection_page_says_monitoring_follows_from_the_grades(client, bob, scilly_2023):
    client.force_login(bob)
    html = client.get(scilly_2023.get_absolute_url()).content.decode()
    assert "Monitoring follows this inspection" in html
    assert "from the grades" in html
    assert (
        "Under this framework, monitoring follows when overall effectiveness is inadequate, as "
        "here." in html
    )
    assert SPLIT_GRADES["overall_effectiveness"] == "inadequate"


def test_a_lead_member_cannot_override_monitoring(client, bob, scilly_2023):
    client.force_login(bob)
    response = client.post(
        settings_url(scilly_2023), {"monitoring": "no", "monitoring_reason_no": "No"}
    )
    assert response.status_code == 403
    assert not DeadlineSettings.objects.exists()


def test_a_reason_too_long_is_refused(client, alice, scilly_2023):
    client.force_login(alice)
    response = client.post(
        settings_url(scilly_2023), {"monitoring": "yes", "monitoring_reason_yes": "x" * 2001}
    )
    assert response.status_code == 200
    assert "The reason must be 2000 characters or fewer" in response.content.decode()
    assert not DeadlineSettings.objects.exists()
