from django.urls import path

from . import views

SELF_EVALUATION = "councils/<slug:slug>/self-evaluations/<int:year>/"
MEETING = "councils/<slug:slug>/engagement-meetings/<int:engagement_pk>/"
PLAN_ACTION = "councils/<slug:slug>/readiness/actions/<int:plan_action_pk>/"

urlpatterns = [
    path("councils/<slug:slug>/readiness/", views.readiness, name="readiness"),
    path(
        "councils/<slug:slug>/readiness/how-well-we-know-ourselves/",
        views.self_knowledge,
        name="self_knowledge",
    ),
    path(
        "councils/<slug:slug>/self-evaluations/new/",
        views.self_evaluation_create,
        name="self_evaluation_create",
    ),
    path(SELF_EVALUATION, views.self_evaluation_detail, name="self_evaluation_detail"),
    path(SELF_EVALUATION + "edit/", views.self_evaluation_edit, name="self_evaluation_edit"),
    path(SELF_EVALUATION + "grades/", views.self_evaluation_grades, name="self_evaluation_grades"),
    path(
        SELF_EVALUATION + "evidence/",
        views.self_evaluation_evidence,
        name="self_evaluation_evidence",
    ),
    path(
        SELF_EVALUATION + "evidence/<int:link_pk>/remove/",
        views.self_evaluation_evidence_remove,
        name="self_evaluation_evidence_remove",
    ),
    path(
        SELF_EVALUATION + "evidence/<int:link_pk>/file/",
        views.self_evaluation_evidence_file,
        name="self_evaluation_evidence_file",
    ),
    path(
        SELF_EVALUATION + "actions/new/",
        views.self_evaluation_action_add,
        name="self_evaluation_action_add",
    ),
    path(
        SELF_EVALUATION + "sign-off/",
        views.self_evaluation_sign_off,
        name="self_evaluation_sign_off",
    ),
    path(
        SELF_EVALUATION + "self-evaluation.pdf",
        views.self_evaluation_download,
        name="self_evaluation_download",
    ),
    path(
        "councils/<slug:slug>/engagement-meetings/new/",
        views.engagement_meeting_create,
        name="engagement_meeting_create",
    ),
    path(MEETING, views.engagement_meeting_detail, name="engagement_meeting_detail"),
    path(MEETING + "edit/", views.engagement_meeting_edit, name="engagement_meeting_edit"),
    path(MEETING + "letter/", views.engagement_meeting_letter, name="engagement_meeting_letter"),
    path(
        MEETING + "actions/new/",
        views.engagement_meeting_action_add,
        name="engagement_meeting_action_add",
    ),
    path(PLAN_ACTION + "progress/", views.plan_action_progress, name="plan_action_progress"),
    path(PLAN_ACTION + "edit/", views.plan_action_edit, name="plan_action_edit"),
    path(PLAN_ACTION + "remove/", views.plan_action_remove, name="plan_action_remove"),
]
