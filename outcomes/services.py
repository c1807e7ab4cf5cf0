"""Loading the national outcomes file: the only write to published outcomes."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from councils.models import Council

from . import national_file, rules
from .models import JUDGEMENT_KEYS, OutcomesLoad, PublishedOutcome
from .national_file import MAX_BYTES, TIMEOUT_SECONDS, OutcomesFileError  # noqa: F401
from .selectors import outcome_from_published

# The fields a row of the file sets: a change in any of them is a change of the row.
VALUE_FIELDS = [
    "kind",
    "start_date",
    "end_date",
    "lead_inspector",
    "report_url",
    *(name for key in JUDGEMENT_KEYS for name in (key, f"{key}_status")),
]


@dataclass
class LoadResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    load: OutcomesLoad | None = None

    @property
    def unchanged(self) -> int:
        return self.rows - self.created - self.updated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def outcomes_load(
    *,
    source: str,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    today: date | None = None,
) -> LoadResult:
    """Load the national outcomes file from a path or an http(s) address.

    The file is read before any transaction (no network call inside one) and checked whole: any
    problem raises OutcomesFileError and nothing changes. The published outcomes then mirror the
    file: new reports are added, changed ones updated, and a listed council's reports no longer in
    it removed; councils the file does not list keep theirs. Loading the
    same file again writes nothing. A load that changes anything bumps every council's data
    version, since every dashboard shows the national picture.
    """
    data = national_file.read_source(source, max_bytes=max_bytes, timeout=timeout)
    today = today or timezone.localdate()
    with transaction.atomic():
        councils = dict(Council.objects.filter(urn__isnull=False).values_list("urn", "pk"))
        rows = national_file.parse(data, source=source, known_urns=councils, today=today)
        wanted = {(councils[row.urn], row.published_on): row.values() for row in rows}
        existing = {
            (outcome.council_id, outcome.published_on): outcome
            for outcome in PublishedOutcome.objects.select_for_update()
        }
        created = [key for key in wanted if key not in existing]
        changed = [
            existing[key]
            for key, values in wanted.items()
            if key in existing
            and any(getattr(existing[key], name) != value for name, value in values.items())
        ]
        # The file holds the whole history of each council it lists: a council's report no
        # longer in it is removed. A council the file does not list at all keeps its reports,
        # so a file covering a region, or cut short, removes nothing of anyone else's.
        listed = {council_id for council_id, _ in wanted}
        removed = [
            outcome.pk
            for key, outcome in existing.items()
            if key not in wanted and key[0] in listed
        ]
        result = LoadResult(
            rows=len(rows), created=len(created), updated=len(changed), removed=len(removed)
        )
        if not result.changed:
            return result
        load = OutcomesLoad.objects.create(
            source=source[:500], sha256=national_file.sha256(data), rows=len(rows)
        )
        PublishedOutcome.objects.filter(pk__in=removed).delete()
        PublishedOutcome.objects.bulk_create(
            PublishedOutcome(council_id=council_id, published_on=day, load=load, **wanted[key])
            for key in created
            for council_id, day in [key]
        )
        for outcome in changed:
            for name, value in wanted[(outcome.council_id, outcome.published_on)].items():
                setattr(outcome, name, value)
            outcome.load = load
        PublishedOutcome.objects.bulk_update(changed, [*VALUE_FIELDS, "load"], batch_size=500)
        _mark_latest()
        load.created, load.updated, load.removed = result.created, result.updated, result.removed
        load.gaps = _gaps()
        load.save()
        # Bulk writes send no signals: every dashboard's national picture has changed.
        Council.objects.bump_data_version()
        result.load = load
    return result


def _mark_latest() -> None:
    """Flag each council's most recently published report."""
    latest: dict[int, tuple] = {}
    for pk, council_id, published_on in PublishedOutcome.objects.values_list(
        "pk", "council_id", "published_on"
    ):
        if council_id not in latest or published_on > latest[council_id][0]:
            latest[council_id] = (published_on, pk)
    keep = [pk for _, pk in latest.values()]
    PublishedOutcome.objects.filter(is_latest=True).exclude(pk__in=keep).update(is_latest=False)
    PublishedOutcome.objects.filter(pk__in=keep, is_latest=False).update(is_latest=True)


def _gaps() -> dict:
    """The years between consecutive inspections of one council, as the file now has them."""
    histories: dict[int, list[rules.Outcome]] = {}
    for outcome in PublishedOutcome.objects.all():
        histories.setdefault(outcome.council_id, []).append(outcome_from_published(outcome))
    return rules.summarise_gaps(rules.inspection_gaps(histories.values()))
