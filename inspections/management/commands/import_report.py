import json
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from councils.models import Council
from inspections import selectors, services
from inspections.importing import (
    DEFAULT_KIND,
    ILACS_KINDS,
    fieldwork_display,
    report_as_json,
    report_read,
)
from inspections.report_parser import ParsedReport, ReportRejected

# The exit status of a refused file, an unknown council or anything else that saves nothing.
REFUSED = 2


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2023-08-25") from None


class Command(BaseCommand):
    help = (
        "Read an Ofsted ILACS inspection report PDF; with --council, save it as that council's "
        "inspection with its grades and recommendations."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the report PDF")
        parser.add_argument("--dry-run", action="store_true", help="only read, save nothing")
        parser.add_argument("--json", action="store_true", help="print what was read as JSON")
        parser.add_argument("--council", metavar="SLUG", help="the council to save it for")
        parser.add_argument(
            "--published", type=iso_date, metavar="YYYY-MM-DD", help="the publication date"
        )
        parser.add_argument(
            "--kind",
            choices=[kind.value for kind in ILACS_KINDS],
            default=DEFAULT_KIND.value,
            help="the report does not say whether the inspection was standard or short",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="replace the details, grades and recommendations of the inspection already "
            "recorded for the same first day of fieldwork",
        )

    def handle(self, *args, path: Path, dry_run: bool, council: str | None, **options):
        if not dry_run and not council:
            raise CommandError(
                "Give --council SLUG to save the report, or --dry-run to only read it",
                returncode=REFUSED,
            )
        target = None
        if not dry_run:
            target = Council.objects.filter(slug=council).first()
            if target is None:
                raise CommandError(f"No council has the slug {council!r}", returncode=REFUSED)
        report = self._read(path)
        if options["json"]:
            self.stdout.write(json.dumps(report_as_json(report), indent=2, ensure_ascii=False))
        elif dry_run:
            self._describe(report)
        if target is not None:
            self._save(report, target, **options)

    def _read(self, path: Path) -> ParsedReport:
        try:
            with path.open("rb") as file:
                return report_read(file=file, size=path.stat().st_size)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=REFUSED) from exc
        except ReportRejected as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc

    def _describe(self, report: ParsedReport) -> None:
        data = report_as_json(report)
        self.stdout.write(f"Local authority: {report.local_authority}")
        self.stdout.write(f"Fieldwork: {fieldwork_display(report.fieldwork)}")
        self.stdout.write(f"Lead inspector: {report.lead_inspector}")
        self.stdout.write(f"Framework: {data['framework'] or 'none in force then'}")
        for key, grade in report.judgements.items():
            self.stdout.write(f"  {key}: {grade}")
        self.stdout.write(f"Recommendations: {len(report.recommendations)}")
        for number, recommendation in enumerate(report.recommendations, start=1):
            reference = recommendation.national_framework_reference
            self.stdout.write(
                f"  {number}. {recommendation.text}" + (f" ({reference})" if reference else "")
            )

    def _save(self, report: ParsedReport, council: Council, **options) -> None:
        existing = selectors.existing_inspection(council=council, start_date=report.fieldwork[0][0])
        if existing and not options["update"]:
            raise CommandError(
                f"{council.name} already has this inspection: {existing} (id {existing.pk}). "
                "Run again with --update to replace its details, grades and recommendations "
                "with the report's",
                returncode=REFUSED,
            )
        published = options["published"] or (existing.published_on if existing else None)
        values = services.values_from_report(report, kind=options["kind"], published_on=published)
        try:
            inspection = services.inspection_import(council=council, values=values, update=existing)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=REFUSED) from exc
        verb = "Updated" if existing else "Created"
        grades, recommendations = inspection.judgements.count(), inspection.recommendations.count()
        # With --json, stdout carries the JSON alone; the confirmation goes to stderr.
        out = self.stderr if options["json"] else self.stdout
        out.write(
            f"{verb} {inspection} for {council.name} (id {inspection.pk}): "
            f"{grades} grade{pluralize(grades)}, "
            f"{recommendations} recommendation{pluralize(recommendations)}"
        )
