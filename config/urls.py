from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from councils import views as council_views
from inspections import views as inspection_views

urlpatterns = [
    path("", council_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("councils/<slug:slug>/", inspection_views.council_detail, name="council_detail"),
    path(
        "councils/<slug:slug>/inspections/new/",
        inspection_views.inspection_create,
        name="inspection_create",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/",
        inspection_views.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/edit/",
        inspection_views.inspection_edit,
        name="inspection_edit",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/grades/",
        inspection_views.inspection_judgements,
        name="inspection_judgements",
    ),
    path(
        "councils/<slug:slug>/inspections/<int:pk>/recommendations/",
        inspection_views.inspection_recommendations,
        name="inspection_recommendations",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Ofsted improvement tracker administration"
admin.site.site_title = "Ofsted improvement tracker"
