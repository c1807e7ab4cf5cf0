"""The demo scrutiny pack's pages hold their layout: checked in WeasyPrint's boxes, the PDF's
text positions and page images from pdftoppm (scripts/check_pack_layout.py)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from reports.pdf import PDF_VARIANT, render_document
from scripts.check_pack_layout import check_pack_layout, render_pack

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("since", [None, date(2025, 6, 1)], ids=["plan", "with-changes"])
def test_the_demo_pack_keeps_rows_whole_headers_repeated_and_text_inside_the_margins(
    tmp_path, since
):
    call_command("load_demo", stdout=io.StringIO())
    document, pdf = render_pack("isles-of-scilly", since=since)
    report = check_pack_layout(document, pdf, tmp_path)
    assert report.problems == []
    # The checks looked at something: the action plan runs over several pages, and every
    # page but the cover, the contents and the last is at least 40% full.
    assert report.pages >= 8
    assert report.rows >= 40
    if since is None:
        assert report.continued_tables >= 1  # a plan table runs on to the next page
    assert len(report.images) == report.pages
    assert len(report.fill) == report.pages


def test_the_checks_catch_a_split_row_a_lost_header_and_text_off_the_page(tmp_path):
    from weasyprint.formatting_structure.boxes import TableBox

    tall = "<br>".join(f"line {n}" for n in range(80))  # taller than a page: it must split
    rows = "".join(f"<tr><td>row {n}</td></tr>" for n in range(80))
    wide = "This sentence runs past the right margin and off the edge of the paper. " * 3
    html = f"""<html lang="en"><head><title>t</title><style>
      @page {{ size: A4; margin: 22mm 18mm 20mm 18mm; }}
      tr {{ break-inside: avoid; }}
      .wide {{ white-space: nowrap; }}
    </style></head><body>
      <table><thead><tr><th>Tall</th></tr></thead><tbody><tr><td>{tall}</td></tr></tbody></table>
      <table class="long"><thead><tr><th>Header</th></tr></thead><tbody>{rows}</tbody></table>
      <p class="wide">{wide}</p>
      <p style="break-before: page">Alone on a page, with the rest of it wasted.</p>
      <p style="break-before: page">The last page may be short.</p>
    </body></html>"""
    document = render_document(html)
    # Drop the repeated header from the long table's last page, as a layout bug would.
    number, fragment = [
        (number, box)
        for number, page in enumerate(document.pages, start=1)
        for box in page._page_box.descendants()
        if isinstance(box, TableBox) and "long" in box.element.get("class", "")
    ][-1]
    fragment.children = fragment.children[1:]
    report = check_pack_layout(document, document.write_pdf(pdf_variant=PDF_VARIANT), tmp_path)
    problems = "\n".join(report.problems)
    assert "Row split across pages" in problems
    assert f"Table continued on page {number} without its header" in problems
    assert "runs outside the side margins" in problems
    assert "something is drawn at the right edge" in problems
    short = [p for p in report.problems if " full" in p]
    assert short == [f"Page {len(document.pages) - 1} is only 4% full"]
