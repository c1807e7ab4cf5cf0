from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/intervention/", views.governance, name="governance"),
    path(
        "councils/<slug:slug>/intervention/new/",
        views.intervention_create,
        name="intervention_create",
    ),
    path(
        "councils/<slug:slug>/intervention/<int:intervention_pk>/",
        views.intervention_detail,
        name="intervention_detail",
    ),
    path(
        "councils/<slug:slug>/intervention/<int:intervention_pk>/edit/",
        views.intervention_edit,
        name="intervention_edit",
    ),
    path(
        "councils/<slug:slug>/intervention/<int:intervention_pk>/reviews/new/",
        views.review_create,
        name="review_create",
    ),
    path(
        "councils/<slug:slug>/intervention/<int:intervention_pk>/document.pdf",
        views.intervention_document,
        name="intervention_document",
    ),
    path("councils/<slug:slug>/board/", views.board_edit, name="board_edit"),
    path("councils/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path(
        "councils/<slug:slug>/meetings/<int:meeting_pk>/",
        views.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "councils/<slug:slug>/meetings/<int:meeting_pk>/edit/",
        views.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "councils/<slug:slug>/meetings/<int:meeting_pk>/decisions/new/",
        views.decision_create,
        name="decision_create",
    ),
    path(
        "councils/<slug:slug>/meetings/<int:meeting_pk>/pack/",
        views.meeting_pack,
        name="meeting_pack",
    ),
    path(
        "councils/<slug:slug>/meetings/<int:meeting_pk>/pack.pdf",
        views.meeting_pack_pdf,
        name="meeting_pack_pdf",
    ),
    path("councils/<slug:slug>/calendar/", views.calendar, name="governance_calendar"),
    path(
        "councils/<slug:slug>/calendar.ics", views.calendar_download, name="governance_calendar_ics"
    ),
]
