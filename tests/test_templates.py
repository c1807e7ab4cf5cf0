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


def test_a_piece_shared_by_pages_is_in_an_includes_folder_and_says_who_includes_it():
    # A fragment a view returns is a partialdef of that view's page template; a piece several
    # pages share is in templates/<app>/includes/ (site-wide ones in templates/includes/), its
    # first line a one-line comment saying who includes it and what it is.
    pieces = [p for p in TEMPLATES.rglob("*.html") if "includes" in p.relative_to(TEMPLATES).parts]
    unsigned = [
        str(p.relative_to(TEMPLATES))
        for p in pieces
        if not re.match(r"\{# Included by .+?: .+ #\}", p.read_text().split("\n", 1)[0])
    ]
    assert pieces and unsigned == []
    included = {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in re.findall(r"\{% include \"([^\"]+)\"", path.read_text())
    }
    # The form renderer's own templates (templates/forms/) include each other as Django's do.
    elsewhere = {n for n in included if "includes/" not in n and not n.startswith("forms/")}
    assert elsewhere == set()
    assert [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("_*")] == []
