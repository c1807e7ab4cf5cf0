"""Kill a Celery worker in the middle of recomputing milestones, start it again, check the result.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/ofsted_tracker \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/14 .venv/bin/python scripts/kill_worker.py

It creates a scratch council with many published inspections and no milestones, queues the
recomputation of every inspection, SIGKILLs the worker once some (not all) milestones exist,
starts a new worker and waits for the redelivered task (late acknowledgement, a short
visibility timeout) to finish. Then every inspection must have exactly the milestones the rules
give, no duplicates. It prints the outcome, removes the scratch council, and exits 1 on failure.
The Redis database given is purged: use one of its own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"
SCRATCH_SLUG = "kill-worker-scratch-council"


def wait_for(condition: Callable[[], object], *, timeout: float, interval: float = 0.05):
    """Poll until condition() is truthy and return it, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"Gave up after {timeout} s waiting for {condition.__name__}")
        time.sleep(interval)


def database_url() -> str:
    """The URL of the database Django is connected to, for a worker in another process."""
    from django.db import connection

    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgresql://{s['USER']}{password}@{host}/{s['NAME']}"


def purge_broker(redis_url: str) -> None:
    """Empty the broker's Redis database: queued and unacknowledged messages alike."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def queue_drained(redis_url: str) -> bool:
    """No message waits in the default queue and none is being worked on (late ack)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


@contextmanager
def celery_worker(redis_url: str, log_path: Path, *, pool: str = "solo", **extra_env: str):
    """A real worker process against this database and broker; always stopped on exit.

    pool "solo" runs tasks in the worker process itself; "prefork" in one pool process, a child
    of the worker (pool_processes finds it).
    """
    env = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": redis_url,
            "CONN_MAX_AGE": "0",
        }
        | extra_env
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "a")  # noqa: SIM115 - closed in finally, after the process ends
    process = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def worker_ready():
            if process.poll() is not None:
                raise RuntimeError(f"The worker exited early: see {log_path}")
            return " ready." in log_path.read_text()

        wait_for(worker_ready, timeout=60, interval=0.2)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        log.close()


def pool_processes(worker_pid: int) -> list[int]:
    """The process ids of a prefork worker's pool processes: its children."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == worker_pid:
            children.append(int(stat.parent.name))
    return children


def create_scratch_inspections(count: int) -> list[int]:
    """Published inspections, half inadequate, saved without milestones (no services)."""
    from councils.models import Council
    from inspections.models import Framework, Inspection, Judgement

    council, _ = Council.objects.get_or_create(
        slug=SCRATCH_SLUG,
        defaults={
            "name": "Kill-the-worker scratch council",
            "dfe_code": "999",
            "ons_code": "E99999999",
            "region": "Nowhere",
            "la_type": "Scratch",
        },
    )
    framework = Framework.objects.for_start_date(date(2023, 7, 11))
    areas = list(framework.areas.all())
    inspections = Inspection.objects.bulk_create(
        Inspection(
            council=council,
            kind="standard_ilacs",
            framework=framework,
            start_date=date(2023, 7, 11),
            end_date=date(2023, 7, 13),
            # Publication dates over a year and a half, so that holidays fall differently.
            published_on=date(2023, 8, 1) + timedelta(days=i % 540),
        )
        for i in range(count)
    )
    Judgement.objects.bulk_create(
        Judgement(
            inspection=inspection,
            area=area,
            grade="inadequate" if i % 2 else "requires_improvement",
        )
        for i, inspection in enumerate(inspections)
        for area in areas
    )
    return [inspection.pk for inspection in inspections]


def expected_milestones(inspection_ids: list[int]) -> dict[int, set]:
    """What each inspection's computed milestones must be, from the same pure planning code."""
    from inspections.holidays import HolidayCalendar
    from inspections.models import DeadlineRule, Inspection
    from inspections.planning import deadline_triggers, milestones_plan

    calendar = HolidayCalendar.load()
    rules = list(DeadlineRule.objects.filter(active=True))
    expected = {}
    for inspection in Inspection.objects.filter(pk__in=inspection_ids).prefetch_related(
        "judgements__area"
    ):
        grades = {j.area.key: j.grade for j in inspection.judgements.all()}
        planned = milestones_plan(
            rules=rules,
            triggers=deadline_triggers(inspection, grades, None),
            published_on=inspection.published_on,
            received_on=inspection.report_received_on,
            calendar=calendar,
        )
        expected[inspection.pk] = {(p.key, p.due_on, p.due_by) for p in planned}
    return expected


