"""In real Chromium: the Content-Security-Policy refuses nothing our pages do, htmx swaps
included, and every admin page passes axe (issue 14)."""

import io
import re
from datetime import date, timedelta

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action, Evidence
from councils.models import Council, Invitation, Membership, OutboundEmail, User
from inspections.models import BankHolidayChange, Inspection, Milestone
from readiness.models import ReadinessReminder

from .browser import assert_accessible, sign_in, wait_until_loaded
from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def action(scilly):
    inspection = InspectionFactory(council=scilly)
    recommendation = RecommendationFactory(inspection=inspection, position=1, text="Strategy.")
    return ActionFactory(recommendation=recommendation, title="Audit strategy discussions")


def watch_for_refusals(page) -> list[str]:
    """Console messages about anything the page's policies refused. Scripts the test itself
    evaluates in the page (axe-core) have no address: what they do is not the page's."""
    refused = []

    def seen(message):
        text = message.text
        if not message.location.get("url"):
            return
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            refused.append(f"{page.url}: {text}")

    page.on("console", seen)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def scripts_ran(page) -> None:
    """The inline scripts (with the nonce) and htmx ran."""
    wait_until_loaded(page)
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    assert page.evaluate("document.querySelector('style') === null"), "an inline <style> appeared"


def test_the_policy_refuses_nothing_an_officer_does(page, alice, action):
    refused = watch_for_refusals(page)
    sign_in(page, "alice")
    scripts_ran(page)

    page.goto("/councils/isles-of-scilly/actions/")
    scripts_ran(page)
    page.get_by_label("Only overdue actions").check()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    page.get_by_label("Only overdue actions").uncheck()
    expect(page).not_to_have_url(re.compile(r"overdue=on"))
    row = page.locator(f"#action-row-{action.pk}")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Add update").click()
    expect(row.get_by_label("Progress update")).to_be_focused()

    page.goto(action.get_absolute_url())
    scripts_ran(page)
    page.get_by_label("Progress update").fill("First audit done.")
    page.get_by_role("radiogroup", name="Status").get_by_label("In progress").check()
    page.get_by_role("radiogroup", name="RAG rating").get_by_label("Amber: at risk").check()
    page.get_by_label("Percent complete").fill("30")
    page.get_by_role("button", name="Add progress update").click()
    expect(page.locator("#progress .govuk-notification-banner--success")).to_be_focused()

    page.goto("/councils/isles-of-scilly/dashboard/")
    scripts_ran(page)
    assert refused == []


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# The object whose change page is opened, where the first one would show too little: a user with
# two memberships, a council with its statistical neighbours, an inspection with its judgements,
# recommendations and milestones. Any other model shows its first.
SHOWN = {
    User: {"username": "consultant"},
    Council: {"slug": "isles-of-scilly"},
    Inspection: {"council__slug": "isles-of-scilly"},
}


def every_admin_page(helen) -> dict[str, str]:
    """The changelist, add page and a change page of every model registered in the admin, the
    index and each app's index, and the pages reached from them: history, deletion, filters."""
    request = RequestFactory().get("/admin/")
    request.user = helen
    pages = {"index": reverse("admin:index")}
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        pages[f"{app_label} index"] = reverse("admin:app_list", kwargs={"app_label": app_label})
    for model, model_admin in admin.site._registry.items():
        name = model._meta.verbose_name
        pages[f"{name} list"] = admin_url(model, "changelist")
        if model_admin.has_add_permission(request):
            pages[f"{name} add"] = admin_url(model, "add")
        shown = model._default_manager.filter(**SHOWN.get(model, {})).order_by("pk").first()
        assert shown is not None, f"the test data have no {name}"
        pages[f"{name} change"] = admin_url(model, "change", shown.pk)

    action = Action.objects.order_by("pk").first()
    pages["action history"] = admin_url(Action, "history", action.pk)
    version = action.history.order_by("history_id").first()
    pages["action past version"] = admin_url(Action, "simple_history", action.pk, version.pk)
    council = Council.objects.get(slug="isles-of-scilly")
    pages["council history"] = admin_url(Council, "history", council.pk)
    inspection = Inspection.objects.filter(council=council).order_by("pk").first()
    pages["inspection delete"] = admin_url(Inspection, "delete", inspection.pk)
    pages["user password"] = reverse("admin:auth_user_password_change", args=[helen.pk])
    pages["own password"] = reverse("admin:password_change")
    pages["council list, filtered"] = admin_url(Council, "changelist") + "?region=London"
    # The councils the national file gives no type.
    pages["council list, filtered on no type"] = admin_url(Council, "changelist") + "?la_type="
    pages["action list, searched and filtered"] = (
        admin_url(Action, "changelist") + "?q=strategy&status__exact=not_started"
    )
    pages["milestone list, by year"] = (
        admin_url(Milestone, "changelist") + f"?due_by__year={inspection.start_date.year}"
    )
    return pages


