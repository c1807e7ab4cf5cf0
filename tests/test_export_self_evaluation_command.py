"""python manage.py export_self_evaluation <council-slug> --year YYYY --out FILE."""

import io
import os
import re
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from readiness import services
from readiness.documents import self_evaluation_pdf

from .helpers import readiness_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(scilly, alice, bob):
    evaluation = readiness_world(scilly, director=alice, lead_member=bob)["self_evaluation"]
    grades = {
        "leaders": ("good", "Leaders know their services well."),
        "help_and_protection": ("requires_improvement", "Strategy discussions vary."),
        "children_in_care": ("outstanding", "Stable homes <script>alert(1)</script>"),
        "care_leavers": ("inadequate", "Too few in suitable homes."),
        "overall_effectiveness": ("requires_improvement", "On balance."),
    }
    services.self_evaluation_set_grades(self_evaluation=evaluation, grades=grades)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=bob)
    evaluation.refresh_from_db()
    return evaluation


def export(*args):
    out = io.StringIO()
    call_command("export_self_evaluation", *args, stdout=out)
    return out.getvalue()


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_it_writes_the_three_answers_and_every_self_assessed_grade(evaluation, tmp_path):
    out = tmp_path / "sef.pdf"
    message = export("isles-of-scilly", "--year", "2024", "--out", str(out))
    assert f"Wrote the 2024 self-evaluation of Isles of Scilly to {out}" in message
    text = " ".join(pdf_text(out).split())
    for _field, question, answer in evaluation.answers():
        assert question in text
        assert answer in text
    for row in [
        "The impact of leaders on social work practice with children and families Good",
        "The experiences and progress of children who need help and protection Requires "
        "improvement to be good",
        "The experiences and progress of children in care Outstanding",
        "The experiences and progress of care leavers Inadequate",
        "Overall effectiveness Requires improvement to be good",
    ]:
        assert row in text
    assert "Stable homes <script>alert(1)</script>" in text
    assert "Audit strategy discussions" in text
    assert "Signed off on" in text


def test_the_pdf_is_tagged_with_a_title_and_language(evaluation, tmp_path):
    out = tmp_path / "sef.pdf"
    export("isles-of-scilly", "--year", "2024", "--out", str(out))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Tagged:\s+yes", info)
    assert "Isles of Scilly: self-evaluation of social work practice, 2024" in info


def test_it_refuses_an_unknown_council(evaluation, tmp_path):
    with pytest.raises(CommandError, match="No council with the slug 'nowhere'"):
        export("nowhere", "--year", "2024", "--out", str(tmp_path / "x.pdf"))


def test_it_refuses_a_year_with_no_self_evaluation_and_names_those_there_are(evaluation, tmp_path):
    with pytest.raises(
        CommandError, match=r"Isles of Scilly has no 2019 self-evaluation \(it has 2024\)"
    ):
        export("isles-of-scilly", "--year", "2019", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_it_refuses_a_path_it_cannot_write(evaluation, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        export("isles-of-scilly", "--year", "2024", "--out", str(tmp_path / "missing" / "x.pdf"))


def test_it_exits_non_zero_from_the_shell(tmp_path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    command = [sys.executable, "manage.py", "export_self_evaluation"]
    result = subprocess.run(
        [*command, "nowhere", "--year", "2024", "--out", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": url},
    )
    assert result.returncode == 1
    assert "No council with the slug 'nowhere'" in result.stderr


def test_a_long_action_title_wraps_in_its_column_and_the_others_stay(scilly, tmp_path):
    evaluation = services.self_evaluation_start(council=scilly, year=2024)
    long_title = "Audit every strategy discussion held with police and health " * 7
    services.plan_action_add(
        council=scilly,
        self_evaluation=evaluation,
        title=long_title.strip()[:200],
        owner_name="Head of service",
        due_on=date(2025, 3, 31),
    )
    path = tmp_path / "self-evaluation.pdf"
    path.write_bytes(self_evaluation_pdf(evaluation))
    text = " ".join(pdf_text(path).split())
    for column in ("Owner", "Due", "Status", "RAG", "Head of service", "31 Mar 2025"):
        assert column in text, column
