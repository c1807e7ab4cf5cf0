"""The scrutiny pack: tagged A4 PDF read back with pdftotext, and its HTML equivalent."""

import gc
import io
import re
import subprocess
import threading
from datetime import date, timedelta

import pypdf
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Action
from actions.services import action_close
from councils.models import Council, StatisticalNeighbour
from inspections.services import inspection_set_judgements, milestones_recompute
from readiness.models import EngagementMeeting, PlanAction
from reports.pack import SECTIONS, pack_context, pack_pdf
from reports.pdf import FULL_COLLECTION_EVERY, OfflineFetcher, fewer_full_collections, html_to_pdf

from .factories import (
    ActionFactory,
    CouncilFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)
from .helpers import SPLIT_GRADES, pdf_text
from .measure_helpers import add_measure

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


def pdf_info(pdf: bytes) -> str:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def test_the_pdf_holds_every_judgement_and_recommendation(client, bob, scilly, inspection):
    client.force_login(bob)
    response = client.get(f"/councils/{scilly.slug}/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    # The council, the inspection it covers and the day it was made.
    assert (
        f'filename="isles-of-scilly-scrutiny-pack-ilacs-2023-07-made-{today:%Y-%m-%d}.pdf"'
        in (response["Content-Disposition"])
    )
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


def test_rendering_puts_the_collector_back_as_it_was_even_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(TypeError):
        html_to_pdf(None)
    assert gc.get_threshold() == before


def test_overlapping_renders_share_one_collector_change_undone_by_the_last():
    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    def render_in_a_thread():
        with fewer_full_collections():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=render_in_a_thread)
    thread.start()
    inside.wait(10)
    with fewer_full_collections():
        assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY
    # The thread's render is still going: the change stays until it ends.
    assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY
    release.set()
    thread.join(10)
    assert gc.get_threshold() == before


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


# The full pack (issue 6B): every section, the demo pack, query counts, options and escaping.


def _plan(inspection, count: int, *, updates: int = 1):
    """count actions across the inspection's recommendations, each with progress updates."""
    recommendations = list(inspection.recommendations.all())
    actions = []
    for n in range(count):
        action = ActionFactory(
            recommendation=recommendations[n % len(recommendations)],
            title=f"Pack action {n}",
            due_on=date(2024, 3, 31) if n % 3 == 0 else date(2030, 1, 31),
        )
        for k in range(updates):
            ProgressUpdateFactory(action=action, narrative=f"Update {k} of pack action {n}.")
        actions.append(action)
    return actions


def test_the_pdf_has_every_section_with_the_plan_and_its_latest_updates(
    client, bob, scilly, inspection
):
    _plan(inspection, 4, updates=2)
    milestones_recompute(inspection_id=inspection.pk)
    client.force_login(bob)
    text = " ".join(
        pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf?since=2024-01-01").content).split()
    )
    for heading in (
        "Contents",
        "Deadlines and visits",
        "Progress summary",
        "Actions by status",
        "Actions by RAG rating",
        "Exceptions: red, overdue and blocked actions",
        "Direction of travel since 1 January 2024",
        "The action plan",
        "Glossary",
    ):
        assert heading in text, heading
    # Month-only milestones are shown as the month (first monitoring visit, Feb 2024).
    assert "First monitoring visit" in text
    assert "February 2024" in text
    assert "(Ofsted fixes the month)" in text
    assert "Action plan shared with Ofsted" in text
    for n in range(4):
        assert f"Pack action {n}" in text
        assert f"Update 1 of pack action {n}." in text  # the latest update only
        assert f"Update 0 of pack action {n}." not in text
    assert "Morwenna Tregarthen" in text
    assert "0 of 4 actions complete (0%)" in text
    # Actions 0 and 3 are overdue: they head the exception list.
    assert text.index("Exceptions: red") < text.index("Pack action 0") < text.index("Pack action 3")


def test_the_pdf_is_tagged_with_every_font_embedded(scilly, inspection):
    _plan(inspection, 2)
    pdf = pack_pdf(council=scilly)
    assert re.search(r"Tagged:\s+yes", pdf_info(pdf))
    catalog = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        # Columns: name, type, encoding, emb, sub, uni, object, ID; emb is the fourth from last.
        assert row.split()[-5] == "yes", row


