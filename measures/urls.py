from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/measures/", views.measure_list, name="measure_list"),
    path(
        "councils/<slug:slug>/measures/<int:measure_pk>/",
        views.measure_detail,
        name="measure_detail",
    ),
]
