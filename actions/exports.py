"""The actions list as CSV and as an Excel workbook, with the same filters as the page."""

import csv
from collections.abc import Iterable
from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from councils.models import Council

from .models import Action

COLUMNS = [
    "Reference",
    "Inspection",
    "Recommendation",
    "Action",
    "Owner",
    "Senior lead",
    "Original due date",
    "Revised due date",
    "Reason for revision",
    "Overdue",
    "Status",
    "RAG",
    "Percent complete",
    "Success criterion",
    "Evidence of impact",
    "Latest update",
    "Latest narrative",
]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Make text inert in a spreadsheet: a leading apostrophe stops it running as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def rows(actions: Iterable[Action], today: date):
    for action in actions:
        inspection = action.recommendation.inspection
        latest = action.latest_update_at
        yield [
            action.pk,
            f"{inspection.get_kind_display()}, {inspection.fieldwork_display()}",
            f"{action.recommendation.position}. {action.recommendation.text}",
            action.title,
            action.owner_name,
            action.lead,
            action.due_on,
            action.revised_due_on,
            action.revision_reason,
            "Yes" if action.is_overdue(today) else "No",
            action.get_status_display(),
            action.get_rag_display(),
            action.percent_complete,
            action.success_criterion,
            action.evidence_of_impact,
            timezone.localtime(latest).date() if latest else None,
            action.latest_narrative or "",
        ]


def _filename(council: Council, today: date, extension: str) -> str:
    return f"{council.slug}-actions-{today:%Y-%m-%d}.{extension}"


def csv_response(council: Council, actions, today: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(council, today, "csv")}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark.
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in rows(actions.iterator(chunk_size=500), today):
        writer.writerow(
            [
                "" if value is None else value.isoformat() if isinstance(value, date) else value
                for value in map(safe, row)
            ]
        )
    return response


def xlsx_response(council: Council, actions, today: date) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(actions.iterator(chunk_size=500), today):
        sheet.append([safe(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(council, today, "xlsx")}"'
    return response
