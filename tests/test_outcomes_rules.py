"""The rules for two sources of outcomes and for the next inspection: pure, no database."""

from datetime import date

import pytest

from outcomes import rules
from outcomes.rules import Outcome

RI = "requires_improvement"
GOOD_2018 = {"overall_effectiveness": "good", "leaders": "good", "help_and_protection": "good",
             "in_care": "good"}  # fmt: skip
APRIL_2026 = date(2026, 4, 1)
GAPS = {
    "all": {"pairs": 166, "low": 3.1, "median": 3.9, "high": 5.2},
    "short": {"pairs": 90, "low": 3.2, "median": 4.3, "high": 5.4},
    "standard": {"pairs": 52, "low": 3.0, "median": 4.0, "high": 5.1},
    "monitoring": {"pairs": 12, "low": 3.0, "median": 3.5, "high": 4.1},
}


def recorded(start, published=None, grades=None, kind="standard", **kw):
    return Outcome(
        rules.RECORDED, start, published, kind, grades if grades is not None else GOOD_2018, **kw
    )


def published(start, published, grades=None, kind="standard", **kw):
    return Outcome(
        rules.PUBLISHED, start, published, kind, grades if grades is not None else GOOD_2018, **kw
    )


# Which source wins.


@pytest.mark.parametrize(
    "ours, theirs, same",
    [
        # Fieldwork starting within a week: one inspection.
        (recorded(date(2023, 7, 11)), published(date(2023, 7, 10), date(2023, 8, 25)), True),
        (recorded(date(2023, 7, 11)), published(date(2023, 7, 18), date(2023, 8, 25)), True),
        (recorded(date(2023, 7, 11)), published(date(2023, 7, 19), date(2023, 8, 25)), False),
        # The file has no fieldwork dates: the publication date decides, a few days either way
        # (the council may record the day it received the report).
        (
            recorded(date(2022, 7, 4), date(2022, 9, 5)),
            published(None, date(2022, 9, 5)),
            True,
        ),
        (
            recorded(date(2022, 7, 4), date(2022, 9, 7)),
            published(None, date(2022, 9, 5)),
            True,
        ),
        (
            recorded(date(2022, 7, 4), date(2022, 9, 9)),
            published(None, date(2022, 9, 5)),
            False,
        ),
        (recorded(date(2022, 7, 4)), published(None, date(2022, 9, 5)), False),
        # Years apart: two inspections.
        (recorded(date(2019, 10, 14)), published(date(2023, 7, 11), date(2023, 8, 25)), False),
    ],
)
def test_same_inspection_matches_on_start_date_or_publication_date(ours, theirs, same):
    assert rules.same_inspection(ours, theirs) is same


def test_the_councils_record_wins_over_the_published_report_of_the_same_inspection():
    ours = recorded(date(2023, 7, 11), grades={"overall_effectiveness": RI})
    theirs = published(date(2023, 7, 12), date(2023, 8, 25), {"overall_effectiveness": "good"})
    assert rules.latest(ours, theirs) is ours
    assert rules.merged([ours], [theirs]) == [ours]


def test_a_later_published_report_wins_over_an_older_record():
    ours = recorded(date(2019, 10, 14), date(2019, 12, 19))
    theirs = published(date(2023, 7, 11), date(2023, 8, 25))
    assert rules.latest(ours, theirs) is theirs
    assert rules.latest(None, theirs) is theirs
    assert rules.latest(ours, None) is ours
    assert rules.latest(None, None) is None


def test_a_later_record_wins_over_an_older_published_report_with_no_fieldwork_dates():
    ours = recorded(date(2025, 3, 3))
    theirs = published(None, date(2022, 9, 5))
    assert rules.latest(ours, theirs) is ours


def test_pairing_keeps_every_inspection_once_oldest_first():
    old_report = published(date(2019, 10, 14), date(2019, 12, 19))
    new_report = published(date(2023, 7, 11), date(2023, 8, 25))
    ours = recorded(date(2023, 7, 11), date(2023, 8, 25))
    unpublished = recorded(date(2026, 6, 8))
    pairs = rules.pair_up([ours, unpublished], [old_report, new_report])
    assert pairs == [(None, old_report), (ours, new_report), (unpublished, None)]
    assert rules.merged([ours, unpublished], [old_report, new_report]) == [
        old_report,
        ours,
        unpublished,
    ]


# Disagreements.


