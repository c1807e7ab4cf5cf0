"""The milestone recomputation and an officer's save take their locks in one order: no deadlock.

The recomputation locks the inspection's row, then writes milestones, which bumps the council's
data version (its row). An officer's save used to bump the council first and touch the
inspection's row second (a new recommendation's foreign key takes a share lock on it), so the two
could wait on each other until PostgreSQL killed one: a failed task or a server error. Every
write to an inspection's rows now locks the inspection first.

These run two real transactions on two connections, so the tests are transactional.
"""

import threading
import time
from datetime import date
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.models.signals import post_save

from inspections import services
from inspections.models import Inspection, Milestone, Recommendation
from inspections.services import milestones as milestone_services
from inspections.tasks import recompute_milestones

from .helpers import record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


def backend_waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def run_in_thread(target, errors: list, name: str) -> threading.Thread:
    def run():
        try:
            target()
        except Exception as exc:
            errors.append((name, exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_a_recomputation_and_a_save_of_the_recommendations_at_once_both_succeed(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    Milestone.objects.filter(inspection=inspection).delete()
    first = Recommendation.objects.create(inspection=inspection, position=1, text="First.")
    items = [
        services.RecommendationInput(id=first.pk, text="First, reworded."),
        services.RecommendationInput(text="A second recommendation."),
    ]
    # The worst interleaving, made certain: the recomputation holds the inspection's lock while
    # the officer's save starts, and waits until that save has written a row or is blocked.
    recompute_holds_the_lock = threading.Event()
    save_wrote_a_row = threading.Event()
    save_pid: list[int] = []
    real_plan = milestone_services.milestones_plan

    def plan_while_the_save_runs(**kwargs):
        recompute_holds_the_lock.set()
        wait_until(
            lambda: (
                save_wrote_a_row.is_set() or (save_pid and backend_waits_on_a_lock(save_pid[0]))
            ),
            timeout=10,
        )
        return real_plan(**kwargs)

    def noted(sender, instance, **kwargs):
        if threading.current_thread().name == "save":
            save_wrote_a_row.set()

    def recompute():
        services.milestones_recompute(inspection_id=inspection.pk)

    def save():
        assert recompute_holds_the_lock.wait(timeout=10)
        connection.ensure_connection()
        save_pid.append(connection.connection.info.backend_pid)
        services.inspection_set_recommendations(
            inspection=Inspection.objects.get(pk=inspection.pk), items=items
        )

    errors: list = []
    post_save.connect(noted, sender=Recommendation, dispatch_uid="lock-order-test")
    try:
        with mock.patch.object(milestone_services, "milestones_plan", plan_while_the_save_runs):
            threads = [
                run_in_thread(recompute, errors, "recompute"),
                run_in_thread(save, errors, "save"),
            ]
            for thread in threads:
                thread.join(timeout=60)
    finally:
        post_save.disconnect(sender=Recommendation, dispatch_uid="lock-order-test")

    assert errors == []
    assert list(inspection.recommendations.values_list("text", flat=True)) == [
        "First, reworded.",
        "A second recommendation.",
    ]
    assert inspection.milestones.count() == 4


def test_a_grade_and_a_milestone_saved_during_a_recomputation_wait_for_it(
    scilly, django_capture_on_commit_callbacks
):
    """Every write to an inspection's rows queues behind the recomputation's lock."""
    inspection = record(scilly, django_capture_on_commit_callbacks)
    milestone = inspection.milestones.first()
    recompute_holds_the_lock = threading.Event()
    release = threading.Event()
    real_plan = milestone_services.milestones_plan

    def plan_slowly(**kwargs):
        recompute_holds_the_lock.set()
        release.wait(timeout=10)
        return real_plan(**kwargs)

    errors: list = []
    with mock.patch.object(milestone_services, "milestones_plan", plan_slowly):
        recompute = run_in_thread(
            lambda: services.milestones_recompute(inspection_id=inspection.pk), errors, "r"
        )
        assert recompute_holds_the_lock.wait(timeout=10)
        writer_pid: list[int] = []

        def write():
            connection.ensure_connection()
            writer_pid.append(connection.connection.info.backend_pid)
            services.milestone_record_done(
                milestone=Milestone.objects.get(pk=milestone.pk), done_on=date(2023, 9, 1)
            )

        writer = run_in_thread(write, errors, "w")
        # The officer's write waits on the inspection's row before it has changed anything.
        assert wait_until(lambda: writer_pid and backend_waits_on_a_lock(writer_pid[0]), 10)
        release.set()
        recompute.join(timeout=30)
        writer.join(timeout=30)
    assert errors == []
    assert Milestone.objects.get(pk=milestone.pk).done_on == date(2023, 9, 1)


def test_a_recomputation_that_meets_a_deadlock_is_tried_again(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    Milestone.objects.filter(inspection=inspection).delete()
    real = services.milestones_recompute
    calls = []

    def deadlocked_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return real(**kwargs)

    with mock.patch.object(services, "milestones_recompute", deadlocked_once):
        # In process, as without a broker; not raising, so that the retry runs at once.
        assert recompute_milestones.apply(args=[inspection.pk], throw=False).get() == 4
    assert len(calls) == 2
    assert inspection.milestones.count() == 4


def test_the_tasks_retry_passing_database_errors_with_backoff():
    from celery import current_app

    import councils.tasks  # noqa: F401 - registers its tasks
    import reports.tasks  # noqa: F401

    for name in (
        "inspections.recompute_milestones",
        "inspections.recompute_all_milestones",
        "inspections.send_reminders",
        "inspections.daily_deadlines",
        "councils.send_emails",
        "reports.build_pack",
        "reports.sweep_pack_jobs",
        "reports.expire_pack_jobs",
    ):
        task = current_app.tasks[name]
        assert OperationalError in task.autoretry_for, name
        assert task.retry_backoff and task.retry_jitter, name
        assert 0 < task.max_retries <= 10, name
