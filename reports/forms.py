from datetime import date

from django import forms

from config.forms import GovukDateField, GovukDateOrIsoWidget
from inspections.models import Grade

from .dashboard import Choice
from .models import PackCover


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; a bad value is reported and ignored, never an error page."""

    inspection = forms.TypedChoiceField(
        label="Inspection",
        choices=[],
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "Choose an inspection from the list: showing the live plan"
        },
    )
    recommendation = forms.TypedChoiceField(
        label="Recommendation",
        choices=[],
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "Choose a recommendation from the list: showing every recommendation"
        },
    )
    since = GovukDateField(
        label="Changes since",
        name="date to show changes since",
        required=False,
        widget=GovukDateOrIsoWidget,
        help_text="For the direction of travel, for example 27 3 2024",
    )

    def __init__(self, *args, inspections: list[Choice], recommendations: list[Choice], **kw):
        self.today: date = kw.pop("today")
        super().__init__(*args, **kw)
        self.fields["inspection"].choices = [
            ("", "The live plan (the latest graded inspection's)"),
            *((c.pk, c.label) for c in inspections),
        ]
        # With an inspection chosen, the recommendations offered are its own. One of another
        # inspection is left over from before the inspection was changed: it is dropped, and
        # the figures are the whole inspection's.
        chosen = self._chosen_inspection(inspections)
        if chosen is not None:
            offered = [c for c in recommendations if c.inspection_id == chosen]
            if self.data.get("recommendation") in {str(c.pk) for c in recommendations} - {
                str(c.pk) for c in offered
            }:
                self.data = self.data.copy()
                self.data["recommendation"] = ""
            recommendations = offered
        self.fields["recommendation"].choices = [
            ("", "Every recommendation"),
            *((c.pk, c.label) for c in recommendations),
        ]

    def _chosen_inspection(self, inspections: list[Choice]) -> int | None:
        value = self.data.get("inspection")
        return next((c.pk for c in inspections if str(c.pk) == value), None)

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since and since > self.today:
            raise forms.ValidationError(
                "The date to show changes since must be today or in the past"
            )
        return since


class OverviewFilterForm(forms.Form):
    """The cross-council overview's filters and sort order."""

    SORTS = {
        "name": ("name",),
        "-name": ("-name",),
        "region": ("region", "name"),
        "-region": ("-region", "name"),
        "latest": ("shown_on", "name"),
        "-latest": ("-shown_on", "name"),
        "grade": ("overall_rank", "name"),
        "-grade": ("-overall_rank", "name"),
        "complete": ("percent_complete", "name"),
        "-complete": ("-percent_complete", "name"),
        "milestone": ("next_due_by", "name"),
        "-milestone": ("-next_due_by", "name"),
    }

    region = forms.ChoiceField(
        label="Region",
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list: showing every region"},
    )
    grade = forms.ChoiceField(
        label="Overall effectiveness",
        choices=[("", "Any grade"), *Grade.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a grade from the list: showing every grade"},
    )
    overdue = forms.BooleanField(label="Only councils with an overdue milestone", required=False)
    inspected = forms.BooleanField(
        label="Only councils with an inspection recorded", required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTS],
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "Sort by a column heading of the table: showing councils by name"
        },
    )

    def __init__(self, *args, regions: list[str], **kw):
        super().__init__(*args, **kw)
        self.fields["region"].choices = [("", "Every region"), *((r, r) for r in regions)]


def _too_long(what: str, limit: int) -> dict:
    return {"max_length": f"{what} must be {limit} characters or fewer"}


class PackCoverForm(forms.ModelForm):
    """The scrutiny pack's cover: the committee, its meeting, the author and the recommendation."""

    meeting_date = GovukDateField(
        label="Date of the meeting",
        name="date of the meeting",
        required=False,
        help_text="For example, 14 1 2027. Leave it blank if the date is not set.",
    )

    class Meta:
        model = PackCover
        fields = ["committee", "meeting_date", "agenda_item", "author", "recommendation"]
        labels = {
            "committee": "Committee",
            "agenda_item": "Agenda item",
            "author": "Report author",
            "recommendation": "Recommendation to the committee",
        }
        widgets = {
            "agenda_item": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "recommendation": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "committee": {"required": "Enter the name of the committee"}
            | _too_long("The committee's name", 200),
            "agenda_item": _too_long("The agenda item", 100),
            "author": _too_long("The report author", 200),
            "recommendation": _too_long("The recommendation to the committee", 2000),
        }
