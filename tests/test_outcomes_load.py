"""`manage.py load_outcomes` loads the national outcomes file: idempotent, refused whole when
anything in it is wrong, and from a web address with a timeout and a size cap."""

import http.server
import threading
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council
from outcomes import services
from outcomes.models import OutcomesLoad, PublishedOutcome, Status

from .factories import CouncilFactory
from .helpers import OUTCOME_NOTTINGHAM_2022 as NOTTINGHAM_2022
from .helpers import OUTCOME_SCILLY_2019 as SCILLY_2019
from .helpers import OUTCOME_SCILLY_2023 as SCILLY_2023
from .helpers import OUTCOMES_HEADER as HEADER

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[1] / "outcomes" / "data" / "ilacs-outcomes-history.csv"


@pytest.fixture
def councils(db):
    return {
        "scilly": CouncilFactory(
            name="Isles of Scilly", slug="isles-of-scilly", dfe_code="420", urn="80455"
        ),
        "nottingham": CouncilFactory(
            name="Nottingham", slug="nottingham", dfe_code="892", urn="80533"
        ),
    }


def load(source) -> str:
    out = StringIO()
    call_command("load_outcomes", str(source), stdout=out)
    return out.getvalue()


def refused(source) -> str:
    with pytest.raises(CommandError) as caught:
        load(source)
    assert caught.value.returncode == 2
    return str(caught.value)


def write(tmp_path, *rows, header=HEADER) -> Path:
    path = tmp_path / "outcomes.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def snapshot():
    return (
        sorted(map(str, PublishedOutcome.objects.values_list())),
        sorted(map(str, OutcomesLoad.objects.values_list())),
        sorted(Council.objects.values_list("pk", "data_version")),
    )


def test_its_summary_counts_one_report_in_the_singular(tmp_path, councils):
    assert load(write(tmp_path, SCILLY_2023)).startswith(
        "National outcomes: 1 report; 1 created, 0 updated"
    )
    assert load(write(tmp_path, SCILLY_2023, SCILLY_2019)).startswith(
        "National outcomes: 2 reports; 1 created, 0 updated, 0 removed, 1 unchanged"
    )


def test_the_shipped_file_loads_every_councils_reports():
    call_command("load_councils", stdout=StringIO())
    output = load(SHIPPED)
    assert "497 reports; 497 created, 0 updated, 0 removed, 0 unchanged" in output
    assert PublishedOutcome.objects.values("council").distinct().count() == 153
    assert PublishedOutcome.objects.filter(is_latest=True).count() == 153
    latest = PublishedOutcome.objects.get(council__slug="isles-of-scilly", is_latest=True)
    assert latest.published_on == date(2023, 8, 25)
    assert (latest.kind, latest.start_date, latest.end_date) == (
        "short",
        date(2023, 7, 11),
        date(2023, 7, 13),
    )
    assert latest.grades() == {
        "overall_effectiveness": "inadequate",
        "leaders": "inadequate",
        "help_and_protection": "inadequate",
        "in_care": "requires_improvement",
        "care_leavers": "requires_improvement",
    }
    # The scrape's "to requires improvement" is the grade requires improvement.
    nottingham_2019 = PublishedOutcome.objects.get(
        council__slug="nottingham", published_on=date(2019, 1, 7)
    )
    assert nottingham_2019.help_and_protection == "requires_improvement"
    # Wiltshire 2019 ran longer than a standard inspection: it is one.
    wiltshire = PublishedOutcome.objects.get(council__slug="wiltshire", published_on="2019-07-22")
    assert wiltshire.kind == "standard"


def test_markers_are_kept_as_a_status_never_as_a_grade():
    call_command("load_councils", stdout=StringIO())
    load(SHIPPED)
    scilly_2019 = PublishedOutcome.objects.get(
        council__slug="isles-of-scilly", published_on=date(2019, 12, 19)
    )
    assert scilly_2019.care_leavers == ""
    assert scilly_2019.care_leavers_status == Status.PRE_DATES_JUDGEMENT
    after_reform = PublishedOutcome.objects.filter(
        overall_effectiveness_status=Status.NOT_REPORTED_POST_REFORM
    )
    assert after_reform.count() == 11
    assert set(after_reform.values_list("overall_effectiveness", flat=True)) == {""}
    assert PublishedOutcome.objects.filter(leaders_status=Status.DATA_UNREADABLE).count() == 176
    graded = PublishedOutcome.objects.filter(in_care_status=Status.GRADED)
    assert not graded.filter(in_care="").exists()
    assert not PublishedOutcome.objects.exclude(in_care_status=Status.GRADED).exclude(in_care="")


