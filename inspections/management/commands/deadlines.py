"""Print the statutory deadlines that follow a publication date, from the rules in the database.

python manage.py deadlines --published 2023-08-25 --outcome inadequate
action_planning_visit 2023-10-09
action_plan 2023-12-04
first_monitoring_visit 2024-02-25
"""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inspections.holidays import FIRST_YEAR, LAST_YEAR, HolidayCalendar
from inspections.models import DeadlineRule, DeadlineTrigger
from inspections.planning import milestones_plan

# Outcomes as typed on the command line, and the kinds of rule each brings into play: an
# inadequate inspection is also a graded one.
OUTCOMES = {
    "graded": {DeadlineTrigger.GRADED},
    "inadequate": {DeadlineTrigger.GRADED, DeadlineTrigger.INADEQUATE},
    "priority-actions": {DeadlineTrigger.PRIORITY_ACTIONS},
}


def iso_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: write it as YYYY-MM-DD, like 2023-08-25"
        ) from None
    if len(value) != 10 or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{value!r} must be a date from {FIRST_YEAR} to {LAST_YEAR}, written YYYY-MM-DD"
        )
    return day


class Command(BaseCommand):
    help = (
        "Print one line per statutory milestone, '<key> <YYYY-MM-DD>', for a report published "
        "on a date with an outcome, using the deadline rules in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published", type=iso_date, required=True, help="Publication date, YYYY-MM-DD."
        )
        parser.add_argument(
            "--outcome",
            choices=sorted(OUTCOMES),
            required=True,
            help="graded (any graded inspection), inadequate, or priority-actions (a focused "
            "visit or JTAI letter with priority actions).",
        )
        parser.add_argument(
            "--received",
            type=iso_date,
            help="Date the report was received, YYYY-MM-DD, when deadlines count from it.",
        )

    def handle(self, *args, published, outcome, received=None, **options):
        if received and received < published:
            raise CommandError(
                "The date the report was received cannot be before its publication date",
                returncode=2,
            )
        planned = milestones_plan(
            rules=DeadlineRule.objects.filter(active=True),
            triggers=OUTCOMES[outcome],
            published_on=published,
            received_on=received,
            calendar=HolidayCalendar.load(),
        )
        if not planned:
            raise CommandError(f"No active deadline rule applies to the outcome {outcome!r}")
        for milestone in planned:
            self.stdout.write(f"{milestone.key} {milestone.due_on:%Y-%m-%d}")