def test_a_different_grade_is_a_disagreement():
    ours = recorded(date(2023, 7, 11), grades=GOOD_2018 | {"leaders": RI})
    theirs = published(date(2023, 7, 11), date(2023, 8, 25), GOOD_2018)
    assert rules.differences(ours, theirs) == [
        rules.Difference("leaders", "Requires improvement", "Good")
    ]


def test_nottingham_2022_care_leavers_in_the_file_differs_from_the_combined_judgement():
    """docs/domain.md, "National outcomes": the file gives care leavers inadequate, where the
    council recorded the combined judgement."""
    grades, combined = rules.outcome_grades(
        {
            "leaders": RI,
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": RI,
            "overall_effectiveness": "inadequate",
        }
    )
    assert grades["in_care"] == RI and combined
    ours = recorded(date(2022, 7, 4), date(2022, 9, 5), grades, combined_in_care=True)
    theirs = published(
        None,
        date(2022, 9, 5),
        {
            "overall_effectiveness": "inadequate",
            "leaders": RI,
            "help_and_protection": "inadequate",
            "in_care": RI,
            "care_leavers": "inadequate",
        },
        kind="unknown",
    )
    assert rules.differences(ours, theirs) == [
        rules.Difference("care_leavers", "judged with children in care", "Inadequate")
    ]


def test_markers_adequate_and_grades_not_yet_recorded_are_no_disagreement():
    theirs = published(
        date(2023, 7, 11),
        date(2023, 8, 25),
        {"overall_effectiveness": RI, "leaders": "good"},
        statuses={"care_leavers": "data_unreadable"},
    )
    assert rules.differences(recorded(date(2023, 7, 11), grades={}), theirs) == []
    adequate = recorded(date(2023, 7, 11), grades={"overall_effectiveness": "adequate"})
    assert rules.differences(adequate, theirs) == [rules.Difference("leaders", "no grade", "Good")]


def test_a_different_kind_of_inspection_is_a_disagreement():
    ours = recorded(date(2023, 7, 11), kind="standard")
    theirs = published(date(2023, 7, 11), date(2023, 8, 25), kind="short")
    assert rules.differences(ours, theirs) == [
        rules.Difference("kind", "a standard inspection", "a short inspection")
    ]
    unknown = published(date(2023, 7, 11), date(2023, 8, 25), kind="unknown")
    assert rules.differences(ours, unknown) == []


# The next inspection.


@pytest.mark.parametrize(
    "grades, step",
    [
        ({"overall_effectiveness": "outstanding"}, rules.SHORT),
        ({"overall_effectiveness": "good", "leaders": RI}, rules.SHORT),
        ({"overall_effectiveness": RI}, rules.STANDARD),
        ({"overall_effectiveness": "adequate"}, rules.STANDARD),
        ({"overall_effectiveness": "inadequate"}, rules.MONITORING),
        # From April 2026 there is no overall grade: the others decide.
        ({"leaders": "good", "help_and_protection": "outstanding", "in_care": "good"}, rules.SHORT),
        ({"leaders": "good", "help_and_protection": RI, "in_care": "good"}, rules.STANDARD),
        ({"leaders": "good", "care_leavers": "inadequate"}, rules.MONITORING),
        ({}, rules.UNKNOWN),
    ],
)
def test_what_follows_an_inspection_depends_on_its_grades(grades, step):
    assert rules.next_step(published(date(2023, 1, 9), date(2023, 3, 1), grades)) == step


@pytest.mark.parametrize(
    "grades, combined, skips",
    [
        ({"leaders": "good", "help_and_protection": "good", "in_care": "good",
          "care_leavers": RI}, False, True),
        ({"leaders": "outstanding", "help_and_protection": RI, "in_care": "good",
          "care_leavers": "good"}, False, True),
        ({"leaders": "good", "help_and_protection": RI, "in_care": RI,
          "care_leavers": "good"}, False, False),
        ({"leaders": RI, "help_and_protection": "good", "in_care": "good",
          "care_leavers": "good"}, False, False),
        # 2018 to 2022: the combined judgement counts for children in care and care leavers.
        ({"leaders": "good", "help_and_protection": RI, "in_care": "good"}, True, True),
        ({"leaders": "good", "help_and_protection": "good", "in_care": RI}, True, False),
    ],
)  # fmt: skip
def test_the_april_2026_focused_visit_rule(grades, combined, skips):
    outcome = published(date(2022, 1, 10), date(2022, 3, 1), grades, combined_in_care=combined)
    assert rules.skips_focused_visit(outcome) is skips


