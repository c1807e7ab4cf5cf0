"""Loading published council-level statistics from an Explore Education Statistics (EES) file.

The file is in EES's tidy layout: a row per period and area, with the columns ``time_period``,
``time_identifier``, ``geographic_level``, ``country_code``, ``region_code`` and
``new_la_code``, other geography and metadata columns (REFERENCE_COLUMNS), and one column per
indicator. Every column that is not a reference column is an indicator: it becomes an Indicator,
which waits to be mapped to a council's measure in the browser.

Rules (docs/comparators.md gives them for those who load files):

- Rows at the National, Regional and Local authority levels are loaded (any case). Rows at
  EES's other levels (SKIPPED_LEVELS: local authority district, parliamentary constituency,
  ward, school and the like) are skipped and counted. Any other level, or none, is a problem:
  a misspelt "Regional" must not drop the regions silently.
- A row's area is its level's code: country_code (E92000001) for National, region_code for
  Regional, new_la_code (the council's ONS code) for Local authority. A missing one is a problem.
- A figure is a number, with or without thousands commas ("1,234", "12.5", "-3"); it is kept to
  four decimal places. EES's codes for a figure not available (SUPPRESSION_CODES: c, z, x, low,
  u, k, ~, :, ..) are kept as not available with the code, never as zero; so is an empty cell,
  with no code. Anything else, such as "12%" or "n/a", is a problem.
- A second row for the same period, level and area is a problem.

The file is read as a stream, twice: once to check it whole (every problem is collected, with
its line number, and a file with any problem is refused whole, so that a load never writes half
a file), once to write, in batches, inside one transaction. Loading the same file again writes
nothing; a later file updates the figures that changed. A load that changes any figure bumps the
data version of the councils whose measures are mapped to the indicators it changed, since their
cached dashboards show those figures beside their own.
"""

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from councils.models import Council

from .models import ComparatorLoad, Indicator, IndicatorValue, Level, Measure
from .periods import PeriodError, ees_period_end

REQUIRED_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
)
# Geography and metadata columns of EES files: never indicators.
REFERENCE_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        "country_name",
        "region_name",
        "old_la_code",
        "la_name",
        "lad_code",
        "lad_name",
        "pcon_code",
        "pcon_name",
        "ward_code",
        "ward_name",
        "english_devolved_area_code",
        "english_devolved_area_name",
        "mayoral_combined_authority_code",
        "mayoral_combined_authority_name",
        "local_enterprise_partnership_code",
        "local_enterprise_partnership_name",
        "lsip_code",
        "lsip_name",
        "opportunity_area_code",
        "opportunity_area_name",
        "rsc_region_lead_name",
        "police_force_code",
        "police_force_name",
        "planning_area_code",
        "planning_area_name",
        "health_area_code",
        "health_area_name",
        "school_urn",
        "school_laestab",
        "school_name",
        "provider_ukprn",
        "provider_name",
        "institution_id",
        "institution_name",
        "trust_id",
        "trust_name",
        "sponsor_id",
        "sponsor_name",
        "opendata_id",
    }
)
LEVELS = {
    "national": Level.NATIONAL,
    "regional": Level.REGIONAL,
    "local authority": Level.LOCAL,
}
# The column that holds a row's area, by level.
AREA_COLUMNS = {
    Level.NATIONAL: "country_code",
    Level.REGIONAL: "region_code",
    Level.LOCAL: "new_la_code",
}
# EES's other geographic levels: their rows are skipped, and counted.
SKIPPED_LEVELS = frozenset(
    {
        "local authority district",
        "parliamentary constituency",
        "ward",
        "school",
        "provider",
        "institution",
        "english devolved area",
        "mayoral combined authority",
        "local enterprise partnership",
        "local skills improvement plan area",
        "opportunity area",
        "rsc region",
        "police force area",
        "planning area",
        "health area",
        "multi-academy trust",
        "sponsor",
    }
)
# EES's symbols for a figure not available: confidential (c), not applicable (z), not
# available (x, :, ..), low (low, ~), low reliability (u), rounds to zero but is not zero (k).
SUPPRESSION_CODES = frozenset({"c", "z", "x", "low", "u", "k", "~", ":", ".."})
NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
AREA_CODE = re.compile(r"[A-Z]\d{8}")
PLACES = Decimal("0.0001")
LARGEST = Decimal("1e10")  # the value field's 14 digits, four of them decimal places
MAX_PROBLEMS_SHOWN = 20
BATCH = 1000

