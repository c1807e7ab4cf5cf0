"""Plain helpers and constants that several test modules share.

Test modules import from here, never from one another. Pytest fixtures live in conftest.py; a
module that needs a shared set of rows wraps one of the builders below in a fixture of its own.
"""

import io
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Evidence
from actions.services import action_add_progress, action_close
from councils.models import Council, Invitation, Membership
from councils.people import token_hash
from governance.models import Intervention, Meeting
from governance.services import intervention_save, meeting_save
from inspections.importing import report_sign
from inspections.models import Inspection, InspectionKind, Milestone
from inspections.report_parser import parse_report
from inspections.services import (
    inspection_save,
    inspection_set_judgements,
    milestone_add_agreed,
    milestones_recompute,
)
from measures.models import Indicator, Measure
from measures.periods import recent_period_ends
from measures.services import measure_create
from readiness.models import EngagementMeeting, EvidenceLink
from readiness.services import (
    engagement_meeting_save,
    plan_action_add,
    self_evaluation_set_grades,
    self_evaluation_start,
    self_evaluation_update,
)
from reports.models import PackJob

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
    tracked_since_publication(inspection)
    return inspection


def tracked_since_publication(inspection: Inspection) -> None:
    """As if the tracker had known the inspection's milestones since the report came out, so
    that a missed one is overdue rather than needing a date (inspections/selectors.py)."""
    if inspection.published_on:
        since = timezone.make_aware(datetime.combine(inspection.published_on, time(9)))
        Milestone.objects.filter(inspection=inspection).update(created_at=since)


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


def two_plans(scilly: Council, alice) -> dict:
    """Isles of Scilly: a 2019 short inspection whose plan has four open actions and a complete
    one, replaced by the 2023 standard inspection, whose plan has one action of its own."""
    older = InspectionFactory(
        council=scilly,
        kind="short_ilacs",
        start_date=date(2019, 10, 14),
        end_date=date(2019, 10, 18),
        published_on=date(2019, 11, 29),
    )
    foster = RecommendationFactory(inspection=older, position=1, text="Foster care.")
    titles = ["Recruit foster carers", "Review placements", "Train panel members", "Audit plans"]
    open_actions = [ActionFactory(recommendation=foster, title=title) for title in titles]
    action_add_progress(
        action=open_actions[0],
        expected_version=1,
        user=alice,
        narrative="Six carers approved.",
        status="in_progress",
        rag="amber",
        percent_complete=40,
    )
    done = ActionFactory(recommendation=foster, title="Publish the sufficiency strategy")
    action_close(
        action=done, expected_version=1, user=alice, evidence_of_impact="Out", narrative="Done"
    )
    newer = InspectionFactory(council=scilly)
    ActionFactory(
        recommendation=RecommendationFactory(inspection=newer, position=1, text="Strategy."),
        title="Audit strategy discussions",
    )
    return {"older": older, "newer": newer, "open": open_actions, "done": done}


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
    # Agreed in 2023, so missed on the council's watch.
    Milestone.objects.filter(inspection=inspection).update(
        created_at=timezone.make_aware(datetime(2023, 9, 1, 9))
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


# --- Every URL against every role (tests/test_authorization.py, tests/test_fuzz.py) ----------

ROLES = ["anonymous", "officer", "lead_member", "scrutiny", "admin", "platform_admin", "outsider"]

# Shorthands for the table: (GET status, POST status) per role, in the order of ROLES.
READ = {
    "anonymous": (302, 302),
    "officer": (200, 405),
    "lead_member": (200, 405),
    "scrutiny": (200, 405),
    "admin": (200, 405),
    "platform_admin": (200, 405),
    # A read view refuses POST before looking anything up, so 405 reveals nothing.
    "outsider": (404, 405),
}
WRITE = {
    "anonymous": (302, 302),
    "officer": (200, 302),
    "lead_member": (403, 403),
    "scrutiny": (403, 403),
    "admin": (200, 302),
    "platform_admin": (200, 302),
    "outsider": (404, 404),
}


@dataclass(frozen=True)
class Row:
    statuses: dict
    post: object = None  # a function (context) -> data for a valid POST
    htmx: dict | None = None  # statuses with HX-Request, where an htmx write answers a fragment


# The council's people: its admins and the platform's; its other people are refused (403).
ADMIN_ONLY = WRITE | {"officer": (403, 403), "admin": (200, 302), "platform_admin": (200, 302)}

# A write view that answers an htmx POST with a fragment (200) rather than a redirect.
WRITE_FRAGMENT = WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (200, 200))
# A POST-only write view refuses GET before looking anything up.
POST_ONLY = {role: (302 if role == "anonymous" else 405, post) for role, (_, post) in WRITE.items()}
# A fragment's own address (an action's row in the list, its page's progress section) answers
# htmx requests; one without htmx is sent on to the matching page, once the role is checked.
READERS = ("officer", "lead_member", "scrutiny", "admin", "platform_admin")
READ_FRAGMENT_PAGE = READ | dict.fromkeys(READERS, (302, 405))
WRITE_FRAGMENT_PAGE = WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (302, 302))
POST_ONLY_FRAGMENT = POST_ONLY | dict.fromkeys(("officer", "admin", "platform_admin"), (405, 200))
# Asking for a scrutiny pack: POST-only, open to every role of the council (readers included);
# it redirects to the job's page, or answers an htmx request with the job's status fragment.
PACK_JOB = dict.fromkeys(ROLES, (405, 302)) | {"anonymous": (302, 302), "outsider": (405, 404)}
PACK_JOB_FRAGMENT = PACK_JOB | {
    role: (405, 200) for role in ROLES if role not in {"anonymous", "outsider"}
}


