"""Celery tasks for reports: thin wrappers that take an id and call a service."""

from celery import shared_task

from . import services


@shared_task(name="reports.build_pack")
def build_pack(job_id: int) -> bool:
    """Build a queued scrutiny pack; running it again for a claimed or finished job does nothing."""
    return services.pack_job_run(job_id=job_id)
