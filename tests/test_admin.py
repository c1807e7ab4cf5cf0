"""The Django admin is for platform admins only, and lists every model."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.forms.models import model_to_dict
from django.utils.html import escape

from actions.models import Action
from actions.services import action_update
from councils.models import Council
from inspections.models import Framework, Inspection
from readiness import services as readiness_services
from readiness.models import PlanAction

from .factories import ActionFactory, InspectionFactory
from .helpers import FormValues, readiness_world

pytestmark = pytest.mark.django_db


def test_every_domain_model_is_registered_in_the_admin():
    domain = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"councils", "inspections", "outcomes", "actions"}
        and not m.__name__.startswith("Historical")
    ]
    inlines = {inline.model for a in admin.site._registry.values() for inline in a.inlines}
    missing = [m.__name__ for m in domain if m not in admin.site._registry and m not in inlines]
    assert missing == []


def test_published_outcomes_are_read_only_in_the_admin(client, helen, scilly):
    from outcomes.models import OutcomesLoad, PublishedOutcome

    load = OutcomesLoad.objects.create(source="test", sha256="0" * 64, rows=1)
    report = PublishedOutcome.objects.create(
        council=scilly, load=load, published_on=date(2023, 8, 25), is_latest=True
    )
    client.force_login(helen)
    assert client.get("/admin/outcomes/publishedoutcome/").status_code == 200
    assert client.get("/admin/outcomes/publishedoutcome/add/").status_code == 403
    page = client.get(f"/admin/outcomes/publishedoutcome/{report.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    deleted = client.post(f"/admin/outcomes/publishedoutcome/{report.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403 and PublishedOutcome.objects.exists()


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


@pytest.fixture
def admin_request(rf, helen):
    request = rf.post("/admin/")
    request.user = helen
    return request


def _action_form(model_admin, request, action, **changes):
    form_class = model_admin.get_form(request, action)
    read = form_class(instance=action).fields["read_version"].initial
    data = model_to_dict(action, fields=form_class.base_fields) | {"read_version": read}
    return form_class, data | changes


def test_an_admin_edit_from_a_stale_read_is_refused_and_changes_nothing(
    admin_request, alice, scilly
):
    action = ActionFactory(recommendation__inspection__council=scilly, title="As planned")
    model_admin = admin.site._registry[Action]
    form_class, data = _action_form(model_admin, admin_request, action, title="Admin's title")
    action_update(action=action, expected_version=1, user=alice, changes={"title": "Officer's"})
    form = form_class(data, instance=Action.objects.get(pk=action.pk))
    assert not form.is_valid()
    assert "Someone changed this action after you opened it" in str(form.non_field_errors())
    assert Action.objects.get(pk=action.pk).title == "Officer's"


def test_an_admin_edit_claims_the_version_it_was_read_at(admin_request, scilly):
    action = ActionFactory(recommendation__inspection__council=scilly)
    model_admin = admin.site._registry[Action]
    form_class, data = _action_form(model_admin, admin_request, action, title="Admin's title")
    form = form_class(data, instance=action)
    assert form.is_valid(), form.errors
    model_admin.save_model(admin_request, form.save(commit=False), form, True)
    saved = Action.objects.get(pk=action.pk)
    assert (saved.title, saved.version) == ("Admin's title", 2)


def test_an_admin_edit_of_an_inspection_recomputes_its_milestones_at_once(
    admin_request, scilly, deadline_rules, django_capture_on_commit_callbacks
):
    inspection = InspectionFactory(council=scilly, published_on=None)
    assert not inspection.milestones.exists()
    model_admin = admin.site._registry[Inspection]
    form_class = model_admin.get_form(admin_request, inspection)
    data = model_to_dict(inspection, fields=form_class.base_fields)
    form = form_class(data | {"published_on": date(2023, 8, 25)}, instance=inspection)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(admin_request, form.save(commit=False), form, True)
        model_admin.save_related(admin_request, form, [], True)
    assert inspection.milestones.filter(key="action_plan").exists()


def test_the_action_change_page_carries_the_version_it_was_read_at(client, helen, scilly):
    action = ActionFactory(recommendation__inspection__council=scilly)
    client.force_login(helen)
    html = client.get(f"/admin/actions/action/{action.pk}/change/").content.decode()
    assert 'type="hidden" name="read_version" value="1"' in html


def test_the_council_list_filter_names_councils_with_no_type(client, helen, scilly, nottingham):
    Council.objects.filter(pk=scilly.pk).update(la_type="")
    client.force_login(helen)
    page = client.get("/admin/councils/council/").content.decode()
    assert '<a href="?la_type=">No type</a>' in page
    filtered = client.get("/admin/councils/council/?la_type=")
    assert list(filtered.context["cl"].result_list) == [scilly]
    faceted = client.get("/admin/councils/council/?_facets=1").content.decode()
    assert re.search(r'<a href="\?_facets=1&amp;la_type=">No type \(1\)</a>', faceted)


def test_each_box_of_an_inline_row_is_labelled_by_its_column_and_row(client, helen, alice):
    client.force_login(helen)
    page = client.get(f"/admin/councils/user/{alice.pk}/change/").content.decode()
    row = escape(alice.memberships.get())
    for label in [
        f'<label class="visually-hidden" for="id_memberships-0-council">Council, {row}</label>',
        f'<label class="visually-hidden" for="id_memberships-0-role">Role, {row}</label>',
        f'<label class="visually-hidden" for="id_memberships-0-DELETE">Delete, {row}</label>',
        # The empty form the page copies for a row added; inlines.js renumbers "for".
        '<label class="visually-hidden" for="id_memberships-__prefix__-role">'
        "Role, new membership</label>",
    ]:
        assert label in page


def test_an_inline_box_with_help_text_is_described_by_it(client, helen, frameworks):
    framework = Framework.objects.filter(areas__isnull=False).first()
    client.force_login(helen)
    page = client.get(f"/admin/inspections/framework/{framework.pk}/change/").content.decode()
    assert 'aria-describedby="id_areas-0-practice_helptext"' in page
    assert '<span class="visually-hidden" id="id_areas-0-practice_helptext">' in page


class _Described(HTMLParser):
    """The ids a page has, and the ids its aria-describedby attributes name."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for ref in (attrs.get("aria-describedby") or "").split():
            self.described.append((attrs.get("name") or attrs.get("id") or tag, ref))