def test_the_demo_pack_holds_every_judgement_recommendation_and_action(db):
    call_command("load_demo", stdout=io.StringIO())
    scilly = Council.objects.get(slug="isles-of-scilly")
    inspection = pack_context(council=scilly, inspection=None, since=None)["inspection"]
    pdf = pack_pdf(council=scilly)
    # A line may break after a hyphen ("self-" / "audit"): join such words again.
    text = re.sub(r"- ", "-", " ".join(pdf_text(pdf).split()))
    judgements = list(inspection.judgements.select_related("area"))
    assert len(judgements) == 5
    for judgement in judgements:
        assert f"{judgement.area.name} {judgement.get_grade_display()}" in text
    recommendations = list(inspection.recommendations.all())
    assert len(recommendations) == 8
    for recommendation in recommendations:
        assert " ".join(recommendation.text.split()) in text
    # The live plan: the 2023 plan's actions, the one carried into it from 2019 and the one
    # the improvement board's decision added.
    titles = list(Action.objects.live_plan(scilly).values_list("title", flat=True))
    assert len(titles) == 19
    assert len(titles) >= 15
    for title in titles:
        assert title in text, title
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))
    printed = re.findall(r"Page (\d+) of (\d+)", pdf_text(pdf))
    assert [int(x) for x, _ in printed] == list(range(1, pages + 1))
    assert {int(y) for _, y in printed} == {pages}


def test_building_the_pack_takes_the_same_queries_for_ten_times_the_actions(
    scilly, inspection, django_assert_num_queries
):
    milestones_recompute(inspection_id=inspection.pk)
    actions = _plan(inspection, 3)

    def build():
        context = pack_context(council=scilly, inspection=None, since=date(2024, 1, 1))
        return render_to_string("reports/pack.html", context)

    # The council's cover (1), the latest graded inspection (1), grade history: inspections
    # and judgements (2), its judgements (1), milestones and bank holiday changes (2), summary
    # counts by status and RAG and per recommendation (2), exceptions (1), direction of travel:
    # completed, newly overdue, RAG changes (3), recommendations and their actions with latest
    # updates (2) and their evidence files (1), the previous plan's actions waiting to be
    # carried over (1). And the Impact measures section: the measures, their values, the
    # statistical neighbours and the published values of the mapped indicators (4); the
    # self-evaluation plan's actions with their sources (1).
    measures = _measures(scilly, 2)
    follow_ups = _follow_ups(scilly, 2)
    with django_assert_num_queries(22):
        html = build()
    assert all(a.title in html for a in actions)
    assert all(m.name in html for m in measures)
    assert all(f.title in html for f in follow_ups)
    actions += _plan(inspection, 27)
    measures += _measures(scilly, 18, first=2)
    follow_ups += _follow_ups(scilly, 18, first=2)
    with django_assert_num_queries(22):
        html = build()
    assert all(a.title in html for a in actions)
    assert all(m.name in html for m in measures)
    assert all(f.title in html for f in follow_ups)


def _follow_ups(council, count: int, *, first: int = 0):
    meeting = EngagementMeeting.objects.create(
        council=council, held_on=date(2024, 6, 1), attendees="DCS", topics="Plans"
    )
    return [
        PlanAction.objects.create(
            council=council,
            meeting=meeting,
            title=f"Engagement follow-up {n}",
            owner_name="Head of service",
            due_on=timezone.localdate() + timedelta(days=30 + n),
        )
        for n in range(first, first + count)
    ]


