from django.urls import path

from . import pack_views, views

urlpatterns = [
    path("councils/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("councils/<slug:slug>/pack/", pack_views.pack_page, name="pack_page"),
    path("councils/<slug:slug>/pack.pdf", pack_views.pack_download, name="pack_download"),
]
