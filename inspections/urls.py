from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/", views.council_detail, name="council_detail"),
    path(
        "councils/<slug:slug>/inspections/new/", views.inspection_create, name="inspection_create"
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
        "councils/<slug:slug>/inspections/<int:pk>/grades/",
        views.inspection_judgements,
        name="inspection_judgements",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/recommendations/",
        views.inspection_recommendations,
        name="inspection_recommendations",
    ),
]