def test_loading_the_same_file_again_changes_nothing(councils, tmp_path):
    path = write(tmp_path, SCILLY_2023, SCILLY_2019, NOTTINGHAM_2022)
    assert "3 created" in load(path)
    before = snapshot()
    output = load(path)
    assert "0 created, 0 updated, 0 removed, 3 unchanged; nothing changed" in output
    assert snapshot() == before


def test_a_changed_row_is_updated_and_every_councils_data_version_goes_up(councils, tmp_path):
    load(write(tmp_path, SCILLY_2023, SCILLY_2019))
    versions = dict(Council.objects.values_list("pk", "data_version"))
    first_load = OutcomesLoad.objects.get()
    corrected = SCILLY_2019.replace(",good,good,inspection", ",good,outstanding,inspection")
    output = load(write(tmp_path, SCILLY_2023, corrected))
    assert "0 created, 1 updated, 0 removed, 1 unchanged" in output
    row = PublishedOutcome.objects.get(published_on=date(2019, 12, 19))
    assert row.in_care == "outstanding"
    assert row.load != first_load
    assert PublishedOutcome.objects.get(published_on=date(2023, 8, 25)).load == first_load
    # Every dashboard shows the national picture: every council's figures are new.
    assert all(
        version > versions[pk] for pk, version in Council.objects.values_list("pk", "data_version")
    )


def test_a_report_no_longer_in_the_file_is_removed_and_the_latest_moves(councils, tmp_path):
    load(write(tmp_path, SCILLY_2023, SCILLY_2019))
    assert "1 removed" in load(write(tmp_path, SCILLY_2019))
    assert list(
        PublishedOutcome.objects.filter(is_latest=True).values_list("published_on", flat=True)
    ) == [date(2019, 12, 19)]


def test_a_file_without_a_council_leaves_that_councils_reports_alone(councils, tmp_path):
    load(write(tmp_path, SCILLY_2023, SCILLY_2019, NOTTINGHAM_2022))
    output = load(write(tmp_path, NOTTINGHAM_2022))
    assert "0 removed" in output
    assert PublishedOutcome.objects.count() == 3


# (what is wrong, the row with it, a part of the message)
BAD = [
    (
        "wrong columns",
        HEADER.replace("care_leavers_grade", "care_leaver_grade") + SCILLY_2023,
        "line 1: the columns care_leavers_grade are missing",
    ),
    ("no such day", SCILLY_2023.replace("25/08/23", "31/02/23"), "line 3: publication_date"),
    ("four-digit year", SCILLY_2023.replace("25/08/23", "25/08/2023"), "as dd/mm/yy"),
    ("no such month", SCILLY_2023.replace("11/07/2023", "11/13/2023"), "line 3: inspection_start"),
    ("ends before start", SCILLY_2023.replace("13/07/2023", "10/07/2023"), "end_date is before"),
    (
        "unknown grade",
        SCILLY_2023.replace(",inadequate,inadequate,", ",brilliant,inadequate,"),
        "line 3: overall_effectiveness_grade 'brilliant' is not a grade",
    ),
    (
        "unknown marker",
        SCILLY_2019.replace("inspection_pre_dates_judgement", "pre_dates"),
        "line 3: care_leavers_grade 'pre_dates' is not a grade or a known marker",
    ),
    ("unknown URN", SCILLY_2023.replace("80455", "99999"), "URN 99999 is not a council's"),
    ("unknown framework", SCILLY_2023.replace(",short,", ",long,"), "is not short or standard"),
    ("a report twice", SCILLY_2023, "line 3: URN 80455 has another report published on 25"),
    ("too few values", "80455,isles of scilly\n", "line 3: 15 values are expected"),
    ("in the future", SCILLY_2023.replace("25/08/23", "25/08/68"), "is in the future"),
    (
        "link no web address",
        SCILLY_2023.replace("https://files", "javascript://files"),
        "line 3: inspection_link is not an http(s) web address",
    ),
]


