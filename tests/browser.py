"""Real Chromium through Playwright, and axe-core checks, for the browser tests."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_axe = Axe()


@pytest.fixture(scope="session")
def chromium():
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Playwright marks its event loop as running in this thread, so from now on Django hands
        # out connections from asgiref's async storage: new objects that lack the contents
        # serialized_rollback restores, and the frameworks would vanish after the first test.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _pages(chromium, live_server, *, javascript: bool = True):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1200, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(chromium, live_server, frameworks) -> Page:
    yield from _pages(chromium, live_server)


@pytest.fixture
def no_script_page(chromium, live_server, frameworks) -> Page:
    """A page with JavaScript off: every page works without it."""
    yield from _pages(chromium, live_server, javascript=False)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def page_either_way(javascript, chromium, live_server, frameworks) -> Page:
    """The test runs twice: with JavaScript, and without (see ``javascript``)."""
    yield from _pages(chromium, live_server, javascript=javascript)


TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - the factories' test password


def sign_in(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def assert_accessible(page: Page) -> None:
    """Fail with axe-core's report if the page as it stands has any violation."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def wait_until_loaded(page: Page) -> None:
    """Wait for the page, and htmx in it, to finish loading: Back and Forward reload pages."""
    page.wait_for_function("document.readyState === 'complete' && window.htmx !== undefined")
