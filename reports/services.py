"""Writes for reports: the scrutiny pack's cover, and scrutiny packs built in the background."""

import logging
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from councils.models import Council, User
from inspections.models import Inspection

from .models import PackCover, PackJob
from .pack import pack_pdf

logger = logging.getLogger(__name__)

Status = PackJob.Status
# A job asked for this long ago and not queued yet had its queueing fail (the broker was down,
# or the web process died after the commit): the sweep queues it.
ENQUEUE_GRACE = timedelta(seconds=15)
# While the broker cannot be reached, the sweep tries to queue a job this often.
ENQUEUE_RETRY = timedelta(seconds=30)
LOST_WORKER = "The worker building it stopped {attempts} times"


def stale_after() -> timedelta:
    """How long a job may run (or wait once queued) before the sweep takes it as lost."""
    return timedelta(seconds=settings.PACK_JOB_STALE_SECONDS)


def _given_up_after() -> timedelta:
    """A job still waiting this long after it was asked for fails, so its page stops polling."""
    return stale_after() * (settings.PACK_JOB_MAX_ATTEMPTS + 1)


class PackJobRefused(ValidationError):
    """The person has as many packs on the way, or has asked for as many lately, as they may."""


def _refuse_too_many(user: User) -> None:
    # One person's requests are counted one at a time: their row is held until the commit.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    theirs = PackJob.objects.filter(requested_by=user)
    waiting = theirs.filter(status__in=[Status.QUEUED, Status.RUNNING]).count()
    if waiting >= settings.PACK_JOBS_IN_FLIGHT_PER_PERSON:
        raise PackJobRefused(
            f"You have {waiting} scrutiny pack{pluralize(waiting)} being prepared, the most you "
            "can have at once: "
            "wait until one is ready, then ask again",
            code="in_flight",
        )
    lately = theirs.filter(created_at__gte=timezone.now() - timedelta(hours=1)).count()
    if lately >= settings.PACK_JOBS_PER_HOUR_PER_PERSON:
        raise PackJobRefused(
            f"You have asked for {lately} scrutiny pack{pluralize(lately)} in the last hour, the "
            "most you can: "
            "download one of them, or ask again later",
            code="per_hour",
        )


@transaction.atomic
def pack_job_start(
    *, council: Council, user: User, inspection: Inspection | None, since: date | None
) -> PackJob:
    """Record a request for a scrutiny pack and queue its build once the request commits;
    PackJobRefused if the person may not ask for another yet."""
    _refuse_too_many(user)
    job = PackJob(
        council=council,
        requested_by=user,
        inspection=inspection,
        since=since,
        requeue_at=timezone.now() + ENQUEUE_GRACE,
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import build_pack

    try:
        build_pack.delay(job_id)
    except BrokerError:
        # The job is saved as queued: the sweep queues it again once the broker answers.
        logger.exception("Could not queue scrutiny pack job %s; the sweep will", job_id)
        return
    # Queued: the sweep queues it again only if it waits too long.
    PackJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        requeue_at=timezone.now() + stale_after()
    )


def pack_job_run(*, job_id: int) -> bool:
    """Build the pack of a queued job; False if another run has claimed or finished it.

    A job left running by a worker that was lost is taken over by the next delivery of its task
    (late acknowledgement: Redis hands the task out again) once it is stale, so that a second
    delivery while the first run is still going never starts a duplicate. The claim is a
    conditional UPDATE on the status, the attempt counter and the start time read, so two
    deliveries at once claim it once; each run's writes name its attempt, so a run that lost the
    job to another changes nothing more.
    """
    now = timezone.now()
    seen = PackJob.objects.filter(pk=job_id).values("status", "attempts", "started_at").first()
    if seen is None:
        return False
    stale = (
        seen["status"] == Status.RUNNING
        and seen["started_at"] is not None
        and seen["started_at"] < now - stale_after()
    )
    if seen["status"] != Status.QUEUED and not stale:
        return False  # finished, or another run is building it
    unchanged = PackJob.objects.filter(pk=job_id, **seen)
    if seen["attempts"] >= settings.PACK_JOB_MAX_ATTEMPTS:
        # Every run so far was lost: a pack that brings its worker down is not tried again.
        unchanged.update(
            status=Status.FAILED,
            error=LOST_WORKER.format(attempts=seen["attempts"]),
            finished_at=now,
        )
        return False
    attempt = seen["attempts"] + 1
    claimed = unchanged.update(
        status=Status.RUNNING, attempts=attempt, progress=5, started_at=now, requeue_at=None
    )
    if not claimed:
        return False
    if attempt > 1:
        logger.warning("Scrutiny pack job %s: attempt %s of its build", job_id, attempt)
    job = PackJob.objects.select_related("council", "inspection").defer("pdf").get(pk=job_id)
    mine = PackJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt)

    def progress(percent: int) -> None:
        # Never move backwards, and only while this run still owns the job.
        mine.filter(progress__lt=percent).update(progress=percent)

    try:
        pdf = pack_pdf(
            council=job.council, inspection=job.inspection, since=job.since, progress=progress
        )
    except OperationalError:
        # A passing database error: give the job back and let the task try again.
        mine.update(status=Status.QUEUED, progress=0, requeue_at=timezone.now() + stale_after())
        raise
    except Exception as exc:
        logger.exception("Scrutiny pack job %s failed", job_id)
        if isinstance(exc, SoftTimeLimitExceeded):
            error = f"It took longer than {settings.PACK_JOB_TIME_LIMIT} seconds"
        else:
            error = str(exc)[:500]
        mine.update(status=Status.FAILED, error=error, finished_at=timezone.now())
        return True
    mine.update(status=Status.DONE, progress=100, pdf=pdf, finished_at=timezone.now())
    return True


