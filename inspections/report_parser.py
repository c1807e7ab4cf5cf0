"""Read an Ofsted ILACS inspection report PDF into structured data (pure Python, no Django)."""

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

MAX_BYTES = 20 * 1024 * 1024
# Real ILACS reports run to 10-20 pages; reading more only costs time on a hostile file.
MAX_PAGES = 60
# A complete PDF ends with %%EOF; look a little before the end because some writers append bytes.
EOF_WINDOW = 2048
# The report title sits at the top of the first page; minutes or letters quoting it do not.
TITLE_WINDOW = 600
# A footnote is a few lines at the foot of a page; a longer run is body text.
FOOTNOTE_LINES = 6
# Stand-in for the gap between two pages in the list of body lines.
PAGE_BREAK = "\f"
# pypdf's own bounds, far above what a report needs (the 29 in tests/fixtures: at most 46 KB of
# page content and 4,400 operators on a page), so that a file made to cost time or memory is
# refused cheaply. The real guard is the child process's time and memory limit (importing.py).
PDF_LIMITS = {
    # Bytes a page's content, or any other stream, may inflate to.
    "zlib_maximum_output_length": 10 * 1024 * 1024,
    # Operators and operands one content stream may hold.
    "stream_parsing_work_maximum_count": 250_000,
}

NOT_PDF = "This file is not a PDF."
EMPTY = "The file is empty."
TOO_LARGE = "The file is larger than the 20 MB limit."
DAMAGED = "This PDF is damaged and cannot be read."
INCOMPLETE = "This PDF is incomplete: it may have been cut off while downloading or uploading."
ENCRYPTED = "This PDF is password-protected."
NO_TEXT = (
    "This PDF has no readable text (it may be a scanned image); "
    "import the PDF as published by Ofsted."
)
NOT_OFSTED = "This PDF is not an Ofsted inspection report of local authority children's services."
SIF = (
    "This is a single inspection framework (SIF) report, from 2013 to 2018; "
    "only ILACS reports can be imported."
)
VISIT = (
    "This is an Ofsted focused visit, monitoring visit or joint targeted area inspection letter, "
    "which has no graded judgements; only full ILACS inspection reports can be imported."
)
# What to do about a file that is too costly to read: the genuine report is never one.
_CHECK_SOURCE = "Check that it is the report downloaded from Ofsted's website, and upload that."
TOO_COMPLEX = (
    "This PDF holds far more on its pages than an Ofsted report does, so it was not read. "
    + _CHECK_SOURCE
)
TOO_SLOW = "This PDF took too long to read, so it was not imported. " + _CHECK_SOURCE
TOO_MUCH_MEMORY = (
    "This PDF needed too much memory to read, so it was not imported. " + _CHECK_SOURCE
)
NOT_READ = "This PDF could not be read. " + _CHECK_SOURCE
NO_DATES = "The inspection dates could not be read from this report."
NO_INSPECTOR = "The lead inspector could not be read from this report."
NO_JUDGEMENTS = "The judgements and grades could not be read from this report."

JUDGEMENT_KEYS = (
    "leaders",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "children_in_care_and_care_leavers",
    "overall_effectiveness",
)

