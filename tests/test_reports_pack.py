"""The scrutiny pack: tagged A4 PDF read back with pdftotext, and its HTML equivalent."""

import re
import subprocess

import pytest

from inspections.services import inspection_set_judgements
from reports.pdf import OfflineFetcher, html_to_pdf

from .factories import InspectionFactory, RecommendationFactory
from .test_inspection_views import SPLIT_GRADES

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(scilly):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    for n in range(1, 9):
        RecommendationFactory(
            inspection=inspection, position=n, text=f"Recommendation number {n} for the pack."
        )
    return inspection


def pdf_text(pdf: bytes) -> str:
    """The text in reading order, so a table cell's wrapped lines stay together."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_info(pdf: bytes) -> str:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def test_the_pdf_holds_every_judgement_and_recommendation(client, bob, scilly, inspection):
    client.force_login(bob)
    response = client.get(f"/councils/{scilly.slug}/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="isles-of-scilly-scrutiny-pack.pdf"' in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    for area in (
        "The impact of leaders on social work practice with children and families",
        "Overall effectiveness",
        "The experiences and progress of care leavers",
    ):
        assert area in text
    for n in range(1, 9):
        assert f"Recommendation number {n} for the pack." in text
    assert "Prepared for Isles of Scilly's children's services scrutiny committee" in text


def test_the_page_numbers_printed_match_the_page_count(client, sam, scilly, inspection):
    client.force_login(sam)
    pdf = client.get(f"/councils/{scilly.slug}/pack.pdf").content
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))
    printed = re.findall(r"Page (\d+) of (\d+)", pdf_text(pdf))
    assert [int(x) for x, _ in printed] == list(range(1, pages + 1))
    assert {int(y) for _, y in printed} == {pages}


def test_the_pdf_is_tagged_a4_with_a_title(client, bob, scilly, inspection):
    client.force_login(bob)
    info = pdf_info(client.get(f"/councils/{scilly.slug}/pack.pdf").content)
    assert re.search(r"Tagged:\s+yes", info)
    assert "Title:           Isles of Scilly: Ofsted improvement plan for scrutiny" in info
    assert "595.276 x 841.89 pts (A4)" in info


def test_free_text_cannot_inject_markup_into_the_pdf_or_page(client, bob, scilly, inspection):
    RecommendationFactory(inspection=inspection, position=9, text="<script>alert(1)</script>")
    client.force_login(bob)
    assert "<script>alert(1)</script>" in pdf_text(
        client.get(f"/councils/{scilly.slug}/pack.pdf").content
    )
    html = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rendering_never_fetches_from_the_network():
    fetcher = OfflineFetcher()
    with pytest.raises(ValueError, match="Network access is not allowed"):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ValueError, match="Not a static file"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.refused == ["https://example.org/logo.png", "file:///etc/passwd"]
    pdf = html_to_pdf(
        '<html lang="en"><head><title>t</title></head><body><img alt="x" '
        'src="https://example.org/logo.png"><p>Still rendered</p></body></html>'
    )
    assert "Still rendered" in pdf_text(pdf)


def test_the_html_pack_has_the_same_sections(client, sam, scilly, inspection):
    client.force_login(sam)
    html = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    for heading in ("Judgements", "Grades over time", "What needs to improve", "Glossary"):
        assert heading in html
    assert "Recommendation number 8 for the pack." in html


def test_the_dashboard_shows_the_grade_history_chart_with_its_data_table(
    client, sam, scilly, inspection
):
    client.force_login(sam)
    html = client.get(f"/councils/{scilly.slug}/dashboard/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img"' in html
    assert "Grades at each inspection (the data in the chart)" in html
    assert "Jul 2023" in html
