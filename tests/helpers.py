"""Plain helpers and constants that several test modules share.

Test modules import from here, never from one another. Pytest fixtures live in conftest.py; a
module that needs a shared set of rows wraps one of the builders below in a fixture of its own.
"""

import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.services import action_add_progress, action_close
from councils.models import Council
from inspections.importing import report_sign
from inspections.models import Inspection, InspectionKind, Milestone
from inspections.report_parser import parse_report
from inspections.services import (
    inspection_save,
    inspection_set_judgements,
    milestone_add_agreed,
    milestones_recompute,
)

from .factories import ActionFactory, CouncilFactory, InspectionFactory, RecommendationFactory

# --- Files --------------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real Ofsted reports, with expected.json: what a careful reader takes from each.
REPORTS = FIXTURES / "ofsted-reports"
# Synthetic PDFs made by report_samples/make_samples.py.
SAMPLES = FIXTURES / "report_samples"
SCILLY_2023 = "isles-of-scilly-2023-08-25.pdf"

# --- What the real reports say ------------------------------------------------------------------

SCILLY_2023_RECOMMENDATIONS = [
    "The effectiveness with which information shared with the local authority about children "
    "in need, or children in need of protection, is recorded, assessed and responded to.",
    "The quality of social work practice to assess, support and protect children.",
    "The quality of strategy discussions and subsequent child protection enquiries.",
    "The effectiveness of multi-agency working, including child protection strategy "
    "discussions, in identifying risk and providing support and protection to children.",
    "Management and leadership oversight of the service at both a practice and a strategic level.",
    "The oversight of corporate parenting arrangements.",
    "The accuracy of children's records, including how well they capture children's wishes and "
    "feelings and record their histories in up-to-date chronologies, to allow full "
    "consideration of the child's journey.",
    "How consistently and effectively the services that children receive meet statutory "
    "requirements.",
]
SCILLY_2019_RECOMMENDATIONS = [
    "Greater clarity among education colleagues about what is a contact and what is informal "
    "advice.",
    "The recording of decisions that are made in strategy meetings, to more clearly demonstrate "
    "rationale for decisions and consideration of the significant harm threshold.",
    "The quality of assessments and other case records to ensure that they are consistently up "
    "to date and easily understood by children and families.",
    "The sufficiency of on-island foster placements and the clarity of quality practice "
    "standards for emergency placements.",
]
SOUTH_TYNESIDE_RECOMMENDATIONS = [
    "Management recording of decision-making rationale throughout the service, including the "
    "timeliness and efficacy of senior leaders' written oversight of children's plans in order "
    "to reflect live decision-making.",
    "The local authority's effectiveness in ensuring that there are enough suitable regulated "
    "homes for children who cannot live with their birth families.",
    "The effectiveness of performance management and quality management.",
    "Partner agencies' understanding and application of the threshold guidance for making "
    "referrals to the local authority about children who may be in need or at risk of harm. "
    "In particular, this refers to the police.",
    "The timeliness of assessments.",
    "How quickly the local authority finds and agrees permanent homes for children and how "
    "effectively independent reviewing officers scrutinise and challenge both this process and "
    "wider planning for children.",
    "The timeliness and quality of direct work with children, including life-story work.",
]
LEADERS_ENABLER = "enabler: leaders drive conditions for effective practice, national framework"
TRAFFORD_RECOMMENDATIONS = [
    ("Quality of contacts, timeliness and allocation response", "outcome 2, national framework"),
    (
        "Timeliness and response to children at risk of significant harm",
        "outcome 2, national framework",
    ),
    ("Quality and impact of safety planning", "outcome 2, national framework"),
    ("Response to 16- and 17-year-old homeless children", "outcome 2, national framework"),
    ("Quality, consistency and impact of management oversight", LEADERS_ENABLER),
    ("Leaders' understanding of the effectiveness and impact of practice", LEADERS_ENABLER),
    ("The identification and response to young carers", "outcome 1, national framework"),
    ("Timeliness and recording of children's health assessments", "outcome 4, national framework"),
    (
        "Quality of transitions and pathway planning for children leaving care",
        "outcome 4, national framework",
    ),
]

# --- Grades -------------------------------------------------------------------------------------

