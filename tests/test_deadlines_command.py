"""`manage.py deadlines` prints the milestones the rules in the database give for a date."""

import pytest
from django.core.management import execute_from_command_line

from inspections.models import DeadlineRule

pytestmark = pytest.mark.django_db


def run(capsys, *args) -> tuple[int, str, str]:
    """Run the command as from a shell: its exit status, standard output and standard error."""
    try:
        execute_from_command_line(["manage.py", "deadlines", *args])
        status = 0
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def test_isles_of_scilly_inadequate_gives_the_dates_ofsted_set(capsys):
    status, out, _ = run(capsys, "--published", "2023-08-25", "--outcome", "inadequate")
    assert status == 0
    assert out == (
        "action_planning_visit 2023-10-09\n"
        "report_publication 2023-10-09\n"
        "action_plan 2023-12-04\n"
        "first_monitoring_visit 2024-02-25\n"
    )


def test_stockton_graded_gives_the_date_the_council_stated(capsys):
    assert run(capsys, "--published", "2023-05-09", "--outcome", "graded")[:2] == (
        0,
        "report_publication 2023-06-21\naction_plan 2023-08-16\n",
    )


def test_priority_actions_give_a_draft_and_a_final_plan(capsys):
    assert run(capsys, "--published", "2023-05-09", "--outcome", "priority-actions")[1] == (
        "draft_action_plan 2023-06-07\naction_plan 2023-08-16\n"
    )


def test_the_date_received_restarts_the_clock(capsys):
    status, out, _ = run(
        capsys,
        "--published",
        "2023-08-25",
        "--outcome",
        "inadequate",
        "--received",
        "2023-08-31",
    )
    assert status == 0
    assert out.splitlines() == [
        "action_planning_visit 2023-10-12",
        "report_publication 2023-10-12",
        "action_plan 2023-12-07",
        "first_monitoring_visit 2024-02-29",
    ]


def test_the_rules_come_from_the_database(capsys):
    DeadlineRule.objects.filter(key="action_plan", trigger="graded").update(amount=71)
    assert run(capsys, "--published", "2023-05-09", "--outcome", "graded")[1] == (
        "report_publication 2023-06-21\naction_plan 2023-08-17\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "2023-02-30", "--outcome", "graded"], "'2023-02-30' is not a date"),
        (["--published", "25/08/2023", "--outcome", "graded"], "write it as YYYY-MM-DD"),
        (["--published", "20230825", "--outcome", "graded"], "written YYYY-MM-DD"),
        (["--published", "9999-12-30", "--outcome", "graded"], "from 2000 to 2100"),
        (["--published", "2023-08-25", "--outcome", "terrible"], "invalid choice: 'terrible'"),
        (["--outcome", "graded"], "the following arguments are required: --published"),
        (["--published", "2023-08-25"], "one of the arguments --outcome --grades is required"),
        (
            ["--published", "2023-08-25", "--outcome", "graded", "--received", "2023-08-01"],
            "cannot be before its publication date",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_status_2(capsys, args, message):
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert message in err


def test_no_rule_for_the_outcome_is_an_error_not_silence(capsys):
    DeadlineRule.objects.filter(trigger="priority_actions").update(active=False)
    status, out, err = run(capsys, "--published", "2023-05-09", "--outcome", "priority-actions")
    assert status == 1
    assert "No active deadline rule applies to the outcome 'priority-actions'" in err
