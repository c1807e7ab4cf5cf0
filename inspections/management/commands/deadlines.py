"""Print the statutory deadlines that follow a publication date, from the rules in the database.

python manage.py deadlines --published 2023-08-25 --outcome inadequate
report_publication 2023-10-09
action_planning_visit 2023-10-09
action_plan 2023-12-04
first_monitoring_visit 2024-02-25

Or from the grades, which decide monitoring under the rule of the framework in force on the first
day of fieldwork (--start, else the publication date):

python manage.py deadlines --published 2026-08-03 --start 2026-06-08 \\
    --grades leaders=good,help_and_protection=good,children_in_care=good,care_leavers=inadequate
"""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inspections.holidays import FIRST_YEAR, LAST_YEAR, HolidayCalendar
from inspections.models import DeadlineRule, DeadlineTrigger, Framework, Grade
from inspections.planning import grades_call_for_monitoring, milestones_plan

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


def grade_pairs(value: str) -> dict[str, str]:
    """key=grade pairs separated by commas; the keys are checked against the framework later."""
    grades: dict[str, str] = {}
    valid = ", ".join(Grade.values)
    for pair in value.split(","):
        key, sep, grade = (part.strip() for part in pair.partition("="))
        if not sep or not key or not grade:
            raise argparse.ArgumentTypeError(
                f"{pair.strip()!r} is not a judgement and its grade: write key=grade pairs "
                "separated by commas, like leaders=good,help_and_protection=inadequate"
            )
        if grade not in Grade.values:
            raise argparse.ArgumentTypeError(
                f"{grade!r} (for {key}) is not a grade: use one of {valid}"
            )
        if key in grades:
            raise argparse.ArgumentTypeError(f"{key!r} is given more than once")
        grades[key] = grade
    return grades


class Command(BaseCommand):
    help = (
        "Print one line per statutory milestone, '<key> <YYYY-MM-DD>', for a report published "
        "on a date with an outcome or its grades, using the deadline rules in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published", type=iso_date, required=True, help="Publication date, YYYY-MM-DD."
        )
        outcome = parser.add_mutually_exclusive_group(required=True)
        outcome.add_argument(
            "--outcome",
            choices=sorted(OUTCOMES),
            help="graded (any graded inspection), inadequate, or priority-actions (a focused "
            "visit or JTAI letter with priority actions).",
        )
        outcome.add_argument(
            "--grades",
            type=grade_pairs,
            help="The grades of a graded inspection as key=grade pairs separated by commas, "
            "such as leaders=good,help_and_protection=good: the keys are the judgement areas of "
            f"the framework in force, the grades {', '.join(Grade.values)}. Whether monitoring "
            "follows is decided by that framework's rule.",
        )
        parser.add_argument(
            "--start",
            type=iso_date,
            help="First day of fieldwork, YYYY-MM-DD, which chooses the framework for --grades "
            "(default: the publication date).",
        )
        parser.add_argument(
            "--received",
            type=iso_date,
            help="Date the report was received, YYYY-MM-DD, when deadlines count from it.",
        )

    def handle(
        self, *args, published, outcome=None, grades=None, start=None, received=None, **options
    ):
        if received and received < published:
            raise CommandError(
                "The date the report was received cannot be before its publication date",
                returncode=2,
            )
        if start and grades is None:
            raise CommandError(
                "--start chooses the framework for --grades: give the grades, or leave it out",
                returncode=2,
            )
        if start and start > published:
            raise CommandError(
                "The first day of fieldwork cannot be after the publication date", returncode=2
            )
        triggers = (
            OUTCOMES[outcome] if outcome else self._grade_triggers(grades, start or published)
        )
        planned = milestones_plan(
            rules=DeadlineRule.objects.filter(active=True),
            triggers=triggers,
            published_on=published,
            received_on=received,
            calendar=HolidayCalendar.load(),
        )
        if not planned:
            raise CommandError(
                f"No active deadline rule applies to the outcome {outcome or 'of these grades'!r}"
            )
        for milestone in planned:
            self.stdout.write(f"{milestone.key} {milestone.due_on:%Y-%m-%d}")

    def _grade_triggers(self, grades: dict[str, str], start: date) -> set[str]:
        """The kinds of rule the grades bring into play, under the framework they belong to."""
        # In 2018 two frameworks were possible (SIF and ILACS): the keys tell them apart.
        possible = Framework.objects.possible_for(start)
        if not possible:
            raise CommandError(
                f"No inspection framework was in force on {start:%Y-%m-%d}", returncode=2
            )
        framework = next(
            (f for f in reversed(possible) if set(grades) <= {a.key for a in f.areas.all()}),
            None,
        )
        if framework is None:
            suggested = possible[-1]
            valid = [a.key for a in suggested.areas.all()]
            unknown = ", ".join(sorted(set(grades) - set(valid)))
            raise CommandError(
                f"Not a judgement of the {suggested.name}, in force on {start:%Y-%m-%d}: "
                f"{unknown}. Use: {', '.join(valid)}",
                returncode=2,
            )
        triggers = {DeadlineTrigger.GRADED}
        if grades_call_for_monitoring(grades, framework.monitoring_rule):
            triggers.add(DeadlineTrigger.INADEQUATE)
        return triggers