def pack_jobs_sweep(*, job_ids: list[int] | None = None, now=None) -> int:
    """Queue again, or fail, the jobs that would otherwise wait for ever; return how many.

    - A job running past the staleness limit lost its worker (a pool process killed, a whole
      worker killed, a machine restarted): it is queued again, or, after
      PACK_JOB_MAX_ATTEMPTS runs, failed, so that its page says to try again.
    - A job still queued when its requeue time comes had its queueing fail, or its message was
      lost: it is queued again, and failed once it has waited far too long.

    The beat runs it every few minutes, and a job's page runs it for that job as it polls. Each
    change is a conditional UPDATE on what was read, so sweeps at once act once; a build queued
    twice is built once (pack_job_run claims it).
    """
    now = now or timezone.now()
    jobs = PackJob.objects.filter(
        Q(status=Status.RUNNING, started_at__lt=now - stale_after())
        | Q(status=Status.QUEUED, requeue_at__lte=now)
        | Q(status=Status.QUEUED, requeue_at__isnull=True, created_at__lt=now - ENQUEUE_GRACE)
        | Q(status=Status.QUEUED, created_at__lt=now - _given_up_after())
    )
    if job_ids is not None:
        jobs = jobs.filter(pk__in=job_ids)
    fields = ("pk", "status", "attempts", "started_at", "requeue_at", "created_at")
    return sum(_sweep(job, now) for job in jobs.order_by("pk").values(*fields))


def _sweep(job: dict, now) -> int:
    pk, created_at = job.pop("pk"), job.pop("created_at")
    unchanged = PackJob.objects.filter(pk=pk, **job)
    if job["status"] == Status.RUNNING:
        if job["attempts"] >= settings.PACK_JOB_MAX_ATTEMPTS:
            logger.error("Scrutiny pack job %s lost its worker %s times", pk, job["attempts"])
            return unchanged.update(
                status=Status.FAILED,
                error=LOST_WORKER.format(attempts=job["attempts"]),
                finished_at=now,
            )
        if not unchanged.update(status=Status.QUEUED, progress=0, requeue_at=now):
            return 0
        logger.warning("Scrutiny pack job %s lost its worker; queued again", pk)
        job |= {"status": Status.QUEUED, "requeue_at": now}
        unchanged = PackJob.objects.filter(pk=pk, **job)
    elif created_at < now - _given_up_after():
        logger.error("Scrutiny pack job %s was never started", pk)
        return unchanged.update(status=Status.FAILED, error="No worker started it", finished_at=now)
    # Claim this queueing, so that two sweeps at once queue it once.
    next_requeue = now + stale_after()
    if not unchanged.update(requeue_at=next_requeue):
        return 0
    from .tasks import build_pack

    try:
        build_pack.delay(pk)
    except BrokerError:
        logger.exception("Could not queue scrutiny pack job %s again", pk)
        PackJob.objects.filter(pk=pk, status=Status.QUEUED, requeue_at=next_requeue).update(
            requeue_at=now + ENQUEUE_RETRY
        )
    return 1


def pack_jobs_expire(*, keep_days: int, now=None) -> int:
    """Delete finished or failed packs older than keep_days; their PDFs can be made again."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    finished = Q(status__in=[PackJob.Status.DONE, PackJob.Status.FAILED])
    deleted, _ = PackJob.objects.filter(finished, finished_at__lt=cutoff).delete()
    return deleted


# The pack's cover -------------------------------------------------------------------------------

COVER_FIELDS = ("committee", "meeting_date", "agenda_item", "author", "recommendation")


@transaction.atomic
def pack_cover_save(*, council: Council, user: User | None, **values) -> PackCover:
    """Record the council's cover for its scrutiny packs, or change it, with a history record.

    The council's row is locked first, so that two people saving the first cover at once
    both succeed, the later one changing what the earlier recorded.
    """
    unknown = set(values) - set(COVER_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of the cover: {', '.join(sorted(unknown))}")
    list(Council.objects.select_for_update().filter(pk=council.pk).values_list("pk"))
    cover = PackCover.objects.filter(council=council).first() or PackCover(council=council)
    for field, value in values.items():
        setattr(cover, field, value)
    cover._history_user = user
    cover._change_reason = "Recorded" if cover.pk is None else "Changed"
    cover.full_clean()
    cover.save()
    return cover
