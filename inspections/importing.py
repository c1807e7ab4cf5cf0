"""Import an inspection from the Ofsted report PDF: read the file, then save what was confirmed.

Reading is pure (report_parser); this module adds what needs the database or the settings: the
upload size limit, the framework the first fieldwork day falls under, whether the council already
has the inspection, and the one transaction that saves it all.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from councils.models import Council

from .models import Framework, Inspection, InspectionKind, Recommendation
from .report_parser import ParsedReport, ReportRejected, parse_report
from .services import (
    RecommendationInput,
    inspection_save,
    inspection_set_judgements,
    inspection_set_recommendations,
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
    return parse_report(data)


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


def existing_inspection(*, council: Council, start_date: date) -> Inspection | None:
    """The council's ILACS inspection that started that day, if it is already recorded.

    Either ILACS kind counts, because the report does not say which it was: an inspection
    recorded as short and imported again as standard is still the same inspection.
    """
    return (
        Inspection.objects.for_council(council)
        .filter(start_date=start_date, kind__in=ILACS_KINDS)
        .order_by("pk")
        .first()
    )


def recommendations_matched(
    *, inspection: Inspection | None, items: list[tuple[str, str]]
) -> list[RecommendationInput]:
    """Pair (text, reference) items with an inspection's recommendations, to update in place.

    The same text keeps its row; the rest pair up in order, so that a corrected wording keeps
    its row, and the improvement actions attached to it, rather than being deleted and re-added.
    """
    existing: list[Recommendation] = list(inspection.recommendations.all()) if inspection else []
    ids: list[int | None] = [None] * len(items)
    unused = {r.pk: r for r in existing}
    for i, (text, _) in enumerate(items):
        same = next((r for r in unused.values() if r.text == text.strip()), None)
        if same:
            ids[i] = same.pk
            del unused[same.pk]
    leftover = iter(list(unused))
    for i in range(len(items)):
        if ids[i] is None:
            ids[i] = next(leftover, None)
    return [
        RecommendationInput(id=pk, text=text, national_framework_reference=reference or "")
        for pk, (text, reference) in zip(ids, items, strict=True)
    ]


@dataclass
class ImportValues:
    """The inspection's details as the officer confirmed them."""

    kind: str
    fieldwork: Fieldwork
    published_on: date | None
    lead_inspector: str
    # None leaves the inspection's report web address as it is.
    report_url: str | None = None
    grades: dict[str, str] = field(default_factory=dict)
    recommendations: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def inspection_import(
    *, council: Council, values: ImportValues, update: Inspection | None = None
) -> Inspection:
    """Create the inspection, or update the one given, with its grades and recommendations.

    One transaction: a grade or recommendation that fails validation leaves nothing saved.
    """
    if update is not None and update.council_id != council.pk:
        raise ValidationError("That inspection belongs to another council")
    inspection = update or Inspection(council=council)
    inspection.kind = values.kind
    for name, value in vars(values.fieldwork).items():
        setattr(inspection, name, value)
    inspection.published_on = values.published_on
    inspection.lead_inspector = values.lead_inspector.strip()
    if values.report_url is not None:
        inspection.report_url = values.report_url
    inspection_save(inspection=inspection)
    if inspection.framework is not None:
        inspection_set_judgements(inspection=inspection, grades=values.grades)
    inspection_set_recommendations(
        inspection=inspection,
        items=recommendations_matched(inspection=update, items=values.recommendations),
    )
    return inspection


def values_from_report(
    report: ParsedReport, *, kind: str = DEFAULT_KIND, published_on: date | None = None
) -> ImportValues:
    """The values to save for a report exactly as read, as the command saves it."""
    return ImportValues(
        kind=kind,
        fieldwork=fieldwork_from_blocks(report.fieldwork),
        published_on=published_on,
        lead_inspector=report.lead_inspector,
        grades=dict(report.judgements),
        recommendations=[
            (r.text, r.national_framework_reference or "") for r in report.recommendations
        ],
    )
