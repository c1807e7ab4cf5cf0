from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from config.htmx import wants_fragment
from councils.access import check_platform_admin, get_council_for_user
from councils.models import Council
from outcomes import rules as outcome_rules
from outcomes import selectors as outcome_selectors

from . import dashboard as figures_api
from .forms import DashboardFilterForm, OverviewFilterForm
from .overview import overview_filter, overview_page_grades, overview_rows

# The direction of travel looks back this far unless the reader picks a date.
DEFAULT_LOOKBACK = timedelta(days=28)
# The query parameters the dashboard's filter form reads.
# "since" is the date as YYYY-MM-DD, as the pack's links carry it; the form sends three boxes.
FILTER_PARAMETERS = ("inspection", "recommendation", "since", "since_0", "since_1", "since_2")
OVERVIEW_PER_PAGE = 25
# The overview's sortable columns: (sort key, heading).
OVERVIEW_COLUMNS = [
    ("name", "Council"),
    ("region", "Region"),
    ("latest", "Latest inspection"),
    ("grade", "Grades"),
    ("complete", "Actions complete"),
    ("milestone", "Next milestone"),
]


def _with_default_since(query, since):
    """The query string with the default date filled in, so the date input shows it."""
    if query.get("since") or any(query.get(f"since_{i}") for i in range(3)):
        return query
    query = query.copy()
    query.update({"since_0": since.day, "since_1": since.month, "since_2": since.year})
    return query


# The council with the data versions that key the dashboard's cache, built once.
COUNCILS_WITH_VERSIONS = Council.objects.with_neighbours_version()


@dataclass(frozen=True)
class DashboardBody:
    """The dashboard as rendered for one version, role and choice of filters."""

    html: str  # a SafeString from the template, and one still after the cache's pickling
    has_errors: bool
    # The address for what is shown: the filters sent, less empty ones and a recommendation the
    # form dropped as left over from another inspection.
    query: str = ""


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def dashboard(request, slug):
    # The data versions, the key of the cached body, come with the council: no extra query.
    access = get_council_for_user(request, slug, COUNCILS_WITH_VERSIONS)
    council, today = access.council, timezone.localdate()
    version = figures_api.version(council, today)
    key = figures_api.body_key(
        council,
        version,
        can_edit=access.can_edit,
        htmx=wants_fragment(request),
        query=[(name, request.GET.getlist(name)) for name in FILTER_PARAMETERS],
    )
    body = caches["local"].get(key)
    if body is None:
        body = cache.get(key)
        if body is None:
            body = _dashboard_body(request, access, version)
            cache.set(key, body, figures_api.CACHE_SECONDS)
        caches["local"].set(key, body, figures_api.CACHE_SECONDS)
    if wants_fragment(request):
        return push_url(HttpResponse(body.html), f"{request.path}{body.query}")
    return render(
        request,
        "reports/dashboard.html",
        {"council": council, "body": body.html, "has_errors": body.has_errors},
    )


def _dashboard_body(request, access, version) -> DashboardBody:
    council, today = access.council, version.today
    choices = figures_api.council_choices(council, version)
    default_since = today - DEFAULT_LOOKBACK
    query = _with_default_since(request.GET, default_since)
    form = DashboardFilterForm(
        query,
        inspections=choices.inspections,
        recommendations=choices.recommendations,
        today=today,
    )
    form.is_valid()  # A bad filter is shown as an error and ignored; the valid ones apply.
    chosen = {
        "since": form.cleaned_data.get("since") or default_since,
        "inspection_id": form.cleaned_data.get("inspection"),
        "recommendation_id": form.cleaned_data.get("recommendation"),
    }
    partial = wants_fragment(request)
    template = "reports/dashboard.html#figures" if partial else "reports/dashboard.html#body"
    # Read from the cache only if the rendered figures are not cached themselves.
    figures = SimpleLazyObject(lambda: figures_api.figures(council, version, **chosen))
    scope = _scope(choices, form.cleaned_data)
    kind = (
        "recommendation"
        if chosen["recommendation_id"]
        else "inspection"
        if chosen["inspection_id"]
        else "live"
    )
    html = render_to_string(
        template,
        {
            "access": access,
            "council": council,
            # Read from the cache only if the rendered grades are not cached themselves.
            "picture": SimpleLazyObject(lambda: figures_api.council_picture(council, version)),
            "picture_key": figures_api.picture_key(council, version),
            # The form as rendered follows from its choices and what was sent.
            "form_key": repr(sorted((name, query.getlist(name)) for name in FILTER_PARAMETERS)),
            "form": form,
            "scope": scope,
            "figures": figures,
            # The figures in a sentence or two, at the top of the page.
            "headline": SimpleLazyObject(lambda: figures_api.headline(figures, scope, kind=kind)),
            "figures_key": figures_api.figures_key(council, version, **chosen),
            "cache_seconds": figures_api.CACHE_SECONDS,
            **_pack_links(choices, chosen),
        },
        request,
    )
    kept = [
        (name, value)
        for name in FILTER_PARAMETERS
        for value in request.GET.getlist(name)
        if value and not (name == "recommendation" and not form.data.get(name))
    ]
    return DashboardBody(
        html=html, has_errors=bool(form.errors), query=f"?{urlencode(kept)}" if kept else ""
    )


