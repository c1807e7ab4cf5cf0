"""Forms of the inspection timeline: GOV.UK markup comes from config.forms' renderer."""

from django import forms

from config.forms import GovukDateField

from .models import AgreedMilestone, Milestone, Monitoring


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:
        done = f", happened on {obj.done_on:%-d %B %Y}" if obj.done_on else ""
        return f"{obj.title}, due {obj.due_display()}{done}"


class MilestoneDoneForm(forms.Form):
    milestone = MilestoneChoiceField(
        label="Which milestone?",
        queryset=Milestone.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the milestone",
            "invalid_choice": "Select one of this inspection's milestones",
        },
    )
    done_on = GovukDateField(
        label="Date it happened",
        required=False,
        help_text="For example, 4 12 2023. Leave it blank if it has not happened after all.",
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class AgreedMilestoneForm(forms.Form):
    key = forms.ChoiceField(
        label="What has been agreed with Ofsted?",
        choices=AgreedMilestone.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was agreed with Ofsted"},
    )
    due_on = GovukDateField(label="Agreed date", help_text="For example, 20 2 2024")


class DeadlineSettingsForm(forms.Form):
    """Fields for what the grades do not say; which ones show depends on the kind of visit."""

    monitoring = forms.ChoiceField(
        label="Will Ofsted monitor the council after this inspection?",
        choices=Monitoring.choices,
        widget=forms.RadioSelect,
        help_text="Follow the grades: monitoring follows an overall inadequate grade or, with no "
        "overall grade, an inadequate grade for leaders or for help and protection.",
        error_messages={"required": "Select whether Ofsted will monitor the council"},
    )
    priority_actions = forms.BooleanField(
        label="Ofsted's letter sets priority actions", required=False
    )

    def __init__(self, *args, graded: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if graded:
            del self.fields["priority_actions"]
        else:
            del self.fields["monitoring"]


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(
        label="Year",
        error_messages={
            "required": "Enter a year",
            "invalid": "Enter the year as a number, like 2024",
        },
    )

    def __init__(self, *args, first: int, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.last = first, last

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not self.first <= year <= self.last:
            raise forms.ValidationError(f"Enter a year from {self.first} to {self.last}")
        return year
