"""One person may have only so many scrutiny packs on the way, and ask for so many an hour
(issue 14): every role, read-only ones included, may ask for a pack, and each holds a worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import PackJob

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def large_plan(scilly, settings):
    settings.PACK_DIRECT_MAX_ACTIONS = 2
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    for n in range(3):
        ActionFactory(recommendation=recommendation, title=f"Background action {n}")


def ask(client, scilly, **headers):
    return client.post(f"/councils/{scilly.slug}/packs/", {"since": "2024-01-01"}, headers=headers)


def test_a_third_pack_while_two_are_on_the_way_is_refused(client, sam, scilly, large_plan):
    client.force_login(sam)
    assert ask(client, scilly).status_code == 302
    assert ask(client, scilly).status_code == 302
    response = ask(client, scilly)
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "You have 2 scrutiny packs being prepared" in html
    assert html.count("/councils/isles-of-scilly/packs/") >= 2  # links to the two jobs
    assert PackJob.objects.count() == 2


def test_with_htmx_the_refusal_takes_the_place_of_the_jobs_status(client, sam, scilly, large_plan):
    client.force_login(sam)
    ask(client, scilly)
    ask(client, scilly)
    response = ask(client, scilly, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "the most you can have at once" in html
    assert PackJob.objects.count() == 2


def test_once_a_pack_is_ready_another_may_be_asked_for(client, sam, scilly, large_plan):
    client.force_login(sam)
    ask(client, scilly)
    ask(client, scilly)
    PackJob.objects.filter(pk=PackJob.objects.earliest("pk").pk).update(status=PackJob.Status.DONE)
    assert ask(client, scilly).status_code == 302


def test_others_packs_do_not_count_against_a_person(client, sam, bob, scilly, large_plan):
    client.force_login(bob)
    ask(client, scilly)
    ask(client, scilly)
    client.force_login(sam)
    assert ask(client, scilly).status_code == 302


def test_more_than_the_hours_allowance_is_refused(client, sam, scilly, large_plan, settings):
    recent = timezone.now() - timedelta(minutes=30)
    for _ in range(settings.PACK_JOBS_PER_HOUR_PER_PERSON):
        job = PackJob.objects.create(council=scilly, requested_by=sam, status="done")
        PackJob.objects.filter(pk=job.pk).update(created_at=recent)
    client.force_login(sam)
    response = ask(client, scilly)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "in the last hour" in response.content.decode()
    # An hour on, the person may ask again.
    PackJob.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert ask(client, scilly).status_code == 302


def test_a_limit_of_one_pack_is_told_in_the_singular(client, sam, scilly, large_plan, settings):
    settings.PACK_JOBS_IN_FLIGHT_PER_PERSON = 1
    client.force_login(sam)
    assert ask(client, scilly).status_code == 302
    response = ask(client, scilly)
    assert response.status_code == 429
    assert "You have 1 scrutiny pack being prepared" in response.content.decode()
    PackJob.objects.update(status="done")
    settings.PACK_JOBS_PER_HOUR_PER_PERSON = 1
    response = ask(client, scilly)
    assert response.status_code == 429
    assert "You have asked for 1 scrutiny pack in the last hour" in response.content.decode()
