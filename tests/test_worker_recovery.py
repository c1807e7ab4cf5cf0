"""A real Celery worker on the local Redis meets a deadlock, and is killed in the middle of a pack.

Worker processes use the test database, so the tests are transactional: the worker sees only
committed data. A transactional test's flush removes the rows the migrations seed, so the
frameworks and deadline rules are seeded again for each.
"""

import os
import signal
import time
from datetime import date

import psycopg
import pytest
from django.db import connection

from actions.models import Action
from inspections.models import Milestone, Recommendation
from inspections.tasks import recompute_milestones
from reports.models import PackJob
from reports.services import pack_job_start, pack_jobs_sweep
from scripts.kill_worker import (
    celery_worker,
    database_url,
    pool_processes,
    purge_broker,
    wait_for,
)

from .helpers import record

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


def backends_waiting_on(table: str) -> list[int]:
    """Other sessions of this database waiting for a row lock while they write to table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE %s",
            [f"%{table}%"],
        )
        return [pid for (pid,) in cursor.fetchall()]


def test_a_recomputation_that_a_deadlock_kills_in_the_worker_is_tried_again(
    broker, scilly, tmp_path, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    purge_broker(broker)  # the recomputation that saving queued: this test queues its own
    Milestone.objects.filter(inspection=inspection).delete()

    # Another session takes the locks in the other order: the council's row, then the
    # inspection's, as an officer's save once did. It waits longer than the worker before it
    # looks for a deadlock, so the worker's transaction is the one PostgreSQL cancels.
    with psycopg.connect(database_url()) as other:
        other.execute("SET deadlock_timeout = '30s'")
        other.execute(
            "UPDATE councils_council SET data_version = data_version + 1 WHERE id = %s",
            [scilly.pk],
        )
        with celery_worker(broker, tmp_path / "worker.log"):
            recompute_milestones.delay(inspection.pk)
            # The worker holds the inspection's row and waits for the council's.
            wait_for(lambda: backends_waiting_on("councils_council"), timeout=60)
            started = time.monotonic()
            other.execute(
                "SELECT 1 FROM inspections_inspection WHERE id = %s FOR KEY SHARE",
                [inspection.pk],
            )
            assert time.monotonic() - started < 20, "this session, not the worker, was cancelled"
            other.rollback()

            def milestones_written():
                return Milestone.objects.filter(inspection=inspection).count() == 4

            wait_for(milestones_written, timeout=60)
    # Received twice: the first delivery died in the deadlock, its retry wrote the milestones.
    log = (tmp_path / "worker.log").read_text()
    assert log.count("Task inspections.recompute_milestones[") == 2


# A pack large enough to take several seconds to build, so that its worker dies mid-build.
PACK_ACTIONS = 300


def large_pack(council, capture) -> None:
    inspection = record(council, capture)
    recommendation = Recommendation.objects.create(
        inspection=inspection, position=1, text="The quality of strategy discussions."
    )
    Action.objects.bulk_create(
        Action(
            council=council,
            recommendation=recommendation,
            plan=inspection,
            title=f"Action {n}: audit a monthly sample of strategy discussions",
            owner_name="Morwenna Tregarthen",
            due_on=date(2024, 3, 31),
            current_due_on=date(2024, 3, 31),
            success_criterion="90% of audited strategy discussions are rated good or better.",
        )
        for n in range(PACK_ACTIONS)
    )


def start_pack(broker, council, user, capture) -> PackJob:
    purge_broker(broker)  # the milestones' recomputation that saving the inspection queued
    with capture(execute=True):
        job = pack_job_start(council=council, user=user, inspection=None, since=None)
    return job


def being_built(job):
    def rendering():
        # Past reading the actions: the PDF is being laid out.
        return PackJob.objects.filter(pk=job.pk, status="running", progress__gte=20).exists()

    return rendering


def unfinished() -> int:
    return PackJob.objects.exclude(status__in=["done", "failed"]).count()


def test_a_pack_whose_whole_worker_is_killed_is_built_once_swept(
    broker, scilly, sam, tmp_path, settings, django_capture_on_commit_callbacks
):
    large_pack(scilly, django_capture_on_commit_callbacks)
    job = start_pack(broker, scilly, sam, django_capture_on_commit_callbacks)
    with celery_worker(broker, tmp_path / "worker-1.log") as worker:
        wait_for(being_built(job), timeout=120)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=15)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)  # its page would say so for an hour
    # Time passes beyond the staleness limit (made short here): the sweep finds the job lost.
    settings.PACK_JOB_STALE_SECONDS = 1
    time.sleep(1.5)
    assert pack_jobs_sweep() == 1
    assert unfinished() == 1
    with celery_worker(broker, tmp_path / "worker-2.log"):
        wait_for(lambda: unfinished() == 0, timeout=180)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == ("done", 2, 100)
    assert bytes(job.pdf).startswith(b"%PDF")


def test_a_pack_whose_pool_process_is_killed_is_built_once_swept(
    broker, scilly, sam, tmp_path, settings, django_capture_on_commit_callbacks
):
    large_pack(scilly, django_capture_on_commit_callbacks)
    job = start_pack(broker, scilly, sam, django_capture_on_commit_callbacks)
    log = tmp_path / "worker.log"
    with celery_worker(broker, log, pool="prefork") as worker:
        wait_for(being_built(job), timeout=120)
        [child] = pool_processes(worker.pid)
        os.kill(child, signal.SIGKILL)
        # The worker hands the task back and it is delivered again at once, to a new pool
        # process, which cannot tell a lost run from a slow one and leaves the job alone.
        wait_for(lambda: "WorkerLostError" in log.read_text(), timeout=30)
        wait_for(lambda: log.read_text().count("Task reports.build_pack[") >= 2, timeout=30)
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("running", 1)
        settings.PACK_JOB_STALE_SECONDS = 1
        time.sleep(1.5)
        assert pack_jobs_sweep() == 1
        wait_for(lambda: unfinished() == 0, timeout=180)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == ("done", 2, 100)
