"""Celery tasks for reports: thin wrappers that take an id and call a service."""

from celery import shared_task
from django.conf import settings

from config.celery import RETRY_PASSING_ERRORS

from . import services


@shared_task(
    name="reports.build_pack",
    # Acknowledged once built: a worker lost mid-build (a pool process killed: rejected and
    # handed out again at once; a whole worker killed: after the visibility timeout) leaves the
    # task to be delivered again, and that delivery takes the job over once it is stale.
    acks_late=True,
    reject_on_worker_lost=True,
    # A build stops after PACK_JOB_TIME_LIMIT seconds and the job fails with a message; the hard
    # limit ends the pool process if it does not. Both are shorter than the staleness limit.
    soft_time_limit=settings.PACK_JOB_TIME_LIMIT,
    time_limit=settings.PACK_JOB_TIME_LIMIT + 30,
    **RETRY_PASSING_ERRORS,
)
def build_pack(job_id: int) -> bool:
    """Build a queued scrutiny pack; running it again for a claimed or finished job does nothing."""
    return services.pack_job_run(job_id=job_id)


@shared_task(name="reports.sweep_pack_jobs", **RETRY_PASSING_ERRORS)
def sweep_pack_jobs() -> int:
    """Queue again, or fail, pack jobs whose queueing failed or whose worker was lost."""
    return services.pack_jobs_sweep()


@shared_task(name="reports.expire_pack_jobs", **RETRY_PASSING_ERRORS)
def expire_pack_jobs() -> int:
    """Delete old finished packs, so the PDFs kept in the database do not grow without end."""
    return services.pack_jobs_expire(keep_days=settings.PACK_JOB_KEEP_DAYS)