# Isles of Scilly 2023: children in care and care leavers judged apart.
SPLIT_GRADES = {
    "leaders": "inadequate",
    "help_and_protection": "inadequate",
    "children_in_care": "requires_improvement",
    "care_leavers": "requires_improvement",
    "overall_effectiveness": "inadequate",
}
# The grades from April 2026: no overall effectiveness.
FROM_APRIL_2026 = {
    "leaders": "good",
    "help_and_protection": "requires_improvement",
    "children_in_care": "good",
    "care_leavers": "outstanding",
}

# --- Forms --------------------------------------------------------------------------------------


def date_fields(name: str, value: tuple[str, str, str] | date | None) -> dict:
    """A GOV.UK date input's three fields: a date, nothing, or (day, month, year) as typed."""
    if value is None:
        value = ("", "", "")
    elif isinstance(value, date):
        value = (value.day, value.month, value.year)
    day, month, year = value
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def inspection_post(**overrides) -> dict:
    """A valid inspection form for the Isles of Scilly 2023 inspection."""
    data = {"kind": "standard_ilacs", "lead_inspector": "Tracey Ledder", "report_url": ""}
    data |= date_fields("start_date", ("11", "7", "2023"))
    data |= date_fields("end_date", ("13", "7", "2023"))
    data |= date_fields("published_on", ("25", "8", "2023"))
    data.update(overrides)
    return data


def pdf_upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    """A report PDF as a browser uploads it: one of REPORTS by name, or the given bytes."""
    if data is None:
        data = (REPORTS / name).read_bytes()
    return SimpleUploadedFile(Path(name).name, data, content_type="application/pdf")


def confirm_post(name=SCILLY_2023, *, update=None, published=date(2023, 8, 25), **overrides):
    """A valid confirmation of a report exactly as read, as the preview posts it."""
    report = parse_report((REPORTS / name).read_bytes())
    (start, end), *rest = report.fieldwork
    second = rest[0] if rest else (None, None)
    data = {
        "report": report_sign(report),
        "update": update or "",
        "kind": "standard_ilacs",
        "lead_inspector": report.lead_inspector,
        "report_url": "",
        **date_fields("start_date", start),
        **date_fields("end_date", end),
        **date_fields("second_start_date", second[0]),
        **date_fields("second_end_date", second[1]),
        **date_fields("published_on", published),
        **{f"grade_{key}": grade for key, grade in report.judgements.items()},
        "rec-TOTAL_FORMS": str(len(report.recommendations)),
        "rec-INITIAL_FORMS": "0",
    }
    for i, recommendation in enumerate(report.recommendations):
        data[f"rec-{i}-text"] = recommendation.text
        data[f"rec-{i}-national_framework_reference"] = (
            recommendation.national_framework_reference or ""
        )
    data.update(overrides)
    return data


