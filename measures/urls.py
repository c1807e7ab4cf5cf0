from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/measures/", views.measure_list, name="measure_list"),
    path("councils/<slug:slug>/measures/new/", views.measure_create, name="measure_create"),
    path("councils/<slug:slug>/measures/values/", views.measure_values, name="measure_values"),
    path(
        "councils/<slug:slug>/measures/values/upload/",
        views.measure_values_upload,
        name="measure_values_upload",
    ),
    path(
        "councils/<slug:slug>/measures/<int:measure_pk>/",
        views.measure_detail,
        name="measure_detail",
    ),
    path(
        "councils/<slug:slug>/measures/<int:measure_pk>/edit/",
        views.measure_edit,
        name="measure_edit",
    ),
    path(
        "councils/<slug:slug>/measures/<int:measure_pk>/remove/",
        views.measure_remove,
        name="measure_remove",
    ),
]
