from django.urls import path

from . import pack_views, views

urlpatterns = [
    path("councils/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("overview/", views.overview, name="overview"),
    path("councils/<slug:slug>/pack/", pack_views.pack_page, name="pack_page"),
    path("councils/<slug:slug>/pack/cover/", pack_views.pack_cover, name="pack_cover"),
    path("councils/<slug:slug>/pack.pdf", pack_views.pack_download, name="pack_download"),
    path("councils/<slug:slug>/packs/", pack_views.pack_job_create, name="pack_job_create"),
    path(
        "councils/<slug:slug>/packs/<int:job_pk>/",
        pack_views.pack_job_status,
        name="pack_job_status",
    ),
    path(
        "councils/<slug:slug>/packs/<int:job_pk>/pack.pdf",
        pack_views.pack_job_download,
        name="pack_job_download",
    ),
]
