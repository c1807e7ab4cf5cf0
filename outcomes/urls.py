from django.urls import path

from . import views

urlpatterns = [
    path("national/", views.national, name="national_outcomes"),
    path("national/outcomes.csv", views.national_csv, name="national_outcomes_csv"),
    path("national/<slug:slug>/", views.national_council, name="national_council"),
]
