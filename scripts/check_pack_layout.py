"""Render a council's scrutiny pack and check its page layout holds.

Three independent looks at the pages:
- WeasyPrint's own layout: every table row's box lies on one page, and a table that runs on to
  another page repeats its header row there;
- the PDF's text (pdftotext -bbox): every word lies inside the page's margins left and right,
  and clear of the top and bottom edges;
- the page images (pdftoppm): nothing is drawn in a band along each edge of the paper, where a
  printer would cut it off, and no page is blank.

    DEBUG=1 .venv/bin/python scripts/check_pack_layout.py [isles-of-scilly] [--out DIR]

It prints the problems found (none: "Layout holds") and exits non-zero if there are any.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4  # PDF points per millimetre
PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # A4, mm
MARGIN_LEFT = MARGIN_RIGHT = 18  # pack.css @page margins, mm
EDGE_CLEAR = 8  # no word within this distance of the top or bottom edge, mm
INK_BAND = 6  # nothing drawn this close to any edge, mm
TOLERANCE = 0.5  # mm, for rounding in pdftotext's boxes
MIN_FILL = 0.4  # of a page's text area, on every page but the cover, contents and last


@dataclass
class LayoutReport:
    pages: int = 0
    rows: int = 0
    continued_tables: int = 0
    words: int = 0
    images: list[Path] = field(default_factory=list)
    fill: list[tuple[int, float]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def check_boxes(document, report: LayoutReport) -> None:
    """Rows on one page each; continued tables repeat their header."""
    from weasyprint.formatting_structure.boxes import TableBox

    row_pages: dict[int, set[int]] = {}
    row_text: dict[int, str] = {}
    table_pages: dict[int, list[tuple[int, object]]] = {}
    for number, page in enumerate(document.pages, start=1):
        for box in _boxes(page._page_box):
            if not isinstance(box, TableBox) or box.element is None:
                continue
            table_pages.setdefault(id(box.element), []).append((number, box))
            # A repeated header row is meant to be on every page: only body rows count.
            for group in box.children:
                for row in [] if group.is_header else group.children:
                    row_pages.setdefault(id(row.element), set()).add(number)
                    row_text[id(row.element)] = " ".join(row.element.itertext()).strip()[:60]
    report.rows += len(row_pages)
    for key, pages in row_pages.items():
        if len(pages) > 1:
            report.problems.append(f"Row split across pages {sorted(pages)}: {row_text[key]!r}")
    for fragments in table_pages.values():
        has_header = any(group.is_header for group in fragments[0][1].children)
        if len(fragments) < 2 or not has_header:
            continue
        report.continued_tables += 1
        for number, box in fragments[1:]:
            if not box.children or not box.children[0].is_header:
                report.problems.append(f"Table continued on page {number} without its header")


def check_fill(document, report: LayoutReport) -> None:
    """No page left mostly empty but the cover, the contents and the last page.

    Sections run on from one another; after the cover and contents, only the judgements start a
    page.
    A page that ends well short of its foot wastes paper in every printed pack.
    """
    from weasyprint.formatting_structure.boxes import LineBox

    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        # The page's own flow, not the running header and page number in its margins.
        lines = [box for box in _boxes(page_box.children[0]) if isinstance(box, LineBox)]
        if not lines:
            continue
        bottom = max(box.position_y + box.height for box in lines)
        used = (bottom - page_box.content_box_y()) / page_box.height
        report.fill.append((number, used))
        if used < MIN_FILL and 2 < number < len(document.pages):
            report.problems.append(f"Page {number} is only {used:.0%} full")


def check_words(pdf: bytes, report: LayoutReport) -> None:
    """Every word inside the left and right margins, and clear of the top and bottom edges."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = xhtml.split("<page ")[1:]
    left = MARGIN_LEFT - TOLERANCE
    right = PAGE_WIDTH - MARGIN_RIGHT + TOLERANCE
    for number, page in enumerate(pages, start=1):
        for x_min, y_min, x_max, y_max, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            report.words += 1
            x0, y0, x1, y1 = (float(v) / MM for v in (x_min, y_min, x_max, y_max))
            if x0 < left or x1 > right:
                report.problems.append(
                    f"Page {number}: {text!r} runs outside the side margins "
                    f"({x0:.1f} to {x1:.1f} mm; allowed {left:.1f} to {right:.1f})"
                )
            if y0 < EDGE_CLEAR or y1 > PAGE_HEIGHT - EDGE_CLEAR:
                report.problems.append(f"Page {number}: {text!r} is at the top or bottom edge")


def check_images(pdf: bytes, out: Path, report: LayoutReport, dpi: int = 50) -> None:
    """Render each page with pdftoppm; nothing drawn near the paper's edges, no blank page."""
    from PIL import Image, ImageOps

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-", str(out / "page")], input=pdf, check=True
    )
    report.images = sorted(out.glob("page-*.png"))
    band = round(INK_BAND / 25.4 * dpi)
    for number, path in enumerate(report.images, start=1):
        with Image.open(path) as image:
            # Ink is anything visibly darker than the white paper.
            ink = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 40 else 0)
            width, height = ink.size
            if ink.getbbox() is None:
                report.problems.append(f"Page {number} is blank")
                continue
            for name, area in {
                "left": (0, 0, band, height),
                "right": (width - band, 0, width, height),
                "top": (0, 0, width, band),
                "bottom": (0, height - band, width, height),
            }.items():
                if ink.crop(area).getbbox() is not None:
                    report.problems.append(
                        f"Page {number}: something is drawn at the {name} edge ({path.name})"
                    )


def check_pack_layout(document, pdf: bytes, out: Path) -> LayoutReport:
    report = LayoutReport(pages=len(document.pages))
    check_boxes(document, report)
    check_fill(document, report)
    check_words(pdf, report)
    check_images(pdf, out, report)
    return report


def render_pack(slug: str, since=None):
    """Lay out the council's current pack; return the WeasyPrint document and its PDF bytes."""
    from councils.models import Council
    from reports.pack import pack_context, pack_html
    from reports.pdf import PDF_VARIANT, render_document

    council = Council.objects.get(slug=slug)
    document = render_document(
        pack_html(pack_context(council=council, inspection=None, since=since))
    )
    return document, document.write_pdf(pdf_variant=PDF_VARIANT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("council", nargs="?", default="isles-of-scilly")
    parser.add_argument("--out", type=Path, default=None, help="where to keep the page images")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    out = args.out or Path(tempfile.mkdtemp(prefix="pack-layout-"))
    document, pdf = render_pack(args.council)
    report = check_pack_layout(document, pdf, out)
    print(
        f"{report.pages} pages, {report.rows} table rows, {report.continued_tables} tables "
        f"continued on another page, {report.words} words; page images in {out}"
    )
    for problem in report.problems:
        print(f"  {problem}")
    print("Layout holds" if not report.problems else f"{len(report.problems)} problems")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
