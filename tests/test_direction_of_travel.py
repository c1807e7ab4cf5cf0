"""Direction of travel counts actions, not changes: each action's rating now against its
rating on the chosen date."""

from datetime import date, datetime

import pytest

from reports.summary import DirectionOfTravel, RagChange


def travel(*changes: tuple[int, str, str]) -> DirectionOfTravel:
    """Changes as (action, before, after), latest first, as direction_of_travel lists them."""
    return DirectionOfTravel(
        since=date(2025, 6, 1),
        completed=0,
        new_overdue=0,
        rag_changes=[
            RagChange(pk, f"Action {pk}", datetime(2025, 9, 30 - n), before, after)
            for n, (pk, before, after) in enumerate(changes)
        ],
    )


@pytest.mark.parametrize(
    "changes, better, worse",
    [
        ([], 0, 0),
        ([(1, "green", "red")], 0, 1),
        ([(1, "red", "amber")], 1, 0),
        # Green to amber to red: one action rated worse, not two.
        ([(1, "amber", "red"), (1, "green", "amber")], 0, 1),
        # Green to red and back: rated as it was on the date, so neither.
        ([(1, "red", "green"), (1, "green", "red")], 0, 0),
        # Red to green to amber: better than on the date, though the last change was a fall.
        ([(1, "green", "amber"), (1, "red", "green")], 1, 0),
        ([(1, "green", "red"), (2, "amber", "blue"), (3, "red", "amber")], 2, 1),
    ],
)
def test_each_action_counts_once_by_its_rating_now_against_the_date(changes, better, worse):
    result = travel(*changes)
    assert (result.better, result.worse) == (better, worse)
    # Every change is still listed.
    assert len(result.rag_changes) == len(changes)
