from django.urls import path

from . import views

urlpatterns = [
    path("councils/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("councils/<slug:slug>/pack/", views.pack_page, name="pack_page"),
    path("councils/<slug:slug>/pack.pdf", views.pack_download, name="pack_download"),
]
