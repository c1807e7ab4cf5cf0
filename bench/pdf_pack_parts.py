"""Where the scrutiny pack's render time goes: the pack of bench/pdf_pack.py (200 actions, 20
impact measures) against the same pack without parts of it, and against its bare text.

The variants are rendered in turn, round after round, and timed in CPU seconds of this process,
so that a busy neighbour on a shared machine slows every variant alike: read the ratios to the
whole pack, not the seconds. The last line, the pack's text alone as plain paragraphs with no
table, chart or colour, is the floor for this much text on this machine with WeasyPrint.

    .venv/bin/python bench/pdf_pack_parts.py [--actions 200] [--measures 20] [--rounds 3]
"""

import argparse
import html
import os
import re
import statistics
import time
from datetime import date

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ofsted_bench_pdf")

from _setup import prepare_database, setup_django
from pdf_pack import synthetic_inspection, synthetic_measures


def without(pattern: str):
    return lambda page: re.sub(pattern, "", page, flags=re.S)


def text_only(page: str) -> str:
    """Every run of the pack's text (charts left out) as a paragraph of its own."""
    body = page.split("<body>", 1)[1]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    runs = (run.strip() for run in re.sub(r"<[^>]+>", "\n", body).split("\n"))
    paragraphs = "".join(f"<p>{html.escape(html.unescape(run))}</p>" for run in runs if run)
    style = "<style>html { font: 10.5pt Arial, sans-serif; } p { margin: 0; }</style>"
    head = f'<!DOCTYPE html><html lang="en-GB"><head><title>Text</title>{style}</head>'
    return f"{head}<body>{paragraphs}</body></html>"


VARIANTS = {
    "whole pack": lambda page: page,
    "without the measures' charts": without(r"<svg.*?</svg>"),
    "without the measures' tables": without(r'<table class="measure-values">.*?</table>'),
    "without the action plan": without(r'<section id="plan">.*?</section>'),
    "its text alone, as paragraphs": text_only,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--measures", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    prepare_database()
    setup_django()
    import logging

    from reports.pack import pack_context, pack_html
    from reports.pdf import html_to_pdf

    # The contents list points at sections some variants leave out; WeasyPrint says so.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    council, inspection = synthetic_inspection("rutland", args.actions)
    synthetic_measures(council, args.measures)
    page = pack_html(pack_context(council=council, inspection=inspection, since=date(2024, 9, 1)))
    pages = {name: make(page) for name, make in VARIANTS.items()}
    html_to_pdf(page)  # warm fonts and caches
    seconds: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, variant in pages.items():
            started = time.process_time()
            html_to_pdf(variant)
            seconds[name].append(time.process_time() - started)
    whole = seconds["whole pack"]
    print(f"{args.actions} actions, {args.measures} measures, {args.rounds} rounds, CPU seconds")
    for name, times in seconds.items():
        ratio = statistics.median(t / w for t, w in zip(times, whole, strict=True))
        print(f"  {name:32} {statistics.median(times):6.2f} s  {ratio:5.2f} of the whole pack")


if __name__ == "__main__":
    main()
