"""Every recorded change to a council's data bumps its data version, in the same transaction.

The dashboard's cached figures are keyed by the version it reads with the council (one query it
makes anyway): a committed change is seen together with its new version, so a cached entry is
never served after a write, whatever order concurrent transactions commit in.

What counts as a change:
- a history record of an inspection, judgement, recommendation, milestone, deadline setting,
  action or progress update (django-simple-history writes one for every save and delete);
- a council's own save (its name shows on its neighbours' dashboards), in Council.save;
- a change to its statistical neighbour links (here, and in councils_load for bulk loads);
- a bank holiday added or removed by an admin: working days left change for every council.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from simple_history.signals import post_create_historical_record

from actions.models import Action, ProgressUpdate
from councils.models import Council, StatisticalNeighbour
from inspections.models import (
    BankHolidayChange,
    DeadlineSettings,
    Inspection,
    Judgement,
    Milestone,
    Recommendation,
)


def _of_inspection(record) -> Q:
    return Q(pk__in=Inspection.objects.filter(pk=record.inspection_id).values("council_id"))


# Which council a recorded object belongs to, as a filter on councils: one UPDATE, whatever the
# object, and still right when the object is being deleted.
COUNCIL_OF = {
    Inspection: lambda inspection: Q(pk=inspection.council_id),
    Judgement: _of_inspection,
    Recommendation: _of_inspection,
    Milestone: _of_inspection,
    DeadlineSettings: _of_inspection,
    Action: lambda action: Q(pk=action.council_id),
    ProgressUpdate: lambda update: Q(
        pk__in=Action.objects.filter(pk=update.action_id).values("council_id")
    ),
}


def bump_for_record(sender, instance, **kwargs) -> None:
    council_of = COUNCIL_OF.get(type(instance))
    if council_of is not None:
        Council.objects.filter(council_of(instance)).bump_data_version()


def bump_for_neighbour_link(sender, instance, **kwargs) -> None:
    Council.objects.filter(pk=instance.council_id).bump_data_version()


def bump_for_bank_holiday(sender, instance, **kwargs) -> None:
    Council.objects.bump_data_version()


def connect() -> None:
    post_create_historical_record.connect(bump_for_record, dispatch_uid="versions.record")
    for signal in (post_save, post_delete):
        signal.connect(
            bump_for_neighbour_link,
            sender=StatisticalNeighbour,
            dispatch_uid=f"versions.neighbours.{signal is post_save}",
        )
        signal.connect(
            bump_for_bank_holiday,
            sender=BankHolidayChange,
            dispatch_uid=f"versions.holidays.{signal is post_save}",
        )
