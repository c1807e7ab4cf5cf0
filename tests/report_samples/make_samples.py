"""Regenerate the synthetic PDFs that test inspections/report_parser.py."""

# Run from the repository root: .venv/bin/python tests/report_samples/make_samples.py
# The reports mimic real Ofsted ILACS reports (Word exports): a title, the inspection dates, the
# lead inspector, a judgement table, "What needs to improve?" bullets drawn with the black square
# Ofsted uses, and running headers with page numbers.

from html import escape
from pathlib import Path

import weasyprint
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
SIZE_LIMIT = 100 * 1024
BULLET = "\u25fc"

BASE_CSS = """
body { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 11pt; }
h1 { font-size: 20pt; margin: 0 0 8pt; }
h2 { font-size: 13pt; margin: 12pt 0 4pt; }
p { margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #999; padding: 3pt; text-align: left; vertical-align: top; }
.bullet { margin: 0 0 3pt 14pt; text-indent: -14pt; }
.continued { margin: 0 0 3pt 14pt; break-before: page; }
.note { float: footnote; font-size: 8pt; }
"""

# Twelve recommendations; the seventh is split by hand across a page break, as Word does.
# WeasyPrint numbers the footnote "1." where Word prints "1": the parser must not take it
# for the numbered paragraph that ends the list.
TWELVE = [
    "The timeliness of initial child protection conferences.",
    "The quality of written plans for children in need, so that they are specific, measurable "
    "and understood by families.",
    "The consistency of management oversight and supervision in the assessment teams.",
    "The response to children who go missing from home or care, including return home interviews.",
    "The sufficiency of local homes for children in care (outcome 3, national framework)",
    "How well partner agencies understand and apply the threshold for referrals.",
    "The quality and timeliness of pathway plans for care leavers, and how well they reflect "
    "young people's views and ambitions for the future, including education, training and "
    "employment.",
    "The support for care leavers who are in custody.",
    "The accuracy of performance information used by leaders.",
    "The quality of life-story work for children in care.",
    "The oversight of children living in unregistered children's homes.",
    "The capacity of the independent reviewing officer service.",
]
PAGE_BREAK_AFTER = "The quality and timeliness of pathway plans for care leavers, and how well they"


def page_css(running_title: str, running_dates: str) -> str:
    """Return the @page rule that prints Ofsted's running header and page number."""
    return f"""
    @page {{ size: A4; margin: 2.5cm 2cm;
      @top-left {{ content: "{running_title}\\A {running_dates}"; white-space: pre;
                  font-size: 9pt; }}
      @top-right {{ content: counter(page); font-size: 9pt; vertical-align: bottom; }} }}
    @page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }}
    """


def document(body: str, css: str = "") -> str:
    """Wrap a body in a minimal HTML page."""
    return f"<html><head><style>{BASE_CSS}{css}</style></head><body>{body}</body></html>"


def front_page(title: str, dates: str, inspector_html: str, rows: list[tuple[str, str]]) -> str:
    """Return the title block and, when rows are given, the judgement table."""
    html = (
        f"<h1>{escape(title)}</h1><p>Inspection dates: {escape(dates)}</p>"
        f"<p>Lead inspector: {inspector_html}</p>"
    )
    if rows:
        cells = "".join(f"<tr><td>{escape(h)}</td><td>{escape(g)}</td></tr>" for h, g in rows)
        html += f"<table><tr><th>Judgement</th><th>Grade</th></tr>{cells}</table>"
    return html


def bullet(text: str) -> str:
    """Return one recommendation drawn with Ofsted's black square."""
    return f'<p class="bullet">{BULLET} {escape(text)}</p>'


def twelve_recommendations() -> str:
    """A 2022 report: combined judgement, 'Requires improvement', a bullet over a page break."""
    rows = [
        ("The impact of leaders on social work practice with children and families", "Good"),
        ("The experiences and progress of children who need help and protection", "Good"),
        (
            "The experiences and progress of children in care and care leavers",
            "Requires improvement",
        ),
        ("Overall effectiveness", "Requires improvement"),
    ]
    body = front_page(
        "Inspection of Barsetshire local authority children\u2019s services",
        "28 November to 2 December 2022",
        "Jane Smith, His Majesty\u2019s Inspector",
        rows,
    )
    body += "<p>Services for children in Barsetshire require improvement to be good.</p>"
    note = (
        '<span class="note">The areas for improvement have been cross-referenced with the '
        "outcomes in the Children\u2019s Social Care: National Framework.</span>"
    )
    # Like Scilly 2023, the list starts a page, so running headers fall inside the list.
    body += f'<h2 style="break-before: page">What needs to improve{note}</h2>'
    body += "".join(bullet(text) for text in TWELVE[:6])
    body += bullet(PAGE_BREAK_AFTER)
    rest = TWELVE[6][len(PAGE_BREAK_AFTER) :].strip()
    body += f'<p class="continued">{escape(rest)}</p>'
    body += "".join(bullet(text) for text in TWELVE[7:])
    body += (
        "<h2>The experiences and progress of children who need help and protection: good</h2>"
        "<p>1. Children receive help at the right time.</p>"
        "<h2>The experiences and progress of children in care and care leavers: requires "
        "improvement</h2><p>2. Too many children wait for a permanent home.</p>"
        "<h2>The impact of leaders on social work practice with children and families: good</h2>"
        "<p>3. Leaders know their services well.</p>"
    )
    css = page_css(
        "Inspection of Barsetshire local authority children\u2019s services",
        "28 November to 2 December 2022",
    )
    return document(body, css)


