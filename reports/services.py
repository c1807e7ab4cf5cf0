"""Writes for reports: scrutiny packs built in the background."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from councils.models import Council, User
from inspections.models import Inspection

from .models import PackJob
from .pack import pack_pdf

logger = logging.getLogger(__name__)

# Far longer than the largest pack takes to build (800 actions: well under a minute).
PACK_JOB_STALE_AFTER = timedelta(minutes=15)


@transaction.atomic
def pack_job_start(
    *, council: Council, user: User, inspection: Inspection | None, since: date | None
) -> PackJob:
    """Record a request for a scrutiny pack and queue its build once the request commits."""
    job = PackJob(council=council, requested_by=user, inspection=inspection, since=since)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import build_pack

    try:
        build_pack.delay(job_id)
    except OperationalError:
        # The request is saved as queued; asking again starts a new job, and nothing is lost.
        logger.exception("Could not queue scrutiny pack job %s", job_id)


def pack_job_run(*, job_id: int) -> bool:
    """Build the pack of a queued job; False if another run has claimed or finished it."""
    now = timezone.now()
    # A job left running by a worker that died is claimed again when its task is redelivered
    # (late acknowledgement), but only once it is clearly stale: a second delivery while the
    # first run is still going must not start a duplicate.
    stale = Q(status=PackJob.Status.RUNNING, started_at__lt=now - PACK_JOB_STALE_AFTER)
    claimed = (
        PackJob.objects.filter(pk=job_id)
        .filter(Q(status=PackJob.Status.QUEUED) | stale)
        .update(status=PackJob.Status.RUNNING, progress=5, started_at=now)
    )
    if not claimed:
        return False
    job = PackJob.objects.select_related("council", "inspection").defer("pdf").get(pk=job_id)

    def progress(percent: int) -> None:
        # Never move backwards, and only while this run still owns the job.
        PackJob.objects.filter(
            pk=job_id, status=PackJob.Status.RUNNING, progress__lt=percent
        ).update(progress=percent)

    try:
        pdf = pack_pdf(
            council=job.council, inspection=job.inspection, since=job.since, progress=progress
        )
    except Exception as exc:
        logger.exception("Scrutiny pack job %s failed", job_id)
        PackJob.objects.filter(pk=job_id, status=PackJob.Status.RUNNING).update(
            status=PackJob.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        return True
    PackJob.objects.filter(pk=job_id, status=PackJob.Status.RUNNING).update(
        status=PackJob.Status.DONE,
        progress=100,
        pdf=pdf,
        finished_at=timezone.now(),
    )
    return True


def pack_jobs_expire(*, keep_days: int, now=None) -> int:
    """Delete finished or failed packs older than keep_days; their PDFs can be made again."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    finished = Q(status__in=[PackJob.Status.DONE, PackJob.Status.FAILED])
    deleted, _ = PackJob.objects.filter(finished, finished_at__lt=cutoff).delete()
    return deleted
