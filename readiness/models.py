"""Readiness between inspections: the yearly self-evaluation, the annual engagement meeting with
Ofsted and the actions that follow from them (docs/domain.md, "Before an inspection")."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action, Rag, Status
from councils.models import Council, CouncilData
from inspections.models import Framework, Grade, JudgementArea
from measures.models import Measure

# Ofsted's three questions, the sections of every self-evaluation, in order.
QUESTIONS = [
    ("what_we_know", "What do we know about the quality and impact of social work practice?"),
    ("how_we_know", "How do we know it?"),
    ("plans", "What are our plans for the next 12 months?"),
]


class SelfEvaluation(CouncilData):
    """A council's self-evaluation of social work practice for one year.

    A draft until both named people have signed it off; from then on it is frozen: every
    change is refused (services.py) and next year's is started from a copy of it.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="self_evaluations")
    year = models.PositiveSmallIntegerField()
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The framework in force, whose judgements the council grades itself against.",
    )
    what_we_know = models.TextField(QUESTIONS[0][1], blank=True)
    how_we_know = models.TextField(QUESTIONS[1][1], blank=True)
    plans = models.TextField(QUESTIONS[2][1], blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="director of children's services",
    )
    lead_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lead member for children's services",
    )
    director_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    lead_member_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the second of the two signs: the version is frozen from then on.
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_self_evaluation_a_year"),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True)
                | Q(director_signed_at__isnull=False, lead_member_signed_at__isnull=False),
                name="signed_off_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} self-evaluation {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("self_evaluation_detail", args=[self.council.slug, self.year])

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def status_label(self) -> str:
        return "Signed off" if self.is_signed_off else "Draft"

    def answers(self) -> list[tuple[str, str, str]]:
        """(field, question, answer) for each of Ofsted's three questions."""
        return [(field, question, getattr(self, field)) for field, question in QUESTIONS]


class SelfAssessedGrade(CouncilData):
    """The grade a council gives itself for one judgement, with its reasons."""

    council_path = "self_evaluation__council"

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="grades"
    )
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=Grade.choices)
    rationale = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["self_evaluation", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "area"], name="one_self_assessed_grade_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_grade_display()}"


def readiness_file_path(instance: "EvidenceLink | EngagementMeeting", filename: str) -> str:
    """A random name under the council's folder: the uploaded name is kept apart, as data."""
    council_id = getattr(instance, "council_id", None) or instance.self_evaluation.council_id
    return f"readiness/{council_id}/{uuid.uuid4().hex}"


