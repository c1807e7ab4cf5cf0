from django.urls import path

from . import carry_views, list_views, views

urlpatterns = [
    path(
        "councils/<slug:slug>/inspections/<int:pk>/actions/",
        views.action_plan,
        name="action_plan",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/carry-over/",
        carry_views.carry_over,
        name="carry_over",
    ),
    path("councils/<slug:slug>/actions/", list_views.action_list, name="action_list"),
    path(
        "councils/<slug:slug>/actions/export.csv",
        list_views.action_export_csv,
        name="action_export_csv",
    ),
    path(
        "councils/<slug:slug>/actions/export.xlsx",
        list_views.action_export_xlsx,
        name="action_export_xlsx",
    ),
    path(
        "councils/<slug:slug>/actions/assign/",
        list_views.action_bulk_assign,
        name="action_bulk_assign",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/evidence/new/",
        views.evidence_create,
        name="evidence_create",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/",
        views.action_detail,
        name="action_detail",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/edit/",
        views.action_edit,
        name="action_edit",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/close/",
        views.action_close,
        name="action_close",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/progress/",
        views.action_progress,
        name="action_progress",
    ),
    # Fragments for htmx, each of its page's template: the action page's progress section once
    # its form is posted, and the action's row in the actions list, with or without the form.
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/progress/section/",
        views.action_detail_progress,
        name="action_detail_progress",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/row/",
        list_views.action_list_row,
        name="action_list_row",
    ),
    path(
        "councils/<slug:slug>/actions/<int:action_pk>/row/progress/",
        list_views.action_list_row_progress,
        name="action_list_row_progress",
    ),
]