def realistic_admin_data(helen) -> None:
    """The demo, a row of each model it leaves empty, and an entry in the admin's own log."""
    call_command("load_demo", stdout=io.StringIO())
    Group.objects.create(name="Support desk").permissions.set(
        Permission.objects.filter(content_type__app_label="councils")[:4]
    )
    OutboundEmail.objects.create(
        to=["scilly-officer@example.org"], subject="Action plan due in 10 working days", body="."
    )
    BankHolidayChange.objects.create(day=date(2030, 6, 3), name="Coronation")
    # Failures are logged only where AXES_ENABLE_ACCESS_FAILURE_LOG is on.
    AccessFailureLog.objects.create(
        username="scilly-officer", ip_address="192.0.2.1", user_agent="Firefox", path_info="/"
    )
    council = Council.objects.get(slug="isles-of-scilly")
    Invitation.objects.create(
        council=council,
        email="new.officer@example.org",
        role="officer",
        token_hash="0" * 64,
        invited_by=helen,
        expires_at=timezone.now() + timedelta(days=7),
    )
    evidence = Evidence(
        action=Action.objects.filter(council=council).order_by("pk").first(),
        name="March audit.pdf",
        kind="PDF",
        content_type="application/pdf",
        size=18,
        uploaded_by=helen,
    )
    evidence.file.save("audit.pdf", ContentFile(b"%PDF-1.7 an audit"), save=False)
    evidence.save()
    ReadinessReminder.objects.create(
        council=council,
        window_from=date(2027, 1, 1),
        stage=ReadinessReminder.Stage.values[0],
    )
    LogEntry.objects.create(
        user=helen,
        content_type=ContentType.objects.get_for_model(Council),
        object_id=str(council.pk),
        object_repr=str(council),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Region"]}}]',
    )


def sign_in_to_admin(page) -> None:
    """Sign in as helen, after a failed attempt at another account (for the throttle's records)."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("scilly-officer")
    page.get_by_label("Password").fill("a guess")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter the correct username")).to_be_visible()
    page.get_by_label("Username").fill("helen")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def settled(page) -> None:
    """Wait for the page's load handlers, and the timers they set (the admin's scripts draw the
    two-list selectors and the autocomplete boxes, and ours name them, once the page loads)."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")


def test_every_admin_page_passes_axe_and_breaks_no_policy(page, helen, deadline_rules):
    realistic_admin_data(helen)
    refused = watch_for_refusals(page)
    sign_in_to_admin(page)
    failures = []

    def check(name: str) -> None:
        settled(page)
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{name} ({page.url}):\n{error}")

    for name, url in every_admin_page(helen).items():
        response = page.goto(url)
        assert response.ok, f"{name} ({url}): {response.status}"
        check(name)

    # A row added to an inline, with its autocomplete box, is labelled as the others are.
    page.goto(admin_url(User, "change", User.objects.get(username="consultant").pk))
    settled(page)
    page.get_by_role("button", name="Add another Membership").click()
    expect(page.get_by_role("combobox", name="Council, new membership")).to_be_visible()
    expect(page.get_by_role("combobox", name="Role, new membership")).to_be_visible()
    check("user change, a membership added")
    # The labels change nothing of what the inline saves.
    page.get_by_role("combobox", name="Council, new membership").click()
    page.get_by_role("searchbox", name="Council, new membership").fill("Barnet")
    page.get_by_role("option", name="Barnet").click()
    page.get_by_role("combobox", name="Role, new membership").select_option(
        label="Scrutiny committee member"
    )
    page.get_by_role(
        "checkbox", name=re.compile(r"Delete, Priya Shah \(Officer, Nottingham")
    ).check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    memberships = Membership.objects.filter(user__username="consultant")
    assert sorted(memberships.values_list("council__name", "role")) == [
        ("Barnet", "scrutiny"),
        ("Isles of Scilly", "officer"),
    ]

    # An autocomplete box open for a search.
    page.goto(admin_url(Membership, "add"))
    settled(page)
    page.get_by_role("combobox", name="Council").click()
    expect(page.get_by_role("searchbox", name="Council")).to_be_focused()
    check("membership add, council search open")
    page.get_by_role("searchbox", name="Council").fill("Scilly")
    page.get_by_role("option", name="Isles of Scilly").click()
    expect(page.get_by_role("combobox", name="Council: Isles of Scilly")).to_be_focused()
    expect(page.locator("#id_council")).to_have_value(
        str(Council.objects.get(name="Isles of Scilly").pk)
    )

    # The confirmation of the changelist's action on the rows chosen.
    page.goto(admin_url(BankHolidayChange, "changelist"))
    page.get_by_role("checkbox", name=re.compile("Coronation")).check()
    page.get_by_label("Action:").select_option(label="Delete selected bank holiday changes")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", name="Delete multiple objects")).to_be_visible()
    check("bank holiday change list, delete selected")

    assert not failures, "\n\n".join(failures)
    assert refused == []


def test_the_admins_sign_in_page_passes_axe(page):
    page.goto("/admin/login/")
    assert_accessible(page)
