"""Every council's published outcomes, as Ofsted published them: kept apart from what councils
record themselves, and changed only by loading the national outcomes file (docs/domain.md,
"National outcomes")."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import Council
from inspections.models import Grade

# The five judgements of the file, in its order: (field, heading).
JUDGEMENTS = [
    ("overall_effectiveness", "Overall effectiveness"),
    ("leaders", "Impact of leaders"),
    ("help_and_protection", "Help and protection"),
    ("in_care", "Children in care"),
    ("care_leavers", "Care leavers"),
]
JUDGEMENT_KEYS = [key for key, _ in JUDGEMENTS]
JUDGEMENT_NAMES = dict(JUDGEMENTS)


class Status(models.TextChoices):
    """What the file says for a judgement: a grade, or one of its markers where there is none.

    A marker is never a grade: it says why there is no grade.
    """

    GRADED = "graded", "Graded"
    PRE_DATES_JUDGEMENT = "inspection_pre_dates_judgement", "Not a separate judgement then"
    NOT_REPORTED_POST_REFORM = "not_reported_post_reform", "Not given since the 2026 reform"
    DATA_UNREADABLE = "data_unreadable", "Not readable in the national file"
    BLANK = "blank", "Not in the national file"


class Kind(models.TextChoices):
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    UNKNOWN = "unknown", "Children's services inspection"


class OutcomesLoad(models.Model):
    """One load of the national outcomes file that changed something.

    A load that finds nothing new writes nothing, this row included.
    """

    loaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500, help_text="The path or web address loaded.")
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    gaps = models.JSONField(
        default=dict,
        blank=True,
        help_text="Years between the starts of consecutive inspections of one council, as "
        "measured on this file: the estimate of the next inspection's window uses them.",
    )

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        get_latest_by = ["loaded_at", "pk"]

    def __str__(self) -> str:
        return f"National outcomes file loaded {self.loaded_at:%-d %B %Y %H:%M}"


def _grade_and_status(label: str):
    grade = models.CharField(label, max_length=30, choices=Grade.choices, blank=True)
    status = models.CharField(
        f"{label}: what the file says",
        max_length=40,
        choices=Status.choices,
        default=Status.BLANK,
    )
    return grade, status


class PublishedOutcome(models.Model):
    """One published report of a council's children's services, as the national file has it."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="published_outcomes"
    )
    published_on = models.DateField("publication date")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UNKNOWN)
    start_date = models.DateField("first day of fieldwork", null=True, blank=True)
    end_date = models.DateField("last day of fieldwork", null=True, blank=True)
    lead_inspector = models.CharField(max_length=100, blank=True)
    report_url = models.URLField("report web address", max_length=500, blank=True)
    overall_effectiveness, overall_effectiveness_status = _grade_and_status("Overall effectiveness")
    leaders, leaders_status = _grade_and_status("Impact of leaders")
    help_and_protection, help_and_protection_status = _grade_and_status("Help and protection")
    in_care, in_care_status = _grade_and_status("Children in care")
    care_leavers, care_leavers_status = _grade_and_status("Care leavers")
    is_latest = models.BooleanField(
        default=False, editable=False, help_text="The council's most recently published report."
    )
    load = models.ForeignKey(
        OutcomesLoad,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The load that last created or changed this row.",
    )

    class Meta:
        ordering = ["council", "-published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "published_on"], name="one_published_outcome_per_day"
            ),
            *(
                models.CheckConstraint(
                    condition=(Q(**{f"{key}_status": Status.GRADED}) & ~Q(**{key: ""}))
                    | (~Q(**{f"{key}_status": Status.GRADED}) & Q(**{key: ""})),
                    name=f"published_{key}_grade_or_marker",
                )
                for key in JUDGEMENT_KEYS
            ),
            # One latest report per council: the overview joins it.
            models.UniqueConstraint(
                fields=["council"], condition=Q(is_latest=True), name="one_latest_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.get_kind_display()} published {self.published_on:%-d %B %Y}"

    @property
    def inspected_on(self):
        """The first day of fieldwork, or the publication date where the file has no dates."""
        return self.start_date or self.published_on

    def grades(self) -> dict[str, str]:
        """The judgements the report graded: field -> grade code."""
        return {key: getattr(self, key) for key in JUDGEMENT_KEYS if getattr(self, key)}

    def statuses(self) -> dict[str, str]:
        return {key: getattr(self, f"{key}_status") for key in JUDGEMENT_KEYS}

    @property
    def combined_in_care(self) -> bool:
        """Under the 2018 framework the in-care grade covers care leavers too."""
        return self.care_leavers_status == Status.PRE_DATES_JUDGEMENT

    def cells(self) -> list["Cell"]:
        """The five judgements as a table shows them: a grade, or why there is none."""
        return [
            Cell(
                key=key,
                grade=getattr(self, key),
                label=status_label(key, getattr(self, f"{key}_status"), self.combined_in_care),
                note="with care leavers" if key == "in_care" and self.combined_in_care else "",
            )
            for key in JUDGEMENT_KEYS
        ]


@dataclass(frozen=True)
class Cell:
    key: str
    grade: str  # a grade code, or "" with the label saying why there is none
    label: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return JUDGEMENT_NAMES[self.key]


def status_label(key: str, status: str, combined_in_care: bool = False) -> str:
    """Why a judgement has no grade, in words: "" for a graded one."""
    if status == Status.GRADED:
        return ""
    if key == "care_leavers" and status == Status.PRE_DATES_JUDGEMENT and combined_in_care:
        return "Judged with children in care"
    return Status(status).label