def estimate(history, as_of, gaps=GAPS, rule_from=APRIL_2026):
    return rules.estimate_next(history, as_of=as_of, gaps=gaps, focused_visit_rule_from=rule_from)


def test_after_good_a_short_inspection_in_the_window_measured_after_good():
    last = published(date(2019, 10, 14), date(2019, 12, 19), kind="short")
    found = estimate([last], as_of=date(2021, 1, 1))
    assert found.step == rules.SHORT and not found.focused_visit_first
    assert found.title == "Short inspection"
    # 3.2, 4.3 and 5.4 years after fieldwork began (90 pairs after good or outstanding), to
    # the nearest month.
    assert found.window_from == date(2022, 12, 14)
    assert found.likeliest == date(2024, 2, 14)
    assert found.window_to == date(2025, 3, 14)
    assert not found.overdue
    how = " ".join(found.how)
    assert "Counted from the short inspection that started 14 October 2019" in how
    assert "Overall effectiveness was good: a short inspection follows" in how
    assert "90 pairs" in how and "judged good or outstanding" in how


def test_after_requires_improvement_a_standard_inspection():
    last = recorded(date(2021, 6, 7), date(2021, 8, 1), {"overall_effectiveness": RI})
    found = estimate([last], as_of=date(2022, 1, 1))
    assert (found.step, found.title) == (rules.STANDARD, "Standard inspection")
    assert found.window_from == date(2024, 6, 7)  # 3.0 years
    assert "(recorded by the council)" in found.how[0]


def test_after_inadequate_monitoring_until_reinspection_with_every_pairs_figures_if_few():
    last = published(date(2023, 7, 11), date(2023, 8, 25), {"overall_effectiveness": "inadequate"})
    found = estimate([last], as_of=date(2024, 1, 1))
    assert found.title == "Monitoring visits until a standard re-inspection"
    # Only 12 pairs after inadequate: the figures for all 166 pairs (3.1 to 5.2 years).
    assert found.window_from == date(2026, 8, 11)
    assert "166 pairs" in " ".join(found.how)


def test_from_april_2026_a_focused_visit_first_unless_leaders_and_practice_are_good():
    weak_practice = published(
        date(2023, 1, 9),
        date(2023, 3, 1),
        {"overall_effectiveness": "good", "leaders": "good", "help_and_protection": RI,
         "in_care": RI, "care_leavers": "good"},
    )  # fmt: skip
    found = estimate([weak_practice], as_of=date(2026, 5, 1))
    assert found.focused_visit_first
    assert found.title == "A focused visit, then a short inspection"
    assert "From 1 April 2026 a focused visit comes first" in " ".join(found.how)
    strong = published(
        date(2023, 1, 9),
        date(2023, 3, 1),
        {"overall_effectiveness": "good", "leaders": "good", "help_and_protection": RI,
         "in_care": "good", "care_leavers": "good"},
    )  # fmt: skip
    assert not estimate([strong], as_of=date(2026, 5, 1)).focused_visit_first
    # Before the rule, and with no such framework, no focused visit is foreseen.
    assert not estimate([weak_practice], as_of=date(2019, 3, 2), rule_from=None).focused_visit_first


def test_the_rule_applies_when_the_window_opens_after_it_starts():
    last = published(date(2023, 1, 9), date(2023, 3, 1), {"overall_effectiveness": RI,
                     "leaders": RI, "help_and_protection": RI, "in_care": RI})  # fmt: skip
    found = estimate([last], as_of=date(2023, 6, 1))  # window opens January 2026
    assert found.window_from < APRIL_2026
    assert not found.focused_visit_first
    later = estimate([last], as_of=date(2023, 6, 1), rule_from=date(2025, 12, 1))
    assert later.focused_visit_first
    assert later.title == "A focused visit, then a standard inspection"


def test_only_what_was_published_before_the_date_counts():
    old = published(date(2019, 10, 14), date(2019, 12, 19), kind="short")
    new = published(date(2023, 7, 11), date(2023, 8, 25), {"overall_effectiveness": "inadequate"})
    assert estimate([old, new], as_of=date(2023, 8, 25)).last is old
    assert estimate([old, new], as_of=date(2023, 8, 26)).last is new
    nothing = estimate([old, new], as_of=date(2019, 12, 19))
    assert nothing.step == rules.UNKNOWN and nothing.window_from is None
    assert nothing.title == "Not known"


