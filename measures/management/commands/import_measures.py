from django.core.management.base import BaseCommand, CommandError

from measures.loader import (
    MAX_PROBLEMS_SHOWN,
    SKIPPED_LEVELS,
    SUPPRESSION_CODES,
    ComparatorFileError,
    load_comparators,
)


class Command(BaseCommand):
    help = (
        "Load published council-level statistics (England's, the regions' and the councils' "
        "figures) from an Explore Education Statistics CSV file in its tidy layout: the columns "
        "time_period, time_identifier, geographic_level, country_code, region_code and "
        "new_la_code, then one column per indicator. Each indicator column is kept, to be mapped "
        "to a council's measure on the Published comparators page. Rows at other geographic "
        f"levels are skipped and counted ({', '.join(sorted(SKIPPED_LEVELS))}). A figure not "
        f"available ({' '.join(sorted(SUPPRESSION_CODES))}, or empty) is kept as not available "
        "with its code, never as zero. Loading the same file again changes nothing. A file with "
        f"any problem is refused whole, with its line numbers (the first {MAX_PROBLEMS_SHOWN}), "
        "and nothing changes: exit status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8, with or without a BOM).")
        parser.add_argument(
            "--source",
            help="How the load names the file (default: the file's name).",
        )

    def handle(self, *args, file: str, source: str | None, **options):
        try:
            result = load_comparators(file, source=source)
        except ComparatorFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(result.summary())
