"""Celery tasks for reports: thin wrappers that take an id and call a service."""

from celery import shared_task
from django.conf import settings

from config.celery import RETRY_PASSING_ERRORS

from . import services


@shared_task(name="reports.build_pack", **RETRY_PASSING_ERRORS)
def build_pack(job_id: int) -> bool:
    """Build a queued scrutiny pack; running it again for a claimed or finished job does nothing."""
    return services.pack_job_run(job_id=job_id)


@shared_task(name="reports.expire_pack_jobs", **RETRY_PASSING_ERRORS)
def expire_pack_jobs() -> int:
    """Delete old finished packs, so the PDFs kept in the database do not grow without end."""
    return services.pack_jobs_expire(keep_days=settings.PACK_JOB_KEEP_DAYS)