def section_headings_only() -> str:
    """A report whose grades table cannot be read, so grades come from section headings."""
    body = front_page(
        "Inspection of Borsetshire local authority children\u2019s services",
        "30 December 2024 to 3 January 2025",
        "Sam Patel<br>Her Majesty\u2019s Inspector",
        [],
    )
    body += (
        "<p>Services for children in Borsetshire are inadequate.</p>"
        "<h2>What needs to improve?</h2>"
        + bullet("The timeliness of strategy discussions.")
        + bullet("Leaders' understanding of the quality of practice.")
        + "<h2>The experiences and progress of children who need help and protection: "
        "inadequate</h2><p>1. Children wait too long for help.</p>"
        "<h2>The experiences and progress of children in care: requires improvement to be "
        "good</h2><p>2. Children in care live in stable homes.</p>"
        "<h2>The experiences and progress of care leavers: good</h2>"
        "<p>3. Care leavers are well supported.</p>"
        "<h2>The impact of leaders on social work practice with children and families: "
        "inadequate</h2><p>4. Leaders have not acted quickly enough.</p>"
    )
    return document(body)


def sif_report() -> str:
    """The title page of a 2013-2018 single inspection framework report."""
    return document(
        "<h1>Barsetshire County Council</h1>"
        "<h2>Inspection of services for children in need of help and protection, children "
        "looked after and care leavers</h2>"
        "<h2>and</h2>"
        "<h2>Review of the effectiveness of the local safeguarding children board</h2>"
        "<p>Inspection date: 5 June 2017 to 29 June 2017</p>"
        "<p>Report published: 15 August 2017</p>"
        "<p>Lead inspector: Jane Smith, Her Majesty\u2019s Inspector</p>"
        "<table><tr><th>Children\u2019s services in Barsetshire</th><th>Good</th></tr>"
        "<tr><td>1. Children who need help and protection</td><td>Good</td></tr></table>"
    )


def committee_minutes() -> str:
    """Council minutes that quote a report's title but are not the report."""
    return document(
        "<h1>Children's Scrutiny Committee: minutes</h1>"
        "<p>Present: Councillors A, B and C.</p>"
        "<p>The committee received the Inspection of Barsetshire local authority children\u2019s "
        "services report and noted the judgement of requires improvement to be good.</p>"
        "<p>1. The committee asked for the action plan to return in March.</p>"
    )


def newsletter() -> str:
    """An unrelated council document."""
    return document(
        "<h1>Barsetshire News, spring edition</h1>"
        "<p>Bin collections move to Tuesdays from April. The library is open late on "
        "Thursdays.</p>"
    )


def focused_visit() -> str:
    """An ungraded focused visit letter."""
    return document(
        "<h1>Focused visit to Barsetshire children\u2019s services</h1>"
        "<p>Inspection dates: 4 to 5 March 2024</p>"
        "<p>Lead inspector: Jane Smith, His Majesty\u2019s Inspector</p>"
        "<p>This letter summarises the findings of the focused visit.</p>"
    )


def scanned() -> str:
    """A page with no text layer, as a scanned printout has."""
    return document('<div style="width: 10cm; height: 14cm; background: #ccc"></div>')


SAMPLES = {
    "twelve_recommendations.pdf": twelve_recommendations,
    "section_headings_only.pdf": section_headings_only,
    "sif_report.pdf": sif_report,
    "committee_minutes.pdf": committee_minutes,
    "newsletter.pdf": newsletter,
    "focused_visit.pdf": focused_visit,
    "scanned.pdf": scanned,
}


def check_page_break(path: Path) -> None:
    """Fail unless the seventh bullet really starts on one page and ends on the next."""
    pages = [page.extract_text() for page in PdfReader(path).pages]
    starts = [i for i, text in enumerate(pages) if PAGE_BREAK_AFTER in text]
    if not starts or "young people's views" not in pages[starts[0] + 1]:
        raise SystemExit(f"{path.name}: the seventh bullet no longer spans a page break")


def main() -> None:
    """Write every sample and check it stays small."""
    for name, build in SAMPLES.items():
        path = HERE / name
        path.write_bytes(weasyprint.HTML(string=build()).write_pdf())
        if path.stat().st_size > SIZE_LIMIT:
            raise SystemExit(f"{name} is larger than {SIZE_LIMIT} bytes")
        print(f"{name}: {path.stat().st_size} bytes")
    check_page_break(HERE / "twelve_recommendations.pdf")


if __name__ == "__main__":
    main()