# Words shown in capitals, or otherwise, in an indicator's label.
_WORDS = {
    "pct": "(%)",
    "percent": "(%)",
    "cpp": "CPP",
    "cin": "CIN",
    "cla": "CLA",
    "cic": "CIC",
    "eet": "EET",
    "neet": "NEET",
    "uasc": "UASC",
    "ehcp": "EHCP",
    "send": "SEND",
    "la": "LA",
    "fte": "FTE",
    "10k": "10,000",
}


class ComparatorFileError(ValueError):
    """The file cannot be read, or has problems: nothing is loaded."""

    def __init__(self, source: str, problems: list[str], more: int = 0):
        self.source = source
        self.problems = problems
        self.more = more
        lines = [f"{source} was refused, and nothing was changed:", *(f"  {p}" for p in problems)]
        if more:
            lines.append(f"  ... and {more} more")
        super().__init__("\n".join(lines))


@dataclass
class LoadResult:
    source: str
    rows: int = 0  # data rows read
    indicators: int = 0  # indicator columns
    new_indicators: int = 0
    created: int = 0  # figures
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows at levels not loaded
    councils_bumped: int = 0
    same_file_as: ComparatorLoad | None = None  # the latest earlier load of the same bytes
    load: ComparatorLoad | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.new_indicators)

    def summary(self) -> str:
        text = (
            f"{self.source}: {self.rows} row{_s(self.rows)} read, "
            f"{self.indicators} indicator{_s(self.indicators)} "
            f"({self.new_indicators} new); figures: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{self.skipped} row{_s(self.skipped)} skipped at other geographic levels"
        )
        if self.load:
            return text + f"; loaded on {self.load.loaded_at:%-d %B %Y at %H:%M}"
        if self.same_file_as:
            return text + f"; nothing changed (the same file as {self.same_file_as})"
        return text + "; nothing changed"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def indicator_label(column: str) -> str:
    """A column, readable: "re_referrals_within_12_months_pct" is "Re-referrals within 12
    months (%)", "cpp_lasting_two_years_or_more_pct" "CPP lasting two years or more (%)"."""
    words = [w for w in column.strip().lower().split("_") if w]
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "re" and i + 1 < len(words):
            out.append(f"re-{words[i + 1]}")
            i += 2
            continue
        out.append(_WORDS.get(word, word))
        i += 1
    if not out:
        return column
    first = out[0]
    out[0] = first[0].upper() + first[1:]
    return " ".join(out)[:200]


@dataclass
class _Row:
    line: int
    period_end: date
    time_period: str
    time_identifier: str
    level: str
    area_code: str
    # (value, suppressed) by indicator column, in the file's order.
    figures: list[tuple[Decimal | None, str]] = field(default_factory=list)


class _Problems:
    def __init__(self):
        self.shown: list[str] = []
        self.more = 0

    def add(self, line: int | None, text: str) -> None:
        if len(self.shown) < MAX_PROBLEMS_SHOWN:
            self.shown.append(f"line {line}: {text}" if line else text)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)