def actual_milestones(inspection_ids: list[int]) -> dict[int, list]:
    from inspections.models import Milestone

    actual: dict[int, list] = {pk: [] for pk in inspection_ids}
    rows = Milestone.objects.filter(inspection_id__in=inspection_ids).values_list(
        "inspection_id", "key", "due_on", "due_by"
    )
    for inspection_id, *milestone in rows:
        actual[inspection_id].append(tuple(milestone))
    return actual


def delete_scratch_council() -> None:
    from councils.models import Council

    Council.objects.filter(slug=SCRATCH_SLUG).delete()


def kill_and_restart(*, redis_url: str, log_dir: Path, count: int = 1500, say=print) -> dict:
    """Run the experiment; return its figures, with "ok" True when the milestones are right."""
    from inspections.models import Milestone
    from inspections.tasks import recompute_all_milestones

    visibility = 3
    env = {"CELERY_VISIBILITY_TIMEOUT": str(visibility)}
    purge_broker(redis_url)
    ids = create_scratch_inspections(count)
    expected = expected_milestones(ids)
    total = sum(len(v) for v in expected.values())
    say(f"{count} inspections, {total} milestones expected")
    scratch = Milestone.objects.filter(inspection_id__in=ids)

    with celery_worker(redis_url, log_dir / "worker-1.log", **env) as worker:
        recompute_all_milestones.delay()

        def a_third_written():
            return scratch.count() >= total // 3

        wait_for(a_third_written, timeout=120, interval=0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=15)
    at_kill = scratch.count()
    say(f"Worker SIGKILLed with {at_kill} of {total} milestones written")
    partial = {pk: len(ms) for pk, ms in actual_milestones(ids).items()}
    # Each inspection is recomputed in one transaction: all of its milestones or none.
    torn = [pk for pk, n in partial.items() if n not in (0, len(expected[pk]))]

    # Redis hands the unacknowledged message back once the visibility timeout has passed.
    time.sleep(visibility + 1)
    with celery_worker(redis_url, log_dir / "worker-2.log", **env):

        def all_written_and_queue_empty():
            return scratch.count() >= total and queue_drained(redis_url)

        wait_for(all_written_and_queue_empty, timeout=300, interval=0.2)
    actual = actual_milestones(ids)
    wrong = [pk for pk in ids if sorted(actual[pk]) != sorted(expected[pk])]
    duplicates = sum(len(ms) - len(set(ms)) for ms in actual.values())
    outcome = {
        "inspections": count,
        "expected": total,
        "written_at_kill": at_kill,
        "killed_mid_way": 0 < at_kill < total,
        "torn_at_kill": len(torn),
        "written_after_restart": scratch.count(),
        "wrong_inspections": len(wrong),
        "duplicates": duplicates,
    }
    outcome["ok"] = outcome["killed_mid_way"] and not torn and not wrong and not duplicates
    say(
        f"After restart: {outcome['written_after_restart']} milestones, "
        f"{len(wrong)} inspections wrong, {duplicates} duplicates, {len(torn)} torn at kill: "
        + ("OK" if outcome["ok"] else "FAILED")
    )
    return outcome


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    redis_url = os.environ.get("CELERY_BROKER_URL")
    if not redis_url or not os.environ.get("DATABASE_URL"):
        print("Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    count = int(os.environ.get("KILL_WORKER_INSPECTIONS", "1500"))
    try:
        outcome = kill_and_restart(
            redis_url=redis_url, log_dir=BASE_DIR / "var" / "kill-worker", count=count
        )
    finally:
        delete_scratch_council()
    return 0 if outcome["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
