"""Pages of a council's impact measures: everyone at the council reads them; officers and
admins record (councils/access.py)."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.forms import add_service_errors
from councils.access import get_council_for_user, get_rw_council_for_user

from . import services
from .forms import (
    UPLOAD_MAX_BYTES,
    MeasureForm,
    MeasureRemoveForm,
    UploadForm,
    ValuesForm,
    choose_period,
    read_values_file,
    recent_period_ends,
)
from .models import Measure, MeasureValue
from .periods import Frequency, period_label
from .selectors import measure_history
from .series import measure_series
from .templatetags.measures_tags import format_value

CONFLICT = 409


def _context(access, **extra) -> dict:
    return {"access": access, "council": access.council, **extra}


@login_required
@require_safe
def measure_list(request, slug):
    access = get_council_for_user(request, slug)
    measures = list(Measure.objects.filter(council=access.council).select_related("indicator"))
    series = measure_series(access.council, measures)
    return render(
        request,
        "measures/measure_list.html",
        _context(access, series=series, off_target=[s for s in series if s.off_target]),
    )


@login_required
@require_safe
def measure_detail(request, slug, measure_pk):
    access = get_council_for_user(request, slug)
    measure = get_object_or_404(
        Measure.objects.select_related("indicator", "council"),
        council=access.council,
        pk=measure_pk,
    )
    (series,) = measure_series(access.council, [measure])
    return render(
        request,
        "measures/measure_detail.html",
        _context(
            access,
            measure=measure,
            series=series,
            recommendations=measure.recommendations.select_related("inspection"),
            actions=measure.actions.all(),
            history=measure_history(measure),
        ),
    )


def _form_context(access, form, **extra) -> dict:
    return _context(
        access,
        form=form,
        recommendation_groups=form.checkbox_groups("recommendations"),
        action_groups=form.checkbox_groups("actions"),
        **extra,
    )


def _links(form):
    return {
        "recommendations": form.cleaned_data.get("recommendations"),
        "actions": form.cleaned_data.get("actions"),
    }


@login_required
def measure_create(request, slug):
    access = get_rw_council_for_user(request, slug)
    measure = Measure(council=access.council)
    form = MeasureForm(request.POST or None, instance=measure, council=access.council)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_create(measure=form.instance, user=request.user, **_links(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Measure “{measure.name}” added")
            return redirect(measure)
    return render(
        request, "measures/measure_form.html", _form_context(access, form=form, measure=None)
    )


@login_required
def measure_edit(request, slug, measure_pk):
    access = get_rw_council_for_user(request, slug)
    measure = get_object_or_404(Measure, council=access.council, pk=measure_pk)
    form = MeasureForm(request.POST or None, instance=measure, council=access.council)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                measure=form.instance,
                expected_updated_at=form.cleaned_data["updated_at"],
                user=request.user,
                **_links(form),
            )
        except services.MeasureConflict as exc:
            conflict = _conflict(request, form, exc.current)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Measure “{measure.name}” saved")
            return redirect(measure)
    saved = Measure.objects.get(pk=measure.pk)
    return render(
        request,
        "measures/measure_form.html",
        _form_context(access, form=form, measure=saved, conflict=conflict),
        status=CONFLICT if conflict else 200,
    )


def _conflict(request, form, current: Measure) -> dict:
    """Someone saved the measure after this form was opened: say who and when, show what they
    saved where it differs from what this person typed, and let them save again over it."""
    last = current.history.select_related("history_user").first()
    who = str(last.history_user) if last and last.history_user else "Someone else"
    changed = []
    # The form's own fields but the links, whose changes the history lists instead.
    for name in [n for n in MeasureForm.Meta.fields if n not in ("recommendations", "actions")]:
        theirs = getattr(current, name)
        mine = form.cleaned_data.get(name)
        if theirs != mine and not (theirs in (None, "") and mine in (None, "")):
            field = Measure._meta.get_field(name)
            display = getattr(current, f"get_{name}_display", None)
            if display:
                shown = display()
            elif theirs in (None, ""):
                shown = "(none)"
            elif isinstance(theirs, Decimal):
                shown = format_value(theirs, current.unit)
            elif isinstance(theirs, date):
                shown = f"{theirs:%-d %B %Y}"
            else:
                shown = theirs
            changed.append({"label": form[name].label or field.verbose_name, "theirs": shown})
    # Saving again now overwrites their version, knowingly.
    data = form.data.copy()
    data["updated_at"] = current.updated_at.isoformat()
    form.data = data
    form.add_error(
        None,
        f"{who} changed this measure at {timezone.localtime(current.updated_at):%H:%M} after "
        "you opened it: your changes are not saved. Check what they saved below, then save "
        "again to replace it with yours.",
    )
    return {"who": who, "changed": changed}


def _measures_of(council, frequency):
    return list(Measure.objects.filter(council=council, frequency=frequency))


def _current_values(measures, end) -> dict:
    return {
        v.measure_id: v
        for v in MeasureValue.objects.filter(measure__in=measures, period_end=end).select_related(
            "entered_by"
        )
    }


@login_required
def measure_values(request, slug):
    """The values of every measure of one frequency for one period, entered all at once."""
    access = get_rw_council_for_user(request, slug)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    period = choose_period(source, today)
    if request.method == "POST" and period.message:
        # A form's hidden period was changed: nothing is saved, the default period is shown.
        messages.warning(request, f"{period.message}. Nothing was saved.")
        return redirect(_values_url(access.council, period))
    if period.message:
        messages.warning(request, period.message)
    measures = _measures_of(access.council, period.frequency)
    current = _current_values(measures, period.period_end)
    form = ValuesForm(
        request.POST if request.method == "POST" else None,
        measures=measures,
        current=current,
        period=period,
        check_url=reverse("measure_values", args=[access.council.slug]),
    )
    if request.method == "POST" and request.htmx and "check" in request.POST:
        return _check_value(request, form, measures)
    if request.method == "POST" and form.is_valid():
        items = [
            services.ValueInput(
                measure=measure,
                period_end=period.period_end,
                value=value,
                note=note,
                shown=shown,
                key=key,
            )
            for measure, value, note, shown, key in form.items
        ]
        try:
            result = services.values_save(items=items, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            _refresh_shown(form, measures, period)
        else:
            messages.success(request, _saved_message(result, period.label))
            return redirect(_values_url(access.council, period))
    ends = recent_period_ends(period.frequency, today)
    if period.period_end not in ends:
        ends = sorted([*ends, period.period_end], reverse=True)
    return render(
        request,
        "measures/measure_values.html",
        _context(
            access,
            form=form,
            period=period,
            frequencies=Frequency.choices,
            periods=[(end, period_label(period.frequency, end)) for end in ends],
        ),
    )


def _check_value(request, form, measures):
    """With htmx, one value checked as it is typed: its cell, with any error, and the error
    announced; nothing is saved."""
    measure = next((m for m in measures if str(m.pk) == request.POST["check"]), None)
    if measure is None:
        return HttpResponse(status=204)
    form.is_valid()
    row = form.row(measure)
    return render(
        request,
        "measures/includes/value_check.html",
        {"row": row, "value": row["value"], "announcement": " ".join(row["value"].errors)},
    )


def _refresh_shown(form, measures, period) -> None:
    """After a refused save, the rows carry the values now saved: saving again is deliberate."""
    current = _current_values(measures, period.period_end)
    data = form.data.copy()
    for measure in measures:
        value = current.get(measure.pk)
        data[f"shown_{measure.pk}"] = f"{value.value.normalize():f}" if value else ""
    form.data = data
    form.current = current


def _values_url(council, period) -> str:
    url = reverse("measure_values", args=[council.slug])
    return f"{url}?frequency={period.frequency}&period={period.period_end.isoformat()}"


def _saved_message(result, label: str) -> str:
    if not result.changed:
        return f"No values changed for {label}"
    parts = []
    for count, word in (
        (result.created, "entered"),
        (result.corrected, "corrected"),
        (result.cleared, "cleared"),
    ):
        if count:
            parts.append(f"{count} {word}")
    return f"Values for {label} saved: {', '.join(parts)}"


@login_required
def measure_values_upload(request, slug):
    """A CSV file of the council's own values: all of it is recorded, or none of it."""
    access = get_rw_council_for_user(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        measures = list(Measure.objects.filter(council=access.council))
        rows, problems = read_values_file(form.text, measures, timezone.localdate())
        if not problems:
            items = [
                services.ValueInput(
                    measure=row.measure,
                    period_end=row.period_end,
                    value=row.value,
                    note=row.note,
                    where=f"Line {row.line}",
                )
                for row in rows
            ]
            try:
                result = services.values_save(items=items, user=request.user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request,
                    f"File uploaded: {result.created} value{'s' if result.created != 1 else ''} "
                    f"created, {result.corrected} corrected, {result.unchanged} unchanged",
                )
                return redirect("measure_list", access.council.slug)
        if problems:
            shown = problems[:50]
            if len(problems) > 50:
                shown.append(f"And {len(problems) - 50} more problems")
            for problem in shown:
                form.add_error("file", problem)
            form.add_error("file", "Nothing was recorded: correct the file and upload it again")
    return render(
        request,
        "measures/measure_values_upload.html",
        _context(access, form=form, max_mb=UPLOAD_MAX_BYTES // (1024 * 1024)),
    )


@login_required
def measure_remove(request, slug, measure_pk):
    access = get_rw_council_for_user(request, slug)
    measure = get_object_or_404(Measure, council=access.council, pk=measure_pk)
    form = MeasureRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.measure_remove(
            measure=measure, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Measure \u201c{measure.name}\u201d removed")
        return redirect("measure_list", access.council.slug)
    return render(
        request,
        "measures/measure_remove.html",
        {
            "access": access,
            "council": access.council,
            "measure": measure,
            "values": measure.values.count(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