# pypdf passes through whatever characters Word embedded; fold the typographic ones to plain text.
_CHARACTERS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u00ad": None,
        "\u200b": None,
        "\ufb01": "fi",
        "\ufb02": "fl",
    }
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b"
_DATE_RANGE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s*(?:to|-|\u2013|\u2014)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
    rf"|(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\s+(?P<y>\d{{4}})",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"\b(?:outstanding|good|requires\s+improvement(?:\s+to\s+be\s+good)?|inadequate)\b",
    re.IGNORECASE,
)
_ILACS_TITLE = re.compile(
    r"Inspection of (?:the )?(?P<la>[A-Z][^:]{1,80}?) (?:local authority )?children's services",
)
# Reports from 2018-2020 print the council on its own line above a title that names no council:
# "Inspection of children's social care services" or "Inspection of local authority children's
# services" (and, by the same pattern, "... local authority children's social care services").
_GENERIC_ILACS_TITLE = re.compile(
    r"^Inspection of (?:the )?(?:local authority )?children's (?:social care )?services$",
    re.IGNORECASE,
)
# The generic title and the council above it sit among the first lines of the first page.
GENERIC_TITLE_LINES = 12
_SIF_MARKERS = (
    "inspection of services for children in need of help and protection",
    "review of the effectiveness of the local safeguarding children board",
)
_VISIT_MARKERS = ("focused visit", "monitoring visit", "joint targeted area inspection")
_COUNCIL_PREFIX = re.compile(
    r"^(?:the )?(?:council of the|council of|london borough of|royal borough of|city of)\s+",
    re.IGNORECASE,
)
_COUNCIL_SUFFIX = re.compile(
    r"\s+(?:metropolitan borough|borough|county|city|district)?\s*council$", re.IGNORECASE
)
_INSPECTOR_ROLE = re.compile(
    r"\s*\(?(?:(?:his|her) majesty's inspector|senior hmi|hmi|ofsted inspector)\)?\s*$",
    re.IGNORECASE,
)
# Optional "?" and an optional footnote number ("What needs to improve?1" in Trafford 2026).
_IMPROVE_HEADING = re.compile(
    r"^what needs to improve(?![a-z])\s*\??\s*(?P<note>\d{0,2})\s*$", re.IGNORECASE
)
# Word exports bullets as geometric shapes or as Symbol/Wingdings private-use characters; dashes
# are left out because a wrapped line of prose can start with one.
_BULLET = re.compile(r"^[\u25fc\u25fe\u25aa\u25a0\u25cf\u2022\u2023\u2219\uf020-\uf0ff]\s*")
_DATES_LABEL = re.compile(r"inspection dates?\s*:", re.IGNORECASE)
_SECTION_START = re.compile(
    r"^(?:the experiences and progress of|the impact of leaders|overall effectiveness|\d{1,3}\.\s)",
    re.IGNORECASE,
)
_SECTION_HEADING = re.compile(
    r"(?P<heading>(?:the impact of leaders|the experiences and progress of|overall effectiveness)"
    r"[^:.]{0,120}?)\s*:\s*(?P<grade>" + _GRADE.pattern + ")",
    re.IGNORECASE,
)
# An item of the national framework: its kind, then its number (a figure or a word) or a colon.
_FRAMEWORK_ITEM = (
    r"(?:outcome|enabler|principle)s?\s*"
    r"(?::|\d{1,2}\b|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)"
)
# A bullet may end with the national framework outcome, enabler or principle it is cross-referenced
# with, in brackets: "(outcome 2, national framework)", "(Enabler two, National Framework)" or,
# without the framework's name, "(enabler 2, leaders drive conditions for effective practice)".
_FRAMEWORK_REFERENCE = re.compile(
    rf"\s*\((?P<ref>{_FRAMEWORK_ITEM}[^()]*|[^()]*national framework)\)\s*$", re.IGNORECASE
)


class ReportRejected(Exception):
    """The file is not a readable Ofsted local authority children's services report."""


@dataclass(frozen=True)
class ParsedRecommendation:
    """One "What needs to improve?" bullet."""

    text: str
    national_framework_reference: str | None


@dataclass(frozen=True)
class ParsedReport:
    """The facts an ILACS report states on its first pages."""

    local_authority: str
    fieldwork: list[tuple[date, date]]
    lead_inspector: str
    judgements: dict[str, str]
    recommendations: list[ParsedRecommendation]

    def as_dict(self) -> dict:
        """Return the report as JSON-ready builtins."""
        return {
            "local_authority": self.local_authority,
            "fieldwork": [[start.isoformat(), end.isoformat()] for start, end in self.fieldwork],
            "lead_inspector": self.lead_inspector,
            "judgements": dict(self.judgements),
            "recommendations": [
                {"text": r.text, "national_framework_reference": r.national_framework_reference}
                for r in self.recommendations
            ],
        }


def normalise_grade(text: str) -> str:
    """Map a grade as printed ("Requires Improvement to be good") to its code."""
    words = " ".join(text.replace("_", " ").split()).lower().strip(" .:;")
    codes = {
        "outstanding": "outstanding",
        "good": "good",
        "requires improvement": "requires_improvement",
        "requires improvement to be good": "requires_improvement",
        "inadequate": "inadequate",
    }
    if words not in codes:
        raise ValueError(f"Unknown Ofsted grade: {text!r}")
    return codes[words]


