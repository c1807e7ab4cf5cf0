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


TRAFFORD_2026 = "leaders=good,help_and_protection=good,children_in_care=good,care_leavers=good"


def test_grades_under_the_2026_framework_start_monitoring_with_any_inadequate(capsys):
    # Cheshire East's 2024 grades, as if inspected under the April 2026 framework.
    grades = (
        "leaders=requires_improvement,help_and_protection=requires_improvement,"
        "children_in_care=requires_improvement,care_leavers=inadequate"
    )
    status, out, err = run(
        capsys, "--published", "2026-08-03", "--start", "2026-06-08", "--grades", grades
    )
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "action_planning_visit 2026-09-15",
        "report_publication 2026-09-15",
        "action_plan 2026-11-10",
        "first_monitoring_visit 2027-02-03",
    ]


def test_good_grades_owe_publication_and_the_statement_of_action(capsys):
    status, out, _ = run(capsys, "--published", "2026-08-03", "--grades", TRAFFORD_2026)
    assert status == 0
    assert out == "report_publication 2026-09-15\naction_plan 2026-11-10\n"


OLDER_GRADES = (
    "leaders=requires_improvement,help_and_protection=requires_improvement,"
    "children_in_care=requires_improvement,care_leavers=inadequate,overall_effectiveness="
)


def test_under_older_frameworks_overall_effectiveness_decides(capsys):
    status, out, _ = run(
        capsys,
        "--published",
        "2023-08-25",
        "--start",
        "2023-07-11",
        "--grades",
        OLDER_GRADES + "requires_improvement",
    )
    assert status == 0
    assert out == "report_publication 2023-10-09\naction_plan 2023-12-04\n"


def test_under_older_frameworks_overall_inadequate_starts_monitoring_from_receipt(capsys):
    status, out, _ = run(
        capsys,
        "--published",
        "2023-08-25",
        "--start",
        "2023-07-11",
        "--grades",
        OLDER_GRADES + "inadequate",
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


def test_sif_keys_in_2018_choose_the_single_inspection_framework(capsys):
    # Lancashire: fieldwork from 4 June 2018 under SIF, adoption graded, published in August.
    status, out, _ = run(
        capsys,
        "--published",
        "2018-08-01",
        "--start",
        "2018-06-04",
        "--grades",
        "adoption=good,overall_effectiveness=requires_improvement",
    )
    assert status == 0
    assert out == "report_publication 2018-09-13\naction_plan 2018-11-08\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--grades", "leaders=good,heroes=good"],
            "Not a judgement of the ILACS framework (from April 2026), in force on 2026-08-03: "
            "heroes. Use: leaders, help_and_protection, children_in_care, care_leavers",
        ),
        (
            ["--grades", "leaders=great"],
            "'great' (for leaders) is not a grade: use one of outstanding, good, "
            "requires_improvement, adequate, inadequate",
        ),
        (["--grades", "leaders=good,leaders=inadequate"], "'leaders' is given more than once"),
        (["--grades", "leaders"], "'leaders' is not a judgement and its grade"),
        (["--grades", "leaders=good,,care_leavers=good"], "'' is not a judgement and its grade"),
        (["--grades", "=good"], "'=good' is not a judgement and its grade"),
        (
            ["--grades", TRAFFORD_2026, "--outcome", "graded"],
            "argument --outcome: not allowed with argument --grades",
        ),
        (["--outcome", "graded", "--start", "2026-06-08"], "--start chooses the framework"),
        (
            ["--grades", TRAFFORD_2026, "--start", "2026-09-01"],
            "cannot be after the publication date",
        ),
        (["--grades", TRAFFORD_2026, "--start", "2026-13-01"], "'2026-13-01' is not a date"),
        (
            ["--grades", "leaders=good", "--start", "2010-01-04"],
            "No inspection framework was in force on 2010-01-04",
        ),
    ],
)
def test_bad_grades_get_a_clear_message_and_exit_status_2(capsys, args, message):
    status, out, err = run(capsys, "--published", "2026-08-03", *args)
    assert status == 2
    assert out == ""
    assert message in err
