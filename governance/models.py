"""What follows an inadequate judgement besides Ofsted's visits (docs/domain.md, "After
inadequate: DfE intervention"): the DfE's intervention, its reviews, the improvement board and
the meetings a council reports to, with the decisions taken there.

The app sits after reports: it reads inspections and actions and writes actions through the
actions services; nothing older imports it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.models import Action
from councils.models import Council, CouncilData
from inspections.models import Inspection, Milestone


def document_path(intervention: "Intervention", filename: str) -> str:
    return f"interventions/{intervention.council.slug}/{uuid.uuid4().hex}.pdf"


class InterventionKind(models.TextChoices):
    ADVISER = "adviser", "DfE improvement adviser"
    NOTICE = "improvement_notice", "Improvement notice"
    DIRECTION = "statutory_direction", "Statutory direction"

    @property
    def noun(self) -> str:
        """The kind as a sentence names it: "DfE improvement adviser", "improvement notice"."""
        return self.label if self == InterventionKind.ADVISER else self.label.lower()

    @property
    def with_article(self) -> str:
        return f"a{'n' if self.noun[0] in 'aeiou' else ''} {self.noun}"


class Intervention(CouncilData):
    """One step of the DfE's intervention after an inadequate judgement, on that cycle.

    Intervention often escalates (adviser, then a notice or a direction) and steps down again
    after a DfE review: each step is a row, the later one starting when the earlier ended.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="interventions")
    cycle = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name="inspection that led to it",
    )
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    started_on = models.DateField("date it started")
    ended_on = models.DateField("date it ended", null=True, blank=True)
    adviser = models.CharField(
        "DfE adviser or children's commissioner",
        max_length=200,
        blank=True,
        help_text="Name and title, as the DfE's letter gives them.",
    )
    partner = models.CharField(
        "sector-led improvement partner",
        max_length=200,
        blank=True,
        help_text="The council or body funded to support and challenge, if any.",
    )
    document_title = models.CharField(
        "title of the notice, direction or letter", max_length=200, blank=True
    )
    document_url = models.URLField("web address of the published document", blank=True)
    # Served only to the council's people through a view (views.intervention_document); the
    # stored name is random, so it cannot be guessed.
    document = models.FileField(
        "copy of the notice, direction or letter (PDF)",
        upload_to=document_path,
        blank=True,
        help_text="A PDF of up to 10 MB. It is kept private to the council's people.",
    )
    requirements = models.TextField(
        "what it requires", blank=True, help_text="As the notice or direction words it."
    )
    requirements_due_on = models.DateField(
        "date the requirements must be met by", null=True, blank=True
    )
    report_to = models.CharField(
        "reports are due to",
        max_length=200,
        blank=True,
        help_text="For example, the Secretary of State for Education.",
    )
    report_every_months = models.PositiveSmallIntegerField(
        "months between reports", null=True, blank=True
    )
    first_report_due_on = models.DateField("first report due", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="intervention_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("intervention_detail", args=[self.council.slug, self.pk])

    def duties(self):
        """Its duties: milestones of its cycle, kept in step with its terms by
        services.intervention_duties_sync under keys of its own."""
        return Milestone.objects.filter(
            inspection_id=self.cycle_id,
            source=Milestone.Source.DFE,
            key__startswith=f"iv{self.pk}-",
        )

    @property
    def kind_noun(self) -> str:
        return InterventionKind(self.kind).noun

    @property
    def kind_with_article(self) -> str:
        return InterventionKind(self.kind).with_article

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class DfeReview(CouncilData):
    """A DfE progress review of the intervention, about every six months."""

    council_path = "intervention__council"

    class Outcome(models.TextChoices):
        CONTINUES = "continues", "Intervention continues"
        STEPS_DOWN = "steps_down", "Intervention steps down"
        ENDS = "ends", "Intervention ends"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date of the review")
    findings = models.TextField("what the review found")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    steps_down_to = models.CharField(
        "steps down to",
        max_length=30,
        choices=InterventionKind.choices,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "DfE review"

    def __str__(self) -> str:
        return f"DfE review of {self.held_on:%-d %B %Y}"


class Board(CouncilData):
    """The council's improvement board: an independent chair and its members."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="board")
    name = models.CharField(max_length=200, default="Children's services improvement board")
    chair = models.CharField(
        "independent chair", max_length=200, help_text="Name and what they are, as minuted."
    )
    members = models.TextField(
        blank=True, help_text="One member per line: name, then their role or organisation."
    )
    terms_of_reference_url = models.URLField("web address of its terms of reference", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name

    def member_lines(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]


class MeetingKind(models.TextChoices):
    BOARD = "board", "Improvement board"
    SCRUTINY = "scrutiny", "Scrutiny committee"
    CABINET = "cabinet", "Cabinet or assembly"


class MeetingQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> "MeetingQuerySet":
        return self.filter(council=council)


class Meeting(CouncilData):
    """A meeting the plan is reported to: the improvement board, the scrutiny committee, cabinet."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("date of the meeting")
    starts_at = models.TimeField("start time", null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    agenda_item = models.CharField(
        "agenda item", max_length=200, blank=True, help_text="For example, Item 6."
    )
    papers = models.TextField(
        "papers", blank=True, help_text="One paper per line: its title, and its web address if any."
    )
    minutes = models.TextField("notes or minutes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["council", "kind", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.council.slug, self.pk])

    def paper_lines(self) -> list[tuple[str, str]]:
        """Each paper as (title, web address or "")."""
        papers = []
        for line in self.papers.splitlines():
            line = line.strip()
            if not line:
                continue
            title, url = line, ""
            for word in line.split():
                if word.startswith(("https://", "http://")):
                    url = word
                    title = line.replace(word, "").strip(" ,:-") or word
                    break
            papers.append((title, url))
        return papers


class Decision(CouncilData):
    """A decision minuted at a meeting; one that needs doing becomes an action of the live plan."""

    council_path = "meeting__council"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("decision")
    action = models.OneToOneField(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        help_text="The action of the live plan it led to.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
