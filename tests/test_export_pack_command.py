"""python manage.py export_pack <council-slug> [--inspection ID] [--since YYYY-MM-DD] --out FILE."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(scilly):
    inspection = InspectionFactory(council=scilly)
    recommendation = RecommendationFactory(inspection=inspection, text="Improve supervision.")
    ActionFactory(recommendation=recommendation, title="Monthly supervision audit")
    return inspection


def export(*args):
    out = io.StringIO()
    call_command("export_pack", *args, stdout=out)
    return out.getvalue()


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_it_writes_the_pack_of_the_council(plan, tmp_path):
    out = tmp_path / "pack.pdf"
    message = export("isles-of-scilly", "--since", "2024-01-01", "--out", str(out))
    assert f"Wrote the scrutiny pack of Isles of Scilly to {out}" in message
    text = pdf_text(out)
    assert "Monthly supervision audit" in text
    assert "Improve supervision." in text
    assert "Direction of travel since 1 January 2024" in text


def test_it_writes_the_inspection_asked_for(plan, scilly, tmp_path):
    older = InspectionFactory(council=scilly, start_date="2019-10-01", end_date="2019-10-03")
    RecommendationFactory(inspection=older, text="An older recommendation.")
    out = tmp_path / "older.pdf"
    export("isles-of-scilly", "--inspection", str(older.pk), "--out", str(out))
    text = pdf_text(out)
    assert "An older recommendation." in text
    assert "Improve supervision." not in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere"], "No council with the slug 'nowhere'"),
        (
            ["isles-of-scilly", "--since", "2024-31-01"],
            "--since: The date to show changes since must be a real date as year-month-day",
        ),
        (
            ["isles-of-scilly", "--since", "soon"],
            "--since: The date to show changes since must be a real date as year-month-day",
        ),
        (["isles-of-scilly", "--inspection", "x"], "--inspection: 'x' is not an inspection of"),
    ],
)
def test_it_refuses_bad_arguments_and_writes_nothing(plan, tmp_path, args, message):
    out = tmp_path / "pack.pdf"
    with pytest.raises(CommandError, match=message):
        export(*args, "--out", str(out))
    assert not out.exists()


def test_it_refuses_an_inspection_of_another_council(plan, nottingham, tmp_path):
    theirs = InspectionFactory(council=nottingham)
    out = tmp_path / "pack.pdf"
    with pytest.raises(
        CommandError, match=f"'{theirs.pk}' is not an inspection of Isles of Scilly"
    ):
        export("isles-of-scilly", "--inspection", str(theirs.pk), "--out", str(out))
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any directory")
def test_it_refuses_a_directory_it_cannot_write_to(plan, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(CommandError, match="Cannot write"):
        export("isles-of-scilly", "--out", str(locked / "pack.pdf"))


def test_it_reports_a_file_it_fails_to_write(plan, tmp_path, monkeypatch):
    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.write_bytes", refuse)
    with pytest.raises(CommandError, match="Cannot write .*pack.pdf: Permission denied"):
        export("isles-of-scilly", "--out", str(tmp_path / "pack.pdf"))


@pytest.mark.parametrize("where", ["missing/pack.pdf", "."])
def test_it_refuses_a_path_that_is_not_a_file_in_an_existing_directory(plan, tmp_path, where):
    with pytest.raises(CommandError, match="Cannot write"):
        export("isles-of-scilly", "--out", str(tmp_path / where))


def test_it_exits_non_zero_from_the_shell(plan, tmp_path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "export_pack", "nowhere", "--out", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": url},
    )
    assert result.returncode == 1
    assert "No council with the slug 'nowhere'" in result.stderr
