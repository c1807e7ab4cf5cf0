"""Whether monitoring follows an inspection: each framework's rule, pure, and the override."""

from datetime import date

import pytest

from inspections.models import DeadlineSettings, Framework, Monitoring
from inspections.planning import grades_call_for_monitoring, monitoring_decision

OVERALL_RULE = Framework.MonitoringRule.OVERALL_INADEQUATE
ANY_RULE = Framework.MonitoringRule.ANY_INADEQUATE

# Cheshire East (fieldwork February to March 2024, published 16 May 2024): care leavers alone
# inadequate, judged inadequate overall and monitored.
CHESHIRE_EAST_2024 = {
    "leaders": "requires_improvement",
    "help_and_protection": "requires_improvement",
    "children_in_care": "requires_improvement",
    "care_leavers": "inadequate",
    "overall_effectiveness": "inadequate",
}
CHESHIRE_EAST_UNDER_2026 = {
    k: v for k, v in CHESHIRE_EAST_2024.items() if k != "overall_effectiveness"
}


def test_under_the_2026_framework_care_leavers_alone_inadequate_means_monitoring():
    assert grades_call_for_monitoring(CHESHIRE_EAST_UNDER_2026, ANY_RULE)


def test_under_older_frameworks_overall_effectiveness_decides():
    assert grades_call_for_monitoring(CHESHIRE_EAST_2024, OVERALL_RULE)
    graded_otherwise = {**CHESHIRE_EAST_2024, "overall_effectiveness": "requires_improvement"}
    assert not grades_call_for_monitoring(graded_otherwise, OVERALL_RULE)
    # The same grades under the any-judgement rule would mean monitoring.
    assert grades_call_for_monitoring(graded_otherwise, ANY_RULE)


def test_no_inadequate_grade_means_no_monitoring_under_either_rule():
    good = dict.fromkeys(CHESHIRE_EAST_UNDER_2026, "good")
    assert not grades_call_for_monitoring(good, ANY_RULE)
    assert not grades_call_for_monitoring(good | {"overall_effectiveness": "good"}, OVERALL_RULE)
    assert not grades_call_for_monitoring({}, ANY_RULE)


def test_without_an_overall_grade_the_older_rule_looks_at_every_judgement():
    # Grades entered part-way, or a framework row edited: there is nothing else to go on.
    assert grades_call_for_monitoring({"care_leavers": "inadequate"}, OVERALL_RULE)


def test_the_decision_names_the_rule_when_it_follows_the_grades():
    decision = monitoring_decision(CHESHIRE_EAST_UNDER_2026, ANY_RULE, None)
    assert decision.follows and not decision.overridden
    assert decision.reason == (
        "Under this framework, monitoring follows when any judgement is inadequate, as here."
    )
    decision = monitoring_decision({}, OVERALL_RULE, None)
    assert not decision.follows
    assert decision.reason == (
        "No grades recorded yet: under this framework, monitoring follows when overall "
        "effectiveness is inadequate."
    )


@pytest.mark.parametrize("monitoring", [Monitoring.YES, Monitoring.NO])
def test_an_override_wins_either_way_and_gives_the_officers_reason(monitoring):
    settings = DeadlineSettings(monitoring=monitoring, monitoring_reason="Ofsted's letter")
    decision = monitoring_decision(CHESHIRE_EAST_UNDER_2026, ANY_RULE, settings)
    assert decision.follows is (monitoring == Monitoring.YES)
    assert decision.overridden
    assert decision.reason == "Ofsted's letter"


@pytest.mark.django_db
def test_the_seeded_frameworks_carry_their_rules_and_the_sif_overlap():
    rules = dict(Framework.objects.values_list("code", "monitoring_rule"))
    assert rules == {
        "sif": "overall_inadequate",
        "ilacs-2018": "overall_inadequate",
        "ilacs-2023": "overall_inadequate",
        "ilacs-2026": "any_inadequate",
    }
    last = dict(Framework.objects.values_list("code", "last_starts_on"))
    assert last == {
        "sif": date(2018, 12, 31),
        "ilacs-2018": None,
        "ilacs-2023": None,
        "ilacs-2026": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "family", "codes"),
    [
        (date(2016, 3, 1), None, ["sif"]),
        (date(2018, 6, 4), None, ["sif", "ilacs-2018"]),
        (date(2018, 6, 4), "sif", ["sif"]),
        (date(2018, 6, 4), "ilacs", ["ilacs-2018"]),
        (date(2018, 12, 31), "sif", ["sif"]),
        (date(2019, 1, 1), "sif", []),
        (date(2017, 12, 31), "ilacs", []),
        (date(2022, 12, 31), "ilacs", ["ilacs-2018"]),
        (date(2023, 1, 1), "ilacs", ["ilacs-2023"]),
        (date(2026, 3, 31), "ilacs", ["ilacs-2023"]),
        (date(2026, 4, 1), "ilacs", ["ilacs-2026"]),
        (date(2013, 10, 31), None, []),
    ],
)
def test_the_frameworks_possible_for_a_start_date(start, family, codes):
    # Within one family no date is ambiguous: the next framework replaces the last on its start
    # date. Only the SIF overlap of 2018 offers two, one per family.
    assert [f.code for f in Framework.objects.possible_for(start, family)] == codes


@pytest.mark.django_db
def test_an_overlap_within_a_family_suggests_the_latest_framework():
    Framework.objects.filter(code="ilacs-2023").update(last_starts_on=date(2026, 6, 30))
    possible = Framework.objects.possible_for(date(2026, 5, 1), "ilacs")
    assert [f.code for f in possible] == ["ilacs-2023", "ilacs-2026"]
    assert Framework.objects.for_start_date(date(2026, 5, 1), "ilacs").code == "ilacs-2026"
    assert Framework.objects.for_start_date(date(2018, 6, 4)).code == "ilacs-2018"
