"""The report parser against what a careful reader takes from every real report in the fixtures.

tests/fixtures/ofsted-reports/expected.json holds, for each PDF beside it, the judgements and the
"What needs to improve?" recommendations with their national framework references. The parser is
measured on it report by report; a new report in the folder needs its entry, and the other way
round.
"""

import json

import pytest

from inspections.report_parser import parse_report

from .helpers import REPORTS

EXPECTED = json.loads((REPORTS / "expected.json").read_text(encoding="utf-8"))

# The parser stores typographic apostrophes and quotes as straight ones (other code relies on
# that); expected.json keeps the report's own characters. A careful reader does not tell them
# apart, so both sides are compared with these, and only these, folded to plain ASCII.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

# Known, justified differences from expected.json, by file: the text expected.json gives for a
# recommendation -> what the parser reads instead. Only for a transcription artefact in
# expected.json, never to excuse the parser.
KNOWN_DIFFERENCES = {
    "havering-2018-07-23.pdf": {
        # The PDF ends a line with "decision-" and goes on with "making"; the report prints the
        # same word unbroken elsewhere ("Initial decision-making is timely"). expected.json keeps
        # the line break as a space, as copying from a PDF viewer does; a careful reader takes
        # the compound word, as the parser does.
        "The quality of strategy discussions, core groups and children in need planning "
        "meetings, so that all relevant partner information is included to inform decision- "
        "making. Actions should be clear and the rationale for decisions should be explicit.": (
            "The quality of strategy discussions, core groups and children in need planning "
            "meetings, so that all relevant partner information is included to inform "
            "decision-making. Actions should be clear and the rationale for decisions should be "
            "explicit."
        ),
    },
}


def same_quotes(text: str | None) -> str | None:
    """Fold typographic apostrophes and quotation marks to straight ones; nothing else."""
    return None if text is None else text.translate(_QUOTES)


def expected_recommendations(name: str) -> list[dict]:
    """The recommendations expected.json lists for a report, with any known difference applied."""
    differences = KNOWN_DIFFERENCES.get(name, {})
    return [
        {
            "text": same_quotes(differences.get(r["text"], r["text"])),
            "national_framework_reference": same_quotes(r["national_framework_reference"]),
        }
        for r in EXPECTED[name]["recommendations"]
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_parser_reads_what_a_careful_reader_takes_from_the_report(name):
    report = parse_report((REPORTS / name).read_bytes())
    assert report.judgements == EXPECTED[name]["judgements"]
    assert [
        {
            "text": same_quotes(r.text),
            "national_framework_reference": same_quotes(r.national_framework_reference),
        }
        for r in report.recommendations
    ] == expected_recommendations(name)


def test_expected_json_lists_exactly_the_reports_in_the_folder():
    assert sorted(EXPECTED) == sorted(path.name for path in REPORTS.glob("*.pdf"))


def test_each_entry_is_published_on_the_date_in_its_file_name():
    for name, entry in EXPECTED.items():
        assert name.removesuffix(".pdf").endswith(entry["published"]), name


def test_every_known_difference_is_still_in_expected_json():
    """A difference that expected.json no longer has must leave the list."""
    for name, differences in KNOWN_DIFFERENCES.items():
        texts = [r["text"] for r in EXPECTED[name]["recommendations"]]
        assert all(text in texts for text in differences), name


def test_the_quote_folding_touches_only_quotes():
    assert same_quotes("children\u2019s \u2018front door\u2019 \u201cadvice\u201d") == (
        "children's 'front door' \"advice\""
    )
    assert same_quotes("decision- making \u2013 \u00a0") == "decision- making \u2013 \u00a0"
