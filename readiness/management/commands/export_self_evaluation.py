import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.models import Council
from readiness.documents import self_evaluation_pdf
from readiness.models import SelfEvaluation


class Command(BaseCommand):
    help = "Write a council's self-evaluation of one year as a tagged PDF."

    def add_arguments(self, parser):
        parser.add_argument("council", help="the council's slug, e.g. barking-and-dagenham")
        parser.add_argument("--year", required=True, type=int, help="the year, e.g. 2022")
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args, council, year, out, **options):
        try:
            council = Council.objects.get(slug=council)
        except Council.DoesNotExist:
            raise CommandError(f"No council with the slug {council!r}") from None
        try:
            evaluation = SelfEvaluation.objects.select_related("council", "framework").get(
                council=council, year=year
            )
        except SelfEvaluation.DoesNotExist:
            years = ", ".join(
                str(y)
                for y in council.self_evaluations.order_by("year").values_list("year", flat=True)
            )
            raise CommandError(
                f"{council.name} has no {year} self-evaluation"
                + (f" (it has {years})" if years else " (it has none)")
            ) from None
        if out.is_dir() or not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
            raise CommandError(f"Cannot write {out}: choose a file in a directory you can write to")
        pdf = self_evaluation_pdf(evaluation)
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}") from None
        self.stdout.write(
            f"Wrote the {year} self-evaluation of {council.name} to {out} ({len(pdf):,} bytes)"
        )
