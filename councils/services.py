"""Writes that span several council rows."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import Council, StatisticalNeighbour, User

REQUIRED_COLUMNS = {
    "la_code",
    "la_code_new",
    "local_authority_ons_name",
    "region_name",
    "ons_la_type",
    "ons_population_0-25",
    "stat_neighbours",
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    neighbours: int = 0
    unknown_neighbours: int = 0


class CouncilFileError(ValueError):
    pass


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise CouncilFileError(f"{path} has no column {', '.join(sorted(missing))}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise CouncilFileError(f"Cannot read {path}: {exc}") from exc
    for number, row in enumerate(rows, start=2):
        if not row["la_code"].strip().isdigit() or not row["local_authority_ons_name"].strip():
            raise CouncilFileError(f"{path}, line {number}: a DfE code and a name are required")
    return rows


def _population(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


@transaction.atomic
def councils_load(*, path: Path) -> LoadResult:
    """Create or update every council in the file, then their statistical neighbours."""
    rows = _read_rows(path)
    result = LoadResult()
    by_code: dict[str, Council] = {}
    # The DfE's statistical neighbour model covers every council in being: in a file that gives
    # councils neighbours, one with none was abolished or merged into newer councils.
    neighbours_given = any(row["stat_neighbours"].strip() for row in rows)
    for row in rows:
        name = row["local_authority_ons_name"].strip()
        values = {
            "name": name,
            "slug": slugify(name),
            "ons_code": row["la_code_new"].strip(),
            "region": row["region_name"].strip(),
            "la_type": row["ons_la_type"].strip(),
            "population_0_25": _population(row["ons_population_0-25"]),
        }
        if neighbours_given:
            values["ceased"] = not row["stat_neighbours"].strip()
        if "urn" in row:  # Ofsted's reference, to match the national outcomes file
            values["urn"] = row["urn"].strip() or None
        code = row["la_code"].strip()
        council = Council.objects.filter(dfe_code=code).first()
        if council is None:
            council = Council.objects.create(dfe_code=code, **values)
            result.created += 1
        elif any(getattr(council, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(council, field, value)
            council.save()
            result.updated += 1
        else:
            result.unchanged += 1
        by_code[code] = council

    for row in rows:
        council = by_code[row["la_code"].strip()]
        codes = [code.strip() for code in row["stat_neighbours"].split(",") if code.strip()]
        wanted = []
        for rank, code in enumerate(codes, start=1):
            if code in by_code:
                wanted.append((by_code[code].pk, rank))
            else:
                result.unknown_neighbours += 1
        current = list(council.neighbour_links.order_by("rank").values_list("neighbour_id", "rank"))
        if current != wanted:
            council.neighbour_links.all().delete()
            StatisticalNeighbour.objects.bulk_create(
                StatisticalNeighbour(council=council, neighbour_id=pk, rank=rank)
                for pk, rank in wanted
            )
            # bulk_create sends no signals: the dashboards' neighbours change with this.
            Council.objects.filter(pk=council.pk).bump_data_version()
        result.neighbours += len(wanted)
    return result


def user_set_digest_day(*, user: User, day: int | None) -> User:
    """The day of the person's weekly email of their actions (0 Monday to 4 Friday), or None."""
    if day is not None and not 0 <= day <= 4:
        raise ValueError("The weekly email goes on a working day, Monday to Friday")
    user.digest_day = day
    user.save(update_fields=["digest_day"])
    return user
