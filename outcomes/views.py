"""The national outcomes pages: every signed-in person may read them, since they show only what
Ofsted published; nothing a council recorded for itself appears here."""

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from config.htmx import wants_fragment
from councils.models import Council
from inspections.models import Grade
from reports.grades import outcome_history

from . import selectors
from .forms import NationalFilterForm
from .models import JUDGEMENTS, Kind

PER_PAGE = 50
# The sortable columns: (sort key, heading). Region and type show under the council's name,
# to keep the table narrow; they sort by address (?sort=region) and filter.
COLUMNS = [
    ("name", "Council"),
    ("inspected", "Latest inspection"),
    *JUDGEMENTS,
]


def _form(request) -> NationalFilterForm:
    regions, types, years = selectors.national_choices()
    return NationalFilterForm(request.GET, regions=regions, types=types, years=years)


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def national(request):
    form = _form(request)
    values = form.values
    page = Paginator(selectors.national_rows(values), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "params": request.GET.copy(),
        "sort": values.get("sort") or "name",
        "columns": COLUMNS,
        "load": selectors.latest_load(),
        "nav": "national",
    }
    if wants_fragment(request):
        response = render(request, "outcomes/national.html#results", context)
        # The form sends its empty fields too; the address bar gets only those in use.
        used = [(k, v) for k, values in request.GET.lists() for v in values if v]
        return push_url(response, f"{request.path}?{urlencode(used)}" if used else request.path)
    return render(request, "outcomes/national.html", context)


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@login_required
@require_safe
def national_csv(request):
    """The national table as CSV, with the same filters and order, every page of it."""
    rows = selectors.national_rows(_form(request).values)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="national-outcomes-{day}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark.
    writer = csv.writer(response)
    writer.writerow(
        [
            "Council",
            "Ofsted URN",
            "Region",
            "Type",
            "Inspection",
            "Fieldwork start",
            "Fieldwork end",
            "Published",
            "Lead inspector",
            *(f"{name}" for _, name in JUDGEMENTS),
            "Report",
        ]
    )
    kinds = dict(Kind.choices)
    for row in rows:
        writer.writerow(
            _safe(value)
            for value in [
                row.council.name,
                row.council.urn,
                row.council.region,
                row.council.la_type,
                kinds[row.kind],
                row.start_date or "",
                row.end_date or "",
                row.published_on,
                row.lead_inspector,
                *(cell.label if not cell.grade else _grade_words(cell) for cell in row.cells()),
                row.report_url,
            ]
        )
    return response


def _grade_words(cell) -> str:
    words = Grade(cell.grade).label
    return f"{words} ({cell.note})" if cell.note else words


@login_required
@require_safe
def national_council(request, slug):
    """One council's published reports, oldest to newest: its inspection history."""
    council = get_object_or_404(Council, slug=slug)
    reports = selectors.council_reports(council)
    load = selectors.latest_load()
    oldest_first = [
        selectors.outcome_from_published(report, load.loaded_at if load else None)
        for report in reversed(reports)
    ]
    history = outcome_history(oldest_first, []) if len(oldest_first) > 1 else None
    return render(
        request,
        "outcomes/council.html",
        {
            "council": council,
            "reports": reports,
            "history_svg": history.svg(chart_id="national-history") if history else "",
            "load": load,
            "nav": "national",
        },
    )
