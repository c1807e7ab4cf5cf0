"""Print the estimate of a council's next inspection: its likely kind and window, and how.

python manage.py next_inspection isles-of-scilly --as-of 2024-01-01 --json
"""

import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from councils.models import Council
from outcomes import selectors
from outcomes.rules import Estimate


def iso_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: write it as YYYY-MM-DD, like 2024-01-01"
        )
    return day


def as_json(council: Council, as_of: date, estimate: Estimate) -> dict:
    last = estimate.last
    return {
        "council": council.name,
        "slug": council.slug,
        "as_of": as_of.isoformat(),
        "next": estimate.step,
        "title": estimate.title,
        "focused_visit_first": estimate.focused_visit_first,
        "window": {
            "from": _iso(estimate.window_from),
            "to": _iso(estimate.window_to),
            "likeliest": _iso(estimate.likeliest),
        },
        "overdue": estimate.overdue,
        "last_inspection": None
        if last is None
        else {
            "source": last.source,
            "kind": last.kind,
            "start_date": _iso(last.start),
            "published_on": _iso(last.published),
            "grades": dict(last.grades),
        },
        "how": estimate.how,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class Command(BaseCommand):
    help = (
        "Estimate a council's next inspection (kind and window) from the framework rules and "
        "its history, using only what was published before --as-of (default today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The council, as in its address: isles-of-scilly.")
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD; default today.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, slug: str, as_of: date | None, json: bool, **options):
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise CommandError(f"No council has the address {slug!r}")
        as_of = as_of or timezone.localdate()
        estimate = selectors.next_inspection(council, as_of=as_of)
        if json:
            self.stdout.write(_dumps(as_json(council, as_of, estimate)))
            return
        self.stdout.write(f"{council.name}, as of {as_of:%-d %B %Y}: {estimate.title}")
        if estimate.window_from:
            self.stdout.write(
                f"Window: {estimate.window_from:%B %Y} to {estimate.window_to:%B %Y}, most likely "
                f"about {estimate.likeliest:%B %Y}" + (" (overdue)" if estimate.overdue else "")
            )
        for line in estimate.how:
            self.stdout.write(f"  {line}")


def _dumps(value) -> str:
    return json.dumps(value, indent=2)
