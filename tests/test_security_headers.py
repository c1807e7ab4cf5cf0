"""Content-Security-Policy with nonces, Permissions-Policy, and templates that need no inline
code (issue 14)."""

import re

import pytest

from .helpers import REPO

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, alice, scilly):
    client.force_login(alice)
    response = client.get("/councils/isles-of-scilly/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    nonce = next(v for v in policy["script-src"] if v.startswith("'nonce-"))[7:-1]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        if "src=" not in tag:
            assert f'nonce="{nonce}"' in tag, tag


def test_each_response_has_its_own_nonce(client, alice, scilly):
    client.force_login(alice)
    first = directives(client.get("/"))["script-src"]
    second = directives(client.get("/"))["script-src"]
    assert first != second


def test_the_sign_in_page_and_the_admin_carry_the_policy_too(client, helen):
    assert "script-src" in client.get("/sign-in/")["Content-Security-Policy"]
    client.force_login(helen)
    assert "script-src" in client.get("/admin/")["Content-Security-Policy"]


def test_a_permissions_policy_turns_off_browser_features_no_page_uses(client):
    policy = client.get("/sign-in/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_htmx_adds_no_inline_styles_and_evaluates_no_code(client):
    html = client.get("/sign-in/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    css = (REPO / "static" / "vendor" / "app.css").read_text()
    assert ".htmx-indicator{opacity:0}" in css


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# Rendered by WeasyPrint into the PDF, never sent to a browser.
PDF_ONLY = {
    "reports/pack.html",
    "readiness/self_evaluation_pdf.html",
    "governance/meeting_pack.html",
}


def test_no_template_has_inline_code_the_policy_would_refuse():
    problems = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        name = str(path.relative_to(REPO / "templates"))
        if name in PDF_ONLY:
            continue
        text = path.read_text()
        for tag in SCRIPT.findall(text):
            if "src=" not in tag and "nonce=" not in tag:
                problems.append(f"{name}: {tag}")
        for pattern in (INLINE_HANDLER, INLINE_STYLE):
            problems += [f"{name}: {m.group(0)}" for m in pattern.finditer(text)]
        if "<style" in text:
            problems.append(f"{name}: <style>")
    assert problems == []
