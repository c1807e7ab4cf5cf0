"""Impact measures: is the improvement plan changing outcomes for children?

A council's measures (Measure) are linked to the recommendations and actions they show the
impact of, and have values by period (MeasureValue), entered by officers. Published council-level
statistics, loaded from Explore Education Statistics files by ``manage.py import_measures``, are
national data (Indicator, IndicatorValue): mapped to a measure, they give England's, the region's
and the statistical neighbours' values beside the council's own (measures/series.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action
from councils.models import Council, CouncilData
from inspections.models import Recommendation

from .periods import Frequency, is_period_end, period_end, period_label

VALUE_DIGITS = {"max_digits": 14, "decimal_places": 4}


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE = "rate_10k", "Rate per 10,000 children"
    DAYS = "days", "Days"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class ComparatorLoad(models.Model):
    """One load of a statistics file by ``manage.py import_measures``."""

    loaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500, help_text="The file name loaded.")
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    rows = models.PositiveIntegerField()
    indicators = models.PositiveIntegerField(help_text="Indicator columns in the file.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        get_latest_by = ["loaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source}, loaded {self.loaded_at:%-d %B %Y %H:%M}"


class Indicator(models.Model):
    """One indicator column of a published statistics file, such as ``re_referrals_pct``.

    National data, shared by every council: a council maps it to one of its measures."""

    column = models.CharField(max_length=100, unique=True)
    label = models.CharField(
        max_length=200, help_text="How the indicator is named on pages: the column, readable."
    )
    source = models.CharField(max_length=500, help_text="The file it was last loaded from.")
    first_loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "column"]

    def __str__(self) -> str:
        return self.label


class Level(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    LOCAL = "local", "Local authority"


class IndicatorValue(models.Model):
    """One published figure: an indicator for one area and period. A suppressed figure (c, z,
    x, low and the like) is kept as not available, with its code, never as zero."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField()
    time_period = models.CharField(max_length=10, help_text="As in the file, such as 202324.")
    time_identifier = models.CharField(max_length=50)
    level = models.CharField(max_length=10, choices=Level.choices)
    # England's country code, a region's code or a council's new (ONS) code.
    area_code = models.CharField(max_length=9)
    value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    suppressed = models.CharField(
        max_length=10, blank=True, help_text="The file's code for a figure not available."
    )
    load = models.ForeignKey(ComparatorLoad, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["indicator", "period_end", "level", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end", "level", "area_code"],
                name="one_indicator_value_per_area_and_period",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(suppressed=""),
                name="indicator_value_or_suppressed",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "level", "area_code"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.time_period}: {self.value}"


class Measure(CouncilData):
    """What a council measures to know whether its plan changes outcomes for children."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="measures")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, and over what, exactly.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the figure comes from, such as the case recording system.",
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    baseline = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    baseline_on = models.DateField("date of the baseline", null=True, blank=True)
    target = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    target_on = models.DateField("date of the target", null=True, blank=True)
    tolerance = models.DecimalField(
        "tolerance for Amber",
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text="How far short of the target, in the measure's unit, is still Amber.",
        **VALUE_DIGITS,
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="measures")
    actions = models.ManyToManyField(Action, blank=True, related_name="measures")
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        help_text="The published indicator that gives England's, the region's and the "
        "neighbours' values.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[recommendations, actions])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="one_measure_name_per_council")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measure_detail", args=[self.council.slug, self.pk])

    def clean(self) -> None:
        errors = {}
        if self.baseline is not None and self.baseline_on is None:
            errors["baseline_on"] = "Enter the date of the baseline"
        if self.baseline_on is not None and self.baseline is None:
            errors["baseline"] = "Enter the baseline, or remove its date"
        if self.target is not None and self.target_on is None:
            errors["target_on"] = "Enter the date the target is for"
        if self.target_on is not None and self.target is None:
            errors["target"] = "Enter the target, or remove its date"
        if self.baseline_on and self.target_on and self.target_on <= self.baseline_on:
            errors["target_on"] = "The target's date must be after the baseline's"
        if self.unit == Unit.PERCENTAGE:
            for field in ("baseline", "target"):
                value = getattr(self, field)
                if value is not None and not 0 <= value <= 100:
                    errors[field] = f"A percentage {field} must be from 0 to 100"
        if errors:
            raise ValidationError(errors)

    def period_label(self, end) -> str:
        return period_label(self.frequency, end)


class MeasureValue(CouncilData):
    """A council's own value of a measure for one period. A correction changes the value in
    place: the history keeps the one it replaced, with who entered each and when."""

    council_path = "measure__council"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField("end of the period")
    value = models.DecimalField(**VALUE_DIGITS)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_end"], name="one_value_per_measure_and_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}, {self.measure.period_label(self.period_end)}: {self.value}"

    def clean(self) -> None:
        errors = {}
        if self.measure_id and self.period_end:
            frequency = self.measure.frequency
            if not is_period_end(frequency, self.period_end):
                end = period_end(frequency, self.period_end)
                errors["period_end"] = (
                    f"A {frequency} measure's periods end on days such as {end:%-d %B %Y}"
                )
        if (
            self.measure_id
            and self.value is not None
            and self.measure.unit == Unit.PERCENTAGE
            and not 0 <= self.value <= 100
        ):
            errors["value"] = "A percentage must be from 0 to 100"
        if self.measure_id and self.value is not None and self.value < 0:
            errors["value"] = "The value must be 0 or more"
        if errors:
            raise ValidationError(errors)