def _action_create_post(ctx):
    return {
        "recommendation": ctx["recommendation"].pk,
        "title": "An action posted by the matrix",
        "success_criterion": "Measured",
        "owner_name": "Someone",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2024",
    }


def _action_edit_post(ctx):
    action = ctx["action"]
    return {
        "recommendation": action.recommendation_id,
        "title": "Changed by the matrix",
        "success_criterion": action.success_criterion,
        "owner_name": action.owner_name,
        "version": action.version,
    }


def _action_progress_post(ctx):
    return {
        "narrative": "Posted by the matrix",
        "status": "in_progress",
        "rag": "amber",
        "percent_complete": "10",
        "version": ctx["action"].version,
    }


def _action_close_post(ctx):
    return {"evidence_of_impact": "Matrix", "narrative": "Closed", "version": ctx["action"].version}


def _action_bulk_post(ctx):
    action = ctx["action"]
    return {"actions": [action.pk], f"version-{action.pk}": action.version, "owner_name": "New"}


def _recommendations_post(ctx):
    return {
        "rec-TOTAL_FORMS": "1",
        "rec-INITIAL_FORMS": "0",
        "rec-0-text": "A recommendation posted by the matrix.",
    }


def visit_post(cycle_pk, **overrides) -> dict:
    """A valid form for a monitoring visit on 11 and 12 June 2024 after the given inspection."""
    data = {
        "kind": "monitoring_visit",
        "cycle": cycle_pk,
        "lead_inspector": "Nick Stacey",
        "report_url": "",
        "findings": "Leaders have made progress.",
        "priority_areas": "",
        "priority_actions": "no",
    }
    data |= date_fields("start_date", ("11", "6", "2024"))
    data |= date_fields("end_date", ("12", "6", "2024"))
    data |= date_fields("published_on", ("10", "7", "2024"))
    data.update(overrides)
    return data


def _intervention_post(ctx, **overrides):
    """A step of intervention after the world's inspection; an ended one, since the world's
    own is in force and only one may be at a time."""
    return {
        "cycle": ctx["kwargs"]["pk"],
        "kind": "improvement_notice",
        **date_fields("started_on", date(2023, 10, 2)),
        **date_fields("ended_on", date(2023, 12, 1)),
        "adviser": "A DfE adviser",
        **date_fields("requirements_due_on", None),
        **date_fields("first_report_due_on", None),
    } | overrides


