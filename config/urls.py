from django.contrib import admin
from django.urls import include, path

from councils.forms import AdminSignInForm

from . import views

urlpatterns = [
    path("", include("councils.urls")),
    path("", include("inspections.urls")),
    path("", include("outcomes.urls")),
    path("", include("actions.urls")),
    path("", include("reports.urls")),
    path("", include("readiness.urls")),
    path("", include("governance.urls")),
    path("", include("measures.urls")),
    path("", include("measures.comparator_urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.health, name="health"),
]

admin.site.site_header = "Ofsted improvement tracker administration"
admin.site.site_title = "Ofsted improvement tracker"
admin.site.login_form = AdminSignInForm
