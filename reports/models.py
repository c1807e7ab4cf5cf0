import re
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from councils.models import Council, CouncilData
from inspections.cycles import live_inspection
from inspections.models import Inspection

INSPECTION_SHORT_NAMES = {
    "standard_ilacs": "ilacs",
    "short_ilacs": "short-ilacs",
    "sif": "sif",
    "focused_visit": "focused-visit",
    "jtai": "jtai",
    "monitoring_visit": "monitoring-visit",
}


def pack_filename(council: Council, inspection: Inspection | None, day: date) -> str:
    """What the clerk files it as: the council, the inspection it covers and the day it was
    made, as in isles-of-scilly-scrutiny-pack-ilacs-2023-07-made-2024-03-01.pdf."""
    covers = ""
    if inspection is not None:
        covers = f"-{INSPECTION_SHORT_NAMES.get(inspection.kind, 'inspection')}"
        covers += f"-{inspection.start_date:%Y-%m}"
    return f"{council.slug}-scrutiny-pack{covers}-made-{day:%Y-%m-%d}.pdf"


class PackJobQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> "PackJobQuerySet":
        return self.filter(council=council)


class PackJob(models.Model):
    """A scrutiny pack built in the background, for packs too large to render during a request.

    The PDF is kept in the database rather than under MEDIA_ROOT, so that the web and worker
    containers (docker-compose.yml) need no shared volume. A job whose queueing failed, or whose
    worker was lost, is queued again by the sweep (reports/services.py), up to
    PACK_JOB_MAX_ATTEMPTS runs; then it fails and its page says to try again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pack_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    since = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(null=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs that have claimed the job: one, unless a worker was lost."
    )
    requeue_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the sweep queues the build again if the job is still waiting: soon "
        "after it is asked for, in case queueing failed, then if it waits too long.",
    )

    objects = PackJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["council", "-created_at"], name="packjob_council_idx")]

    def __str__(self) -> str:
        return f"Scrutiny pack for {self.council}, {self.get_status_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("pack_job_status", args=[self.council.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        made = timezone.localtime(self.created_at).date()
        return pack_filename(self.council, self.inspection or live_inspection(self.council), made)


class PackCover(CouncilData):
    """The scrutiny pack's front matter, as a committee report's cover gives it: the committee,
    the meeting and agenda item, the report's author and the recommendation to the committee.

    One per council, entered on the pack's page and remembered for the next pack; the PDF and the
    web page show it above the title. Every change is in its history.
    """

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="pack_cover")
    committee = models.CharField(
        max_length=200,
        help_text="For example, Children and Young People's Scrutiny Committee",
    )
    meeting_date = models.DateField("date of the meeting", null=True, blank=True)
    agenda_item = models.CharField(
        "agenda item", max_length=100, blank=True, help_text="For example, Item 6"
    )
    author = models.CharField(
        "report author",
        max_length=200,
        blank=True,
        help_text="Their name and role, for example Jane Smith, Head of Improvement",
    )
    recommendation = models.TextField(
        "recommendation to the committee",
        max_length=2000,
        blank=True,
        help_text="What the committee is asked to do, for example: That the committee notes "
        "the progress made against the improvement plan.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Scrutiny pack cover for {self.committee or self.council}"

    def recommendation_paragraphs(self) -> list[str]:
        """The recommendation as its paragraphs: a blank line parts them, a line break stays."""
        paragraphs = re.split(r"\n\s*\n", self.recommendation.replace("\r\n", "\n"))
        return [p.strip() for p in paragraphs if p.strip()]