def _meeting_post(ctx):
    return {"kind": "board", **date_fields("held_on", date(2024, 3, 21)), "agenda_item": "Item 2"}


def _milestone_record_post(ctx):
    milestone = Milestone.objects.filter(inspection_id=ctx["kwargs"]["pk"]).first()
    return {"milestone": milestone.pk, "done_on_0": "9", "done_on_1": "10", "done_on_2": "2023"}


# Signing off a self-evaluation: POST only, by the two people it names, whatever their role.
SIGN_OFF = {role: (302 if role == "anonymous" else 405, post) for role, (_, post) in WRITE.items()}
SIGN_OFF |= {"lead_member": (405, 302), "admin": (405, 403), "platform_admin": (405, 403)}


def _self_evaluation_post(ctx):
    evaluation = ctx["self_evaluation"]
    return {
        "what_we_know": "Changed by the matrix",
        "how_we_know": evaluation.how_we_know,
        "plans": evaluation.plans,
        "director": evaluation.director_id,
        "lead_member": evaluation.lead_member_id,
    }


def _self_evaluation_grades_post(ctx):
    areas = ctx["self_evaluation"].framework.areas.all()
    grades = {f"grade_{area.key}": "good" for area in areas}
    return grades | {f"rationale_{area.key}": "Audits agree" for area in areas}


def _plan_action_post(ctx):
    return {"title": "Posted by the matrix", "owner_name": "Someone"} | date_fields(
        "due_on", ("31", "3", "2025")
    )


def _engagement_meeting_post(ctx):
    return {
        **date_fields("held_on", ("14", "5", "2024")),
        "attendees": "Regional director",
        "topics": "Practice",
        **date_fields("letter_on", None),
        "letter_summary": "",
        "letter_url": "",
        "focus": "",
    }


def _measure_post(ctx, **overrides):
    return {
        "name": "Measure posted by the matrix",
        "definition": "Counted by the matrix",
        "unit": "count",
        "polarity": "lower",
        "frequency": "quarterly",
    } | overrides


def _measure_values_post(ctx):
    measure = ctx["measure"]
    end = recent_period_ends("quarterly", timezone.localdate(), 1)[0]
    return {
        "frequency": "quarterly",
        "period": end.isoformat(),
        f"value_{measure.pk}": "12.5",
        f"note_{measure.pk}": "Posted by the matrix",
        f"shown_{measure.pk}": "",
    }


def _measure_upload_post(ctx):
    content = f"measure,period_end,value\n{ctx['measure'].name},2024-03-31,20\n"
    return {"file": SimpleUploadedFile("values.csv", content.encode(), "text/csv")}


