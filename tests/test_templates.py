"""Template hygiene: comments that Django would print as text, and the page head."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_one_line_comment_running_over_lines():
    # Django's {# #} ends at the line's end: one running on is printed on the page.
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert broken == []


@pytest.mark.django_db
def test_the_head_holds_the_styles_and_htmx_settings_and_no_template_text_shows(client):
    html = client.get("/sign-in/").content.decode()
    head, body = html.split("</head>", 1)
    assert 'rel="stylesheet"' in head
    assert '<meta name="htmx-config"' in head
    assert "{#" not in html and "{%" not in html
    assert "Sign in" in body