def _pack_links(choices, chosen) -> dict:
    """The scrutiny pack for what the dashboard shows: its inspection's whole plan, its date."""
    inspection = chosen["inspection_id"]
    if chosen["recommendation_id"]:
        inspection = next(
            c.inspection_id for c in choices.recommendations if c.pk == chosen["recommendation_id"]
        )
    params = {"since": chosen["since"].isoformat()}
    scope = "the latest graded inspection"
    if inspection:
        params = {"inspection": inspection} | params
        scope = next(c.scope for c in choices.inspections if c.pk == inspection)
    return {
        "pack_query": f"?{urlencode(params)}",
        "pack_scope": scope,
        "pack_since": chosen["since"],
    }


def _scope(choices, chosen) -> str:
    """What the figures cover, in words: a recommendation, an inspection or everything."""
    for field, offered in (
        ("recommendation", choices.recommendations),
        ("inspection", choices.inspections),
    ):
        if chosen.get(field):
            return next(c.scope for c in offered if c.pk == chosen[field])
    return "the live plan"


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def overview(request):
    check_platform_admin(request)
    today = timezone.localdate()
    in_being = Council.objects.in_being()
    regions = list(in_being.order_by("region").values_list("region", flat=True).distinct())
    form = OverviewFilterForm(request.GET, regions=regions)
    rows = overview_filter(overview_rows(today), form, today)
    page = Paginator(rows, OVERVIEW_PER_PAGE).get_page(request.GET.get("page"))
    councils = list(page.object_list)
    overview_page_grades(councils)
    published = outcome_selectors.latest_reports(c.pk for c in councils)
    inputs = outcome_selectors.estimate_inputs()
    for council in councils:
        _with_outcomes(council, published.get(council.pk), inputs, today)
    params = request.GET.copy()
    template = (
        "reports/overview.html#results" if wants_fragment(request) else "reports/overview.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "councils": councils,
            "params": params,
            "sort": form.cleaned_data.get("sort") or "name",
            "columns": OVERVIEW_COLUMNS,
            "today": today,
            "outcomes_loaded_at": inputs.loaded_at,
            "nav": "overview",
        },
    )


def _with_outcomes(council, report, inputs, today) -> None:
    """The overview row's latest grades from the council's record or, where it has none as
    recent, the national outcomes file; and the estimate of its next inspection."""
    recorded = None
    if council.latest_graded_id:
        area_grades = {j.area.key: j.grade for j in council.judgements}
        grades, combined = outcome_rules.outcome_grades(area_grades)
        recorded = outcome_rules.Outcome(
            source=outcome_rules.RECORDED,
            start=council.latest_graded_on,
            published=council.latest_graded_published_on,
            kind=outcome_selectors.RECORDED_KINDS.get(council.latest_kind, "unknown"),
            grades=grades,
            combined_in_care=combined,
        )
    published = (
        outcome_selectors.outcome_from_published(report, inputs.loaded_at) if report else None
    )
    shown = recorded if council.recorded_current else published
    council.grade_cells = outcome_selectors.outcome_cells(shown) if shown else []
    council.graded_on = shown.when if shown else None
    council.grades_source = _SOURCES[shown.source] if shown else ""
    # The latest inspection of any kind: a recorded visit after the last report shows.
    council.report = None
    if published and not (council.latest_on and council.latest_on >= published.when):
        council.report = report
    # Paired as on the council page, so that one inspection in both sources counts once and
    # the council's dates for it win: both pages then give the same window.
    history = outcome_rules.merged([recorded] if recorded else [], [published] if published else [])
    council.estimate = inputs.estimate(history, today) if history else None


_SOURCES = {
    outcome_rules.RECORDED: "recorded by the council",
    outcome_rules.PUBLISHED: "published by Ofsted",
}