def test_the_self_evaluation_plan_is_reported_in_the_pack(client, bob, scilly, inspection):
    follow_ups = _follow_ups(scilly, 2)
    late = follow_ups[0]
    late.due_on, late.rag, late.progress = date(2024, 9, 1), "red", "Waiting for the new manager"
    late.save()
    PlanAction.objects.filter(pk=follow_ups[1].pk).update(status="complete", rag="blue")
    client.force_login(bob)
    text = " ".join(pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf").content).split())
    assert (
        "2 actions of the self-evaluation plans and the engagement meetings' follow-ups: 1 open, "
        "1 complete, 1 overdue, 1 Red."
    ) in text
    assert "Engagement follow-up 0 Annual engagement meeting, 1 June 2024" in text
    assert "1 Sep 2024 (overdue)" in text
    assert "Waiting for the new manager" in text
    assert "Engagement follow-up 1" not in text
    page = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert 'id="self-evaluation-plan"' in page
    assert "Engagement follow-up 0" in page


def _measures(council, count: int, *, first: int = 0):
    """count measures of eight quarters each, with England's and two neighbours' values."""
    if not StatisticalNeighbour.objects.filter(council=council).exists():
        for rank in (1, 2):
            StatisticalNeighbour.objects.create(
                council=council, neighbour=CouncilFactory(), rank=rank
            )
    return [
        add_measure(
            council,
            f"Pack measure {n}",
            [30 - k for k in range(8)],
            target=20 + n % 4 * 2,
            england=[22] * 8,
            region=[23] * 8,
            neighbours=[[25] * 8, [24] * 8],
        )
        for n in range(first, first + count)
    ]


def test_the_pdf_has_the_impact_measures_with_their_charts_and_figures(
    client, bob, scilly, inspection
):
    StatisticalNeighbour.objects.create(council=scilly, neighbour=CouncilFactory(), rank=1)
    add_measure(
        scilly,
        "Re-referrals within 12 months",
        [30, 27, 24.5],
        target=20,
        england=[22, 22, 21.5],
        neighbours=[[25, 24, 23]],
    )
    add_measure(scilly, "Social worker turnover", [18, 14], target=15)
    client.force_login(bob)
    pdf = client.get(f"/councils/{scilly.slug}/pack.pdf").content
    text = " ".join(pdf_text(pdf).split())
    assert "Impact measures" in text
    assert "1 of 2 measures off target." in text
    assert "Re-referrals within 12 months" in text and "Social worker turnover" in text
    # The off-target list, the chart's target and the table's figures.
    assert "24.5% " in text and "Red" in text and "Improving" in text
    assert "Target 20%" in text
    assert "Re-referrals within 12 months: values by period (the data in the chart above)" in text
    assert "24.5% 23% Not available 21.5% 20%" in text
    assert "Social worker turnover: values by period" in text
    # In the contents, and as the section's heading.
    assert text.count("Impact measures") >= 2


def test_a_pack_without_measures_says_so(client, bob, scilly, inspection):
    client.force_login(bob)
    html = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert "No impact measures have been recorded for Isles of Scilly." in html
    assert '<a class="govuk-link" href="#impact">Impact measures</a>' in html


def test_the_pack_page_takes_its_date_as_day_month_and_year_like_the_dashboard(
    client, sam, scilly, inspection
):
    client.force_login(sam)
    pack = f"/councils/{scilly.slug}/pack/"
    html = client.get(f"{pack}?since_0=1&since_1=4&since_2=2024").content.decode()
    assert "showing changes since 1 April 2024" in html
    # A link's one YYYY-MM-DD value fills the same three boxes.
    html = client.get(f"{pack}?since=2024-04-01").content.decode()
    assert "showing changes since 1 April 2024" in html
    for name, value in (("since_0", "1"), ("since_1", "4"), ("since_2", "2024")):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', html), name
    response = client.get(f"{pack}?since_0=31&since_1=2&since_2=2024")
    assert response.status_code == 400
    assert "The date to show changes since must be a real date, like 25 8 2023" in (
        response.content.decode()
    )


def test_the_html_pack_shows_the_same_sections_as_the_pdf(client, sam, scilly, inspection):
    _plan(inspection, 2)
    client.force_login(sam)
    html = client.get(f"/councils/{scilly.slug}/pack/?since=2024-01-01").content.decode()
    for section_id, heading in SECTIONS:
        assert f'id="{section_id}"' in html, section_id
        assert heading in html
    assert "Pack action 1" in html
    assert "Update 0 of pack action 1." in html
    assert "Actions by RAG rating (the data in the chart above)" in html


def test_the_html_pack_covers_the_inspection_asked_for(client, sam, scilly, inspection):
    other = InspectionFactory(
        council=scilly, start_date=date(2019, 10, 1), end_date=date(2019, 10, 3)
    )
    RecommendationFactory(inspection=other, position=1, text="An older recommendation.")
    client.force_login(sam)
    html = client.get(f"/councils/{scilly.slug}/pack/?inspection={other.pk}").content.decode()
    assert "An older recommendation." in html
    assert "Recommendation number 1 for the pack." not in html
    # The form to choose another names each inspection by its kind and dates.
    assert (
        f'<option value="{other.pk}" selected>Standard ILACS inspection, 1 to 3 October 2019'
        in html
    )


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "since=2024-02-30",
            "The date to show changes since must be a real date as year-month-day, like 2024-04-01",
        ),
        (
            "since=yesterday",
            "The date to show changes since must be a real date as year-month-day, like 2024-04-01",
        ),
        ("since=2999-01-01", "The date to show changes since must be today or in the past"),
        ("inspection=abc", "Choose an inspection of this council"),
        ("inspection=999999", "Choose an inspection of this council"),
    ],
)
def test_bad_pack_options_get_a_clear_message(client, sam, scilly, inspection, query, message):
    client.force_login(sam)
    for url in (
        f"/councils/{scilly.slug}/pack/?{query}",
        f"/councils/{scilly.slug}/pack.pdf?{query}",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_another_councils_inspection_is_refused(client, sam, scilly, nottingham, inspection):
    theirs = InspectionFactory(council=nottingham)
    RecommendationFactory(inspection=theirs, text="Nottingham's own recommendation.")
    client.force_login(sam)
    response = client.get(f"/councils/{scilly.slug}/pack/?inspection={theirs.pk}")
    assert response.status_code == 400
    assert "Nottingham's own recommendation." not in response.content.decode()


def test_free_text_of_actions_is_escaped_in_the_page_and_plain_in_the_pdf(
    client, bob, scilly, inspection
):
    payload = "<script>alert(1)</script>"
    action = ActionFactory(
        recommendation=inspection.recommendations.first(),
        title=f"Title {payload}",
        owner_name=f"Owner {payload}",
        success_criterion=f"Criterion {payload}",
        due_on=date(2024, 1, 31),
    )
    ProgressUpdateFactory(action=action, narrative=f"Narrative {payload}", rag="red")
    client.force_login(bob)
    html = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert payload not in html
    for text in ("Title", "Owner", "Criterion", "Narrative"):
        assert f"{text} &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Without the spaces: a long word may wrap anywhere in a narrow column.
    pdf = "".join(pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf").content).split())
    for text in ("Title", "Owner", "Criterion", "Narrative"):
        assert f"{text}{payload}" in pdf


def test_a_complete_actions_evidence_of_impact_is_in_the_plan(client, bob, scilly, inspection):
    action = ActionFactory(recommendation=inspection.recommendations.first())
    action_close(
        action=action,
        expected_version=1,
        user=bob,
        evidence_of_impact="Audits show 92% of plans rated good.",
        narrative="Closed at the improvement board.",
    )
    client.force_login(bob)
    html = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert "Evidence of impact: Audits show 92% of plans rated good." in html
    pdf = " ".join(pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf").content).split())
    assert "Evidence of impact: Audits show 92% of plans rated good." in pdf


def test_the_way_back_from_the_pack_page_keeps_its_inspection_and_date(
    client, bob, scilly, inspection
):
    client.force_login(bob)
    html = client.get(
        f"/councils/{scilly.slug}/pack/?inspection={inspection.pk}&since=2024-04-01"
    ).content.decode()
    back = html.split('class="govuk-back-link"')[0].rsplit("<a ", 1)[1]
    assert (
        f"/councils/{scilly.slug}/dashboard/?inspection={inspection.pk}"
        "&amp;since_0=1&amp;since_1=4&amp;since_2=2024" in back
    )


def test_the_plan_table_gives_owner_due_status_rag_and_progress_their_own_columns(
    client, bob, scilly, inspection
):
    recommendation = inspection.recommendations.get(position=2)
    ActionFactory(
        recommendation=recommendation,
        title="Audit of supervision",
        owner_name="Jo Lead",
        rag="amber",
        status="in_progress",
        percent_complete=40,
        due_on=(due := timezone.localdate() + timedelta(days=200)),
    )
    client.force_login(bob)
    text = " ".join(pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf").content).split())
    # Progress by recommendation names each recommendation with its wording.
    assert "Recommendation 2 Recommendation number 2 for the pack." in text
    assert "Owner Due Status RAG Done Latest update" in text
    assert f"Jo Lead {due.day} {due:%b %Y} In progress Amber 40%" in text
    page = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert '<span class="rag-swatch rag-amber" aria-hidden="true"></span>Amber' in page


def test_a_revised_due_dates_reason_sits_with_the_action_not_in_the_due_column(
    client, bob, scilly, inspection
):
    due = timezone.localdate() + timedelta(days=100)
    ActionFactory(
        recommendation=inspection.recommendations.get(position=1),
        title="Audit of supervision",
        due_on=due,
        revised_due_on=due + timedelta(days=60),
        revision_reason="The new team started late",
    )
    client.force_login(bob)
    page = client.get(f"/councils/{scilly.slug}/pack/").content.decode()
    assert "Due date revised: The new team started late" in page
    assert f"Revised from {due.day} {due:%b %Y}</span></td>" in page
    text = " ".join(pdf_text(client.get(f"/councils/{scilly.slug}/pack.pdf").content).split())
    assert "Due date revised: The new team started late" in text
