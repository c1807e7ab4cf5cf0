"""The Django admin is for platform admins only, and lists every model."""

import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db


def test_every_domain_model_is_registered_in_the_admin():
    domain = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"councils", "inspections", "actions"}
        and not m.__name__.startswith("Historical")
    ]
    inlines = {inline.model for a in admin.site._registry.values() for inline in a.inlines}
    missing = [m.__name__ for m in domain if m not in admin.site._registry and m not in inlines]
    assert missing == []


def test_an_officer_cannot_open_the_admin(client, alice):
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_platform_admin_can_open_every_admin_list(client, helen, scilly):
    client.force_login(helen)
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