def parse_report(data: bytes) -> ParsedReport:
    """Read an ILACS report PDF, or raise ReportRejected saying why it cannot be imported."""
    pages = [_clean_lines(text) for text in _extract_pages(data)]
    if not any(pages):
        raise ReportRejected(NO_TEXT)
    front_lines = [line for page in pages[:2] for line in page]
    front = " ".join(front_lines)
    _check_kind(pages[0], front)
    body = _body_lines(pages)
    return ParsedReport(
        local_authority=_local_authority(front, front_lines),
        fieldwork=_fieldwork(front),
        lead_inspector=_lead_inspector(front_lines),
        judgements=_judgements(front, " ".join(line for line in body if line != PAGE_BREAK)),
        recommendations=_recommendations(body),
    )


# --- Reading the file -------------------------------------------------------------------------


def _extract_pages(data: bytes) -> list[str]:
    """Return the text of the first MAX_PAGES pages, refusing anything that is not a usable PDF."""
    _check_bytes(data)
    with apply_configuration(**PDF_LIMITS):
        reader = _open(data)
        try:
            count = min(len(reader.pages), MAX_PAGES)
            return [reader.pages[i].extract_text() or "" for i in range(count)]
        except LimitReachedError as exc:
            raise ReportRejected(TOO_COMPLEX) from exc
        except MemoryError:
            raise  # the memory limit of the process reading it: importing.py says so
        except Exception as exc:
            # Any other pypdf failure means the file is broken, whatever type it surfaces as.
            raise ReportRejected(DAMAGED) from exc


def _check_bytes(data: bytes) -> None:
    """Refuse files that cannot be a complete PDF before handing them to pypdf."""
    if not data:
        raise ReportRejected(EMPTY)
    # Checked first so a huge upload is never scanned or parsed.
    if len(data) > MAX_BYTES:
        raise ReportRejected(TOO_LARGE)
    if not bytes(data[:1024]).lstrip().startswith(b"%PDF-"):
        raise ReportRejected(NOT_PDF)
    if b"%%EOF" not in bytes(data[-EOF_WINDOW:]):
        raise ReportRejected(INCOMPLETE)


def _open(data: bytes) -> PdfReader:
    """Open the PDF with pypdf, unlocking it only when no password is needed."""
    try:
        reader = PdfReader(io.BytesIO(bytes(data)), strict=False)
        encrypted = reader.is_encrypted
    except LimitReachedError as exc:
        raise ReportRejected(TOO_COMPLEX) from exc
    except MemoryError:
        raise
    except Exception as exc:
        raise ReportRejected(DAMAGED) from exc
    if encrypted:
        try:
            # Files locked only against editing open with the empty user password.
            unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception as exc:  # e.g. AES without the optional cryptography package
            raise ReportRejected(ENCRYPTED) from exc
        if not unlocked:
            raise ReportRejected(ENCRYPTED)
    return reader


def _clean(text: str) -> str:
    """Fold typographic characters and collapse whitespace."""
    return " ".join(text.translate(_CHARACTERS).split())


def _clean_lines(page_text: str) -> list[str]:
    """Return a page's non-blank lines, cleaned."""
    return [line for line in (_clean(raw) for raw in page_text.splitlines()) if line]


def _check_kind(first_page: list[str], front: str) -> None:
    """Refuse PDFs that are not ILACS reports, naming the kind when it is a known other one."""
    page = " ".join(first_page)
    top = page[:TITLE_WINDOW]
    if any(marker in page.lower() for marker in _SIF_MARKERS):
        raise ReportRejected(SIF)
    generic = _generic_title_index(first_page) is not None
    if not (_ILACS_TITLE.search(top) or generic):
        if any(marker in top.lower() for marker in _VISIT_MARKERS):
            raise ReportRejected(VISIT)
        raise ReportRejected(NOT_OFSTED)
    # Minutes or letters may quote a report's title, but never carry its front-page fields.
    if not _DATES_LABEL.search(front) or "lead inspector" not in front.lower():
        raise ReportRejected(NOT_OFSTED)


def _body_lines(pages: list[list[str]]) -> list[str]:
    """Join every page's lines without its running header, footer and page number."""
    boilerplate = _running_lines(pages)
    body: list[str] = []
    for lines in pages:
        body.extend(
            line
            for i, line in enumerate(lines)
            if not (_at_edge(i, len(lines)) and _is_boilerplate(line, boilerplate))
        )
        body.append(PAGE_BREAK)
    return body


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Find lines repeated at the top or bottom of many pages: running headers and footers."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_mask_digits(line) for i, line in enumerate(lines) if _at_edge(i, len(lines))})
    threshold = max(2, math.ceil(len(pages) * 0.4))
    return {line for line, count in seen.items() if count >= threshold}


