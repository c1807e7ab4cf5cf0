import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.models import Council
from reports.pack import PackOptionsForm, pack_pdf


class Command(BaseCommand):
    help = "Write a council's scrutiny committee pack as a tagged PDF."

    def add_arguments(self, parser):
        parser.add_argument("council", help="the council's slug, e.g. isles-of-scilly")
        parser.add_argument("--inspection", help="the inspection's ID (default: latest graded)")
        parser.add_argument("--since", help="show the direction of travel since YYYY-MM-DD")
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args, council, inspection, since, out, **options):
        try:
            council = Council.objects.get(slug=council)
        except Council.DoesNotExist:
            raise CommandError(f"No council with the slug {council!r}") from None
        form = PackOptionsForm({"inspection": inspection, "since": since}, council=council)
        if not form.is_valid():
            errors = []
            if "inspection" in form.errors:
                errors.append(
                    f"--inspection: {inspection!r} is not an inspection of {council.name}"
                )
            errors += [f"--since: {error}" for error in form.errors.get("since", [])]
            raise CommandError("; ".join(errors))
        # Checked before the minute a large pack may take to render, and again when writing.
        if out.is_dir() or not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
            raise CommandError(f"Cannot write {out}: choose a file in a directory you can write to")
        pdf = pack_pdf(council=council, **form.cleaned_data)
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}") from None
        self.stdout.write(
            f"Wrote the scrutiny pack of {council.name} to {out} ({len(pdf):,} bytes)"
        )
