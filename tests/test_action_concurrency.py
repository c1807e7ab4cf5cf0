"""Two officers save the same action from the same version at the same time: one wins.

Real threads with their own PostgreSQL connections, in a transactional test so that each
thread's transaction commits for real.
"""

import threading

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client

from actions.models import Action, ProgressUpdate
from actions.services import ActionConflict, action_update

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def action(scilly, frameworks):
    return ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=scilly)),
        title="Audit strategy discussions",
    )


def run_in_threads(*targets):
    """Run each target in its own thread (and so its own connection); return their results."""
    results = [None] * len(targets)

    def run(index, target):
        try:
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread raised
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, target)) for i, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_a_save_that_overlaps_an_uncommitted_one_waits_then_gets_a_conflict(action, alice, dina):
    first_claimed = threading.Event()
    second_started = threading.Event()

    def first():
        with transaction.atomic():
            action_update(
                action=Action.objects.get(pk=action.pk),
                expected_version=1,
                user=alice,
                changes={"title": "Alice's title"},
            )
            first_claimed.set()
            # Hold the transaction open while the second save runs into the locked row.
            second_started.wait(timeout=10)
            threading.Event().wait(0.3)
        return "saved"

    def second():
        first_claimed.wait(timeout=10)
        second_started.set()
        action_update(
            action=Action.objects.get(pk=action.pk),
            expected_version=1,
            user=dina,
            changes={"title": "Dina's title"},
        )
        return "saved"

    results = run_in_threads(first, second)
    assert results[0] == "saved"
    assert isinstance(results[1], ActionConflict)
    action.refresh_from_db()
    assert (action.title, action.version) == ("Alice's title", 2)
    assert action.history.filter(history_type="~").count() == 1


def test_two_officers_posting_the_edit_form_at_once_one_wins_one_sees_the_conflict(
    action, alice, dina
):
    barrier = threading.Barrier(2, timeout=10)
    form = {
        "recommendation": action.recommendation_id,
        "success_criterion": action.success_criterion,
        "owner_name": action.owner_name,
        "version": 1,
    }

    def save_as(user, title):
        def post():
            client = Client()
            client.force_login(user)
            url = f"/councils/isles-of-scilly/actions/{action.pk}/edit/"
            barrier.wait()
            return client.post(url, form | {"title": title})

        return post

    responses = run_in_threads(save_as(alice, "Alice's title"), save_as(dina, "Dina's title"))
    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = "Alice's title" if responses[0].status_code == 302 else "Dina's title"
    loser = responses[1] if responses[0].status_code == 302 else responses[0]
    assert "changed this action" in loser.content.decode()
    action.refresh_from_db()
    assert (action.title, action.version) == (winner, 2)
    changes = action.history.filter(history_type="~")
    assert changes.count() == 1
    assert changes.get().title == winner


def test_two_inline_progress_updates_at_once_keep_one_and_refuse_the_other(action, alice, dina):
    barrier = threading.Barrier(2, timeout=10)

    def update_as(user, narrative):
        def post():
            client = Client()
            client.force_login(user)
            url = f"/councils/isles-of-scilly/actions/{action.pk}/progress/section/"
            barrier.wait()
            return client.post(
                url,
                {
                    "narrative": narrative,
                    "status": "in_progress",
                    "rag": "green",
                    "percent_complete": "20",
                    "version": 1,
                },
                headers={"HX-Request": "true"},
            )

        return post

    responses = run_in_threads(update_as(alice, "From Alice"), update_as(dina, "From Dina"))
    assert [r.status_code for r in responses] == [200, 200]
    conflicts = [r for r in responses if "changed this action" in r.content.decode()]
    assert len(conflicts) == 1
    assert ProgressUpdate.objects.count() == 1
    assert Action.objects.get(pk=action.pk).version == 2


def test_an_officer_save_between_an_admin_edits_check_and_its_save_waits_then_conflicts(
    action, alice, helen, rf
):
    """The admin validates and saves in one transaction (ModelAdmin.changeform_view), as here."""
    model_admin = admin.site._registry[Action]
    request = rf.post("/admin/")
    request.user = helen
    checked = threading.Event()
    officer_finished = threading.Event()

    def admin_edit():
        with transaction.atomic():
            form_class = model_admin.get_form(request, action)
            data = model_to_dict(action, fields=form_class.base_fields)
            form = form_class(
                data | {"read_version": 1, "title": "Admin's title"},
                instance=Action.objects.get(pk=action.pk),
            )
            assert form.is_valid(), form.errors
            checked.set()
            # The officer's save runs now; it must not finish before this edit is saved.
            finished_early = officer_finished.wait(timeout=0.5)
            model_admin.save_model(request, form.save(commit=False), form, True)
        return "officer finished first" if finished_early else "saved"

    def officer_save():
        checked.wait(timeout=10)
        try:
            return action_update(
                action=Action.objects.get(pk=action.pk),
                expected_version=1,
                user=alice,
                changes={"title": "Officer's title"},
            )
        finally:
            officer_finished.set()

    admin_result, officer_result = run_in_threads(admin_edit, officer_save)
    assert admin_result == "saved"
    assert isinstance(officer_result, ActionConflict)
    action.refresh_from_db()
    assert (action.title, action.version) == ("Admin's title", 2)
