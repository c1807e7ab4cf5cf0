"""Report PDFs are read in a child process with a time and a memory limit.

A small PDF can hold hundreds of thousands of drawing operators, or a stream that inflates to
tens of megabytes: it is refused with a clear message within seconds, from the upload page and
from `import_report`, nothing is saved, the web process's memory does not grow, and real reports
still import.
"""

import os
import pickle
import resource
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.utils.html import escape

from inspections import sandbox
from inspections.models import Inspection
from inspections.report_parser import TOO_COMPLEX, TOO_MUCH_MEMORY, TOO_SLOW, parse_report

from . import hostile
from .helpers import REPO, REPORTS, SCILLY_2023, pdf_upload

UPLOAD = "/councils/isles-of-scilly/inspections/import/"
# Seconds allowed past a limit for starting and stopping processes on a busy shared machine.
MARGIN = 3


def upload(client, data: bytes):
    started = time.monotonic()
    response = client.post(
        UPLOAD,
        {
            "report": pdf_upload("report.pdf", data),
            "published_on_0": "",
            "published_on_1": "",
            "published_on_2": "",
        },
    )
    return response, time.monotonic() - started


def assert_refused(response, message: str) -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_report">{escape(message)}</a>' in html
    assert "Check what was read" not in html


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- The child process --------------------------------------------------------------------------


def test_a_child_returns_its_result_and_raises_its_exception():
    assert sandbox.run_limited(hostile.echo, {"a": [1, 2]}, seconds=10, memory_mb=256) == {
        "a": [1, 2]
    }
    with pytest.raises(ValueError, match="not a report"):
        sandbox.run_limited(hostile.refuse, "not a report", seconds=10, memory_mb=256)


def test_a_child_that_runs_on_is_stopped_at_the_time_limit():
    started = time.monotonic()
    with pytest.raises(sandbox.OutOfTime):
        sandbox.run_limited(hostile.spin, seconds=1, memory_mb=256)
    assert time.monotonic() - started < 1 + MARGIN


def test_a_child_that_asks_for_too_much_memory_is_stopped():
    before = peak_rss_mb()
    with pytest.raises(sandbox.OutOfMemory):
        sandbox.run_limited(hostile.hog, 2048, seconds=10, memory_mb=256)
    assert peak_rss_mb() - before < 100  # the 2 GB were refused to the child, not taken here


def test_a_child_that_crashes_is_reported_as_dead():
    with pytest.raises(sandbox.ChildDied):
        sandbox.run_limited(hostile.crash, seconds=10, memory_mb=256)


def test_a_report_read_in_the_child_is_the_report_read_here():
    data = (REPORTS / SCILLY_2023).read_bytes()
    here = parse_report(data)
    assert pickle.loads(pickle.dumps(here)) == here  # noqa: S301 - our own bytes
    assert sandbox.run_limited(parse_report, data, seconds=10, memory_mb=512) == here


# --- The upload page ----------------------------------------------------------------------------


@pytest.fixture
def officer(client, alice):
    client.force_login(alice)
    return client


def test_a_page_of_190000_text_operators_is_refused_in_seconds(officer, settings):
    # The review's file: 190,000 "(x) Tj" in one page's compressed content, a few KB in all.
    # pypdf's operator bound stops it after about a second here, well before the time limit.
    response, seconds = upload(officer, hostile.operator_flood(190_000))
    assert_refused(response, TOO_COMPLEX)
    assert seconds < settings.REPORT_PARSE_SECONDS + MARGIN
    assert not Inspection.objects.exists()


def test_a_pdf_that_takes_too_long_to_read_is_refused_at_the_time_limit(officer, settings):
    # Sixty pages, each within pypdf's own bounds, that take a minute to read in all.
    settings.REPORT_PARSE_SECONDS = 2
    response, seconds = upload(officer, hostile.operator_flood_pages(60, 40_000))
    assert_refused(response, TOO_SLOW)
    assert "downloaded from Ofsted&#x27;s website" in response.content.decode()
    assert seconds < 2 + MARGIN
    assert not Inspection.objects.exists()


def test_a_stream_that_inflates_to_70_mb_is_refused_without_growing_the_web_process(
    officer, settings
):
    data = hostile.inflated_stream(70)
    assert len(data) < 200 * 1024
    before = peak_rss_mb()
    response, seconds = upload(officer, data)
    assert_refused(response, TOO_COMPLEX)
    assert seconds < settings.REPORT_PARSE_SECONDS + MARGIN
    assert peak_rss_mb() - before < 20
    assert not Inspection.objects.exists()


def test_a_pdf_that_needs_too_much_memory_is_refused(officer, settings):
    # Only a few megabytes more than the child holds at its start: a real report reads in that,
    # but not a stream that inflates to 9 MB.
    baseline = sandbox.run_limited(hostile.address_space_mb, seconds=10, memory_mb=1024)
    settings.REPORT_PARSE_MEMORY_MB = baseline + 5
    response, _ = upload(officer, hostile.inflated_stream(9))
    assert_refused(response, TOO_MUCH_MEMORY)
    assert not Inspection.objects.exists()


def test_a_real_report_is_still_read_and_imported(officer, scilly, frameworks):
    response, seconds = upload(officer, (REPORTS / SCILLY_2023).read_bytes())
    html = response.content.decode()
    assert "Check what was read" in html
    assert "Tracey Ledder" in html
    call_command("import_report", str(REPORTS / SCILLY_2023), "--council", "isles-of-scilly")
    inspection = Inspection.objects.get(council=scilly)
    assert inspection.judgements.count() == 5
    assert inspection.recommendations.count() == 8


# --- manage.py import_report --------------------------------------------------------------------


def import_report(path, **env) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(REPO / "manage.py"), "import_report", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    return result, time.monotonic() - started


def test_from_the_shell_a_pdf_that_takes_too_long_exits_2_at_the_time_limit(tmp_path):
    path = tmp_path / "crafted.pdf"
    path.write_bytes(hostile.operator_flood_pages(60, 40_000))
    result, seconds = import_report(path, REPORT_PARSE_SECONDS="2")
    assert result.returncode == 2
    assert TOO_SLOW in result.stderr
    assert result.stdout == ""
    # Django's start-up on a busy machine, then two seconds of reading.
    assert seconds < 2 + 3 * MARGIN


def test_from_the_shell_the_reviews_pdf_exits_2_in_seconds(tmp_path):
    path = tmp_path / "crafted.pdf"
    path.write_bytes(hostile.operator_flood(190_000))
    result, seconds = import_report(path)
    assert result.returncode == 2
    assert TOO_COMPLEX in result.stderr
    assert seconds < 2 + 3 * MARGIN