TABLE = {
    "home": Row(
        {
            "anonymous": (302, 302),
            "officer": (200, 405),
            "lead_member": (200, 405),
            "scrutiny": (200, 405),
            "admin": (200, 405),
            "platform_admin": (200, 405),
            "outsider": (200, 405),
        }
    ),
    "login": Row(
        {
            "anonymous": (200, 200),
            # Signed-in people are sent on to their councils, whatever they post.
            **{role: (302, 302) for role in ROLES if role != "anonymous"},
        },
        post=lambda ctx: {"username": "nobody", "password": "wrong"},
    ),
    "logout": Row(dict.fromkeys(ROLES, (405, 302))),
    "health": Row(dict.fromkeys(ROLES, (200, 405))),
    "council_detail": Row(READ),
    "inspection_detail": Row(READ),
    "inspection_create": Row(WRITE, post=lambda ctx: inspection_post()),
    "visit_create": Row(WRITE, post=lambda ctx: visit_post(ctx["kwargs"]["pk"])),
    "inspection_edit": Row(WRITE, post=lambda ctx: inspection_post(lead_inspector="Changed")),
    "inspection_judgements": Row(
        WRITE, post=lambda ctx: SPLIT_GRADES | {"care_leavers": "good", "children_in_care": "good"}
    ),
    "inspection_recommendations": Row(WRITE, post=_recommendations_post),
    # Import from the Ofsted report (issue 5): the upload answers the preview page, not a redirect;
    # the confirmation updates the world's inspection, which started on the report's first day.
    "inspection_import": Row(
        WRITE | dict.fromkeys(("officer", "admin", "platform_admin"), (200, 200)),
        post=lambda ctx: {"report": pdf_upload("isles-of-scilly-2023-08-25.pdf")},
    ),
    "inspection_import_confirm": Row(
        POST_ONLY, post=lambda ctx: confirm_post(update=ctx["kwargs"]["pk"])
    ),
    # Improvement actions (issue 4). Scrutiny reads the action plan and the actions, since the
    # plan is what the committee scrutinises; only officers and admins change them.
    "action_plan": Row(READ),
    "action_list": Row(READ),
    "action_export_csv": Row(READ),
    "action_export_xlsx": Row(READ),
    "action_detail": Row(READ),
    "action_create": Row(WRITE, post=_action_create_post),
    "action_edit": Row(WRITE, post=_action_edit_post),
    "action_close": Row(WRITE, post=_action_close_post),
    "action_progress": Row(WRITE, post=_action_progress_post),
    # The htmx fragments of the action page and the actions list: the progress section once its
    # form is posted, and an action's row with or without the progress form. Anyone who reads
    # the list may have a row drawn again (Cancel); only those who write may open or post the form.
    "action_detail_progress": Row(POST_ONLY, post=_action_progress_post, htmx=POST_ONLY_FRAGMENT),
    "action_list_row": Row(READ_FRAGMENT_PAGE, htmx=READ),
    "action_list_row_progress": Row(
        WRITE_FRAGMENT_PAGE, post=_action_progress_post, htmx=WRITE_FRAGMENT
    ),
    "action_bulk_assign": Row(POST_ONLY, post=_action_bulk_post),
    # The inspection cycle: carrying an old plan's actions into the new one (nothing waits in
    # this world, so a post is sent back to the inspection), and withdrawing one in error.
    "carry_over": Row(WRITE, post=lambda ctx: {}),
    "inspection_withdraw": Row(WRITE, post=lambda ctx: {"reason": "Recorded twice (matrix)"}),
    # Dashboards and scrutiny packs: every role of the council reads them.
    "dashboard": Row(READ),
    # The overview of every council is for platform admins. It is no council's object, so
    # refusing it with 403 leaks nothing; a read view, it refuses POST before checking (405).
    "overview": Row(
        {
            "anonymous": (302, 302),
            **{role: (403, 405) for role in ROLES if role not in {"anonymous", "platform_admin"}},
            "platform_admin": (200, 405),
        }
    ),
    "pack_page": Row(READ),
    # The pack's cover: set on the pack's page by officers and admins, read there by everyone.
    "pack_cover": Row(
        POST_ONLY,
        post=lambda ctx: {
            "committee": "Children and Young People's Scrutiny Committee",
            **date_fields("meeting_date", date(2027, 1, 14)),
            "agenda_item": "Item 6",
            "author": "Jane Smith, Head of Improvement",
            "recommendation": "That the committee notes the progress made.",
        },
    ),
    "pack_download": Row(READ),
    # Any role of the council may have a large pack built: it reads their data, changes none.
    # The job's own pages are the council's, like the pack; another council's job answers 404.
    "pack_job_create": Row(
        PACK_JOB, post=lambda ctx: {"since": "2024-01-01"}, htmx=PACK_JOB_FRAGMENT
    ),
    "pack_job_status": Row(READ),
    "pack_job_download": Row(READ),
    "milestone_record": Row(WRITE, post=_milestone_record_post),
    "milestone_add": Row(
        WRITE,
        post=lambda ctx: {
            "key": "monitoring_visit",
            "due_on_0": "20",
            "due_on_1": "2",
            "due_on_2": "2024",
        },
    ),
    "milestone_remove": Row(WRITE, post=lambda ctx: {}),
    "deadline_settings": Row(
        WRITE,
        post=lambda ctx: {"monitoring": "yes", "monitoring_reason_yes": "Ofsted's letter says so"},
    ),
    # Bank holidays are the same for every council: anyone signed in may read them.
    "bank_holidays": Row(dict(READ, outsider=(200, 405))),
    # National outcomes: what Ofsted published, for anyone signed in; any council's inspection
    # history, since it holds nothing the council recorded itself.
    "national_outcomes": Row(dict(READ, outsider=(200, 405))),
    "national_outcomes_csv": Row(dict(READ, outsider=(200, 405))),
    "national_council": Row(dict(READ, outsider=(200, 405))),
    # Evidence files (issue 15): added by officers, opened by everyone at the council.
    "evidence_create": Row(
        WRITE, post=lambda ctx: {"file": SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit")}
    ),
    "evidence_download": Row(READ),
    "evidence_remove": Row(WRITE, post=lambda ctx: {"reason": "The wrong file was added"}),
    # The council's people (issue 15): its admins and the platform's manage them.
    "people": Row(ADMIN_ONLY | {r: (s[0], 405) for r, s in ADMIN_ONLY.items() if r != "anonymous"}),
    "person_invite": Row(
        ADMIN_ONLY, post=lambda ctx: {"email": "new.person@example.org", "role": "officer"}
    ),
    "person_change": Row(ADMIN_ONLY, post=lambda ctx: {"role": "scrutiny"}),
    "invitation_withdraw": Row(
        {
            role: (302 if role == "anonymous" else 405, post)
            for role, (_, post) in ADMIN_ONLY.items()
        }
    ),
    # Anyone with the link may open an invitation; an empty form changes nothing, and a signed-in
    # person whose email is not the invitation's is told so.
    "invitation_accept": Row(dict.fromkeys(ROLES, (200, 200))),
    # Password reset by email: open to all; the request page answers the same whoever asks.
    "password_reset": Row(
        dict.fromkeys(ROLES, (200, 302)), post=lambda ctx: {"email": "nobody@example.org"}
    ),
    "password_reset_done": Row(dict.fromkeys(ROLES, (200, 405))),
    "password_reset_confirm": Row(dict.fromkeys(ROLES, (200, 200))),
    "password_reset_complete": Row(dict.fromkeys(ROLES, (200, 405))),
    # Each person's own email settings: anyone signed in, whatever their councils.
    "reminder_settings": Row(
        dict.fromkeys(ROLES, (200, 302)) | {"anonymous": (302, 302)},
        post=lambda ctx: {"digest_day": "off"},
    ),
    # DfE intervention and governance (issue 18): read by all the council, recorded by officers.
    "governance": Row(READ),
    "governance_calendar": Row(READ),
    "governance_calendar_ics": Row(READ),
    "intervention_detail": Row(READ),
    "intervention_document": Row(READ),
    "intervention_create": Row(WRITE, post=_intervention_post),
    "intervention_edit": Row(
        WRITE,
        post=lambda ctx: (
            _intervention_post(ctx, kind="adviser", **date_fields("started_on", date(2023, 9, 1)))
            | date_fields("ended_on", None)
        ),
    ),
    "review_create": Row(
        WRITE,
        post=lambda ctx: {
            **date_fields("held_on", date(2024, 3, 14)),
            "findings": "Progress",
            "outcome": "continues",
        },
    ),
    "board_edit": Row(
        WRITE, post=lambda ctx: {"name": "Improvement board", "chair": "An independent chair"}
    ),
    "meeting_detail": Row(READ),
    "meeting_create": Row(WRITE, post=_meeting_post),
    "meeting_edit": Row(WRITE, post=_meeting_post),
    "decision_create": Row(WRITE, post=lambda ctx: {"text": "Noted", "needs_action": "no"}),
    "meeting_pack": Row(READ),
    "meeting_pack_pdf": Row(READ),
    # Readiness between inspections (issue 16). The world's 2024 self-evaluation names the
    # officer as director of children's services and the lead member as lead member: only they
    # may sign it off, the lead member though the role only reads.
    "readiness": Row(READ),
    "self_knowledge": Row(READ),
    "self_evaluation_create": Row(WRITE, post=lambda ctx: {"year": "2025", "copy_from": ""}),
    "self_evaluation_detail": Row(READ),
    "self_evaluation_download": Row(READ),
    "self_evaluation_edit": Row(WRITE, post=_self_evaluation_post),
    "self_evaluation_grades": Row(WRITE, post=_self_evaluation_grades_post),
    "self_evaluation_evidence": Row(
        WRITE, post=lambda ctx: {"title": "Audit", "url": "https://example.org/audit.pdf"}
    ),
    "self_evaluation_evidence_file": Row(READ),
    "self_evaluation_evidence_remove": Row(WRITE, post=lambda ctx: {}),
    "self_evaluation_action_add": Row(WRITE, post=_plan_action_post),
    "self_evaluation_sign_off": Row(SIGN_OFF, post=lambda ctx: {}),
    "engagement_meeting_create": Row(WRITE, post=_engagement_meeting_post),
    "engagement_meeting_detail": Row(READ),
    "engagement_meeting_edit": Row(
        WRITE,
        post=lambda ctx: (
            _engagement_meeting_post(ctx)
            | {"topics": "Changed by the matrix", "version": ctx["meeting"].version}
        ),
    ),
    "engagement_meeting_letter": Row(READ),
    "engagement_meeting_action_add": Row(WRITE, post=_plan_action_post),
    "plan_action_progress": Row(
        # The world's plan action is past its due date, so it is rated Red.
        WRITE,
        post=lambda ctx: {
            "status": "in_progress",
            "rag": "red",
            "progress": "Matrix",
            "version": ctx["plan_action"].version,
        },
    ),
    "plan_action_edit": Row(
        WRITE,
        post=lambda ctx: (
            {
                "title": "Changed by the matrix",
                "owner_name": "Someone",
                "version": ctx["plan_action"].version,
            }
            | date_fields("due_on", ("31", "3", "2025"))
        ),
    ),
    "plan_action_remove": Row(
        WRITE,
        post=lambda ctx: {"reason": "Added twice", "version": ctx["plan_action"].version},
    ),
    # Impact measures (measures_world): everyone at the council reads the measures.
    "measure_list": Row(READ),
    "measure_detail": Row(READ),
    # Published comparators: everyone at the council reads the page; officers and admins map an
    # indicator to a measure (the read-only roles' POST is refused, 403).
    "measure_comparators": Row(
        WRITE | {"lead_member": (200, 403), "scrutiny": (200, 403)},
        post=lambda ctx: {
            "action": "map",
            "indicator": ctx["measures"]["indicator"].pk,
            "measure": ctx["measures"]["measure"].pk,
        },
    ),
    # Impact measures: read by all the council, recorded by officers and admins.
    "measure_create": Row(WRITE, post=_measure_post),
    "measure_edit": Row(
        WRITE,
        post=lambda ctx: _measure_post(
            ctx,
            name=ctx["measure"].name,
            unit="percentage",
            updated_at=ctx["measure"].updated_at.isoformat(),
        ),
    ),
    "measure_values": Row(WRITE, post=_measure_values_post),
    "measure_remove": Row(WRITE, post=lambda ctx: {"reason": "Added by mistake"}),
    "measure_values_upload": Row(WRITE, post=_measure_upload_post),
}

# Django's admin has its own permission system, tested in test_admin.py.
EXCLUDED_NAMESPACES = {"admin"}


def url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def authorization_world(*, scilly, users: dict) -> dict:
    """Rows for every URL of the table: an inspection with grades, milestones and an agreed
    visit, a recommendation, an action (on another inspection) and a finished pack job.
    users maps each of ROLES to a person (None for anonymous)."""
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    recommendation = RecommendationFactory(inspection=inspection)
    # The action hangs off another inspection, so that replacing the first one's
    # recommendations (inspection_recommendations) is not refused for having actions.
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=scilly))
    )
    milestones_recompute(inspection_id=inspection.pk)
    agreed = milestone_add_agreed(
        inspection=inspection, key="monitoring_visit", due_on=date(2024, 6, 12)
    )
    # A finished scrutiny pack, so that its download answers 200 to the council's people.
    pack_job = PackJob.objects.create(
        council=scilly,
        requested_by=users["scrutiny"],
        status=PackJob.Status.DONE,
        pdf=b"%PDF-1.7 matrix",
    )
    # A DfE improvement adviser in force after the inspection, and an improvement board meeting.
    intervention = intervention_save(
        intervention=Intervention(
            council=scilly, cycle=inspection, kind="adviser", started_on=date(2023, 9, 1)
        ),
        user=None,
    )
    intervention.document.save("letter.pdf", ContentFile(b"%PDF-1.7 the DfE's letter"))
    evidence = Evidence(
        action=action,
        name="audit.pdf",
        kind="PDF",
        content_type="application/pdf",
        size=20,
        uploaded_by=users["officer"],
    )
    evidence.file.save("audit.pdf", ContentFile(b"%PDF-1.7 the audit"), save=False)
    evidence.save()
    meeting = meeting_save(
        meeting=Meeting(council=scilly, kind="board", held_on=date(2024, 1, 18)), user=None
    )
    # An invitation whose link the table opens, and the lead member's membership to change.
    invitation = Invitation.objects.create(
        council=scilly,
        email="invited@example.org",
        role="officer",
        token_hash=token_hash("matrix-invitation"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    membership = Membership.objects.get(user=users["lead_member"], council=scilly)
    readiness = readiness_world(scilly, director=users["officer"], lead_member=users["lead_member"])
    # The self-evaluation's evidence file and Ofsted's letter, which the council's people open.
    link = EvidenceLink(
        self_evaluation=readiness["self_evaluation"],
        title="Case audit",
        file_name="audit.pdf",
        content_type="application/pdf",
        size=20,
    )
    link.file.save("audit.pdf", ContentFile(b"%PDF-1.7 the audit"), save=False)
    link.save()
    letter = readiness["meeting"]
    letter.letter_file_name, letter.letter_content_type = "letter.pdf", "application/pdf"
    letter.letter_file.save("letter.pdf", ContentFile(b"%PDF-1.7 Ofsted's letter"))
    measure = measure_create(
        measure=Measure(
            council=scilly,
            name="Re-referrals within 12 months",
            definition="Referrals within 12 months of a previous referral, of all referrals.",
            unit="percentage",
            polarity="lower",
            frequency="quarterly",
        ),
        user=None,
        recommendations=[recommendation],
    )
    measures = measures_world(measure)
    return {
        "measure": measure,
        "measures": measures,
        "recommendation": recommendation,
        "action": action,
        "users": users,
        "self_evaluation": readiness["self_evaluation"],
        "plan_action": readiness["plan_action"],
        "meeting": readiness["meeting"],
        "kwargs": {
            "slug": scilly.slug,
            "pk": inspection.pk,
            "action_pk": action.pk,
            "job_pk": pack_job.pk,
            "milestone_pk": agreed.pk,
            "intervention_pk": intervention.pk,
            "meeting_pk": meeting.pk,
            "evidence_pk": evidence.pk,
            "membership_pk": membership.pk,
            "invitation_pk": invitation.pk,
            "year": readiness["self_evaluation"].year,
            "engagement_pk": readiness["meeting"].pk,
            "plan_action_pk": readiness["plan_action"].pk,
            "link_pk": link.pk,
            "measure_pk": measure.pk,
        },
    }


def measures_world(measure) -> dict:
    """The impact measure, with no published indicator yet, and an indicator to map to it."""
    indicator = Indicator.objects.create(
        column="re_referrals_within_12_months_pct",
        label="Re-referrals within 12 months (%)",
        source="matrix.csv",
    )
    return {"measure": measure, "indicator": indicator}


def readiness_world(council, *, director, lead_member, year=2024) -> dict:
    """A draft self-evaluation ready to sign, naming these two, with a plan action; and an
    engagement meeting with a follow-up action."""
    evaluation = self_evaluation_start(council=council, year=year)
    self_evaluation_update(
        self_evaluation=evaluation,
        what_we_know="Practice is improving; strategy discussions are not yet consistent.",
        how_we_know="Monthly case audits and practice observations.",
        plans="Audit every strategy discussion for six months.",
        director=director,
        lead_member=lead_member,
    )
    grades = {
        area.key: ("requires_improvement", "Audits show inconsistency.")
        for area in evaluation.framework.areas.all()
    }
    self_evaluation_set_grades(self_evaluation=evaluation, grades=grades)
    plan_action = plan_action_add(
        council=council,
        self_evaluation=evaluation,
        title="Audit strategy discussions",
        owner_name="Head of service",
        due_on=date(2025, 3, 31),
    )
    meeting = engagement_meeting_save(
        meeting=EngagementMeeting(
            council=council,
            held_on=date(2024, 5, 14),
            attendees="Regional director\nDirector of children's services",
            topics="Strategy discussions",
        )
    )
    evaluation.refresh_from_db()
    return {"self_evaluation": evaluation, "plan_action": plan_action, "meeting": meeting}


def url_for(name, kwargs):
    candidates = (
        {"slug": kwargs["slug"], "pk": kwargs["pk"]},
        {"slug": kwargs["slug"], "action_pk": kwargs["action_pk"]},
        {"slug": kwargs["slug"], "job_pk": kwargs["job_pk"]},
        {"slug": kwargs["slug"], "pk": kwargs["pk"], "milestone_pk": kwargs["milestone_pk"]},
        {"slug": kwargs["slug"], "intervention_pk": kwargs["intervention_pk"]},
        {"slug": kwargs["slug"], "membership_pk": kwargs["membership_pk"]},
        {"slug": kwargs["slug"], "invitation_pk": kwargs["invitation_pk"]},
        {"token": "matrix-invitation"},
        {"uidb64": "MQ", "token": "set-password"},
        {
            "slug": kwargs["slug"],
            "action_pk": kwargs["action_pk"],
            "evidence_pk": kwargs["evidence_pk"],
        },
        {"slug": kwargs["slug"], "meeting_pk": kwargs["meeting_pk"]},
        {"slug": kwargs["slug"], "year": kwargs["year"], "link_pk": kwargs["link_pk"]},
        {"slug": kwargs["slug"], "year": kwargs["year"]},
        {"slug": kwargs["slug"], "engagement_pk": kwargs["engagement_pk"]},
        {"slug": kwargs["slug"], "plan_action_pk": kwargs["plan_action_pk"]},
        {"slug": kwargs["slug"], "measure_pk": kwargs["measure_pk"]},
        {"slug": kwargs["slug"]},
        {},
    )
    for candidate in candidates:
        try:
            return reverse(name, kwargs=candidate)
        except Exception:  # noqa: S112 - try the next set of arguments
            continue
    raise AssertionError(f"cannot reverse {name}")


def snapshot():
    """Every row of the domain's tables, so that any change shows."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "councils",
            "inspections",
            "outcomes",
            "actions",
            "reports",
            "readiness",
            "governance",
            "measures",
        }
    ]
    return {m._meta.label: sorted(map(str, m.objects.values_list())) for m in models}


# Uploads as the evidence checks see them: the smallest files each reader recognises.
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def docx() -> bytes:
    """The smallest zip a reader of Office files recognises as a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
