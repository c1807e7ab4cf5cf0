"""The self-evaluation plan reported beside the inspection's: the dashboard's section and the
scrutiny pack's, from one query whatever the number of actions.

The actions of the self-evaluation plans and the engagement meetings' follow-ups are their own
table (readiness.models.PlanAction), so that no inspection plan's figures count them; these
sections give committees and lead members the same view of them as of the inspection plan:
how many are open, overdue and Red, and each open one with its owner, date and progress.
"""

from dataclasses import dataclass
from datetime import date

from actions.models import Rag, Status
from councils.models import Council

from .models import PlanAction
from .selectors import PlanSummary, plan_summary


@dataclass(frozen=True)
class PlanReport:
    summary: PlanSummary
    red: int
    open_actions: list[PlanAction]  # earliest due first


def plan_report(council: Council, today: date) -> PlanReport:
    actions = list(
        PlanAction.objects.for_council(council)
        .select_related("self_evaluation", "meeting")
        .with_first_due()
        .order_by("due_on", "pk")
    )
    open_actions = [a for a in actions if a.status != Status.COMPLETE]
    return PlanReport(
        summary=plan_summary(actions, today),
        red=sum(1 for a in open_actions if a.rag == Rag.RED),
        open_actions=open_actions,
    )
