"""Every URL pattern x every role x GET/POST x with and without HX-Request, against a table.

Another council's objects answer 404, a read-only role's write 403, anonymous people are sent
to sign in. Writes are posted with valid data, so a missing check would change the database:
after every refused write it must be unchanged.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from inspections.models import Milestone
from inspections.services import (
    inspection_set_judgements,
    milestone_add_agreed,
    milestones_recompute,
)
from reports.models import PackJob

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import SPLIT_GRADES, confirm_post, inspection_post, pdf_upload

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
    htmx: dict | None = None  # statuses with HX-Request, where an htmx write answers a fragment


# A write view that answers an htmx POST with a fragment (200) rather than a redirect.
WRITE_FRAGMENT = WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (200, 200))
# A POST-only write view refuses GET before looking anything up.
POST_ONLY = {role: (302 if role == "anonymous" else 405, post) for role, (_, post) in WRITE.items()}
# A fragment's own address (an action's row in the list, its page's progress section) answers
# htmx requests; one without htmx is sent on to the matching page, once the role is checked.
READERS = ("officer", "lead_member", "scrutiny", "admin", "platform_admin")
READ_FRAGMENT_PAGE = READ | dict.fromkeys(READERS, (302, 405))
WRITE_FRAGMENT_PAGE = WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (302, 302))
POST_ONLY_FRAGMENT = POST_ONLY | dict.fromkeys(("officer", "admin", "platform_admin"), (405, 200))
# Asking for a scrutiny pack: POST-only, open to every role of the council (readers included);
# it redirects to the job's page, or answers an htmx request with the job's status fragment.
PACK_JOB = dict.fromkeys(ROLES, (405, 302)) | {"anonymous": (302, 302), "outsider": (405, 404)}
PACK_JOB_FRAGMENT = PACK_JOB | {
    role: (405, 200) for role in ROLES if role not in {"anonymous", "outsider"}
}


def _action_create_post(ctx):
    return {
        "recommendation": ctx["recommendation"].pk,
        "title": "An action posted by the matrix",
        "success_criterion": "Measured",
        "owner_name": "Someone",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2024",
    }


def _action_edit_post(ctx):
    action = ctx["action"]
    return {
        "recommendation": action.recommendation_id,
        "title": "Changed by the matrix",
        "success_criterion": action.success_criterion,
        "owner_name": action.owner_name,
        "version": action.version,
    }


def _action_progress_post(ctx):
    return {
        "narrative": "Posted by the matrix",
        "status": "in_progress",
        "rag": "amber",
        "percent_complete": "10",
        "version": ctx["action"].version,
    }


def _action_close_post(ctx):
    return {"evidence_of_impact": "Matrix", "narrative": "Closed", "version": ctx["action"].version}


def _action_bulk_post(ctx):
    action = ctx["action"]
    return {"actions": [action.pk], f"version-{action.pk}": action.version, "owner_name": "New"}


def _recommendations_post(ctx):
    return {
        "rec-TOTAL_FORMS": "1",
        "rec-INITIAL_FORMS": "0",
        "rec-0-text": "A recommendation posted by the matrix.",
    }


def _milestone_record_post(ctx):
    milestone = Milestone.objects.filter(inspection_id=ctx["kwargs"]["pk"]).first()
    return {"milestone": milestone.pk, "done_on_0": "9", "done_on_1": "10", "done_on_2": "2023"}


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
    "health": Row(dict.fromkeys(ROLES, (200, 405))),
    "council_detail": Row(READ),
    "inspection_detail": Row(READ),
    "inspection_create": Row(WRITE, post=lambda ctx: inspection_post()),
    "inspection_edit": Row(WRITE, post=lambda ctx: inspection_post(lead_inspector="Changed")),
    "inspection_judgements": Row(
        WRITE, post=lambda ctx: SPLIT_GRADES | {"care_leavers": "good", "children_in_care": "good"}
    ),
    "inspection_recommendations": Row(WRITE, post=_recommendations_post),
    # Import from the Ofsted report (issue 5): the upload answers the preview page, not a redirect;
    # the confirmation updates the world's inspection, which started on the report's first day.
    "inspection_import": Row(
        WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (200, 200)),
        post=lambda ctx: {"report": pdf_upload("isles-of-scilly-2023-08-25.pdf")},
    ),
    "inspection_import_confirm": Row(
        POST_ONLY, post=lambda ctx: confirm_post(update=ctx["kwargs"]["pk"])
    ),
    # Improvement actions (issue 4). Scrutiny reads the action plan and the actions, since the
    # plan is what the committee scrutinises; only officers and admins change them.
    "action_plan": Row(READ),
    "action_list": Row(READ),
    "action_export_csv": Row(READ),
    "action_export_xlsx": Row(READ),
    "action_detail": Row(READ),
    "action_create": Row(WRITE, post=_action_create_post),
    "action_edit": Row(WRITE, post=_action_edit_post),
    "action_close": Row(WRITE, post=_action_close_post),
    "action_progress": Row(WRITE, post=_action_progress_post),
    # The htmx fragments of the action page and the actions list: the progress section once its
    # form is posted, and an action's row with or without the progress form. Anyone who reads
    # the list may have a row drawn again (Cancel); only those who write may open or post the form.
    "action_detail_progress": Row(POST_ONLY, post=_action_progress_post, htmx=POST_ONLY_FRAGMENT),
    "action_list_row": Row(READ_FRAGMENT_PAGE, htmx=READ),
    "action_list_row_progress": Row(
        WRITE_FRAGMENT_PAGE, post=_action_progress_post, htmx=WRITE_FRAGMENT
    ),
    "action_bulk_assign": Row(POST_ONLY, post=_action_bulk_post),
    # Dashboards and scrutiny packs: every role of the council reads them.
    "dashboard": Row(READ),
    # The overview of every council is for platform admins. It is no council's object, so
    # refusing it with 403 leaks nothing; a read view, it refuses POST before checking (405).
    "overview": Row(
        {
            "anonymous": (302, 302),
            **{role: (403, 405) for role in ROLES if role not in {"anonymous", "platform_admin"}},
            "platform_admin": (200, 405),
        }
    ),
    "pack_page": Row(READ),
    "pack_download": Row(READ),
    # Any role of the council may have a large pack built: it reads their data, changes none.
    # The job's own pages are the council's, like the pack; another council's job answers 404.
    "pack_job_create": Row(
        PACK_JOB, post=lambda ctx: {"since": "2024-01-01"}, htmx=PACK_JOB_FRAGMENT
    ),
    "pack_job_status": Row(READ),
    "pack_job_download": Row(READ),
    "milestone_record": Row(WRITE, post=_milestone_record_post),
    "milestone_add": Row(
        WRITE,
        post=lambda ctx: {
            "key": "monitoring_visit",
            "due_on_0": "20",
            "due_on_1": "2",
            "due_on_2": "2024",
        },
    ),
    "milestone_remove": Row(WRITE, post=lambda ctx: {}),
    "deadline_settings": Row(WRITE, post=lambda ctx: {"monitoring": "yes"}),
    # Bank holidays are the same for every council: anyone signed in may read them.
    "bank_holidays": Row(dict(READ, outsider=(200, 405))),
    # National outcomes (issue 13): what Ofsted published, for anyone signed in; any council's
    # inspection history, since it holds nothing the council recorded itself.
    "national_outcomes": Row(dict(READ, outsider=(200, 405))),
    "national_outcomes_csv": Row(dict(READ, outsider=(200, 405))),
    "national_council": Row(dict(READ, outsider=(200, 405))),
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
    recommendation = RecommendationFactory(inspection=inspection)
    # The action hangs off another inspection, so that replacing the first one's
    # recommendations (inspection_recommendations) is not refused for having actions.
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=scilly))
    )
    milestones_recompute(inspection_id=inspection.pk)
    agreed = milestone_add_agreed(
        inspection=inspection, key="monitoring_visit", due_on=date(2024, 6, 12)
    )
    # A finished scrutiny pack, so that its download answers 200 to the council's people.
    pack_job = PackJob.objects.create(
        council=scilly, requested_by=sam, status=PackJob.Status.DONE, pdf=b"%PDF-1.7 matrix"
    )
    return {
        "recommendation": recommendation,
        "action": action,
        "users": {
            "anonymous": None,
            "officer": alice,
            "lead_member": bob,
            "scrutiny": sam,
            "admin": dina,
            "platform_admin": helen,
            "outsider": charlie,
        },
        "kwargs": {
            "slug": scilly.slug,
            "pk": inspection.pk,
            "action_pk": action.pk,
            "job_pk": pack_job.pk,
            "milestone_pk": agreed.pk,
        },
    }


def url_for(name, kwargs):
    from django.urls import reverse

    candidates = (
        {"slug": kwargs["slug"], "pk": kwargs["pk"]},
        {"slug": kwargs["slug"], "action_pk": kwargs["action_pk"]},
        {"slug": kwargs["slug"], "job_pk": kwargs["job_pk"]},
        {"slug": kwargs["slug"], "pk": kwargs["pk"], "milestone_pk": kwargs["milestone_pk"]},
        {"slug": kwargs["slug"]},
        {},
    )
    for candidate in candidates:
        try:
            return reverse(name, kwargs=candidate)
        except Exception:  # noqa: S112 - try the next set of arguments
            continue
    raise AssertionError(f"cannot reverse {name}")


def snapshot():
    """Every row of the domain's tables, so that any change shows."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"councils", "inspections", "outcomes", "actions", "reports"}
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
    statuses = row.htmx if htmx and row.htmx else row.statuses
    expected = statuses[role][0 if method == "GET" else 1]
    before = snapshot()
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        data = row.post(world) if row.post else {}
        response = client.post(url, data, headers=headers)
    assert response.status_code == expected, response.content[:300]
    if response.status_code == 302 and role == "anonymous" and name not in {"login", "logout"}:
        assert response["Location"].startswith("/sign-in/")
    refused = expected in {403, 404, 405} or role == "anonymous"
    if method == "POST" and refused:
        assert snapshot() == before
