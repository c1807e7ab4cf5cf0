"""Reading the national outcomes file, from a path or a web address, and checking it whole.

The layout is JT-39/ofsted-ilacs-scrape-tool's (docs/domain.md, "National outcomes"): a row per
published report. Every problem is collected with its line number, and a file with any problem is
refused whole, so that a load never writes half a file.
"""

import csv
import hashlib
import http.client
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from inspections.models import Grade

from .models import JUDGEMENT_KEYS, Kind, Status

COLUMNS = (
    "urn",
    "local_authority",
    "inspection_link",
    "pdf_filename",
    "publication_date",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "parser_version",
)
# The file's grade columns, by the judgement each one holds.
GRADE_COLUMNS = dict(
    zip(
        JUDGEMENT_KEYS,
        (
            "overall_effectiveness_grade",
            "impact_of_leaders_grade",
            "help_and_protection_grade",
            "in_care_grade",
            "care_leavers_grade",
        ),
        strict=True,
    )
)
# Every spelling of a grade the file uses, lower case. "to requires improvement" is how the scrape
# reads "improved to requires improvement" in two 2019 reports (Nottingham, Southend-on-Sea).
GRADES = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "to requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
}
# The scrape's markers where a report has no grade: kept as they are, never as a grade.
MARKERS = {
    status.value: status
    for status in (
        Status.PRE_DATES_JUDGEMENT,
        Status.NOT_REPORTED_POST_REFORM,
        Status.DATA_UNREADABLE,
    )
}
# The one report whose fieldwork ran longer than a standard inspection's (Wiltshire, June 2019)
# is a standard inspection.
KINDS = {
    "short": Kind.SHORT,
    "standard": Kind.STANDARD,
    "inspection duration longer than standard framework": Kind.STANDARD,
    "": Kind.UNKNOWN,
}
PUBLICATION_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")
FIELDWORK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")

MAX_BYTES = 5 * 1024 * 1024  # the file is about 110 KB
TIMEOUT_SECONDS = 30
MAX_PROBLEMS_SHOWN = 30
MAX_INSPECTOR = 100
MAX_URL = 500
_url = URLValidator(schemes=["http", "https"])


class OutcomesFileError(ValueError):
    """The file cannot be read, or has problems: nothing is loaded."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        lines = [f"{source} was refused, and nothing was changed:", *(f"  {p}" for p in shown)]
        if more:
            lines.append(f"  and {more} more problem{'s' if more > 1 else ''}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class OutcomeRow:
    """One report as the file has it, checked."""

    line: int
    urn: str
    published_on: date
    kind: str
    start_date: date | None
    end_date: date | None
    lead_inspector: str
    report_url: str
    grades: dict[str, tuple[str, str]]  # judgement -> (grade code or "", status)

    def values(self) -> dict:
        """The PublishedOutcome fields this row sets, but its council and publication date."""
        values = {
            "kind": self.kind,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "lead_inspector": self.lead_inspector,
            "report_url": self.report_url,
        }
        for key, (grade, status) in self.grades.items():
            values[key] = grade
            values[f"{key}_status"] = status
        return values


def is_web_address(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_source(
    source: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """The file's bytes, from a path or an http(s) address, refused above max_bytes."""
    if is_web_address(source):
        return _fetch(source, max_bytes=max_bytes, timeout=timeout)
    if "://" in source:
        raise OutcomesFileError(source, ["only a file path or an http(s) web address is read"])
    path = Path(source)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise OutcomesFileError(source, [f"cannot be read: {exc.strerror or exc}"]) from exc
    if len(data) > max_bytes:
        raise OutcomesFileError(source, [f"is larger than {max_bytes:,} bytes"])
    return data


