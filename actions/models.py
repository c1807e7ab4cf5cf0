import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from councils.models import Council, CouncilData
from inspections.models import GRADED_KINDS, Inspection, Recommendation


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    COMPLETE = "complete", "Complete"


class Rag(models.TextChoices):
    """Red: slipped; Amber: at risk; Green: on track; Blue: complete."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


RAG_MEANINGS = {
    Rag.RED: "slipped",
    Rag.AMBER: "at risk",
    Rag.GREEN: "on track",
    Rag.BLUE: "complete",
}


def check_progress(status: str, rag: str, percent: int | None) -> dict[str, str]:
    """Errors for a status, RAG and percent that contradict each other."""
    errors = {}
    if status == Status.COMPLETE and rag and rag != Rag.BLUE:
        errors["rag"] = "A complete action is Blue: choose Blue, or a status other than complete"
    elif status and status != Status.COMPLETE and rag == Rag.BLUE:
        errors["rag"] = "Blue is for complete actions: choose Red, Amber or Green"
    if status == Status.COMPLETE and percent is not None and percent != 100:
        errors["percent_complete"] = "A complete action is 100% complete"
    return errors


def check_overdue_rag(status: str, rag: str, due_on: date | None, today: date) -> dict[str, str]:
    """The glossary's rule: an open action past its due date has slipped, so it is Red. The
    way out is a revised due date with its reason, not another colour."""
    slipped = due_on is not None and due_on < today
    if slipped and status and status != Status.COMPLETE and rag and rag != Rag.RED:
        return {
            "rag": f"This action was due on {due_on:%-d %B %Y}, so it is overdue and Red: "
            "choose Red, or first revise its due date, with the reason, on its edit page"
        }
    return {}


def protect_recommendation(collector, field, sub_objs, using):
    """PROTECT, but with a message the recommendations form can show in its error summary."""
    if isinstance(collector, NestedObjects):
        # The admin's delete preview lists protected objects itself.
        return models.PROTECT(collector, field, sub_objs, using)
    positions = sorted({action.recommendation.position for action in sub_objs})
    numbers = ", ".join(map(str, positions))
    raise ValidationError(
        f"Recommendation {numbers} has improvement actions, so it cannot be removed: "
        "close its actions instead"
    )


class ActionQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> "ActionQuerySet":
        """The council's actions on the record: those of a withdrawn inspection's plan leave
        every page with it (the history keeps them)."""
        return self.filter(council=council, plan__withdrawn_at__isnull=True)

    def open(self) -> "ActionQuerySet":
        return self.exclude(status=Status.COMPLETE).filter(ended_on__isnull=True)

    def of_plan(self, inspection: Inspection | int, *, include_ended=False) -> "ActionQuerySet":
        """The plan of one inspection: a graded inspection's holds the actions carried into it
        and those of its visits' recommendations; a visit's, its own recommendations' actions.
        Actions closed unfinished when a later plan replaced theirs are in no plan's figures:
        only the plan's own page lists them (include_ended)."""
        actions = self if include_ended else self.filter(ended_on__isnull=True)
        return actions.filter(
            Q(plan=inspection)
            | Q(recommendation__inspection=inspection)
            & ~Q(recommendation__inspection__kind__in=GRADED_KINDS)
        )

    def awaiting_carry_over(self, council: Council) -> "ActionQuerySet":
        """Open actions of the plans the live one superseded: they wait for an officer to carry
        them into the live plan or close them (actions/carry.py), and are in no plan's figures
        meanwhile."""
        latest = Inspection.objects.graded_latest_first(council).values("pk")[:1]
        return (
            self.for_council(council)
            .open()
            .filter(plan__kind__in=GRADED_KINDS)
            .exclude(plan=models.Subquery(latest))
        )

    def live_plan(self, council: Council) -> "ActionQuerySet":
        """The council's live plan, the one it reports (inspections/cycles.py): the actions in
        its latest graded inspection's plan; with no graded inspection on record, every action
        of a visit's plan. Closed-unfinished actions stay with the plan they were closed in.
        One definition for the dashboard, the pack, the overview and the council page."""
        graded = Inspection.objects.graded_latest_first(council)
        latest = graded.values("pk")[:1]
        return self.filter(council=council, ended_on__isnull=True).filter(
            Q(plan=models.Subquery(latest))
            | (~models.Exists(graded) & Q(plan__withdrawn_at__isnull=True))
        )

    def overdue(self, today: date) -> "ActionQuerySet":
        return self.open().filter(current_due_on__lt=today)

    def due_within(self, today: date, days: int) -> "ActionQuerySet":
        return self.open().filter(
            current_due_on__gte=today, current_due_on__lte=today + timedelta(days=days)
        )