def test_unpublished_recorded_inspections_do_not_count_yet():
    old = published(date(2019, 10, 14), date(2019, 12, 19), kind="short")
    fieldwork_only = recorded(date(2026, 6, 8), None, {"leaders": "inadequate"})
    assert estimate([old, fieldwork_only], as_of=date(2026, 11, 30)).last is old


def test_without_fieldwork_dates_the_window_counts_from_publication():
    last = published(None, date(2022, 9, 5), {"overall_effectiveness": "inadequate"})
    found = estimate([last], as_of=date(2023, 1, 1))
    assert found.window_from == date(2025, 10, 5)  # 3.1 years after publication
    assert "no fieldwork dates" in found.how[0]


def test_past_the_window_it_is_overdue():
    last = published(date(2015, 1, 12), date(2015, 3, 1), {"overall_effectiveness": "good"})
    found = estimate([last], as_of=date(2021, 1, 1))
    assert found.overdue
    assert "it may come at any time" in " ".join(found.how)


def test_with_no_file_loaded_the_figures_first_measured_are_used():
    last = published(date(2019, 10, 14), date(2019, 12, 19))
    found = estimate([last], as_of=date(2020, 1, 1), gaps=None)
    assert found.window_from == date(2022, 10, 14)  # 3.0 years
    assert found.window_to == date(2025, 3, 14)  # 5.4 years
    assert "as first measured" in " ".join(found.how)


def test_an_unreadable_last_report_gives_a_window_but_no_kind():
    last = published(None, date(2016, 6, 27), {}, kind="unknown")
    found = estimate([last], as_of=date(2017, 1, 1))
    assert found.step == rules.UNKNOWN and found.window_from == date(2019, 7, 27)
    assert "not readable" in " ".join(found.how)


def test_gaps_are_measured_between_consecutive_starts_of_one_council():
    good = {"overall_effectiveness": "good"}
    histories = [
        [
            published(date(2015, 1, 5), date(2015, 3, 1), good),
            published(None, date(2017, 3, 1), {}),  # no fieldwork dates: left out
            published(date(2019, 1, 7), date(2019, 3, 1), {"overall_effectiveness": RI}),
            published(date(2022, 1, 3), date(2022, 3, 1), good),
        ],
        [published(date(2018, 1, 8), date(2018, 3, 1), good)],
    ]
    gaps = rules.inspection_gaps(histories)
    assert [(step, round(years, 2)) for step, years in gaps] == [
        (rules.SHORT, 4.01),
        (rules.STANDARD, 2.99),
    ]
    summary = rules.summarise_gaps(gaps * 5)
    assert summary["all"]["pairs"] == 10
    assert summary["short"] == {"pairs": 5, "low": 4.0, "median": 4.0, "high": 4.0}
    assert summary["monitoring"] == {"pairs": 0}


# Benchmarks.


def test_shares_and_where_a_council_stands():
    latest = [
        published(None, date(2024, 1, 1), {"overall_effectiveness": grade})
        for grade in ["outstanding", "good", "good", RI, "adequate", "inadequate"]
    ] + [published(None, date(2026, 6, 1), {"leaders": "good"})]
    found = rules.shares(latest, "overall_effectiveness")
    assert found.counts == {"outstanding": 1, "good": 2, RI: 2, "inadequate": 1}
    assert (found.total, found.not_graded, found.percent("good")) == (6, 1, 33)
    stands = rules.standing(RI, found)
    assert (stands.label, stands.same, stands.better, stands.worse) == (
        "Requires improvement",
        2,
        3,
        1,
    )
    assert rules.standing("", found) is None


def test_shares_over_time_take_each_councils_latest_report_on_each_day():
    histories = {
        1: [
            published(None, date(2018, 5, 1), {"overall_effectiveness": RI}),
            published(None, date(2022, 5, 1), {"overall_effectiveness": "good"}),
        ],
        2: [published(None, date(2020, 5, 1), {"overall_effectiveness": "inadequate"})],
    }
    days = [date(2018, 12, 31), date(2021, 12, 31), date(2023, 12, 31)]
    over_time = rules.shares_over_time(histories, "overall_effectiveness", days)
    assert [dict(s.counts) for _, s in over_time] == [
        {"outstanding": 0, "good": 0, RI: 1, "inadequate": 0},
        {"outstanding": 0, "good": 0, RI: 1, "inadequate": 1},
        {"outstanding": 0, "good": 1, RI: 0, "inadequate": 1},
    ]
