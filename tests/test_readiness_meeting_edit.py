"""Changing an engagement meeting's record: the same fields as recording it, the history of
each change, a save that someone else beat, and who may do it."""

from datetime import date

import pytest

from readiness import services
from readiness.models import EngagementMeeting

from .helpers import date_fields, readiness_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(scilly, alice, bob):
    return readiness_world(scilly, director=alice, lead_member=bob)["meeting"]


def url(meeting):
    return f"/councils/isles-of-scilly/engagement-meetings/{meeting.pk}/edit/"


def meeting_post(meeting, **overrides):
    return {
        **date_fields("held_on", ("14", "5", "2024")),
        "attendees": "Regional director\nDirector of children's services",
        "topics": "Strategy discussions",
        **date_fields("letter_on", ("3", "6", "2024")),
        "letter_summary": "Progress noted",
        "letter_url": "https://intranet.example.org/letter.pdf",
        "focus": "Strategy discussions",
        "version": meeting.version,
    } | overrides


def test_an_officer_adds_the_letter_and_the_history_keeps_the_change(client, alice, meeting):
    client.force_login(alice)
    page = client.get(url(meeting))
    assert page.status_code == 200
    assert "Strategy discussions" in page.text
    response = client.post(url(meeting), meeting_post(meeting))
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert (meeting.letter_on, meeting.letter_summary, meeting.version) == (
        date(2024, 6, 3),
        "Progress noted",
        2,
    )
    record = meeting.history.latest()
    assert (record.history_user, record.history_change_reason) == (alice, "Edited")
    assert meeting.history.count() == 2


def test_a_letter_before_the_meeting_is_refused_and_changes_nothing(client, alice, meeting):
    client.force_login(alice)
    response = client.post(
        url(meeting), meeting_post(meeting, **date_fields("letter_on", ("1", "5", "2024")))
    )
    assert response.status_code == 200
    assert "The letter&#x27;s date must be on or after the meeting" in response.text
    meeting.refresh_from_db()
    assert (meeting.letter_on, meeting.version) == (None, 1)


def test_a_meeting_cannot_move_past_a_follow_up_it_asked_for(client, alice, meeting, scilly):
    services.plan_action_add(
        council=scilly,
        meeting=meeting,
        title="Report to the board",
        owner_name="Director",
        due_on=date(2024, 6, 30),
    )
    client.force_login(alice)
    response = client.post(
        url(meeting),
        meeting_post(
            meeting,
            **date_fields("held_on", ("1", "7", "2024")),
            **date_fields("letter_on", ("10", "7", "2024")),
        ),
    )
    assert "The follow-up “Report to the board” falls due on 30 June 2024" in response.text
    meeting.refresh_from_db()
    assert meeting.held_on == date(2024, 5, 14)


def test_a_save_someone_else_beat_is_refused_showing_both_versions(client, alice, meeting):
    services.engagement_meeting_update(
        meeting=meeting, expected_version=1, changes={"topics": "Their topics"}
    )
    client.force_login(alice)
    response = client.post(url(meeting), meeting_post(meeting, version=1, topics="My topics"))
    assert response.status_code == 409
    assert "Their topics" in response.text and "My topics" in response.text
    meeting.refresh_from_db()
    assert meeting.topics == "Their topics"
    again = client.post(url(meeting), meeting_post(meeting, topics="My topics"))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topics == "My topics"


def test_read_only_roles_are_refused_and_another_council_gets_404(
    client, bob, sam, charlie, meeting
):
    for person, status in ((bob, 403), (sam, 403), (charlie, 404)):
        client.force_login(person)
        assert client.get(url(meeting)).status_code == status
        assert client.post(url(meeting), meeting_post(meeting, topics="No")).status_code == status
    assert EngagementMeeting.objects.get().topics == "Strategy discussions"


def test_the_meeting_page_offers_the_change_to_officers_only(client, alice, bob, meeting):
    client.force_login(alice)
    assert url(meeting) in client.get(meeting.get_absolute_url()).text
    client.force_login(bob)
    assert url(meeting) not in client.get(meeting.get_absolute_url()).text
