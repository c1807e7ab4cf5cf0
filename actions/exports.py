"""The actions list as CSV and as an Excel workbook, with the same filters as the page."""

import csv
from collections.abc import Iterable
from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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
# The workbook's column widths, in characters: wide enough to read, long text wraps.
WIDTHS = [10, 28, 48, 40, 20, 20, 13, 13, 30, 9, 13, 8, 10, 40, 40, 13, 60]
PERCENT_COLUMN = COLUMNS.index("Percent complete")
DATE_FORMAT = "d mmm yyyy"

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
            (
                f"Closed unfinished (it was {action.get_status_display().lower()} when closed)"
                if action.ended_on
                else action.get_status_display()
            ),
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


def _typed_cell(sheet, index: int, value) -> WriteOnlyCell:
    """A cell a spreadsheet can sort and sum: dates as dates, the percent as a percentage."""
    if index == PERCENT_COLUMN and value is not None:
        cell = WriteOnlyCell(sheet, value=value / 100)
        cell.number_format = "0%"
        return cell
    cell = WriteOnlyCell(sheet, value=safe(value))
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and len(value) > WIDTHS[index]:
        cell.alignment = WRAP
    return cell


WRAP = Alignment(wrap_text=True, vertical="top")


def xlsx_response(council: Council, actions, today: date) -> HttpResponse:
    """A workbook ready to work in: typed cells, set widths, a frozen header and a filter."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    # A write-only sheet takes its layout before its rows.
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    count = actions.count()
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for row in rows(actions.iterator(chunk_size=500), today):
        sheet.append([_typed_cell(sheet, index, value) for index, value in enumerate(row)])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(council, today, "xlsx")}"'
    return response
