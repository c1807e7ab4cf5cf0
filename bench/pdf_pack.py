"""Scrutiny pack PDF render time for 50, 200 and 800 actions, in a PostgreSQL database of its own.

Each pack also has 20 impact measures (--measures), each with eight quarters of values and a
published indicator giving England's, the region's and every statistical neighbour's values, so
that the Impact measures section's charts and tables are timed with the plan.

Target (QUALITY.md): 200 actions in under 3 s here, time growing linearly with the actions. The
machines are shared and noisy, so read the ratios: the marginal seconds per action from 50 to 200
and from 200 to 800 should be about equal (ratio near 1) if the cost is linear.

    .venv/bin/python bench/pdf_pack.py [--sizes 50 200 800] [--repeat 3] [--measures 20]
"""

import argparse
import os
import statistics
import subprocess
import time
from datetime import date, datetime, timedelta

# Its own database, so that the dashboard benchmark's figures are not disturbed by these actions.
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ofsted_bench_pdf")

from _setup import prepare_database, setup_django

STATUSES = [("in_progress", "green"), ("in_progress", "amber"), ("blocked", "red")]
NARRATIVE = (
    "Audit {n}: {k} of the sampled case files met the standard; managers discussed the findings "
    "with each team and agreed what to change before the next audit in four weeks' time."
)


def synthetic_inspection(council_slug: str, actions: int):
    """An inspection of the council with eight recommendations and this many actions, each
    with three dated progress updates; replaced on every run so the sizes stay exact."""
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from actions.models import Action, ProgressUpdate
    from councils.models import Council, User
    from inspections.models import Inspection, InspectionKind, Recommendation
    from inspections.services import inspection_save

    council = Council.objects.get(slug=council_slug)
    author = User.objects.get(username="scilly-officer")
    with transaction.atomic():
        ProgressUpdate.objects.filter(action__council=council).delete()
        Action.objects.filter(council=council).delete()
        Inspection.objects.filter(council=council).delete()
        inspection = inspection_save(
            inspection=Inspection(
                council=council,
                kind=InspectionKind.STANDARD_ILACS,
                start_date=date(2024, 1, 15),
                end_date=date(2024, 1, 26),
                published_on=date(2024, 3, 1),
            )
        )
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(
                inspection=inspection,
                position=n,
                text=f"The quality and impact of supervision and management oversight, area {n}.",
            )
            for n in range(1, 9)
        )
        today = timezone.localdate()
        rows = []
        for n in range(actions):
            # A quarter complete; the open ones due from three months ago to two years ahead,
            # so that about a third of them are exceptions (red, overdue or blocked), as in the
            # demo plan and the committee minutes in seeds/.
            status, rag = ("complete", "blue") if n % 4 == 0 else STATUSES[n % 3]
            if status == "blocked" and n % 2:
                status, rag = "in_progress", "green"
            due = today + timedelta(days=(n * 37) % 810 - 90)
            revised = due + timedelta(days=60) if n % 5 == 1 else None
            rows.append(
                Action(
                    council=council,
                    recommendation=recommendations[n % 8],
                    plan_id=recommendations[n % 8].inspection_id,
                    title=f"Action {n + 1}: audit a monthly sample of strategy discussions",
                    owner_name="Morwenna Tregarthen",
                    lead="Head of Children's Social Care",
                    due_on=due,
                    revised_due_on=revised,
                    revision_reason="Recruitment of the new team took longer" if revised else "",
                    current_due_on=revised or due,
                    status=status,
                    rag=rag,
                    percent_complete=100 if status == "complete" else (n * 7) % 100,
                    success_criterion=(
                        "90% of audited strategy discussions are rated good or better, for "
                        "three months running."
                    ),
                    evidence_of_impact="Audit results" if status == "complete" else "",
                    closed_on=today if status == "complete" else None,
                )
            )
        created = bulk_create_with_history(rows, Action, batch_size=500)
        start = timezone.make_aware(datetime(2024, 7, 1, 10))
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                author=author,
                created_at=start + timedelta(days=30 * k),
                narrative=NARRATIVE.format(n=k + 1, k=12 + k),
                status=action.status,
                rag=action.rag,
                percent_complete=action.percent_complete,
            )
            for action in created
            for k in range(3)
        )
    return council, inspection