@pytest.mark.parametrize("case, row, message", BAD, ids=[case for case, *_ in BAD])
def test_a_malformed_file_is_refused_whole_with_line_numbers(
    councils, tmp_path, case, row, message
):
    load(write(tmp_path, SCILLY_2019, NOTTINGHAM_2022))
    before = snapshot()
    header = HEADER
    if row.startswith("urn,"):
        header, row = row.split("\n", 1)[0] + "\n", row.split("\n", 1)[1]
    # A good row first, the bad one on line 3: the good one is not loaded either.
    text = refused(write(tmp_path, SCILLY_2023, row, header=header))
    assert "was refused, and nothing was changed" in text
    assert message in text
    assert snapshot() == before


def test_every_problem_is_listed_with_its_line(councils, tmp_path):
    text = refused(
        write(
            tmp_path,
            SCILLY_2023.replace("80455", "1"),
            SCILLY_2019.replace(",good,", ",great,", 1),
            NOTTINGHAM_2022.replace("05/09/22", "5 Sept 2022"),
        )
    )
    assert "line 2: URN 1" in text
    assert "line 3: overall_effectiveness_grade 'great'" in text
    assert "line 4: publication_date '5 Sept 2022'" in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "line 1: the columns urn"),
        (HEADER.encode(), "the file has no rows"),
        (HEADER.encode() + b"80455,\xff\xfe\n", "line 2: not UTF-8 text"),
    ],
    ids=["empty", "header only", "not UTF-8"],
)
def test_files_that_are_not_outcomes_are_refused(councils, tmp_path, content, message):
    path = tmp_path / "outcomes.csv"
    path.write_bytes(content)
    assert message in refused(path)
    assert not PublishedOutcome.objects.exists()


def test_a_missing_file_is_refused(councils, tmp_path):
    assert "cannot be read" in refused(tmp_path / "nowhere.csv")


def test_a_file_too_large_is_refused(councils, tmp_path):
    path = write(tmp_path, SCILLY_2023)
    with pytest.raises(services.OutcomesFileError, match="larger than 100 bytes"):
        services.outcomes_load(source=str(path), max_bytes=100)


def test_other_kinds_of_address_are_refused(councils, tmp_path):
    path = write(tmp_path, SCILLY_2023)
    assert "only a file path or an http(s) web address" in refused(f"file://{path}")


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b""
    delay = 0.0

    def do_GET(self):  # noqa: N802 - the standard library's name
        if self.path != "/outcomes.csv":
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()
        for start in range(0, len(self.body), 100):
            time.sleep(self.delay)
            self.wfile.write(self.body[start : start + 100])

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A web server on 127.0.0.1 serving _Handler.body at /outcomes.csv."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    _Handler.body, _Handler.delay = b"", 0.0


def test_it_loads_from_a_web_address(councils, server):
    _Handler.body = (HEADER + SCILLY_2023 + NOTTINGHAM_2022).encode()
    assert "2 created" in load(f"{server}/outcomes.csv")
    load_row = OutcomesLoad.objects.get()
    assert load_row.source == f"{server}/outcomes.csv"
    assert "nothing changed" in load(f"{server}/outcomes.csv")


def test_a_web_address_that_fails_is_refused(councils, server):
    assert "the server answered 404" in refused(f"{server}/missing.csv")


def test_a_web_address_too_large_or_too_slow_is_refused(councils, server):
    _Handler.body = (HEADER + SCILLY_2023 * 50).encode()
    with pytest.raises(services.OutcomesFileError, match="larger than 2,000 bytes"):
        services.outcomes_load(source=f"{server}/outcomes.csv", max_bytes=2000)
    _Handler.body, _Handler.delay = (HEADER + SCILLY_2023).encode(), 0.2
    with pytest.raises(services.OutcomesFileError, match="took longer than 0.5 seconds"):
        services.outcomes_load(source=f"{server}/outcomes.csv", timeout=0.5)
    assert not PublishedOutcome.objects.exists()


def test_a_load_that_changes_nothing_leaves_the_data_versions_alone(councils, tmp_path):
    path = write(tmp_path, SCILLY_2023)
    load(path)
    versions = sorted(Council.objects.values_list("pk", "data_version"))
    load(path)
    assert sorted(Council.objects.values_list("pk", "data_version")) == versions
