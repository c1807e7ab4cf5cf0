"""No pack job waits for ever: the sweep queues again, or fails, jobs that lost their queueing or
their worker, and a delivery of the task again takes over a job whose worker was lost.

Tasks run in-process here; tests/test_worker_recovery.py kills real workers.
"""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from reports import services
from reports.models import PackJob
from reports.tasks import build_pack, sweep_pack_jobs

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

Status = PackJob.Status


@pytest.fixture
def large_plan(scilly, settings):
    settings.PACK_DIRECT_MAX_ACTIONS = 2
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    return [ActionFactory(recommendation=recommendation) for _ in range(3)]


def status_url(job) -> str:
    return f"/councils/{job.council.slug}/packs/{job.pk}/"


def running(job, *, minutes_ago: float, attempts: int = 1) -> PackJob:
    PackJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING,
        progress=20,
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        requeue_at=None,
    )
    job.refresh_from_db()
    return job


def test_a_job_whose_queueing_failed_is_queued_again_when_its_page_polls(
    client, sam, scilly, large_plan, django_capture_on_commit_callbacks
):
    client.force_login(sam)
    with (
        mock.patch.object(build_pack, "delay", side_effect=BrokerError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(f"/councils/{scilly.slug}/packs/")
    job = PackJob.objects.get()
    assert (job.status, job.progress) == (Status.QUEUED, 0)
    # Polled at once it still waits; the queueing gets a few seconds before it counts as failed.
    assert "Waiting to start: 0% done" in client.get(status_url(job)).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):
        page = client.get(status_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "The scrutiny pack is ready." in page and "hx-trigger" not in page
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 1)


def test_a_job_running_past_the_staleness_limit_is_queued_again_and_built(
    client, sam, scilly, large_plan
):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    limit = settings.PACK_JOB_STALE_SECONDS / 60
    running(job, minutes_ago=limit - 1)
    client.force_login(sam)
    assert "Being prepared: 20% done" in client.get(status_url(job)).content.decode()
    assert sweep_pack_jobs.delay().get() == 0  # still within the limit: left alone

    running(job, minutes_ago=limit + 1)
    assert sweep_pack_jobs.delay().get() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (Status.DONE, 2, 100)


def test_a_job_that_lost_its_worker_every_time_fails_with_a_message(
    client, sam, scilly, large_plan
):
    job = PackJob.objects.create(council=scilly, requested_by=sam, since="2024-01-01")
    running(job, minutes_ago=60, attempts=settings.PACK_JOB_MAX_ATTEMPTS)
    client.force_login(sam)
    page = client.get(status_url(job)).content.decode()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == f"The worker building it stopped {settings.PACK_JOB_MAX_ATTEMPTS} times"
    assert "The scrutiny pack could not be prepared." in page
    assert "hx-trigger" not in page  # the page stops polling
    # Trying again asks for the same pack afresh.
    assert f'action="/councils/{scilly.slug}/packs/"' in page
    assert '<input type="hidden" name="since" value="2024-01-01">' in page
    assert ">Try again</button>" in page


def test_a_delivery_again_of_the_task_takes_over_a_stale_job_once(scilly, sam, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    running(job, minutes_ago=settings.PACK_JOB_STALE_SECONDS / 60 + 1)
    assert build_pack(job.pk) is True
    assert build_pack(job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)


def test_a_stale_job_at_its_last_attempt_is_failed_not_built_again(scilly, sam, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    running(job, minutes_ago=60, attempts=settings.PACK_JOB_MAX_ATTEMPTS)
    assert build_pack(job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.pdf) == (Status.FAILED, None)


def test_a_job_no_worker_ever_starts_fails_rather_than_waiting_for_ever(
    client, sam, scilly, large_plan
):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    with mock.patch.object(build_pack, "delay") as delay:
        later = timezone.now() + timedelta(seconds=20)
        assert services.pack_jobs_sweep(now=later) == 1
        assert services.pack_jobs_sweep(now=later) == 0  # queued once, not at every sweep
        assert delay.call_count == 1
        far_later = later + timedelta(seconds=settings.PACK_JOB_STALE_SECONDS * 10)
        assert services.pack_jobs_sweep(now=far_later) == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (Status.FAILED, "No worker started it")


def test_queueing_again_is_tried_again_soon_while_the_broker_is_down(scilly, sam, large_plan):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    now = timezone.now() + timedelta(seconds=20)
    with mock.patch.object(build_pack, "delay", side_effect=BrokerError("down")):
        assert services.pack_jobs_sweep(now=now) == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert job.requeue_at == now + services.ENQUEUE_RETRY
    assert services.pack_jobs_sweep(now=now + services.ENQUEUE_RETRY) == 1  # built in-process
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_a_passing_database_error_gives_the_job_back_and_the_task_tries_again(
    scilly, sam, large_plan
):
    job = PackJob.objects.create(council=scilly, requested_by=sam)
    real = services.pack_pdf
    calls = []

    def deadlocked_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return real(**kwargs)

    with mock.patch.object(services, "pack_pdf", deadlocked_once):
        assert build_pack.apply(args=[job.pk], throw=False).get() is True
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)


def test_the_limits_are_sized_together_and_the_sweep_is_on_the_beat():
    beat = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat["reports.sweep_pack_jobs"] <= timedelta(minutes=5)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # No build outlives its hard limit, which is within the staleness limit, which is within
    # the visibility timeout: Redis never hands out a pack still being built, and a pack
    # handed out again finds its job stale.
    assert build_pack.time_limit < settings.PACK_JOB_STALE_SECONDS < visibility
    assert build_pack.soft_time_limit == settings.PACK_JOB_TIME_LIMIT
    assert visibility < 3600
    assert build_pack.acks_late and build_pack.reject_on_worker_lost
