"""`manage.py import_report`: read a report as JSON, or save it as a council's inspection."""

import io
import json
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Inspection, InspectionKind, Judgement, Recommendation

from .factories import InspectionFactory
from .helpers import (
    REPO,
    REPORTS,
    SAMPLES,
    SCILLY_2019_RECOMMENDATIONS,
    SCILLY_2023_RECOMMENDATIONS,
    SOUTH_TYNESIDE_RECOMMENDATIONS,
    TRAFFORD_RECOMMENDATIONS,
)

pytestmark = pytest.mark.django_db

SCILLY_2023 = REPORTS / "isles-of-scilly-2023-08-25.pdf"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_report", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal(*args) -> CommandError:
    with pytest.raises(CommandError) as refused:
        run(*args)
    return refused.value


def dry_run_json(name: str) -> dict:
    out, _ = run(REPORTS / name, "--dry-run", "--json")
    return json.loads(out)


def unreferenced(texts):
    return [{"text": text, "national_framework_reference": None} for text in texts]


def test_it_prints_the_isles_of_scilly_2023_report_as_json():
    assert dry_run_json("isles-of-scilly-2023-08-25.pdf") == {
        "local_authority": "Isles of Scilly",
        "fieldwork": [["2023-07-11", "2023-07-13"]],
        "lead_inspector": "Tracey Ledder",
        "framework": "ilacs-2023",
        "judgements": {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "children_in_care": "requires_improvement",
            "care_leavers": "requires_improvement",
            "overall_effectiveness": "inadequate",
        },
        "recommendations": [
            {
                "text": "The effectiveness with which information shared with the local authority "
                "about children in need, or children in need of protection, is recorded, "
                "assessed and responded to.",
                "national_framework_reference": None,
            },
            {
                "text": "The quality of social work practice to assess, support and protect "
                "children.",
                "national_framework_reference": None,
            },
            {
                "text": "The quality of strategy discussions and subsequent child protection "
                "enquiries.",
                "national_framework_reference": None,
            },
            {
                "text": "The effectiveness of multi-agency working, including child protection "
                "strategy discussions, in identifying risk and providing support and "
                "protection to children.",
                "national_framework_reference": None,
            },
            {
                "text": "Management and leadership oversight of the service at both a practice "
                "and a strategic level.",
                "national_framework_reference": None,
            },
            {
                "text": "The oversight of corporate parenting arrangements.",
                "national_framework_reference": None,
            },
            {
                "text": "The accuracy of children's records, including how well they capture "
                "children's wishes and feelings and record their histories in up-to-date "
                "chronologies, to allow full consideration of the child's journey.",
                "national_framework_reference": None,
            },
            {
                "text": "How consistently and effectively the services that children receive "
                "meet statutory requirements.",
                "national_framework_reference": None,
            },
        ],
    }


def test_it_prints_the_trafford_2026_report_as_json():
    assert dry_run_json("trafford-2026-08-03.pdf") == {
        "local_authority": "Trafford",
        "fieldwork": [["2026-06-08", "2026-06-19"]],
        "lead_inspector": "Leanne Cooper",
        "framework": "ilacs-2026",
        "judgements": {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "children_in_care": "good",
            "care_leavers": "requires_improvement",
        },
        "recommendations": [
            {
                "text": "Quality of contacts, timeliness and allocation response",
                "national_framework_reference": "outcome 2, national framework",
            },
            {
                "text": "Timeliness and response to children at risk of significant harm",
                "national_framework_reference": "outcome 2, national framework",
            },
            {
                "text": "Quality and impact of safety planning",
                "national_framework_reference": "outcome 2, national framework",
            },
            {
                "text": "Response to 16- and 17-year-old homeless children",
                "national_framework_reference": "outcome 2, national framework",
            },
            {
                "text": "Quality, consistency and impact of management oversight",
                "national_framework_reference": "enabler: leaders drive conditions for "
                "effective practice, national framework",
            },
            {
                "text": "Leaders' understanding of the effectiveness and impact of practice",
                "national_framework_reference": "enabler: leaders drive conditions for "
                "effective practice, national framework",
            },
            {
                "text": "The identification and response to young carers",
                "national_framework_reference": "outcome 1, national framework",
            },
            {
                "text": "Timeliness and recording of children's health assessments",
                "national_framework_reference": "outcome 4, national framework",
            },
            {
                "text": "Quality of transitions and pathway planning for children leaving care",
                "national_framework_reference": "outcome 4, national framework",
            },
        ],
    }


