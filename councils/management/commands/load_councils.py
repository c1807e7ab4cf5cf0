from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.services import CouncilFileError, councils_load

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "english-local-authorities.csv"


class Command(BaseCommand):
    help = "Create or update every English local authority from the DfE/ONS lookup file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)

    def handle(self, *args, path: Path, **options):
        try:
            result = councils_load(path=path)
        except CouncilFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Councils: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged; {result.neighbours} statistical neighbour links"
            + (
                f" ({result.unknown_neighbours} neighbour codes not in the file were skipped)"
                if result.unknown_neighbours
                else ""
            )
        )