class EvidenceLink(CouncilData):
    """Evidence a self-evaluation rests on: one of the council's actions or impact measures, a
    document's web address, or a file uploaded here.

    A file is checked as action evidence is (actions/evidence.py), stored through Django's
    storage API under a random name and served only to the council's people.
    """

    council_path = "self_evaluation__council"

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=200)
    url = models.URLField("web address", blank=True)
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=readiness_file_path, blank=True)
    file_name = models.CharField("file name", max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="In bytes.")
    # A measure may be removed (measures.services.measure_remove deletes it): its name stays.
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measure_name = models.CharField("measure's name", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["self_evaluation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | Q(action__isnull=False) | ~Q(file="") | ~Q(measure_name=""),
                name="evidence_links_something",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_file_url(self) -> str:
        return reverse(
            "self_evaluation_evidence_file",
            args=[self.self_evaluation.council.slug, self.self_evaluation.year, self.pk],
        )


class EngagementMeeting(CouncilData):
    """The annual engagement meeting with Ofsted, and the letter that followed it."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="engagement_meetings"
    )
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("who attended", help_text="One person a line, with their role.")
    topics = models.TextField("topics discussed")
    letter_on = models.DateField("date of Ofsted's letter", null=True, blank=True)
    letter_summary = models.TextField("summary of the letter", blank=True)
    letter_url = models.URLField(
        "web address of the letter",
        blank=True,
        help_text="Where the council keeps the letter: Ofsted does not publish it.",
    )
    # Or the letter itself, a PDF or Word file checked as action evidence is.
    letter_file = models.FileField(upload_to=readiness_file_path, blank=True)
    letter_file_name = models.CharField("letter's file name", max_length=200, blank=True)
    letter_content_type = models.CharField(max_length=120, blank=True)
    focus = models.TextField(
        "focus the letter names", blank=True, help_text="For example, for a focused visit."
    )
    # Optimistic locking, as a plan action's: every edit claims the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Annual engagement meeting, {self.held_on:%-d %B %Y}"

    @property
    def in_sentence(self) -> str:
        """ "annual engagement meeting, 12 November 2024": the month keeps its capital."""
        return f"annual engagement meeting, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("engagement_meeting_detail", args=[self.council.slug, self.pk])

    def get_letter_url(self) -> str:
        return reverse("engagement_meeting_letter", args=[self.council.slug, self.pk])


class PlanActionQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> "PlanActionQuerySet":
        return self.filter(council=council)

    def open(self) -> "PlanActionQuerySet":
        return self.exclude(status=Status.COMPLETE)

    def overdue(self, today) -> "PlanActionQuerySet":
        return self.open().filter(due_on__lt=today)

    def with_first_due(self) -> "PlanActionQuerySet":
        """Each action with the due date it was first given (first_due_on), from its history,
        so that a list can say a date was revised, as the inspection plan's does."""
        first = (
            PlanAction.history.model.objects.filter(id=OuterRef("pk"))
            .order_by("history_date", "history_id")
            .values("due_on")[:1]
        )
        return self.annotate(first_due_on=Subquery(first))


class PlanAction(CouncilData):
    """A tracked action of the self-evaluation plan: one of the year's plans for the next 12
    months, or a follow-up of an engagement meeting. Its own table, apart from the actions of
    an inspection's plan, so that no inspection plan's figures ever count it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="plan_actions")
    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    meeting = models.ForeignKey(
        EngagementMeeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(max_length=200)
    owner_name = models.CharField("owner", max_length=100)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    progress = models.TextField("latest progress", blank=True)
    # Optimistic locking, as an action's: every write claims the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The daily Red rating and the overdue counts only ever look at open actions.
            models.Index(
                fields=["due_on"], condition=~Q(status="complete"), name="plan_action_open_due_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(self_evaluation__isnull=False, meeting__isnull=True)
                | Q(self_evaluation__isnull=True, meeting__isnull=False),
                name="plan_action_of_one_source",
            ),
            models.CheckConstraint(
                condition=Q(status="complete", rag="blue")
                | (~Q(status="complete") & ~Q(rag="blue")),
                name="plan_action_blue_means_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != Status.COMPLETE and self.due_on < today

    @property
    def source(self) -> str:
        if self.self_evaluation_id:
            return f"Self-evaluation {self.self_evaluation.year}"
        return str(self.meeting)

    @property
    def source_in_sentence(self) -> str:
        if self.self_evaluation_id:
            return f"self-evaluation {self.self_evaluation.year}"
        return self.meeting.in_sentence

    @property
    def revised_from(self) -> date | None:
        """The due date first given, if it has been changed since; with_first_due() gives it."""
        first = getattr(self, "first_due_on", None)
        return first if first is not None and first != self.due_on else None

    def get_source_url(self) -> str:
        """Where the action is listed: its self-evaluation's plan, or its meeting's actions."""
        if self.self_evaluation_id:
            return self.self_evaluation.get_absolute_url() + "#plan"
        return self.meeting.get_absolute_url() + "#actions"


class ReadinessReminder(models.Model):
    """A reminder sent about a council's next inspection window: one row per council, window
    and stage, so that each is sent once however often the job runs."""

    class Stage(models.TextChoices):
        APPROACHING = "approaching", "The window opens within 90 days"
        OPEN = "open", "The window has opened"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    window_from = models.DateField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "window_from", "stage"], name="one_readiness_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.get_stage_display()} ({self.window_from})"
