from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from outcomes import services
from outcomes.national_file import MAX_BYTES, TIMEOUT_SECONDS, OutcomesFileError

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "ilacs-outcomes-history.csv"


class Command(BaseCommand):
    help = (
        "Load every council's published ILACS outcomes from the national outcomes file (a path "
        "or an http(s) address; by default the copy in outcomes/data/). A file with any problem "
        "is refused whole, with its line numbers, and nothing changes (exit status 2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=str(DEFAULT_PATH))
        parser.add_argument(
            "--timeout",
            type=float,
            default=TIMEOUT_SECONDS,
            help="Seconds to wait for a web address, in all (default %(default)s).",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=MAX_BYTES,
            help="The largest file accepted (default %(default)s bytes).",
        )

    def handle(self, *args, source: str, timeout: float, max_bytes: int, **options):
        try:
            result = services.outcomes_load(source=source, timeout=timeout, max_bytes=max_bytes)
        except OutcomesFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        summary = (
            f"National outcomes: {result.rows} report{pluralize(result.rows)}; "
            f"{result.created} created, "
            f"{result.updated} updated, {result.removed} removed, {result.unchanged} unchanged"
        )
        if result.load:
            summary += f"; loaded on {result.load.loaded_at:%-d %B %Y at %H:%M}"
        else:
            summary += "; nothing changed"
        self.stdout.write(summary)
