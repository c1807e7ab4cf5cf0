"""The dashboard's and the overview's query counts with the demo data and with ten times as much.

Both must be equal (QUALITY.md, "Query counts per page are constant as the data grows tenfold").
The tenfold data is added inside a transaction that is rolled back, so the demo stays as it was.

    .venv/bin/python bench/dashboard_queries.py [--council isles-of-scilly]
"""

import argparse
import contextlib
import sys
from datetime import timedelta

from _setup import prepare_database, setup_django


def count_queries(client, url: str, *, cold: bool) -> int:
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        for cache in caches.all():
            cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return len(queries)


def grow_tenfold(council) -> None:
    """Nine more copies of every action (each with its updates), milestone, inspection and
    impact measure (each with its values), and ten times the values of every measure."""
    from django.core.exceptions import ValidationError

    from actions.models import Action
    from actions.services import action_add_progress, action_create
    from councils.models import User
    from inspections.models import Inspection, Milestone
    from inspections.services import inspection_set_judgements, milestone_add_agreed

    user = User.objects.filter(memberships__council=council, memberships__role="officer").first()
    for action in list(Action.objects.for_council(council).select_related("recommendation")):
        for n in range(9):
            copy = Action(
                recommendation=action.recommendation,
                title=f"{action.title} (copy {n + 1})",
                owner_name=action.owner_name,
                due_on=action.due_on,
                success_criterion=action.success_criterion,
            )
            action_create(action=copy, user=user)
            action_add_progress(
                action=copy,
                expected_version=1,
                user=user,
                narrative=f"Copied progress {n}",
                status=action.status if action.status != "complete" else "in_progress",
                # A copy past its due date is Red, as an overdue action is.
                rag="red" if copy.rag == "red" else action.rag if action.rag != "blue" else "green",
                percent_complete=min(action.percent_complete, 99),
            )
    graded = list(Inspection.objects.for_council(council).filter(framework__isnull=False))
    for inspection in graded:
        grades = {j.area.key: j.grade for j in inspection.judgements.select_related("area")}
        for n in range(9):
            copy = Inspection.objects.get(pk=inspection.pk)
            copy.pk = None
            copy.start_date -= timedelta(days=30 * (n + 1))
            copy.end_date -= timedelta(days=30 * (n + 1))
            copy.published_on = None
            copy.report_received_on = None
            copy.save()
            inspection_set_judgements(inspection=copy, grades=grades)
    grow_measures_tenfold(council)
    milestones = Milestone.objects.for_council(council).select_related("inspection")
    for index, milestone in enumerate(list(milestones)):
        # Milestones may share a day (a visit and a publication both due 30 working days on):
        # each one's copies get days of their own, as one visit a day is all that is agreed.
        first = max(milestone.due_on, milestone.inspection.end_date) + timedelta(10 * index)
        for n in range(9):
            with contextlib.suppress(ValidationError):  # a visit already agreed for that day
                milestone_add_agreed(
                    inspection=milestone.inspection,
                    key="monitoring_visit",
                    due_on=first + timedelta(n + 1),
                )


def grow_measures_tenfold(council) -> None:
    """Nine copies of each measure, and nine earlier periods for every value of each."""
    from measures.models import Measure, MeasureValue
    from measures.periods import previous_period_end

    for measure in list(Measure.objects.filter(council=council).prefetch_related("values")):
        values = list(measure.values.all())
        earliest = min((v.period_end for v in values), default=None)
        for n in range(9 * len(values)):
            earliest = previous_period_end(measure.frequency, earliest)
            MeasureValue.objects.create(
                measure=measure, period_end=earliest, value=values[n % len(values)].value
            )
        for n in range(9):
            copy = Measure.objects.get(pk=measure.pk)
            copy.pk = None
            copy.id = None
            copy.name = f"{measure.name} (copy {n + 1})"
            copy.save()
            MeasureValue.objects.bulk_create(
                MeasureValue(measure=copy, period_end=v.period_end, value=v.value) for v in values
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--council", default="isles-of-scilly")
    args = parser.parse_args()
    prepare_database()
    setup_django()
    from django.db import transaction
    from django.test import Client

    from councils.models import Council, User

    council = Council.objects.get(slug=args.council)
    lead = User.objects.filter(memberships__council=council, memberships__role="lead_member")[0]
    admin = User.objects.filter(is_superuser=True).first()
    dashboard_url = f"/councils/{council.slug}/dashboard/"
    overview_url = "/overview/?sort=-complete"
    pages = [
        ("dashboard, cold cache", lead, dashboard_url, True),
        ("dashboard, warm cache", lead, dashboard_url, False),
        ("overview", admin, overview_url, False),
    ]
    results: dict[str, list[int]] = {name: [] for name, *_ in pages}
    with transaction.atomic():
        for scale in (1, 10):
            if scale == 10:
                grow_tenfold(council)
            for name, user, url, cold in pages:
                client = Client()
                client.force_login(user)
                if not cold:
                    client.get(url)  # fill the cache first
                results[name].append(count_queries(client, url, cold=cold))
        transaction.set_rollback(True)
    print(f"{'page':<24}{'1x':>6}{'10x':>6}")
    for name, (one, ten) in results.items():
        print(f"{name:<24}{one:>6}{ten:>6}{'' if one == ten else '  NOT EQUAL'}")
    sys.exit(0 if all(one == ten for one, ten in results.values()) else 1)


if __name__ == "__main__":
    main()