def _at_edge(index: int, length: int, depth: int = 3) -> bool:
    """Tell whether a line is among the first or last few of its page."""
    return index < depth or index >= length - depth


def _mask_digits(line: str) -> str:
    """Make page headers with different page numbers compare equal."""
    return re.sub(r"\d+", "#", line)


def _is_boilerplate(line: str, running: set[str]) -> bool:
    """Tell whether an edge line is a running header, footer or bare page number."""
    return line.isdigit() or _mask_digits(line) in running


# --- The facts ----------------------------------------------------------------------------------


def _local_authority(front: str, front_lines: list[str]) -> str:
    """Read the council's name from the title."""
    match = _ILACS_TITLE.search(front[:TITLE_WINDOW])
    if match:
        return match.group("la").strip()
    # Reports from 2018-2020 print the council on its own line above a generic title.
    title = _generic_title_index(front_lines)
    above = [line for line in front_lines[:title] if not line.isdigit()] if title else []
    if not above:
        raise ReportRejected(NOT_OFSTED)
    return _COUNCIL_SUFFIX.sub("", _COUNCIL_PREFIX.sub("", above[-1])).strip()


def _generic_title_index(lines: list[str]) -> int | None:
    """Return where a title that names no council starts, on one line or wrapped over two."""
    for i in range(min(len(lines), GENERIC_TITLE_LINES)):
        if _GENERIC_ILACS_TITLE.match(lines[i]) or _GENERIC_ILACS_TITLE.match(
            " ".join(lines[i : i + 2])
        ):
            return i
    return None


def _fieldwork(front: str) -> list[tuple[date, date]]:
    """Read every block of inspection dates, e.g. "5 to 9 December 2022 and 14 to 15 February"."""
    found = re.search(
        r"inspection dates?\s*:\s*(?P<dates>.*?)(?:lead inspector|$)", front, re.IGNORECASE
    )
    if not found:
        raise ReportRejected(NO_DATES)
    blocks = [_date_block(m) for m in _DATE_RANGE.finditer(found.group("dates"))]
    if not blocks:
        raise ReportRejected(NO_DATES)
    return blocks


def _date_block(match: re.Match[str]) -> tuple[date, date]:
    """Turn one matched range into dates, borrowing the month and year the start leaves out."""
    parts = match.groupdict()
    try:
        if parts["d"]:
            single = date(int(parts["y"]), _MONTHS[parts["m"].lower()], int(parts["d"]))
            return single, single
        end = date(int(parts["y2"]), _MONTHS[parts["m2"].lower()], int(parts["d2"]))
        month = _MONTHS[parts["m1"].lower()] if parts["m1"] else end.month
        start = date(int(parts["y1"] or end.year), month, int(parts["d1"]))
        if start > end and not parts["y1"]:  # "30 December to 3 January 2025"
            start = start.replace(year=end.year - 1)
    except ValueError as exc:  # a day that does not exist, such as 31 June
        raise ReportRejected(NO_DATES) from exc
    if start > end:
        raise ReportRejected(NO_DATES)
    return start, end


def _lead_inspector(front_lines: list[str]) -> str:
    """Read the lead inspector's name, without the title that follows it."""
    for i, line in enumerate(front_lines):
        found = re.match(r"lead inspector\s*:\s*(?P<rest>.*)$", line, re.IGNORECASE)
        if not found:
            continue
        # Older reports put the name alone on the line, and the title below it.
        text = found.group("rest") or (front_lines[i + 1] if i + 1 < len(front_lines) else "")
        name = _INSPECTOR_ROLE.sub("", text.split(",")[0]).strip()
        if name:
            return name
    raise ReportRejected(NO_INSPECTOR)


def _judgements(front: str, body: str) -> dict[str, str]:
    """Read the grades from the table, filling gaps from the section headings."""
    table = _table_grades(front)
    sections = _section_grades(body)
    merged = {**sections, **table}
    if not merged:
        raise ReportRejected(NO_JUDGEMENTS)
    if table and table.keys() >= sections.keys():
        return table
    return {key: merged[key] for key in JUDGEMENT_KEYS if key in merged}


def _table_grades(front: str) -> dict[str, str]:
    """Read the judgement table: alternating headings and grades after "Judgement Grade"."""
    header = re.search(r"\bjudgements?\s+grades?\b", front, re.IGNORECASE)
    if not header:
        return {}
    grades: dict[str, str] = {}
    position = header.end()
    for match in _GRADE.finditer(front, position):
        key = _table_heading_key(front[position : match.start()])
        # Prose starts where a heading stops making sense; never read past the table.
        if key is None or key in grades:
            break
        grades[key] = normalise_grade(match.group())
        position = match.end()
        if key == "overall_effectiveness":
            break
    return grades