def synthetic_measures(council, count: int) -> None:
    """count measures with eight quarters of values each, mapped to an indicator of their own
    with England's, the region's and the neighbours' values; replaced on every run."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from councils.models import StatisticalNeighbour
    from measures.models import (
        ComparatorLoad,
        Indicator,
        IndicatorValue,
        Level,
        Measure,
        MeasureValue,
    )
    from measures.periods import recent_period_ends
    from measures.series import ENGLAND, region_code

    today = timezone.localdate()
    ends = list(reversed(recent_period_ends("quarterly", today, 8)))
    neighbours = list(
        StatisticalNeighbour.objects.filter(council=council).values_list(
            "neighbour__ons_code", flat=True
        )
    )
    areas = [(Level.NATIONAL, ENGLAND)] + [(Level.LOCAL, code) for code in neighbours]
    if region_code(council):
        areas.append((Level.REGIONAL, region_code(council)))
    with transaction.atomic():
        Measure.objects.filter(council=council).delete()
        Indicator.objects.filter(column__startswith=f"bench_{council.slug}_").delete()
        load = ComparatorLoad.objects.create(
            source="bench", sha256="0" * 64, rows=0, indicators=count
        )
        for n in range(count):
            indicator = Indicator.objects.create(
                column=f"bench_{council.slug}_{n}", label=f"Bench indicator {n}", source="bench"
            )
            measure = Measure.objects.create(
                council=council,
                name=f"Impact measure {n + 1}: re-referrals within 12 months, area {n % 8 + 1}",
                definition="Referrals within 12 months of a previous referral, as a percentage.",
                unit="percentage",
                polarity="lower" if n % 2 else "higher",
                frequency="quarterly",
                target=Decimal(20 + n % 5),
                target_on=date(today.year + 1, 3, 31),
                tolerance=Decimal(2),
                indicator=indicator,
            )
            MeasureValue.objects.bulk_create(
                MeasureValue(measure=measure, period_end=end, value=Decimal(30 - k + n % 7))
                for k, end in enumerate(ends)
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    indicator=indicator,
                    period_end=end,
                    time_period=f"{end:%Y}",
                    time_identifier="Bench",
                    level=level,
                    area_code=code,
                    value=Decimal(22 + (k + i) % 6),
                    load=load,
                )
                for k, end in enumerate(ends)
                for i, (level, code) in enumerate(areas)
            )


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return int(next(line for line in info.decode().splitlines() if line.startswith("Pages:"))[6:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measures", type=int, default=20, help="impact measures in each pack")
    args = parser.parse_args()
    prepare_database()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.pack import pack_pdf

    # Councils of the loaded list that the demo leaves without inspections.
    slugs = ["rutland", "hartlepool", "darlington", "halton", "torbay"]
    results = []
    for slug, size in zip(slugs, args.sizes, strict=False):
        council, inspection = synthetic_inspection(slug, size)
        synthetic_measures(council, args.measures)
        since = date(2024, 9, 1)
        pack_pdf(council=council, inspection=inspection, since=since)  # warm fonts and caches
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                pdf = pack_pdf(council=council, inspection=inspection, since=since)
                times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
        results.append((size, seconds, pages(pdf), len(queries)))
        print(
            f"{size:>5} actions: {seconds:6.2f} s (median of {args.repeat}), "
            f"{pages(pdf):>3} pages, {len(queries)} queries, {args.measures} measures, "
            f"{1000 * seconds / size:6.1f} ms per action",
            flush=True,
        )
    for (n1, t1, *_), (n2, t2, *_) in zip(results, results[1:], strict=False):
        print(f"  marginal {n1}->{n2}: {1000 * (t2 - t1) / (n2 - n1):.1f} ms per added action")
    if len(results) >= 3:
        (n1, t1, *_), (n2, t2, *_), (n3, t3, *_) = results[:3]
        ratio = ((t3 - t2) / (n3 - n2)) / ((t2 - t1) / (n2 - n1))
        print(f"marginal time per action, {n2}->{n3} over {n1}->{n2}: {ratio:.2f} (1.0 = linear)")
        print(f"per-action time, {n3} over {n1}: {(t3 / n3) / (t1 / n1):.2f}")
    target = next((t for n, t, *_ in results if n == 200), None)
    if target is not None:
        verdict = "meets" if target < 3 else "MISSES"
        print(f"200 actions: {target:.2f} s, {verdict} the 3 s target")


if __name__ == "__main__":
    main()
