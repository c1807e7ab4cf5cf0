from django.urls import path

from . import deadline_views, import_views, views, withdraw_views

urlpatterns = [
    path("councils/<slug:slug>/", views.council_detail, name="council_detail"),
    path(
        "councils/<slug:slug>/inspections/new/", views.inspection_create, name="inspection_create"
    ),
    path("councils/<slug:slug>/visits/new/", views.visit_create, name="visit_create"),
    path(
        "councils/<slug:slug>/inspections/import/",
        import_views.inspection_import,
        name="inspection_import",
    ),
    path(
        "councils/<slug:slug>/inspections/import/confirm/",
        import_views.inspection_import_confirm,
        name="inspection_import_confirm",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/",
        views.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/edit/",
        views.inspection_edit,
        name="inspection_edit",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/withdraw/",
        withdraw_views.inspection_withdraw,
        name="inspection_withdraw",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/grades/",
        views.inspection_judgements,
        name="inspection_judgements",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/recommendations/",
        views.inspection_recommendations,
        name="inspection_recommendations",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/milestones/record/",
        deadline_views.milestone_record,
        name="milestone_record",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/milestones/new/",
        deadline_views.milestone_add,
        name="milestone_add",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/milestones/<int:milestone_pk>/remove/",
        deadline_views.milestone_remove,
        name="milestone_remove",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/deadline-settings/",
        deadline_views.deadline_settings,
        name="deadline_settings",
    ),
    path("bank-holidays/", deadline_views.bank_holidays, name="bank_holidays"),
]
