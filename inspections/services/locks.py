"""The one lock order for writes to an inspection and the rows that belong to it.

The milestone recomputation locks the inspection's row, then writes milestones, and each write
bumps the council's data version, locking the council's row. A write that bumped the council
first and reached the inspection's row second (a new recommendation's or grade's foreign key
takes a share lock on it) could wait on a recomputation that waits on it, until PostgreSQL
killed one of the two. So every service that writes an inspection's rows locks the inspection
first, in the same transaction: inspection, then its rows, then the council.
"""

from ..models import Inspection


def inspection_lock(inspection_id: int | None) -> None:
    """Lock the inspection's row until the transaction ends; nothing to lock for a new one."""
    if inspection_id is not None:
        list(Inspection.objects.select_for_update().filter(pk=inspection_id).values_list("pk"))
