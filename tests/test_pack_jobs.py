"""Large scrutiny packs built by a Celery task (eager here), polled with htmx, then downloaded."""

import pytest
from django.test import Client

from reports.models import PackJob
from reports.tasks import build_pack

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_plan(scilly, settings):
    """Three actions, over a threshold of two: a "large" pack."""
    settings.PACK_DIRECT_MAX_ACTIONS = 2
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    return [
        ActionFactory(recommendation=recommendation, title=f"Background action {n}")
        for n in range(3)
    ]


def url(scilly, tail=""):
    return f"/councils/{scilly.slug}/{tail}"


def test_the_pdf_link_of_a_large_pack_offers_to_prepare_it(client, sam, scilly, large_plan):
    client.force_login(sam)
    response = client.get(url(scilly, "pack.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'action="/councils/{scilly.slug}/packs/"' in html
    assert "Prepare the scrutiny pack (PDF)" in html
    assert not PackJob.objects.exists()  # a GET changes nothing


def test_the_prepare_page_keeps_the_chosen_inspection_and_date_in_its_links(
    client, sam, scilly, large_plan
):
    client.force_login(sam)
    inspection = scilly.inspections.get()
    html = client.get(url(scilly, f"pack.pdf?inspection={inspection.pk}&since=2024-04-01"))
    html = html.content.decode()
    assert (
        f'href="/councils/{scilly.slug}/pack/?inspection={inspection.pk}&amp;since=2024-04-01"'
        in html
    )
    assert (
        f"/dashboard/?inspection={inspection.pk}&amp;since_0=1&amp;since_1=4&amp;since_2=2024"
        in html
    )


def test_a_small_pack_downloads_at_once(client, sam, scilly, large_plan, settings):
    settings.PACK_DIRECT_MAX_ACTIONS = 3
    client.force_login(sam)
    response = client.get(url(scilly, "pack.pdf"))
    assert response["Content-Type"] == "application/pdf"


def test_the_pack_page_of_a_large_pack_asks_for_it_with_htmx(client, sam, scilly, large_plan):
    client.force_login(sam)
    html = client.get(url(scilly, "pack/")).content.decode()
    assert f'hx-post="/councils/{scilly.slug}/packs/"' in html
    assert 'method="post"' in html


def test_a_scrutiny_member_has_a_large_pack_built_and_downloads_it(
    client, sam, scilly, large_plan, django_capture_on_commit_callbacks
):
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(scilly, "packs/"), {"since": "2024-01-01"})
    assert len(callbacks) == 1
    job = PackJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(scilly, f"packs/{job.pk}/")
    assert (job.council, job.requested_by, str(job.since)) == (scilly, sam, "2024-01-01")
    assert job.status == PackJob.Status.DONE
    assert job.progress == 100
    assert job.started_at <= job.finished_at

    page = client.get(response["Location"]).content.decode()
    assert "The scrutiny pack is ready." in page
    assert "hx-trigger" not in page  # polling stops once done
    download = client.get(url(scilly, f"packs/{job.pk}/pack.pdf"))
    assert download["Content-Type"] == "application/pdf"
    assert "isles-of-scilly-scrutiny-pack-" in download["Content-Disposition"]
    text = pdf_text(download.content)
    assert all(f"Background action {n}" in text for n in range(3))
    assert "Direction of travel since 1 January 2024" in text


def test_an_htmx_request_gets_the_status_fragment_that_polls_until_done(
    client, bob, scilly, large_plan, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    # The test's callbacks run when this block ends, so the answer shows the queued job, as
    # with a real worker; with no broker and real commits it would already be done.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(scilly, "packs/"), headers={"HX-Request": "true"})
    job = PackJob.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'hx-get="/councils/{scilly.slug}/packs/{job.pk}/" hx-trigger="every 2s"' in html
    polled = client.get(url(scilly, f"packs/{job.pk}/"), headers={"HX-Request": "true"})
    assert f'href="/councils/{scilly.slug}/packs/{job.pk}/pack.pdf"' in polled.content.decode()


def test_a_queued_job_is_polled_every_two_seconds_and_refreshes_without_javascript(
    client, sam, scilly, large_plan
):
    client.force_login(sam)
    # Not committed in this test's transaction, so not built yet: as with a busy worker.
    client.post(url(scilly, "packs/"))
    job = PackJob.objects.get()
    assert job.status == PackJob.Status.QUEUED
    page = client.get(url(scilly, f"packs/{job.pk}/")).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="/councils/{scilly.slug}/packs/{job.pk}/"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert ">Refresh</a>" in page
    assert "Waiting to start: 0% done" in page
    fragment = client.get(url(scilly, f"packs/{job.pk}/"), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert client.get(url(scilly, f"packs/{job.pk}/pack.pdf")).status_code == 404

    assert build_pack(job.pk) is True
    fragment = client.get(url(scilly, f"packs/{job.pk}/"), headers={"HX-Request": "true"})
    assert "hx-trigger" not in fragment.content.decode()
    assert "The scrutiny pack is ready." in fragment.content.decode()


def test_running_the_task_twice_builds_the_pack_once(scilly, sam, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    assert build_pack(job.pk) is True
    job.refresh_from_db()
    first = (job.status, bytes(job.pdf), job.finished_at)
    assert build_pack(job.pk) is False
    job.refresh_from_db()
    assert (job.status, bytes(job.pdf), job.finished_at) == first


def test_a_job_another_run_is_building_is_left_alone(scilly, sam, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    PackJob.objects.filter(pk=job.pk).update(
        status=PackJob.Status.RUNNING, started_at=job.created_at
    )
    # Started just now: a redelivered message must not start a second build.
    assert build_pack(job.pk) is False
    job.refresh_from_db()
    assert job.status == PackJob.Status.RUNNING and job.pdf is None


def test_a_job_whose_worker_died_long_ago_is_built_when_redelivered(scilly, sam, large_plan):
    from datetime import timedelta

    job = PackJob.objects.create(council=scilly, requested_by=sam)
    PackJob.objects.filter(pk=job.pk).update(
        status=PackJob.Status.RUNNING, started_at=job.created_at - timedelta(hours=1)
    )
    assert build_pack(job.pk) is True
    job.refresh_from_db()
    assert job.status == PackJob.Status.DONE


def test_a_pack_that_cannot_be_rendered_fails_with_a_message(
    client, sam, scilly, large_plan, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("reports.services.pack_pdf", broken)
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    assert build_pack(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.error) == (PackJob.Status.FAILED, "fonts missing")
    client.force_login(sam)
    page = client.get(url(scilly, f"packs/{job.pk}/")).content.decode()
    assert "The scrutiny pack could not be prepared." in page
    assert "hx-trigger" not in page


def test_bad_options_are_refused_and_start_nothing(client, sam, scilly, nottingham, large_plan):
    theirs = InspectionFactory(council=nottingham)
    client.force_login(sam)
    for data in ({"since": "31/12/2024"}, {"inspection": theirs.pk}):
        response = client.post(url(scilly, "packs/"), data)
        assert response.status_code == 400
    assert not PackJob.objects.exists()


def test_asking_for_a_pack_needs_the_csrf_token(sam, scilly, large_plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam)
    assert client.post(url(scilly, "packs/")).status_code == 403
    assert not PackJob.objects.exists()


def test_another_councils_job_is_not_found(client, charlie, sam, scilly, nottingham, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    build_pack(job.pk)
    client.force_login(charlie)
    for tail in (f"packs/{job.pk}/", f"packs/{job.pk}/pack.pdf"):
        assert client.get(url(scilly, tail)).status_code == 404
        # Nor through charlie's own council's address.
        assert client.get(url(nottingham, tail)).status_code == 404
