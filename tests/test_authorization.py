"""Every URL pattern x every role x GET/POST x with and without HX-Request, against a table.

Another council's objects answer 404, a read-only role's write 403, anonymous people are sent
to sign in. Writes are posted with valid data, so a missing check would change the database:
after every refused write it must be unchanged.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from inspections.services import inspection_set_judgements

from .factories import InspectionFactory, RecommendationFactory
from .test_inspection_views import SPLIT_GRADES, inspection_post

ROLES = ["anonymous", "officer", "lead_member", "scrutiny", "admin", "platform_admin", "outsider"]

# Shorthands for the table: (GET status, POST status) per role, in the order of ROLES.
READ = {
    "anonymous": (302, 302),
    "officer": (200, 405),
    "lead_member": (200, 405),
    "scrutiny": (200, 405),
    "admin": (200, 405),
    "platform_admin": (200, 405),
    # A read view refuses POST before looking anything up, so 405 reveals nothing.
    "outsider": (404, 405),
}
WRITE = {
    "anonymous": (302, 302),
    "officer": (200, 302),
    "lead_member": (403, 403),
    "scrutiny": (403, 403),
    "admin": (200, 302),
    "platform_admin": (200, 302),
    "outsider": (404, 404),
}


@dataclass(frozen=True)
class Row:
    statuses: dict
    post: object = None  # a function (context) -> data for a valid POST


def _recommendations_post(ctx):
    return {
        "rec-TOTAL_FORMS": "1",
        "rec-INITIAL_FORMS": "0",
        "rec-0-text": "A recommendation posted by the matrix.",
    }


TABLE = {
    "home": Row(
        {
            "anonymous": (302, 302),
            "officer": (200, 405),
            "lead_member": (200, 405),
            "scrutiny": (200, 405),
            "admin": (200, 405),
            "platform_admin": (200, 405),
            "outsider": (200, 405),
        }
    ),
    "login": Row(
        {
            "anonymous": (200, 200),
            # Signed-in people are sent on to their councils, whatever they post.
            **{role: (302, 302) for role in ROLES if role != "anonymous"},
        },
        post=lambda ctx: {"username": "nobody", "password": "wrong"},
    ),
    "logout": Row(dict.fromkeys(ROLES, (405, 302))),
    "council_detail": Row(READ),
    "inspection_detail": Row(READ),
    "inspection_create": Row(WRITE, post=lambda ctx: inspection_post()),
    "inspection_edit": Row(WRITE, post=lambda ctx: inspection_post(lead_inspector="Changed")),
    "inspection_judgements": Row(
        WRITE, post=lambda ctx: SPLIT_GRADES | {"care_leavers": "good", "children_in_care": "good"}
    ),
    "inspection_recommendations": Row(WRITE, post=_recommendations_post),
    # Dashboards and scrutiny packs: every role of the council reads them.
    "dashboard": Row(READ),
    "pack_page": Row(READ),
    "pack_download": Row(READ),
}

# Django's admin has its own permission system, tested in test_admin.py.
EXCLUDED_NAMESPACES = {"admin"}


def url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_in_the_table():
    assert set(url_names()) == set(TABLE)


@pytest.fixture
def world(scilly, nottingham, alice, bob, sam, dina, charlie, helen):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    RecommendationFactory(inspection=inspection)
    return {
        "users": {
            "anonymous": None,
            "officer": alice,
            "lead_member": bob,
            "scrutiny": sam,
            "admin": dina,
            "platform_admin": helen,
            "outsider": charlie,
        },
        "kwargs": {"slug": scilly.slug, "pk": inspection.pk},
    }


def url_for(name, kwargs):
    from django.urls import reverse

    for candidate in ({"slug": kwargs["slug"], "pk": kwargs["pk"]}, {"slug": kwargs["slug"]}, {}):
        try:
            return reverse(name, kwargs=candidate)
        except Exception:  # noqa: S112 - try the next set of arguments
            continue
    raise AssertionError(f"cannot reverse {name}")


def snapshot():
    """Every row of the domain's tables, so that any change shows."""
    models = [
        m for m in apps.get_models() if m._meta.app_label in {"councils", "inspections", "actions"}
    ]
    return {m._meta.label: sorted(map(str, m.objects.values_list())) for m in models}


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(client, world, name, role, method, htmx):
    row = TABLE[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = url_for(name, world["kwargs"])
    headers = {"HX-Request": "true"} if htmx else {}
    expected = row.statuses[role][0 if method == "GET" else 1]
    before = snapshot()
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        data = row.post(world) if row.post else {}
        response = client.post(url, data, headers=headers)
    assert response.status_code == expected, response.content[:300]
    if response.status_code == 302 and role == "anonymous" and name not in {"login", "logout"}:
        assert response["Location"].startswith("/sign-in/")
    if method == "POST" and expected in {302, 403, 404, 405} and expected != 302:
        assert snapshot() == before
