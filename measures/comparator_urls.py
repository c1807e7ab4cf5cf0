from django.urls import path

from . import comparator_views

urlpatterns = [
    path(
        "councils/<slug:slug>/measures/comparators/",
        comparator_views.measure_comparators,
        name="measure_comparators",
    ),
]