def test_it_prints_the_isles_of_scilly_2019_report_as_json():
    assert dry_run_json("isles-of-scilly-2019-12-19.pdf") == {
        "local_authority": "Isles of Scilly",
        "fieldwork": [["2019-10-14", "2019-10-18"]],
        "lead_inspector": "Joy Howick",
        "framework": "ilacs-2018",
        "judgements": {
            "leaders": "outstanding",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
        "recommendations": unreferenced(SCILLY_2019_RECOMMENDATIONS),
    }


def test_it_prints_south_tynesides_split_fieldwork_as_two_blocks():
    assert dry_run_json("south-tyneside-2023-05-10.pdf") == {
        "local_authority": "South Tyneside",
        "fieldwork": [["2022-12-05", "2022-12-09"], ["2023-02-14", "2023-02-15"]],
        "lead_inspector": "Rebecca Quested",
        # The framework follows the first day of fieldwork, December 2022.
        "framework": "ilacs-2018",
        "judgements": {
            "leaders": "inadequate",
            "help_and_protection": "requires_improvement",
            "children_in_care_and_care_leavers": "inadequate",
            "overall_effectiveness": "inadequate",
        },
        "recommendations": unreferenced(SOUTH_TYNESIDE_RECOMMENDATIONS),
    }


def test_it_prints_thurrocks_empty_list_of_recommendations():
    assert dry_run_json("thurrock-2024-10-29.pdf") == {
        "local_authority": "Thurrock",
        "fieldwork": [["2024-09-16", "2024-09-20"]],
        "lead_inspector": "Rachel Griffiths",
        "framework": "ilacs-2023",
        "judgements": {
            "leaders": "outstanding",
            "help_and_protection": "outstanding",
            "children_in_care": "outstanding",
            "care_leavers": "outstanding",
            "overall_effectiveness": "outstanding",
        },
        "recommendations": [],
    }


def test_a_dry_run_saves_nothing_even_with_a_council(scilly):
    out, _ = run(SCILLY_2023, "--dry-run", "--council", "isles-of-scilly")
    assert "Local authority: Isles of Scilly" in out
    assert "Fieldwork: 11 to 13 July 2023" in out
    assert "Framework: ilacs-2023" in out
    assert "8. How consistently and effectively" in out
    assert not Inspection.objects.exists()


def test_a_dry_run_prints_national_framework_references():
    out, _ = run(REPORTS / "trafford-2026-08-03.pdf", "--dry-run")
    assert "1. Quality of contacts, timeliness and allocation response (outcome 2, national" in out


# --- Saving ---------------------------------------------------------------------------------------


def test_it_saves_the_inspection_with_its_grades_and_recommendations(scilly):
    out, _ = run(SCILLY_2023, "--council", "isles-of-scilly", "--published", "2023-08-25")
    inspection = Inspection.objects.get()
    assert out.startswith("Created Standard ILACS inspection, 11 to 13 July 2023 for Isles of")
    assert "5 grades, 8 recommendations" in out
    assert inspection.council == scilly
    assert inspection.kind == InspectionKind.STANDARD_ILACS
    assert inspection.published_on == date(2023, 8, 25)
    assert inspection.lead_inspector == "Tracey Ledder"
    assert inspection.framework.code == "ilacs-2023"
    assert dict(inspection.judgements.values_list("area__key", "grade")) == {
        "leaders": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": "requires_improvement",
        "care_leavers": "requires_improvement",
        "overall_effectiveness": "inadequate",
    }
    assert list(inspection.recommendations.values_list("text", flat=True)) == (
        SCILLY_2023_RECOMMENDATIONS
    )


def test_it_counts_a_single_recommendation_in_the_singular(scilly):
    out, _ = run(REPORTS / "blackpool-2026-07-28.pdf", "--council", "isles-of-scilly")
    assert out.endswith("4 grades, 1 recommendation\n"), out


def test_it_saves_split_fieldwork_and_a_short_inspection(scilly):
    run(
        REPORTS / "south-tyneside-2023-05-10.pdf",
        "--council",
        "isles-of-scilly",
        "--kind",
        "short_ilacs",
    )
    inspection = Inspection.objects.get()
    assert inspection.kind == InspectionKind.SHORT_ILACS
    assert (inspection.second_start_date, inspection.second_end_date) == (
        date(2023, 2, 14),
        date(2023, 2, 15),
    )
    assert inspection.published_on is None


def test_it_saves_national_framework_references(scilly):
    run(REPORTS / "trafford-2026-08-03.pdf", "--council", "isles-of-scilly")
    assert [
        (r.text, r.national_framework_reference) for r in Recommendation.objects.all()
    ] == TRAFFORD_RECOMMENDATIONS
    assert Judgement.objects.count() == 4


def test_with_json_it_saves_and_keeps_stdout_for_the_json(scilly):
    out, err = run(SCILLY_2023, "--council", "isles-of-scilly", "--json")
    assert json.loads(out)["lead_inspector"] == "Tracey Ledder"
    assert err.startswith("Created Standard ILACS inspection")
    assert Inspection.objects.count() == 1


def test_the_same_report_twice_is_refused_unless_asked_to_update(scilly):
    run(SCILLY_2023, "--council", "isles-of-scilly", "--published", "2023-08-25")
    inspection = Inspection.objects.get()
    ids = list(inspection.recommendations.values_list("pk", flat=True))
    inspection.lead_inspector = "Changed by hand"
    inspection.save()

    error = refusal(SCILLY_2023, "--council", "isles-of-scilly")
    assert error.returncode == 2
    assert "Isles of Scilly already has this inspection" in str(error)
    assert "--update" in str(error)
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Changed by hand"

    out, _ = run(SCILLY_2023, "--council", "isles-of-scilly", "--update")
    assert out.startswith("Updated ")
    inspection.refresh_from_db()
    assert Inspection.objects.count() == 1
    assert inspection.lead_inspector == "Tracey Ledder"
    # Not given again, the publication date recorded is kept.
    assert inspection.published_on == date(2023, 8, 25)
    assert list(inspection.recommendations.values_list("pk", flat=True)) == ids


def test_an_inspection_recorded_by_hand_is_found_whatever_its_ilacs_kind(scilly):
    InspectionFactory(council=scilly, kind=InspectionKind.SHORT_ILACS)
    assert "already has this inspection" in str(
        refusal(SCILLY_2023, "--council", "isles-of-scilly")
    )


def test_an_invalid_save_is_refused_and_leaves_nothing(scilly):
    error = refusal(SCILLY_2023, "--council", "isles-of-scilly", "--published", "2023-07-01")
    assert error.returncode == 2
    assert "The publication date must be after fieldwork ends" in str(error)
    assert not Inspection.objects.exists()


# --- Refusals -------------------------------------------------------------------------------------


def test_an_unknown_council_is_refused(db):
    error = refusal(SCILLY_2023, "--council", "atlantis")
    assert error.returncode == 2
    assert "No council has the slug 'atlantis'" in str(error)
    assert not Inspection.objects.exists()


def test_saving_needs_a_council(db):
    error = refusal(SCILLY_2023)
    assert error.returncode == 2
    assert "Give --council SLUG" in str(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"Minutes of the scrutiny committee\n", "This file is not a PDF."),
        ((SAMPLES / "newsletter.pdf").read_bytes(), "This PDF is not an Ofsted inspection report"),
        ((SAMPLES / "sif_report.pdf").read_bytes(), "single inspection framework (SIF)"),
    ],
    ids=["empty", "text", "not ofsted", "sif"],
)
def test_a_refused_file_exits_2_with_the_reason(tmp_path, scilly, content, message):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    error = refusal(path, "--council", "isles-of-scilly")
    assert error.returncode == 2
    assert message in str(error)
    assert not Inspection.objects.exists()


def test_a_50_mb_file_is_refused_by_its_size_unread(tmp_path, monkeypatch, db):
    def must_not_parse(data):
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr("inspections.importing.parse_report", must_not_parse)
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.write(b"%PDF-1.4\n")
        file.truncate(50 * 1024 * 1024)
    error = refusal(path, "--dry-run", "--json")
    assert error.returncode == 2
    assert "The file is larger than the 20 MB limit." in str(error)


def test_a_missing_file_is_refused(tmp_path, db):
    error = refusal(tmp_path / "nowhere.pdf", "--dry-run")
    assert error.returncode == 2
    assert "No such file or directory" in str(error)


def manage(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(REPO / "manage.py"), "import_report", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_from_the_shell_a_refused_file_exits_with_status_2(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Not a PDF at all")
    result = manage(path, "--dry-run", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "This file is not a PDF." in result.stderr


def test_from_the_shell_a_bad_publication_date_exits_with_status_2():
    result = manage(SCILLY_2023, "--council", "isles-of-scilly", "--published", "25/08/2023")
    assert result.returncode == 2
    assert "'25/08/2023' is not a date like 2023-08-25" in result.stderr