def _figure(text: str) -> tuple[Decimal | None, str] | None:
    """(value, suppression code) of a cell, or None if it is neither a number nor a code."""
    cell = text.strip()
    if not cell:
        return None, ""
    if cell.lower() in SUPPRESSION_CODES:
        return None, cell.lower()
    if not NUMBER.fullmatch(cell):
        return None
    try:
        value = Decimal(cell.replace(",", "")).quantize(PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    if abs(value) >= LARGEST:
        return None
    return value, ""


class _File:
    """The file's lines as text, with its SHA-256 and its undecodable lines as problems."""

    def __init__(self, binary: BinaryIO, problems: _Problems):
        self.binary = binary
        self.problems = problems
        self.hash = hashlib.sha256()

    def lines(self) -> Iterator[str]:
        for number, raw in enumerate(self.binary, start=1):
            self.hash.update(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.problems.add(number, "not UTF-8 text (save the file as UTF-8 CSV)")
                yield raw.decode("utf-8", errors="replace")


def _read(binary: BinaryIO, source: str, problems: _Problems, *, check: bool):
    """Yield (header, indicator columns) first, then each loadable row. With check, collect
    every problem and yield nothing once a problem is found; without, trust the file."""
    file = _File(binary, problems)
    reader = csv.reader(file.lines(), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.add(1, f"cannot be read as CSV: {exc}")
        return
    if not header or not any(h.strip() for h in header):
        problems.add(None, "the file is empty: it needs a header and rows")
        return
    header = [h.strip() for h in header]
    if check:
        for position, name in enumerate(header, start=1):
            if not name:
                problems.add(1, f"column {position} has no name")
        duplicates = sorted({h for h in header if h and header.count(h) > 1})
        if duplicates:
            problems.add(1, f"the columns {', '.join(duplicates)} appear more than once")
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            problems.add(
                1,
                f"the column{_s(len(missing))} {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing; an EES file has the columns "
                f"{', '.join(REQUIRED_COLUMNS)}, then one column per indicator",
            )
    indicators = [h for h in header if h and h not in REFERENCE_COLUMNS]
    if check:
        if not indicators:
            problems.add(1, "there are no indicator columns: only geography and time columns")
        for name in indicators:
            if len(name) > 100:
                problems.add(1, f"the column name {name[:40]!r}... is longer than 100 characters")
        if problems:
            return
    yield header, indicators
    index = {name: i for i, name in enumerate(header)}
    positions = [index[name] for name in indicators]
    seen: dict[tuple, int] = {}
    rows = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(reader.line_num, f"cannot be read as CSV: {exc}")
            break
        line = reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # a blank line
        rows += 1
        if len(values) != len(header):
            problems.add(line, f"{len(values)} values where the header has {len(header)} columns")
            continue
        row = _row(values, index, positions, indicators, line, problems if check else None)
        if row is None:
            continue
        if row == "skipped":
            yield "skipped"
            continue
        if check:
            key = (row.period_end, row.level, row.area_code)
            if key in seen:
                problems.add(
                    line,
                    f"a second row for {row.area_code} in {row.time_period} "
                    f"{row.time_identifier}: the first is on line {seen[key]}",
                )
                continue
            seen[key] = line
        yield row
    if check and rows == 0:
        problems.add(None, "the file has a header but no rows")
    yield ("sha256", file.hash.hexdigest())


def _row(values, index, positions, indicators, line, problems: _Problems | None):
    def get(column: str) -> str:
        return values[index[column]].strip()

    raw_level = " ".join(get("geographic_level").lower().split())
    if raw_level in SKIPPED_LEVELS:
        return "skipped"
    level = LEVELS.get(raw_level)
    ok = True
    if level is None:
        if problems is not None:
            problems.add(
                line,
                f"geographic_level {get('geographic_level')!r} is not National, Regional or "
                "Local authority, nor another EES level this product skips",
            )
        ok = False
    try:
        end = ees_period_end(get("time_period"), get("time_identifier"))
    except PeriodError as exc:
        if problems is not None:
            problems.add(line, str(exc))
        ok = False
    area = ""
    if level is not None:
        column = AREA_COLUMNS[level]
        area = get(column)
        if not area:
            if problems is not None:
                problems.add(line, f"a {level.label} row needs its {column}")
            ok = False
        elif not AREA_CODE.fullmatch(area):
            if problems is not None:
                problems.add(line, f"{column} {area!r} is not a code like E92000001")
            ok = False
    figures = []
    for name, position in zip(indicators, positions, strict=True):
        figure = _figure(values[position])
        if figure is None:
            if problems is not None:
                problems.add(
                    line,
                    f"{name} {values[position].strip()!r} is neither a number nor a code for a "
                    f"figure not available ({', '.join(sorted(SUPPRESSION_CODES))})",
                )
            ok = False
            continue
        figures.append(figure)
    if not ok:
        return None
    return _Row(
        line=line,
        period_end=end,
        time_period=get("time_period"),
        time_identifier=get("time_identifier"),
        level=level,
        area_code=area,
        figures=figures,
    )


def _open(path_or_file, source: str):
    """A seekable binary file: the path's, or the given one (spooled if it cannot seek)."""
    if isinstance(path_or_file, (str, os.PathLike)):
        try:
            return open(path_or_file, "rb")  # noqa: SIM115 - closed by the caller
        except FileNotFoundError as exc:
            raise ComparatorFileError(source, ["the file does not exist"]) from exc
        except IsADirectoryError as exc:
            raise ComparatorFileError(source, ["is a folder, not a file"]) from exc
        except OSError as exc:
            raise ComparatorFileError(source, [f"cannot be opened: {exc.strerror}"]) from exc
    binary = path_or_file
    if isinstance(binary, io.TextIOBase):
        raise TypeError("Give the file opened in binary mode")
    if not binary.seekable():
        spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        shutil.copyfileobj(binary, spooled)
        binary = spooled
    binary.seek(0)
    return binary


def load_comparators(path_or_file, *, source: str | None = None) -> LoadResult:
    """Check the file whole, then create and update its indicators and figures.

    ``path_or_file`` is a path or a binary file; ``source`` names it in the load and messages
    (by default the path's name). Raises ComparatorFileError, listing problems by line, and
    changes nothing, if the file has any problem.
    """
    if source is None:
        source = (
            Path(path_or_file).name
            if isinstance(path_or_file, (str, os.PathLike))
            else getattr(path_or_file, "name", "the file")
        )
    source = str(source)[:500]
    binary = _open(path_or_file, source)
    try:
        problems = _Problems()
        result = LoadResult(source=source)
        sha256 = ""
        columns: list[str] = []
        for item in _read(binary, source, problems, check=True):
            if isinstance(item, _Row):
                result.rows += 1
            elif item == "skipped":
                result.rows += 1
                result.skipped += 1
            elif isinstance(item, tuple) and item[0] == "sha256":
                sha256 = item[1]
            else:
                columns = item[1]
        if problems:
            raise ComparatorFileError(source, problems.shown, problems.more)
        result.indicators = len(columns)
        binary.seek(0)
        with transaction.atomic():
            _write(binary, source, sha256, columns, result)
    finally:
        if binary is not path_or_file:
            binary.close()
    return result


def _write(binary, source: str, sha256: str, columns: list[str], result: LoadResult) -> None:
    now = timezone.now()
    existing_indicators = {
        i.column: i for i in Indicator.objects.select_for_update().filter(column__in=columns)
    }
    new = [c for c in columns if c not in existing_indicators]
    result.new_indicators = len(new)
    result.same_file_as = (
        ComparatorLoad.objects.filter(sha256=sha256).order_by("-loaded_at", "-pk").first()
    )
    # Every figure of the file's indicators, as stored: (pk, value, suppressed, time_period,
    # time_identifier) by (indicator, period end, level, area).
    stored = {
        (indicator_id, end, level, area): (pk, value, suppressed, time_period, identifier)
        for pk, indicator_id, end, level, area, value, suppressed, time_period, identifier in (
            IndicatorValue.objects.filter(indicator__in=existing_indicators.values()).values_list(
                "pk",
                "indicator_id",
                "period_end",
                "level",
                "area_code",
                "value",
                "suppressed",
                "time_period",
                "time_identifier",
            )
        )
    }
    load: ComparatorLoad | None = None
    indicators = dict(existing_indicators)
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    changed_indicators: set[int] = set()

    def start_load() -> ComparatorLoad:
        nonlocal load
        if load is None:
            load = ComparatorLoad.objects.create(
                loaded_at=now,
                source=source,
                sha256=sha256,
                rows=result.rows,
                indicators=result.indicators,
            )
            created = Indicator.objects.bulk_create(
                Indicator(column=c, label=indicator_label(c), source=source, first_loaded_at=now)
                for c in new
            )
            indicators.update({i.column: i for i in created})
        return load

    if new:
        start_load()

    def flush(force: bool = False) -> None:
        if to_create and (force or len(to_create) >= BATCH):
            IndicatorValue.objects.bulk_create(to_create, batch_size=BATCH)
            to_create.clear()
        if to_update and (force or len(to_update) >= BATCH):
            IndicatorValue.objects.bulk_update(
                to_update,
                ["value", "suppressed", "time_period", "time_identifier", "load"],
                batch_size=BATCH,
            )
            to_update.clear()

    for item in _read(binary, source, _Problems(), check=False):
        if not isinstance(item, _Row):
            continue
        for column, (value, suppressed) in zip(columns, item.figures, strict=True):
            indicator = indicators.get(column)
            key = (
                indicator.pk if indicator else None,
                item.period_end,
                item.level,
                item.area_code,
            )
            now_stored = stored.get(key) if indicator else None
            wanted = (value, suppressed, item.time_period, item.time_identifier)
            if now_stored is not None and now_stored[1:] == wanted:
                result.unchanged += 1
                continue
            this_load = start_load()
            indicator = indicators[column]
            fields = {
                "value": value,
                "suppressed": suppressed,
                "time_period": item.time_period,
                "time_identifier": item.time_identifier,
                "load": this_load,
            }
            if now_stored is None:
                to_create.append(
                    IndicatorValue(
                        indicator=indicator,
                        period_end=item.period_end,
                        level=item.level,
                        area_code=item.area_code,
                        **fields,
                    )
                )
                result.created += 1
            else:
                to_update.append(IndicatorValue(pk=now_stored[0], **fields))
                result.updated += 1
            changed_indicators.add(indicator.pk)
        flush()
    flush(force=True)
    if load is None:
        return
    load.created, load.updated = result.created, result.updated
    load.save(update_fields=["created", "updated"])
    Indicator.objects.filter(pk__in=changed_indicators).exclude(source=source).update(source=source)
    # Bulk writes send no signals: the dashboards of the councils whose measures show these
    # indicators' figures are out of date.
    mapped = Measure.objects.filter(indicator__in=changed_indicators).values("council")
    result.councils_bumped = Council.objects.filter(pk__in=mapped).bump_data_version()
    result.load = load
