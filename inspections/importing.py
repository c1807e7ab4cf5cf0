"""Reading an Ofsted report PDF for import: what was read, before anything is saved.

Parsing is pure (report_parser); this module adds what needs the settings or a lookup: the
upload size limit, the child process with a time and memory limit that reads the PDF (sandbox),
the framework the first fieldwork day falls under, the signed copy that
carries what was read to the confirmation, and whether the report names this council. The
save is services/importing.py; whether the council already has the inspection, selectors.py.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.conf import settings
from django.core import signing

from councils.models import Council

from . import sandbox
from .models import Framework, Inspection, InspectionKind
from .report_parser import (
    NOT_READ,
    TOO_MUCH_MEMORY,
    TOO_SLOW,
    ParsedReport,
    ReportRejected,
    parse_report,
)

# An ILACS report does not say whether the inspection was standard or short.
ILACS_KINDS = (InspectionKind.STANDARD_ILACS, InspectionKind.SHORT_ILACS)
DEFAULT_KIND = InspectionKind.STANDARD_ILACS

# What was read travels inside the preview form, signed so that it comes back unchanged; a
# preview older than a signed-in session is refused, and the officer uploads the report again.
_SIGNING_SALT = "inspections.importing.report"
PREVIEW_MAX_AGE = settings.SESSION_COOKIE_AGE

# Words that name the kind of council rather than the place, dropped before comparing names:
# the DfE list says "Bristol, City of" where Ofsted prints "Bristol City Council".
_COUNCIL_WORDS = re.compile(
    r"\b(?:the|of|council|city|county|borough|metropolitan|district|london|royal)\b"
)


def size_display(limit: int) -> str:
    """A byte count as the upload page states it, e.g. "20 MB"."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{limit / 1024:.0f} KB" if limit >= 1024 else f"{limit} bytes"


def too_large_message(limit: int) -> str:
    return f"The file is larger than the {size_display(limit)} limit."


def report_read(*, file: IO[bytes], size: int) -> ParsedReport:
    """Read an uploaded or local report, refusing one over the size limit before reading it."""
    limit = settings.REPORT_UPLOAD_MAX_BYTES
    if size > limit:
        raise ReportRejected(too_large_message(limit))
    # Read one byte past the limit, so that a size that was misreported cannot fill the memory.
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ReportRejected(too_large_message(limit))
    # A small PDF can hold millions of drawing operators: it is read in a child process that is
    # stopped when it runs out of time or memory, so the web worker or command is never held.
    try:
        return sandbox.run_limited(
            parse_report,
            data,
            seconds=settings.REPORT_PARSE_SECONDS,
            memory_mb=settings.REPORT_PARSE_MEMORY_MB,
        )
    except sandbox.OutOfTime:
        raise ReportRejected(TOO_SLOW) from None
    except sandbox.OutOfMemory:
        raise ReportRejected(TOO_MUCH_MEMORY) from None
    except sandbox.ChildDied:
        raise ReportRejected(NOT_READ) from None


def report_framework(report: ParsedReport) -> Framework | None:
    """The framework in force on the report's first day of fieldwork."""
    return Framework.objects.for_start_date(report.fieldwork[0][0])


def report_as_json(report: ParsedReport) -> dict:
    """What was read, in the shape `import_report --json` prints."""
    data = report.as_dict()
    framework = report_framework(report)
    return {
        "local_authority": data["local_authority"],
        "fieldwork": data["fieldwork"],
        "lead_inspector": data["lead_inspector"],
        "framework": framework.code if framework else None,
        "judgements": data["judgements"],
        "recommendations": data["recommendations"],
    }


def report_sign(report: ParsedReport) -> str:
    """Sign what was read, to carry it from the upload to the confirmation in the form."""
    return signing.dumps(report.as_dict(), salt=_SIGNING_SALT, compress=True)


def report_unsign(token: str) -> dict:
    """Return what was read, or raise signing.BadSignature if it expired or was changed."""
    return signing.loads(token, salt=_SIGNING_SALT, max_age=PREVIEW_MAX_AGE)


def _place(name: str) -> str:
    words = re.sub(r"[^a-z ]", " ", name.lower().replace("&", " and "))
    return " ".join(_COUNCIL_WORDS.sub(" ", words).split())


def is_same_council(local_authority: str, council: Council) -> bool:
    """Tell whether the authority named in a report is this council.

    The comparison is strict on purpose: a false alarm costs the officer one tick box, while a
    missed one would file another council's grades here.
    """
    return bool(_place(local_authority)) and _place(local_authority) == _place(council.name)


@dataclass(frozen=True)
class Fieldwork:
    start_date: date
    end_date: date
    second_start_date: date | None = None
    second_end_date: date | None = None


def fieldwork_from_blocks(blocks: list[tuple[date, date]]) -> Fieldwork:
    """The first and second fieldwork blocks; a third (never seen yet) extends the second."""
    (start, end), *rest = blocks
    if not rest:
        return Fieldwork(start, end)
    return Fieldwork(start, end, rest[0][0], rest[-1][1])


def fieldwork_display(blocks: list[tuple[date, date]]) -> str:
    """The fieldwork as inspection pages print it, e.g. "11 to 13 July 2023"."""
    fieldwork = fieldwork_from_blocks(blocks)
    return Inspection(**vars(fieldwork)).fieldwork_display()