def _missing_descriptions(html: str) -> list[tuple[str, str]]:
    page = _Described()
    page.feed(html)
    assert page.described, "the page has no aria-describedby at all"
    return [(field, ref) for field, ref in page.described if ref not in page.ids]


def _admin_pages(alice, scilly, framework):
    action = ActionFactory(recommendation__inspection__council=scilly)
    inspection = action.recommendation.inspection
    return [
        f"/admin/councils/user/{alice.pk}/change/",
        "/admin/councils/user/add/",
        f"/admin/councils/council/{scilly.pk}/change/",
        "/admin/councils/council/add/",
        f"/admin/inspections/framework/{framework.pk}/change/",
        "/admin/inspections/framework/add/",
        f"/admin/inspections/inspection/{inspection.pk}/change/",
        "/admin/inspections/inspection/add/",
        f"/admin/actions/action/{action.pk}/change/",
        "/admin/actions/action/add/",
    ]


def test_every_hint_an_admin_box_is_described_by_is_on_the_page(
    client, helen, alice, scilly, frameworks
):
    framework = Framework.objects.filter(areas__isnull=False).first()
    client.force_login(helen)
    for url in _admin_pages(alice, scilly, framework):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _missing_descriptions(response.content.decode()) == [], url


def test_every_error_an_admin_box_is_described_by_is_on_the_page(
    client, helen, alice, scilly, frameworks
):
    framework = Framework.objects.filter(areas__isnull=False).first()
    client.force_login(helen)
    for url in _admin_pages(alice, scilly, framework):
        # The page's own values with every box emptied: required boxes answer with errors.
        form = FormValues()
        form.feed(client.get(url).content.decode())
        kept = {"csrfmiddlewaretoken", "read_version"}
        values = {
            name: value if name in kept or name.endswith(("_FORMS", "-id")) else ""
            for name, value in form.data.items()
        }
        response = client.post(url, values)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert re.search(r'aria-describedby="[^"]*_error', html), url
        assert _missing_descriptions(html) == [], url


def test_an_admin_save_of_a_plan_action_makes_an_older_form_stale(
    admin_request, scilly, alice, bob
):
    action = readiness_world(scilly, director=alice, lead_member=bob)["plan_action"]
    model_admin = admin.site._registry[PlanAction]
    action.title = "Admin's title"
    model_admin.save_model(admin_request, action, None, True)
    assert PlanAction.objects.get(pk=action.pk).version == 2
    with pytest.raises(readiness_services.Conflict):
        readiness_services.plan_action_update(
            action=action,
            expected_version=1,
            title="Officer's title",
            owner_name=action.owner_name,
            due_on=action.due_on,
        )
    assert PlanAction.objects.get(pk=action.pk).title == "Admin's title"