def fill_date(page, legend, day, month, year):
    """Type a date into the GOV.UK date input with this legend, in a Playwright page."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(day)
    group.get_by_label("Month", exact=True).fill(month)
    group.get_by_label("Year", exact=True).fill(year)


# --- Data ---------------------------------------------------------------------------------------


def record(council, capture, grades=SPLIT_GRADES, **fields) -> Inspection:
    """Save an inspection and its grades through the services, as an officer would.

    capture is pytest-django's django_capture_on_commit_callbacks, so that the milestones that
    follow on commit are computed.
    """
    values = {
        "kind": InspectionKind.STANDARD_ILACS,
        "start_date": date(2023, 7, 11),
        "end_date": date(2023, 7, 13),
        "published_on": date(2023, 8, 25),
    } | fields
    with capture(execute=True):
        inspection = inspection_save(inspection=Inspection(council=council, **values))
        if grades:
            inspection_set_judgements(inspection=inspection, grades=grades)
    return inspection


def dashboard_plan(scilly: Council, alice) -> dict:
    """Isles of Scilly: a good 2019 inspection with an overdue action, and the 2023 one with its
    milestones, a blocked action and one due in 2030."""
    older = InspectionFactory(
        council=scilly,
        kind="short_ilacs",
        start_date=date(2019, 10, 14),
        end_date=date(2019, 10, 18),
        published_on=date(2019, 11, 29),
    )
    inspection_set_judgements(
        inspection=older,
        grades={
            "leaders": "good",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
    )
    ActionFactory(
        recommendation=RecommendationFactory(inspection=older, position=1, text="Foster care."),
        title="Recruit foster carers",
        due_on=date(2020, 6, 30),
    )
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    milestones_recompute(inspection_id=inspection.pk)
    first = RecommendationFactory(inspection=inspection, position=1, text="Strategy discussions.")
    audit = ActionFactory(recommendation=first, title="Audit strategy discussions")
    action_add_progress(
        action=audit,
        expected_version=1,
        user=alice,
        narrative="Audits slipped: staff sickness.",
        status="blocked",
        rag="red",
        percent_complete=20,
    )
    ActionFactory(recommendation=first, title="Train managers", due_on=date(2030, 3, 31))
    return {"older": older, "inspection": inspection}


def overview_councils(scilly: Council, nottingham: Council, alice) -> dict:
    """Scilly: inadequate, half its actions done, a milestone overdue. Nottingham: graded
    without an overall grade (2026). Rutland: nothing recorded."""
    scilly.region, nottingham.region = "South West", "East Midlands"
    scilly.save()
    nottingham.save()
    CouncilFactory(name="Rutland", slug="rutland", dfe_code="857", region="East Midlands")
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    recommendation = RecommendationFactory(inspection=inspection)
    ActionFactory(recommendation=recommendation, title="<script>alert(1)</script>")
    done = ActionFactory(recommendation=recommendation)
    action_close(
        action=done, expected_version=1, user=alice, evidence_of_impact="Yes", narrative="Done"
    )
    Milestone.objects.create(
        inspection=inspection,
        source="agreed",
        key="monitoring_visit",
        title="Monitoring visit",
        due_on=date(2024, 2, 1),
        due_by=date(2024, 2, 29),
        precision="month",
        basis="Agreed",
    )
    recent = InspectionFactory(
        council=nottingham,
        start_date=date(2026, 5, 11),
        end_date=date(2026, 5, 15),
        published_on=None,
    )
    inspection_set_judgements(inspection=recent, grades=FROM_APRIL_2026)
    milestone_add_agreed(
        inspection=recent,
        key="monitoring_visit",
        due_on=timezone.localdate() + timedelta(days=60),
    )
    return {"scilly": scilly, "nottingham": nottingham}


def pdf_text(pdf: bytes) -> str:
    """The text in the order it is drawn, so that a table cell's wrapped lines stay together."""
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


# --- Importing a report through the pages --------------------------------------------------

UPLOAD = "/councils/isles-of-scilly/inspections/import/"
CONFIRM = "/councils/isles-of-scilly/inspections/import/confirm/"


def upload(client, name=SCILLY_2023, data=None, published=("25", "8", "2023"), url=UPLOAD):
    day, month, year = published
    return client.post(
        url,
        {
            "report": pdf_upload(name, data),
            "published_on_0": day,
            "published_on_1": month,
            "published_on_2": year,
        },
    )


class FormValues(HTMLParser):
    """What a browser would submit from the page's form: fields, checked boxes, text areas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"radio", "checkbox"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Django starts a textarea's content with a newline, which browsers drop.
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def form_values(response) -> dict[str, str]:
    """The preview form's values as the browser would post them back."""
    html = response.content.decode()
    start = html.index(f'action="{CONFIRM}"')
    parser = FormValues()
    parser.feed(html[start : html.index("</form>", start)])
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


# --- Rows of the national outcomes file -------------------------------------------------------

OUTCOMES_HEADER = (
    "urn,local_authority,inspection_link,pdf_filename,publication_date,inspection_framework,"
    "inspector_name,inspection_start_date,inspection_end_date,overall_effectiveness_grade,"
    "impact_of_leaders_grade,help_and_protection_grade,in_care_grade,care_leavers_grade,"
    "parser_version\n"
)
OUTCOME_SCILLY_2023 = (
    "80455,isles of scilly,https://files.ofsted.gov.uk/v1/file/50226696,report.pdf,25/08/23,"
    "short,Tracey Ledder,11/07/2023,13/07/2023,inadequate,inadequate,inadequate,"
    "requires improvement,requires improvement,1\n"
)
OUTCOME_SCILLY_2019 = (
    "80455,isles of scilly,https://files.ofsted.gov.uk/v1/file/50135438,report.pdf,19/12/19,"
    "short,Joy Howick,14/10/2019,18/10/2019,good,outstanding,good,good,"
    "inspection_pre_dates_judgement,1\n"
)
OUTCOME_NOTTINGHAM_2022 = (
    "80533,nottingham,https://files.ofsted.gov.uk/v1/file/50192198,report.pdf,05/09/22,,"
    "Andy Waugh,,,inadequate,requires improvement,inadequate,requires improvement,inadequate,1\n"
)
