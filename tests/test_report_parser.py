"""Tests for the Ofsted ILACS report parser, on real reports and synthetic PDFs."""

import contextlib
import functools
import io
from datetime import date

import pytest
from pypdf import PageObject, PdfReader, PdfWriter

from inspections.report_parser import (
    MAX_BYTES,
    ParsedRecommendation,
    ParsedReport,
    ReportRejected,
    normalise_grade,
    parse_report,
)

from .helpers import (
    FIXTURES,
    REPORTS,
    SAMPLES,
    SCILLY_2019_RECOMMENDATIONS,
    SCILLY_2023_RECOMMENDATIONS,
    SOUTH_TYNESIDE_RECOMMENDATIONS,
    TRAFFORD_RECOMMENDATIONS,
)

# The Isles of Scilly 2023 report as plain text, to check the parser against a second reading.
SCILLY_2023_TEXT = FIXTURES / "isles-of-scilly-2023-report.txt"

BARSETSHIRE_RECOMMENDATIONS = [
    "The timeliness of initial child protection conferences.",
    "The quality of written plans for children in need, so that they are specific, measurable "
    "and understood by families.",
    "The consistency of management oversight and supervision in the assessment teams.",
    "The response to children who go missing from home or care, including return home interviews.",
    "The sufficiency of local homes for children in care",
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


@functools.cache
def read_report(name: str) -> ParsedReport:
    """Parse one of the real reports in the fixtures (once: a ParsedReport is immutable)."""
    return parse_report((REPORTS / name).read_bytes())


@functools.cache
def read_sample(name: str) -> ParsedReport:
    """Parse one of the synthetic reports made by make_samples.py."""
    return parse_report((SAMPLES / name).read_bytes())


def texts(report: ParsedReport) -> list[str]:
    """Return the recommendation texts alone."""
    return [r.text for r in report.recommendations]


def encrypt(data: bytes, user_password: str) -> bytes:
    """Return a copy of a PDF encrypted with RC4, which pypdf handles without extra packages."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rejection(data: bytes) -> str:
    """Return the user-facing reason a file was refused."""
    with pytest.raises(ReportRejected) as refused:
        parse_report(data)
    return str(refused.value)


@pytest.fixture(scope="module")
def scilly_2023() -> ParsedReport:
    """The Isles of Scilly 2023 report, parsed once."""
    return read_report("isles-of-scilly-2023-08-25.pdf")


@pytest.fixture(scope="module")
def trafford() -> ParsedReport:
    """The Trafford 2026 report, parsed once."""
    return read_report("trafford-2026-08-03.pdf")


@pytest.fixture(scope="module")
def barsetshire() -> ParsedReport:
    """The synthetic report with twelve recommendations, parsed once."""
    return read_sample("twelve_recommendations.pdf")


# --- Isles of Scilly 2023: split judgements, eight recommendations -----------------------------


def test_it_reads_the_local_authority_from_a_title_wrapped_over_two_lines(scilly_2023):
    assert scilly_2023.local_authority == "Isles of Scilly"


def test_it_reads_a_single_block_of_fieldwork(scilly_2023):
    assert scilly_2023.fieldwork == [(date(2023, 7, 11), date(2023, 7, 13))]


def test_it_reads_the_lead_inspector_without_her_title(scilly_2023):
    assert scilly_2023.lead_inspector == "Tracey Ledder"


def test_it_reads_split_judgements_for_children_in_care_and_care_leavers(scilly_2023):
    assert list(scilly_2023.judgements.items()) == [
        ("leaders", "inadequate"),
        ("help_and_protection", "inadequate"),
        ("children_in_care", "requires_improvement"),
        ("care_leavers", "requires_improvement"),
        ("overall_effectiveness", "inadequate"),
    ]


def test_it_reads_all_eight_recommendations_in_full(scilly_2023):
    assert texts(scilly_2023) == SCILLY_2023_RECOMMENDATIONS
    assert all(r.national_framework_reference is None for r in scilly_2023.recommendations)


def test_its_recommendations_match_a_plain_text_transcript_of_the_same_report(scilly_2023):
    transcript = SCILLY_2023_TEXT.read_text(encoding="utf-8")
    section = transcript.split("What needs to improve?")[1].split("The experiences and progress")[0]
    bullets = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert texts(scilly_2023) == bullets


def test_it_normalises_typographic_apostrophes_to_plain_ones(scilly_2023):
    assert "children's records" in texts(scilly_2023)[6]
    assert not any("\u2019" in text for text in texts(scilly_2023))


def test_it_returns_json_ready_data(scilly_2023):
    data = scilly_2023.as_dict()
    assert data["local_authority"] == "Isles of Scilly"
    assert data["fieldwork"] == [["2023-07-11", "2023-07-13"]]
    assert data["lead_inspector"] == "Tracey Ledder"
    assert data["judgements"]["care_leavers"] == "requires_improvement"
    assert data["recommendations"][1] == {
        "text": "The quality of social work practice to assess, support and protect children.",
        "national_framework_reference": None,
    }


# --- Isles of Scilly 2019: the first ILACS layout ----------------------------------------------


def test_it_reads_a_2019_report_whose_council_is_printed_above_a_generic_title():
    report = read_report("isles-of-scilly-2019-12-19.pdf")
    assert report.local_authority == "Isles of Scilly"
    assert report.fieldwork == [(date(2019, 10, 14), date(2019, 10, 18))]
    assert report.lead_inspector == "Joy Howick"


def test_it_reads_the_combined_children_in_care_and_care_leavers_judgement_of_2019():
    report = read_report("isles-of-scilly-2019-12-19.pdf")
    assert list(report.judgements.items()) == [
        ("leaders", "outstanding"),
        ("help_and_protection", "good"),
        ("children_in_care_and_care_leavers", "good"),
        ("overall_effectiveness", "good"),
    ]


def test_it_reads_recommendations_under_a_heading_without_a_question_mark_in_2019():
    assert texts(read_report("isles-of-scilly-2019-12-19.pdf")) == SCILLY_2019_RECOMMENDATIONS


@pytest.mark.parametrize(
    ("name", "council", "inspector"),
    [
        ("hampshire-2019-06-11.pdf", "Hampshire", "Donna Marriott"),
        ("liverpool-2018-07-02.pdf", "Liverpool", "Shabana Abasi"),
        ("rutland-2020-04-15.pdf", "Rutland", "Alison Smale"),
    ],
)
def test_it_reads_the_council_above_the_generic_local_authority_childrens_services_title(
    name, council, inspector
):
    # "Hampshire County Council" over "Inspection of local authority children's services".
    report = read_report(name)
    assert report.local_authority == council
    assert report.lead_inspector == inspector


# --- South Tyneside 2026: a reference that does not name the national framework -----------------


def test_it_splits_off_an_enabler_reference_without_the_words_national_framework():
    report = read_report("south-tyneside-2026-08-04.pdf")
    assert report.recommendations[2] == ParsedRecommendation(
        text="The purposefulness of practice and management oversight for children in need.",
        national_framework_reference="enabler 2, leaders drive conditions for effective practice",
    )


# --- South Tyneside 2023: split fieldwork, combined judgement ----------------------------------


def test_it_reads_split_fieldwork():
    report = read_report("south-tyneside-2023-05-10.pdf")
    assert report.fieldwork == [
        (date(2022, 12, 5), date(2022, 12, 9)),
        (date(2023, 2, 14), date(2023, 2, 15)),
    ]


def test_it_reads_south_tyneside_in_full():
    report = read_report("south-tyneside-2023-05-10.pdf")
    assert report.local_authority == "South Tyneside"
    assert report.lead_inspector == "Rebecca Quested"
    assert list(report.judgements.items()) == [
        ("leaders", "inadequate"),
        ("help_and_protection", "requires_improvement"),
        ("children_in_care_and_care_leavers", "inadequate"),
        ("overall_effectiveness", "inadequate"),
    ]
    assert texts(report) == SOUTH_TYNESIDE_RECOMMENDATIONS


# --- Thurrock 2024: all outstanding, no recommendations ----------------------------------------


def test_it_reads_a_report_with_no_recommendations_as_an_empty_list():
    report = read_report("thurrock-2024-10-29.pdf")
    assert report.recommendations == []


def test_it_reads_thurrock_in_full():
    report = read_report("thurrock-2024-10-29.pdf")
    assert report.local_authority == "Thurrock"
    assert report.fieldwork == [(date(2024, 9, 16), date(2024, 9, 20))]
    assert report.lead_inspector == "Rachel Griffiths"
    assert report.judgements == {
        "leaders": "outstanding",
        "help_and_protection": "outstanding",
        "children_in_care": "outstanding",
        "care_leavers": "outstanding",
        "overall_effectiveness": "outstanding",
    }


# --- Trafford 2026: no overall effectiveness, national framework references --------------------


def test_it_reads_a_2026_report_without_overall_effectiveness(trafford):
    assert trafford.local_authority == "Trafford"
    assert trafford.fieldwork == [(date(2026, 6, 8), date(2026, 6, 19))]
    assert trafford.lead_inspector == "Leanne Cooper"
    assert list(trafford.judgements.items()) == [
        ("leaders", "inadequate"),
        ("help_and_protection", "inadequate"),
        ("children_in_care", "good"),
        ("care_leavers", "requires_improvement"),
    ]


def test_it_splits_off_national_framework_references(trafford):
    assert [
        (r.text, r.national_framework_reference) for r in trafford.recommendations
    ] == TRAFFORD_RECOMMENDATIONS


def test_it_ignores_the_footnote_marker_on_the_what_needs_to_improve_heading(trafford):
    assert not any("cross-referenced" in text for text in texts(trafford))


# --- Synthetic reports: variations the format allows -------------------------------------------


def test_it_reads_twelve_recommendations(barsetshire):
    assert texts(barsetshire) == BARSETSHIRE_RECOMMENDATIONS


def test_it_joins_a_recommendation_that_wraps_across_a_page_break(barsetshire):
    assert texts(barsetshire)[6].endswith(
        "how well they reflect young people's views and "
        "ambitions for the future, including education, "
        "training and employment."
    )


def test_it_skips_a_footnote_and_running_header_between_the_halves_of_a_bullet(barsetshire):
    joined = " ".join(texts(barsetshire))
    assert "cross-referenced" not in joined
    assert "Inspection of Barsetshire" not in joined


def test_it_reads_a_heading_without_a_question_mark_and_a_footnote_number(barsetshire):
    assert len(barsetshire.recommendations) == 12


def test_it_reads_a_reference_on_a_synthetic_recommendation(barsetshire):
    assert barsetshire.recommendations[4] == ParsedRecommendation(
        text="The sufficiency of local homes for children in care",
        national_framework_reference="outcome 3, national framework",
    )


def test_it_reads_requires_improvement_without_to_be_good(barsetshire):
    assert barsetshire.judgements == {
        "leaders": "good",
        "help_and_protection": "good",
        "children_in_care_and_care_leavers": "requires_improvement",
        "overall_effectiveness": "requires_improvement",
    }


def test_it_reads_cross_month_fieldwork(barsetshire):
    assert barsetshire.fieldwork == [(date(2022, 11, 28), date(2022, 12, 2))]
    assert barsetshire.local_authority == "Barsetshire"
    assert barsetshire.lead_inspector == "Jane Smith"


def test_it_reads_cross_year_fieldwork_and_a_name_above_the_inspectors_title():
    report = read_sample("section_headings_only.pdf")
    assert report.fieldwork == [(date(2024, 12, 30), date(2025, 1, 3))]
    assert report.lead_inspector == "Sam Patel"


def test_it_falls_back_to_section_headings_when_there_is_no_grades_table():
    report = read_sample("section_headings_only.pdf")
    assert list(report.judgements.items()) == [
        ("leaders", "inadequate"),
        ("help_and_protection", "inadequate"),
        ("children_in_care", "requires_improvement"),
        ("care_leavers", "good"),
    ]
    assert texts(report) == [
        "The timeliness of strategy discussions.",
        "Leaders' understanding of the quality of practice.",
    ]


def test_it_reads_a_report_locked_only_against_editing():
    data = encrypt((REPORTS / "isles-of-scilly-2023-08-25.pdf").read_bytes(), user_password="")
    assert parse_report(data).lead_inspector == "Tracey Ledder"


# --- Files it refuses --------------------------------------------------------------------------


def test_it_refuses_empty_bytes():
    assert rejection(b"") == "The file is empty."


def test_it_refuses_a_text_file_renamed_to_pdf():
    assert rejection(b"Minutes of the scrutiny committee\n") == "This file is not a PDF."


def test_it_refuses_a_file_over_the_size_limit_without_parsing_it(monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("the size must be checked before pypdf opens the file")

    monkeypatch.setattr("inspections.report_parser.PdfReader", must_not_open)
    blob = b"%PDF-1.4\n" + bytes(50 * 1024 * 1024)
    assert rejection(blob) == "The file is larger than the 20 MB limit."


def test_it_applies_the_size_limit_only_beyond_20_mb():
    at_limit = b"%PDF-1.4\n".ljust(MAX_BYTES, b" ")
    assert rejection(at_limit) != "The file is larger than the 20 MB limit."
    assert rejection(at_limit + b" ") == "The file is larger than the 20 MB limit."


def test_it_refuses_a_truncated_pdf():
    data = (REPORTS / "isles-of-scilly-2023-08-25.pdf").read_bytes()
    assert "incomplete" in rejection(data[: len(data) // 2])


def test_it_refuses_a_truncated_pdf_even_with_an_end_marker_added():
    data = (REPORTS / "isles-of-scilly-2023-08-25.pdf").read_bytes()
    assert rejection(data[: len(data) // 2] + b"\n%%EOF\n") == (
        "This PDF is damaged and cannot be read."
    )


def test_it_refuses_a_corrupt_pdf():
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
    assert rejection(garbage) == "This PDF is damaged and cannot be read."


@pytest.mark.parametrize("seed", range(12))
def test_it_raises_only_report_rejected_for_a_damaged_real_report(seed):
    data = bytearray((REPORTS / "south-tyneside-2023-05-10.pdf").read_bytes())
    # Overwrite a run of bytes at a different place each time: xref, objects, streams.
    start = 200 + seed * (len(data) // 13)
    data[start : start + 4000] = bytes(4000)
    # Either outcome is fine (a damaged font may still leave the text readable); a crash is not.
    with contextlib.suppress(ReportRejected):
        parse_report(bytes(data))


def test_it_refuses_a_password_protected_pdf():
    data = encrypt((REPORTS / "thurrock-2024-10-29.pdf").read_bytes(), user_password="secret")
    assert rejection(data) == "This PDF is password-protected."


def test_it_refuses_a_random_pdf_that_is_not_an_ofsted_report():
    assert rejection((SAMPLES / "newsletter.pdf").read_bytes()) == (
        "This PDF is not an Ofsted inspection report of local authority children's services."
    )


def test_it_refuses_minutes_that_quote_a_report_title():
    assert "not an Ofsted inspection report" in rejection(
        (SAMPLES / "committee_minutes.pdf").read_bytes()
    )


def test_it_refuses_a_sif_report_saying_sif_is_not_supported():
    assert rejection((SAMPLES / "sif_report.pdf").read_bytes()) == (
        "This is a single inspection framework (SIF) report, from 2013 to 2018; "
        "only ILACS reports can be imported."
    )


def test_it_refuses_an_ungraded_focused_visit_letter():
    assert "focused visit" in rejection((SAMPLES / "focused_visit.pdf").read_bytes())


def test_it_refuses_a_pdf_without_a_text_layer():
    assert "no readable text" in rejection((SAMPLES / "scanned.pdf").read_bytes())


def test_it_reads_only_the_first_sixty_pages_of_a_huge_pdf(monkeypatch):
    writer = PdfWriter()
    for _ in range(500):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    extracted: list[object] = []
    monkeypatch.setattr(PageObject, "extract_text", lambda page, *_: extracted.append(page) or "")
    assert "no readable text" in rejection(out.getvalue())
    assert len(extracted) == 60


# --- Grades ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Requires Improvement to be good", "requires_improvement"),
        ("Requires improvement to be good", "requires_improvement"),
        ("requires improvement to be good", "requires_improvement"),
        ("Requires improvement", "requires_improvement"),
        ("  Requires\nimprovement  to be good ", "requires_improvement"),
        ("Outstanding", "outstanding"),
        ("Good", "good"),
        ("Inadequate", "inadequate"),
        ("INADEQUATE", "inadequate"),
    ],
)
def test_it_normalises_grades_as_printed(printed, code):
    assert normalise_grade(printed) == code


@pytest.mark.parametrize("unknown", ["Adequate", "Satisfactory", "", "Good enough"])
def test_it_refuses_an_unknown_grade(unknown):
    with pytest.raises(ValueError, match="Unknown Ofsted grade"):
        normalise_grade(unknown)
