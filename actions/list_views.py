"""The council's actions list: the page, an action's row in it (htmx), bulk assignment, exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from config.forms import add_service_errors
from config.htmx import wants_fragment
from councils.access import get_council_for_user, get_rw_council_for_user

from . import exports, selectors, services
from .access import get_action_for_user, get_rw_action_for_user
from .forms import BulkAssignForm
from .listing import PER_PAGE, ActionFilter
from .models import Action
from .progress import ProgressSave, progress_form, progress_save


def _row_context(access, action: Action, **extra) -> dict:
    """What an action's row in the actions list (actions/list.html#row) shows."""
    return {
        "access": access,
        "council": access.council,
        "row": selectors.action_list_row(action),
        "today": timezone.localdate(),
        **extra,
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def action_list_row(request, slug, action_pk):
    """An action's row in the actions list without the progress form: Cancel on the form opened
    in the row. Without htmx, Cancel leads to the action's page."""
    access, action = get_action_for_user(request, slug, action_pk)
    if not wants_fragment(request):
        return redirect(action)
    announcement = f"Closed the progress form of \u201c{action.title}\u201d without saving"
    context = _row_context(
        access, action, show_form=False, return_focus=True, announcement=announcement
    )
    return render(request, "actions/list.html#row_response", context)


@login_required
@vary_on_headers("HX-Request")
def action_list_row_progress(request, slug, action_pk):
    """An action's row in the actions list with its progress form open (GET), or once the form is
    posted (POST): saved, the row closes it; refused, it stays open with the problem. Without
    htmx, the progress page does both."""
    access, action = get_rw_action_for_user(request, slug, action_pk)
    if not wants_fragment(request):
        return redirect("action_progress", slug=slug, action_pk=action.pk)
    if request.method == "POST":
        progress = progress_save(request, slug, action)
    else:
        progress = ProgressSave(action, progress_form(action))
        # Opened in the row: keyboard focus goes to the form it opened (htmx honours it).
        progress.form.fields["narrative"].widget.attrs["autofocus"] = True
    show_form = request.method == "GET" or bool(progress.form.errors or progress.conflict)
    context = _row_context(
        access,
        progress.action,
        form=progress.form,
        conflict=progress.conflict,
        announcement=progress.announcement,
        show_form=show_form,
        # Once the form closes, keyboard focus goes back to the row's own "Add update" link.
        return_focus=not show_form,
    )
    return render(request, "actions/list.html#row_response", context)


def _list_context(access, action_filter: ActionFilter, params: QueryDict, bulk_form=None) -> dict:
    page = Paginator(action_filter.queryset(), PER_PAGE).get_page(params.get("page"))
    if bulk_form is None and access.can_edit:
        bulk_form = BulkAssignForm(council=access.council, action_ids=[])
    return {
        "access": access,
        "council": access.council,
        "filter": action_filter,
        "form": action_filter.form,
        "params": params,
        "page": page,
        "today": action_filter.today,
        "bulk_form": bulk_form,
        "selected": set(),
    }


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def action_list(request, slug):
    access = get_council_for_user(request, slug)
    action_filter = ActionFilter.bind(access.council, request.GET, timezone.localdate())
    context = _list_context(access, action_filter, request.GET)
    if wants_fragment(request):
        response = render(request, "actions/list.html#results", context)
        # The filter form sends its empty fields too; the address bar gets only those in use.
        return push_url(response, _without_empty(request))
    return render(request, "actions/list.html", context)


def _without_empty(request) -> str:
    used = [(key, value) for key, values in request.GET.lists() for value in values if value]
    return f"{request.path}?{urlencode(used)}" if used else request.path


@login_required
@require_POST
def action_bulk_assign(request, slug):
    access = get_rw_council_for_user(request, slug)
    posted = [pk for pk in request.POST.getlist("actions") if pk.isdigit()]
    action_ids = Action.objects.for_council(access.council).filter(pk__in=posted)
    form = BulkAssignForm(
        request.POST,
        council=access.council,
        action_ids=action_ids.values_list("pk", flat=True),
    )
    query = QueryDict(request.POST.get("query", ""))
    if form.is_valid():
        try:
            assigned = services.actions_bulk_assign(
                council=access.council,
                versions=form.versions(),
                user=request.user,
                assignment=services.BulkAssignment(
                    owner_name=form.cleaned_data["owner_name"],
                    owner=form.cleaned_data["owner"],
                    revised_due_on=form.cleaned_data["revised_due_on"],
                    revision_reason=form.cleaned_data["revision_reason"],
                ),
            )
        except services.ActionConflict as exc:
            titles = Action.objects.filter(pk__in=exc.action_ids).values_list("title", flat=True)
            form.add_error(
                None,
                "Nothing was assigned: someone else changed these actions since you loaded "
                f"the list: {'; '.join(titles)}. Check them and try again.",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(assigned)
            messages.success(request, f"{count} action{pluralize(count)} assigned")
            return redirect(reverse("action_list", args=[slug]) + _query(query))
    # Show the list as the person left it, with their selection and the problem.
    action_filter = ActionFilter.bind(access.council, query, timezone.localdate())
    context = _list_context(access, action_filter, query, bulk_form=form)
    context["selected"] = {str(pk) for pk in posted}
    return render(request, "actions/list.html", context)


def _query(query: QueryDict) -> str:
    return f"?{query.urlencode()}" if query else ""


def _export(request, slug, writer):
    access = get_council_for_user(request, slug)
    action_filter = ActionFilter.bind(access.council, request.GET, timezone.localdate())
    return writer(access.council, action_filter.queryset(), action_filter.today)


@login_required
@require_safe
def action_export_csv(request, slug):
    return _export(request, slug, exports.csv_response)


@login_required
@require_safe
def action_export_xlsx(request, slug):
    return _export(request, slug, exports.xlsx_response)