def _opener() -> urllib.request.OpenerDirector:
    """HTTP and HTTPS only: no file:// or ftp://, even after a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _fetch(url: str, *, max_bytes: int, timeout: float) -> bytes:
    """Read at most max_bytes within timeout seconds in all: a slow server is cut off too."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked: http(s) only
        url, headers={"User-Agent": "ofsted-improvement-tracker load_outcomes"}
    )
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    try:
        with _opener().open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise OutcomesFileError(url, [f"is larger than {max_bytes:,} bytes"])
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise OutcomesFileError(url, [f"is larger than {max_bytes:,} bytes"])
                if time.monotonic() > deadline:
                    raise OutcomesFileError(url, [f"took longer than {timeout:g} seconds"])
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise OutcomesFileError(url, [f"the server answered {exc.code} {exc.reason}"]) from exc
    except urllib.error.URLError as exc:
        raise OutcomesFileError(url, [f"cannot be fetched: {exc.reason}"]) from exc
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        raise OutcomesFileError(url, [f"cannot be fetched: {exc}"]) from exc
    return b"".join(chunks)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse(
    data: bytes, *, source: str, known_urns: Collection[str], today: date
) -> list[OutcomeRow]:
    """Every row of the file, checked; OutcomesFileError lists every problem by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OutcomesFileError(source, [f"line {line}: not UTF-8 text"]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise OutcomesFileError(source, [f"line 1: {exc}"]) from exc
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise OutcomesFileError(
            source,
            [
                f"line 1: the columns {', '.join(missing)} are missing; the file must have the "
                f"columns {', '.join(COLUMNS)}"
            ],
        )
    problems: list[str] = []
    rows: list[OutcomeRow] = []
    seen: dict[tuple[str, date], int] = {}
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: {exc}")
            break
        line = reader.line_num
        if None in raw or any(value is None for value in raw.values()):
            problems.append(f"line {line}: {len(header)} values are expected")
            continue
        row, row_problems = _row(raw, line, known_urns, today)
        problems.extend(f"line {line}: {problem}" for problem in row_problems)
        if row is None:
            continue
        key = (row.urn, row.published_on)
        if key in seen:
            problems.append(
                f"line {line}: URN {row.urn} has another report published on "
                f"{row.published_on:%-d %B %Y}, on line {seen[key]}"
            )
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not problems:
        problems.append("the file has no rows")
    if problems:
        raise OutcomesFileError(source, problems)
    return rows


def _row(raw: dict, line: int, known_urns: Collection[str], today: date):
    problems: list[str] = []
    value = {name: (raw[name] or "").strip() for name in COLUMNS}
    urn = value["urn"]
    if not urn.isdigit():
        problems.append(f"URN {urn!r} is not a number")
    elif urn not in known_urns:
        problems.append(
            f"URN {urn} is not a council's Ofsted URN (load the councils first: "
            "manage.py load_councils)"
        )
    published = _date(value["publication_date"], PUBLICATION_DATE, "%d/%m/%y")
    if published is None:
        problems.append(f"publication_date {value['publication_date']!r} is not a date as dd/mm/yy")
    elif published > today:
        problems.append(f"publication_date {published:%-d %B %Y} is in the future")
    start = end = None
    for column in ("inspection_start_date", "inspection_end_date"):
        text = value[column]
        if not text:
            continue
        day = _date(text, FIELDWORK_DATE, "%d/%m/%Y")
        if day is None:
            problems.append(f"{column} {text!r} is not a date as dd/mm/yyyy")
        elif column == "inspection_start_date":
            start = day
        else:
            end = day
    if bool(value["inspection_start_date"]) != bool(value["inspection_end_date"]):
        problems.append("fieldwork needs both inspection_start_date and inspection_end_date")
    elif start and end and end < start:
        problems.append("inspection_end_date is before inspection_start_date")
    elif end and published and published < end:
        problems.append("publication_date is before the end of fieldwork")
    kind = KINDS.get(value["inspection_framework"].lower())
    if kind is None:
        problems.append(
            f"inspection_framework {value['inspection_framework']!r} is not short or standard"
        )
    grades: dict[str, tuple[str, str]] = {}
    for key, column in GRADE_COLUMNS.items():
        text = value[column]
        if not text:
            grades[key] = ("", Status.BLANK)
        elif text.lower() in GRADES:
            grades[key] = (GRADES[text.lower()], Status.GRADED)
        elif text in MARKERS:
            grades[key] = ("", MARKERS[text])
        else:
            problems.append(f"{column} {text!r} is not a grade or a known marker")
    if len(value["inspector_name"]) > MAX_INSPECTOR:
        problems.append(f"inspector_name is longer than {MAX_INSPECTOR} characters")
    link = value["inspection_link"]
    if link:
        try:
            if len(link) > MAX_URL:
                raise ValidationError("too long")
            _url(link)
        except ValidationError:
            problems.append("inspection_link is not an http(s) web address")
    if problems:
        return None, problems
    return (
        OutcomeRow(
            line=line,
            urn=urn,
            published_on=published,
            kind=kind,
            start_date=start,
            end_date=end,
            lead_inspector=value["inspector_name"],
            report_url=link,
            grades=grades,
        ),
        [],
    )


def _date(text: str, pattern: re.Pattern, layout: str) -> date | None:
    if not pattern.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, layout).date()  # noqa: DTZ007 - a calendar day
    except ValueError:
        return None