class Action(CouncilData):
    """One improvement action a council takes in response to a recommendation."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=protect_recommendation, related_name="actions"
    )
    # The graded inspection whose plan reports the action: its recommendation's, until a later
    # graded inspection's plan takes it over (carried over, keeping its history).
    plan = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        editable=False,
        verbose_name="plan",
    )
    carried_from = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="carried over from the plan of",
    )
    carried_on = models.DateField("date carried over", null=True, blank=True, editable=False)
    # Closed without completing, when a later plan replaced the one it was in.
    ended_on = models.DateField("date closed unfinished", null=True, blank=True, editable=False)
    end_reason = models.TextField("reason for closing unfinished", blank=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_name = models.CharField(
        "owner", max_length=100, help_text="The named officer responsible for the action."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name="owner's account",
    )
    lead = models.CharField(max_length=100, blank=True, help_text="The senior lead, if any.")
    due_on = models.DateField("original due date")
    revised_due_on = models.DateField("revised due date", null=True, blank=True)
    revision_reason = models.TextField("reason for the revised due date", blank=True)
    # The revised due date if there is one, else the original: stored so that "overdue" and
    # "due in the next N days" are indexed SQL filters.
    current_due_on = models.DateField("due date", editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    success_criterion = models.TextField("measurable success criterion")
    evidence_of_impact = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    # Optimistic locking: every write claims the version it started from (services.py).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The due date the council's officers were told this action missed (actions/reminders.py).
    overdue_noted_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["overdue_noted_for"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["current_due_on", "pk"]
        indexes = [
            models.Index(fields=["council", "current_due_on"], name="action_council_due_idx"),
            # Overdue and "due soon" lists only ever look at open actions.
            models.Index(
                fields=["council", "current_due_on"],
                condition=~Q(status="complete"),
                name="action_open_due_idx",
            ),
            models.Index(fields=["council", "status"], name="action_council_status_idx"),
            models.Index(fields=["council", "rag"], name="action_council_rag_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="action_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status="complete", rag="blue")
                | (~Q(status="complete") & ~Q(rag="blue")),
                name="action_blue_means_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action_detail", args=[self.council.slug, self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status != Status.COMPLETE and self.ended_on is None and self.current_due_on < today
        )

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None

    def save(self, *args, **kwargs):
        if self.recommendation_id and not self.plan_id:
            # Every way an action is made (the form, the import, the demo, bulk loads that
            # call save) puts it in its recommendation's plan.
            self.plan_id = self.recommendation.inspection.cycle_head_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = check_progress(self.status, self.rag, self.percent_complete)
        if (
            self.recommendation_id
            and self.council_id
            and self.recommendation.inspection.council_id != self.council_id
        ):
            errors["recommendation"] = "Choose a recommendation of this council"
        if self.due_on and self.recommendation_id:
            began = self.recommendation.inspection.start_date
            if self.due_on < began:
                errors["due_on"] = (
                    f"The due date must be on or after {began:%-d %B %Y}, when the inspection began"
                )
        if self.due_on and self.revised_due_on == self.due_on:
            errors["revised_due_on"] = (
                f"The revised due date is the original due date, {self.due_on:%-d %B %Y}: "
                "enter a different date, or leave it blank"
            )
        elif self.revised_due_on and self.recommendation_id:
            began = self.recommendation.inspection.start_date
            if self.revised_due_on < began:
                errors["revised_due_on"] = (
                    f"The revised due date must be on or after {began:%-d %B %Y}, when the "
                    "inspection began"
                )
        if self.revised_due_on and not self.revision_reason.strip():
            errors["revision_reason"] = "Enter the reason the due date was revised"
        if self.revision_reason.strip() and not self.revised_due_on:
            errors["revised_due_on"] = "Enter the revised due date, or remove the reason"
        if self.status == Status.COMPLETE and not self.evidence_of_impact.strip():
            errors["evidence_of_impact"] = (
                "Record the evidence of impact before the action is complete"
            )
        if errors:
            raise ValidationError(errors)
        if self.due_on:
            self.current_due_on = self.revised_due_on or self.due_on


class ProgressUpdate(CouncilData):
    """A dated progress narrative; never edited or deleted: a correction is a new entry."""

    council_path = "action__council"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    narrative = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices)
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "-created_at"], name="update_action_date_idx")]

    def __str__(self) -> str:
        return f"{self.action}: update of {self.created_at:%-d %B %Y}"

    def clean(self) -> None:
        errors = check_progress(self.status, self.rag, self.percent_complete)
        if errors:
            raise ValidationError(errors)


def evidence_path(evidence: "Evidence", filename: str) -> str:
    """A random name under the council's folder: the uploaded name is kept apart, as data."""
    return f"evidence/{evidence.action.council_id}/{uuid.uuid4().hex}"


class Evidence(CouncilData):
    """A file that shows an action's progress or impact: an audit, minutes, a letter.

    Stored through Django's storage API (settings.STORAGES["default"]: local disk, or S3-compatible
    object storage) and served only through the action's pages to the council's people.
    """

    council_path = "action__council"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name="progress update it supports",
    )
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField("file name", max_length=200)
    kind = models.CharField("kind of file", max_length=60)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(help_text="In bytes.")
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "evidence_download", args=[self.action.council.slug, self.action_id, self.pk]
        )
