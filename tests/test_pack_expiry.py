"""Finished scrutiny packs are kept for a week, then the daily job deletes them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import PackJob
from reports.services import pack_jobs_expire
from reports.tasks import expire_pack_jobs

pytestmark = pytest.mark.django_db


def job(council, status, finished_days_ago):
    finished = timezone.now() - timedelta(days=finished_days_ago) if finished_days_ago else None
    return PackJob.objects.create(
        council=council, status=status, finished_at=finished, pdf=b"%PDF-1.7"
    )


def test_it_deletes_finished_and_failed_packs_older_than_the_limit(scilly):
    old_done = job(scilly, PackJob.Status.DONE, 8)
    old_failed = job(scilly, PackJob.Status.FAILED, 30)
    recent = job(scilly, PackJob.Status.DONE, 2)
    assert pack_jobs_expire(keep_days=7) == 2
    assert set(PackJob.objects.values_list("pk", flat=True)) == {recent.pk}
    assert not PackJob.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()


def test_it_never_deletes_a_pack_still_waiting_or_being_built(scilly):
    waiting = job(scilly, PackJob.Status.QUEUED, None)
    building = job(scilly, PackJob.Status.RUNNING, None)
    assert pack_jobs_expire(keep_days=0, now=timezone.now() + timedelta(days=365)) == 0
    assert PackJob.objects.filter(pk__in=[waiting.pk, building.pk]).count() == 2


def test_running_the_daily_task_twice_deletes_nothing_more(scilly, settings):
    settings.PACK_JOB_KEEP_DAYS = 7
    job(scilly, PackJob.Status.DONE, 9)
    kept = job(scilly, PackJob.Status.DONE, 1)
    assert expire_pack_jobs.delay().get() == 1
    assert expire_pack_jobs.delay().get() == 0
    assert list(PackJob.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_expiry_runs_every_day_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.expire_pack_jobs" in tasks
