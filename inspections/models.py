from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council, CouncilData


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    ADEQUATE = "adequate", "Adequate"
    INADEQUATE = "inadequate", "Inadequate"


# Higher is better; "adequate" (before November 2013) sits where "requires improvement" does now.
GRADE_RANK = {
    Grade.OUTSTANDING: 4,
    Grade.GOOD: 3,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.ADEQUATE: 2,
    Grade.INADEQUATE: 1,
}

# Keys of judgement areas the grade rules refer to (docs/domain.md, "Overall effectiveness").
OVERALL = "overall_effectiveness"
HELP_AND_PROTECTION = "help_and_protection"
LEADERS = "leaders"


class FrameworkQuerySet(models.QuerySet):
    def possible_for(self, start: date, family: str | None = None) -> list["Framework"]:
        """Every framework an inspection starting on this date could use, oldest first.

        Within a family a framework gives way to the next one on that one's start date, unless
        its last start date says it carried on (docs/domain.md, "Judgement sets by framework":
        SIF re-inspections ran on into 2018, beside ILACS).
        """
        frameworks = list(self.filter(starts_on__lte=start).order_by("starts_on"))
        possible = []
        for framework in frameworks:
            if family and framework.family != family:
                continue
            if framework.last_starts_on is not None:
                if start <= framework.last_starts_on:
                    possible.append(framework)
                continue
            successor = next(
                (
                    f
                    for f in frameworks
                    if f.family == framework.family and f.starts_on > framework.starts_on
                ),
                None,
            )
            if successor is None:
                possible.append(framework)
        return possible

    def for_start_date(self, start: date, family: str | None = None) -> "Framework | None":
        """The suggested framework for an inspection starting on this date: of those possible,
        the one that started last."""
        possible = self.possible_for(start, family)
        return possible[-1] if possible else None


