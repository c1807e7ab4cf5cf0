"""Writes to inspections, by subject; import the package and call services.<name>(...).

inspections.py: an inspection, its grades and its recommendations.
importing.py: saving an inspection imported from the Ofsted report.
milestones.py: keeping computed milestones in step, and what officers record on the timeline.
reminders.py: reminder emails about milestones coming due or missed.
withdrawal.py: withdrawing an inspection recorded in error, and restoring it.
visits.py: recording a visit in its cycle, and the monitoring-visit milestone it fulfils.
locks.py: the one lock order: every write to an inspection's rows locks the inspection first.

Each write validates fully, raises ValidationError for the form to show
(config.forms.add_service_errors), and runs in one transaction.
"""

from .importing import ImportValues, inspection_import, values_from_report
from .inspections import (
    RecommendationInput,
    inspection_save,
    inspection_set_judgements,
    inspection_set_recommendations,
)
from .milestones import (
    deadline_settings_save,
    deadlines_changed_after_commit,
    milestone_add_agreed,
    milestone_record_done,
    milestone_remove_agreed,
    milestones_recompute,
    milestones_recompute_after_commit,
    milestones_recompute_all,
)
from .reminders import reminders_send
from .visits import (
    VisitRecorded,
    visit_fulfil_milestone,
    visit_record,
    visit_release_milestone,
)
from .withdrawal import (
    WithdrawalImpact,
    already_withdrawn,
    inspection_withdraw,
    inspections_restore,
    withdrawal_impact,
)

__all__ = [
    "ImportValues",
    "WithdrawalImpact",
    "already_withdrawn",
    "RecommendationInput",
    "VisitRecorded",
    "deadline_settings_save",
    "deadlines_changed_after_commit",
    "inspection_import",
    "inspection_save",
    "inspection_set_judgements",
    "inspection_set_recommendations",
    "inspection_withdraw",
    "inspections_restore",
    "milestone_add_agreed",
    "milestone_record_done",
    "milestone_remove_agreed",
    "milestones_recompute",
    "milestones_recompute_after_commit",
    "milestones_recompute_all",
    "reminders_send",
    "values_from_report",
    "withdrawal_impact",
    "visit_fulfil_milestone",
    "visit_record",
    "visit_release_milestone",
]