def _table_heading_key(heading: str) -> str | None:
    """Classify a table cell, refusing anything that reads like a sentence of prose."""
    heading = heading.strip()
    if len(heading.split()) > 20 or re.search(r"[.,;:]", heading):
        return None
    return _judgement_key(heading)


def _section_grades(body: str) -> dict[str, str]:
    """Read grades from section headings such as "...care leavers: requires improvement"."""
    grades: dict[str, str] = {}
    for match in _SECTION_HEADING.finditer(body):
        key = _judgement_key(match.group("heading"))
        if key and key not in grades:
            grades[key] = normalise_grade(match.group("grade"))
    return {key: grades[key] for key in JUDGEMENT_KEYS if key in grades}


def _judgement_key(heading: str) -> str | None:
    """Classify a judgement heading by its meaning, or return None."""
    text = " ".join(heading.lower().translate(_CHARACTERS).split())
    if "overall effectiveness" in text:
        return "overall_effectiveness"
    if "leaders" in text and ("impact" in text or "social work practice" in text):
        return "leaders"
    if not text.startswith(("the experiences and progress", "experiences and progress")):
        return None
    if "help and protection" in text:
        return "help_and_protection"
    in_care = "children in care" in text or "looked after" in text
    leavers = "care leavers" in text or "care-experienced" in text or "care experienced" in text
    if in_care and leavers:
        return "children_in_care_and_care_leavers"
    if in_care:
        return "children_in_care"
    if leavers:
        return "care_leavers"
    return None


# --- Recommendations ----------------------------------------------------------------------------


def _recommendations(body: list[str]) -> list[ParsedRecommendation]:
    """Read each bullet under "What needs to improve?"; a report may have none."""
    for i, line in enumerate(body):
        heading = _IMPROVE_HEADING.match(line)
        if heading:
            bullets = _bullets(body[i + 1 :], heading.group("note"))
            return [_recommendation(parts) for parts in bullets if any(parts)]
    return []


def _bullets(lines: list[str], note: str) -> list[list[str]]:
    """Group the lines after the heading into bullets, skipping a footnote at a page's foot."""
    bullets: list[list[str]] = []
    in_footnote = False
    for i, line in enumerate(lines):
        if line == PAGE_BREAK or in_footnote:
            in_footnote = in_footnote and line != PAGE_BREAK
            continue
        # Checked before the end of the list, because "1. The areas..." looks like paragraph 1.
        if _is_footnote(lines, i, note):
            in_footnote = True
        elif _SECTION_START.match(line):
            break
        elif bullet := _BULLET.match(line):
            bullets.append([line[bullet.end() :]])
        elif bullets:
            bullets[-1].append(line)
    return bullets


def _is_footnote(lines: list[str], index: int, note: str) -> bool:
    """Tell whether a line opens the heading's footnote: its number, then text to the page foot."""
    if not note or not re.match(rf"{note}\.?\s+\S", lines[index]):
        return False
    # A wrapped line such as "1 month ..." is not a footnote: footnotes end their page.
    rest = lines[index:]
    foot = rest[: rest.index(PAGE_BREAK)] if PAGE_BREAK in rest else rest
    return len(foot) <= FOOTNOTE_LINES and not any(_BULLET.match(line) for line in foot)


def _recommendation(parts: list[str]) -> ParsedRecommendation:
    """Join a bullet's lines and split off a trailing national framework reference."""
    text = _join_lines(parts)
    reference = _FRAMEWORK_REFERENCE.search(text)
    if not reference:
        return ParsedRecommendation(text=text, national_framework_reference=None)
    return ParsedRecommendation(
        text=text[: reference.start()].strip(),
        national_framework_reference=_clean(reference.group("ref")),
    )


def _join_lines(parts: list[str]) -> str:
    """Join wrapped lines with spaces, keeping a compound word's hyphen at a line end intact."""
    text = ""
    for part in (p.strip() for p in parts if p.strip()):
        # "decision-" + "making" is one word that Word wrapped at its own hyphen.
        glued = re.search(r"[A-Za-z]-$", text) and part[0].islower()
        text = f"{text}{part}" if glued or not text else f"{text} {part}"
    return _clean(text)