class Framework(models.Model):
    """An Ofsted inspection framework; which one applies follows from the start date."""

    class Family(models.TextChoices):
        SIF = "sif", "Single inspection framework"
        ILACS = "ilacs", "Inspecting local authority children's services"

    class MonitoringRule(models.TextChoices):
        OVERALL_INADEQUATE = "overall_inadequate", "Overall effectiveness inadequate"
        ANY_INADEQUATE = "any_inadequate", "Any judgement inadequate"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    family = models.CharField(max_length=10, choices=Family.choices)
    starts_on = models.DateField(
        unique=True, help_text="Inspections starting on or after this date use this framework."
    )
    last_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last first day of fieldwork an inspection may have under this framework, "
        "where it carried on beside its successor; blank when the next framework of its family "
        "replaces it.",
    )
    monitoring_rule = models.CharField(
        max_length=30,
        choices=MonitoringRule.choices,
        default=MonitoringRule.OVERALL_INADEQUATE,
        help_text="Which grades mean Ofsted will monitor the council, unless an officer says "
        "otherwise.",
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.last_starts_on and self.starts_on and self.last_starts_on < self.starts_on:
            raise ValidationError(
                {"last_starts_on": "The last start date must be on or after the framework starts"}
            )


class JudgementArea(models.Model):
    """One graded judgement of a framework, such as "the impact of leaders"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    practice = models.BooleanField(
        default=False, help_text="A judgement on the experiences and progress of children."
    )

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="unique_area_key"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_overall(self) -> bool:
        return self.key == OVERALL


class InspectionKind(models.TextChoices):
    STANDARD_ILACS = "standard_ilacs", "Standard ILACS inspection"
    SHORT_ILACS = "short_ilacs", "Short ILACS inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    SIF = "sif", "Single inspection framework (SIF) inspection"


# The framework family each graded kind of inspection belongs to; other kinds are not graded.
GRADED_KINDS = {
    InspectionKind.STANDARD_ILACS: Framework.Family.ILACS,
    InspectionKind.SHORT_ILACS: Framework.Family.ILACS,
    InspectionKind.SIF: Framework.Family.SIF,
}


class InspectionQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> "InspectionQuerySet":
        return self.filter(council=council)

    def graded(self) -> "InspectionQuerySet":
        return self.filter(kind__in=GRADED_KINDS)

    def graded_latest_first(self, council) -> "InspectionQuerySet":
        """The council's graded inspections, the live one (its latest) first."""
        return self.graded().filter(council=council).order_by("-start_date", "-pk")


class InspectionManager(models.Manager.from_queryset(InspectionQuerySet)):
    """Inspections on the record: one withdrawn as recorded in error leaves every page."""

    def get_queryset(self) -> InspectionQuerySet:
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Inspection(CouncilData):
    """One Ofsted inspection or visit of a council's children's services."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField("first day of fieldwork")
    end_date = models.DateField("last day of fieldwork")
    second_start_date = models.DateField(
        "first day of second fieldwork block", null=True, blank=True
    )
    second_end_date = models.DateField("last day of second fieldwork block", null=True, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True, db_index=True)
    report_received_on = models.DateField("date report received", null=True, blank=True)
    lead_inspector = models.CharField(max_length=100, blank=True)
    report_url = models.URLField("report web address", blank=True)
    # A monitoring visit, focused visit or JTAI belongs to the cycle a graded inspection opened.
    cycle = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name="inspection whose cycle it belongs to",
    )
    findings = models.TextField(blank=True, help_text="What the letter found, in summary.")
    priority_areas = models.TextField(
        "areas for priority action",
        blank=True,
        help_text="As the letter names them, one per line.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        "councils.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InspectionManager()
    # Withdrawn ones too: for the admin, which restores them, and the history.
    all_objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["council", "-start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.fieldwork_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspection_detail", args=[self.council.slug, self.pk])

    @property
    def is_graded(self) -> bool:
        return self.kind in GRADED_KINDS

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def cycle_head_id(self) -> int:
        """The graded inspection whose plan this one's recommendations belong to: its own, the
        cycle recorded for a visit, else the graded inspection on record before the visit."""
        if self.is_graded:
            return self.pk
        if self.cycle_id:
            return self.cycle_id
        before = (
            Inspection.objects.graded()
            .filter(council_id=self.council_id, start_date__lt=self.start_date)
            .order_by("-start_date", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        return before or self.pk

    @property
    def last_fieldwork_day(self) -> date:
        return self.second_end_date or self.end_date

    def overall_judgement(self) -> "Judgement | None":
        """The overall effectiveness grade, read from prefetched judgements."""
        return next((j for j in self.judgements.all() if j.area.is_overall), None)

    def fieldwork_blocks(self) -> list[tuple[date, date]]:
        blocks = [(self.start_date, self.end_date)]
        if self.second_start_date and self.second_end_date:
            blocks.append((self.second_start_date, self.second_end_date))
        return blocks

    def kind_in_sentence(self) -> str:
        """The kind of inspection inside a sentence: "standard ILACS inspection", keeping the
        capitals of ILACS, JTAI and SIF that a plain lower-casing would lose."""
        kind = self.get_kind_display()
        return kind[0].lower() + kind[1:]

    def fieldwork_display(self) -> str:
        return " and ".join(_date_range(start, end) for start, end in self.fieldwork_blocks())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The last day of fieldwork must be on or after the first day"
        if bool(self.second_start_date) != bool(self.second_end_date):
            field = "second_end_date" if self.second_start_date else "second_start_date"
            errors[field] = "Enter both days of the second fieldwork block, or neither"
        elif self.second_start_date and self.end_date and self.second_start_date <= self.end_date:
            errors["second_start_date"] = (
                "The second fieldwork block must start after the first block ends"
            )
        elif (
            self.second_start_date
            and self.second_end_date
            and self.second_end_date < self.second_start_date
        ):
            errors["second_end_date"] = (
                "The last day of the second block must be on or after its first day"
            )
        if not errors and self.end_date:
            last_day = self.last_fieldwork_day
            if self.published_on and self.published_on < last_day:
                errors["published_on"] = "The publication date must be after fieldwork ends"
            if self.report_received_on and self.report_received_on < last_day:
                errors["report_received_on"] = (
                    "The date the report was received must be after fieldwork ends"
                )
        if not errors:
            errors.update(self._check_cycle())
        if not errors and self.start_date:
            self.framework = self._framework_for_start()
        if errors:
            raise ValidationError(errors)

    def _check_cycle(self) -> dict[str, str]:
        if not self.cycle_id:
            return {}
        cycle = self.cycle
        if self.is_graded:
            return {"cycle": "A graded inspection opens its own cycle: it follows no inspection"}
        if not cycle.is_graded or cycle.council_id != self.council_id or cycle.is_withdrawn:
            return {"cycle": "Choose a graded inspection of this council"}
        if self.start_date and self.start_date <= cycle.last_fieldwork_day:
            return {
                "start_date": f"The visit must start after the fieldwork of the inspection it "
                f"follows, which ended on {cycle.last_fieldwork_day:%-d %B %Y}"
            }
        return {}

    def _framework_for_start(self) -> Framework | None:
        """The framework whose judgements a graded inspection starting then was given: the one
        chosen, if it could apply, else the latest that could."""
        family = GRADED_KINDS.get(self.kind)
        if family is None:
            return None
        possible = Framework.objects.possible_for(self.start_date, family)
        if not possible:
            ended = (
                Framework.objects.filter(family=family, last_starts_on__lt=self.start_date)
                .order_by("-last_starts_on")
                .first()
            )
            if (
                ended
                and not Framework.objects.filter(
                    family=family, starts_on__gt=ended.starts_on
                ).exists()
            ):
                raise ValidationError(
                    {
                        "start_date": f"A {self.kind_in_sentence()} cannot start on "
                        f"{self.start_date:%-d %B %Y}: the last ones started by "
                        f"{ended.last_starts_on:%-d %B %Y}. Check the kind of inspection and "
                        "its dates"
                    }
                )
            raise ValidationError(
                {
                    "start_date": f"No {self.get_kind_display()} framework was in force on "
                    f"{self.start_date:%-d %B %Y}: check the kind of inspection and its dates"
                }
            )
        chosen = next((f for f in possible if f.pk == self.framework_id), None)
        return chosen or possible[-1]


def _date_range(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


class Judgement(CouncilData):
    """The grade an inspection gave for one judgement area."""

    council_path = "inspection__council"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=Grade.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "area__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="one_grade_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_grade_display()}"


class Recommendation(CouncilData):
    """One "What needs to improve?" item of an inspection report."""

    council_path = "inspection__council"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    national_framework_reference = models.CharField(
        max_length=200, blank=True, help_text='For example "outcome 2, national framework".'
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:80]}"


# Statutory deadlines (docs/domain.md, "Deadlines after a graded inspection"). The rules are
# data an admin keeps current; milestones are stored with their computed dates so that overdue
# and due soon are SQL filters.


class DeadlineTrigger(models.TextChoices):
    GRADED = "graded", "Any graded inspection"
    INADEQUATE = "inadequate", "Inadequate: monitoring follows"
    PRIORITY_ACTIONS = "priority_actions", "Focused visit or JTAI with priority actions"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_MONTHS = "calendar_months", "calendar months"


class DeadlineRule(models.Model):
    """How one milestone's due date follows from an inspection's outcome."""

    key = models.SlugField(
        max_length=50, help_text="The milestone this rule sets, such as action_plan."
    )
    name = models.CharField(max_length=200, help_text="As officers will read it on the timeline.")
    trigger = models.CharField(max_length=20, choices=DeadlineTrigger.choices)
    amount = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    unit = models.CharField(max_length=20, choices=DeadlineUnit.choices)
    count_from_received = models.BooleanField(
        "count from the date the report was received, when one is recorded", default=True
    )
    description = models.TextField(
        blank=True, help_text="Shown under the milestone on the timeline: what to do, and why."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["trigger", "unit", "amount"]
        constraints = [
            models.UniqueConstraint(fields=["trigger", "key"], name="one_rule_per_trigger_and_key")
        ]

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.amount} {self.get_unit_display()} ({self.get_trigger_display()})"
        )


class Monitoring(models.TextChoices):
    FROM_GRADES = "from_grades", "Follow the grades"
    YES = "yes", "Yes, Ofsted will monitor the council"
    NO = "no", "No, Ofsted will not monitor the council"


MONITORING_REASON_REQUIRED = {
    Monitoring.YES: "Enter why Ofsted will monitor the council",
    Monitoring.NO: "Enter why Ofsted will not monitor the council",
}


class DeadlineSettings(CouncilData):
    """What an officer knows that the grades do not say: priority actions, monitoring."""

    council_path = "inspection__council"

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="deadline_settings"
    )
    priority_actions = models.BooleanField(default=False)
    monitoring = models.CharField(
        max_length=20, choices=Monitoring.choices, default=Monitoring.FROM_GRADES
    )
    monitoring_reason = models.TextField(
        "why Ofsted will or will not monitor", blank=True, max_length=2000
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "deadline settings"

    def clean(self) -> None:
        if self.monitoring == Monitoring.FROM_GRADES:
            self.monitoring_reason = ""
        elif not self.monitoring_reason.strip():
            raise ValidationError(
                {"monitoring_reason": MONITORING_REASON_REQUIRED[self.monitoring]}
            )

    def __str__(self) -> str:
        return f"Deadline settings for {self.inspection}"


class BankHolidayChange(CouncilData):
    """A day an admin adds to, or removes from, the bank holidays the holidays package knows."""

    class Action(models.TextChoices):
        ADD = "add", "Add: not a working day"
        REMOVE = "remove", "Remove: a working day after all"

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100, help_text="For example, the occasion it marks.")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.ADD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.day:%-d %B %Y} ({self.name})"

    def changed_councils(self):
        # Working days left change for every council.
        return Council.objects.all()

    def clean(self) -> None:
        from .workdays import is_statutory_closure

        if self.day and self.action == self.Action.REMOVE and is_statutory_closure(self.day):
            raise ValidationError(
                {"day": "Christmas Day and Good Friday are never working days (SI 2007/462)"}
            )
        if self.day and self.day.weekday() >= 5:
            # A weekend day is never a working day: adding it changes nothing, removing it can't.
            raise ValidationError(
                {
                    "day": f"{self.day:%A %-d %B %Y} is a weekend day, never a working day: "
                    "enter the weekday the holiday is observed on"
                }
            )


class MilestoneQuerySet(models.QuerySet):
    def open(self) -> "MilestoneQuerySet":
        """Not yet done, of an inspection on the record: a withdrawn inspection's milestones
        leave the lists, the counts and the reminders with it."""
        return self.filter(done_on__isnull=True, inspection__withdrawn_at__isnull=True)

    def overdue(self, today: date) -> "MilestoneQuerySet":
        return self.open().filter(due_by__lt=today)

    def for_council(self, council: Council) -> "MilestoneQuerySet":
        return self.filter(inspection__council=council)

    def current(self) -> "MilestoneQuerySet":
        """Milestones still in force: of an inspection on the record that no later graded
        inspection has superseded (docs/domain.md, "The cycle"). Computed, not stored, so
        that it holds whatever order inspections are recorded, imported or withdrawn in."""
        return self.filter(inspection__withdrawn_at__isnull=True).exclude(
            models.Exists(
                superseding_inspections(
                    OuterRef("inspection__council"), OuterRef("inspection__start_date")
                )
            )
        )

    def superseded(self) -> "MilestoneQuerySet":
        return self.filter(
            models.Exists(
                superseding_inspections(
                    OuterRef("inspection__council"), OuterRef("inspection__start_date")
                )
            )
        )


def superseding_inspections(council, start_date) -> InspectionQuerySet:
    """The graded inspections on the record that started after ``start_date``: any one of them
    supersedes what an inspection or visit starting then called for."""
    return Inspection.objects.graded().filter(council=council, start_date__gt=start_date)


class AgreedMilestone(models.TextChoices):
    """The milestones an officer enters from dates agreed with Ofsted."""

    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    REINSPECTION = "reinspection", "Re-inspection"


class Milestone(CouncilData):
    """One dated step after an inspection: computed from a rule, or agreed with Ofsted."""

    council_path = "inspection__council"

    class Source(models.TextChoices):
        COMPUTED = "computed", "Statutory deadline"
        AGREED = "agreed", "Agreed with Ofsted"
        # A duty of the DfE's intervention: its reports and reviews (governance/services.py).
        DFE = "dfe", "Required by the DfE"

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="milestones")
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    due_on = models.DateField(help_text="The computed or agreed day.")
    due_by = models.DateField(
        help_text="The last day it is on time: the month's end when Ofsted fixes only the month."
    )
    precision = models.CharField(max_length=10, choices=Precision.choices, default=Precision.DAY)
    basis = models.CharField(max_length=300)
    done_on = models.DateField("date it happened", null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfils",
        help_text="The visit that fulfilled it, when one is recorded.",
    )
    reminded_10_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_3_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_missed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["reminded_10_at", "reminded_3_at", "reminded_missed_at"]
    )
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_by", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "key"],
                condition=models.Q(source="computed"),
                name="one_computed_milestone_per_key",
            )
        ]
        indexes = [
            # Reminders and "overdue" read only milestones not yet done, by date.
            models.Index(
                fields=["due_by"],
                condition=models.Q(done_on__isnull=True),
                name="open_milestone_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.due_display()}"

    def due_display(self) -> str:
        if self.precision == self.Precision.MONTH:
            return f"{self.due_on:%B %Y}"
        return f"{self.due_on:%a %-d %b %Y}"
