"""Forms of the inspection timeline: GOV.UK markup comes from config.forms' renderer."""

from django import forms

from config.forms import (
    ConditionalRevealMixin,
    GovukConditionalRadioSelect,
    GovukDateField,
    NumericInput,
)

from .models import MONITORING_REASON_REQUIRED, AgreedMilestone, Framework, Milestone, Monitoring


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


# The field under each override that says why; both show when JavaScript is off.
REASON_FIELDS = {Monitoring.YES: "monitoring_reason_yes", Monitoring.NO: "monitoring_reason_no"}


def _reason_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what Ofsted's letter or the regional director said, and when",
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )


class DeadlineSettingsForm(ConditionalRevealMixin, forms.Form):
    """Fields for what the grades do not say; which ones show depends on the kind of visit."""

    monitoring = forms.ChoiceField(
        label="Will Ofsted monitor the council after this inspection?",
        choices=Monitoring.choices,
        widget=GovukConditionalRadioSelect(reveals=REASON_FIELDS),
        error_messages={"required": "Select whether Ofsted will monitor the council"},
    )
    monitoring_reason_yes = _reason_field("Why will Ofsted monitor the council?")
    monitoring_reason_no = _reason_field("Why will Ofsted not monitor the council?")
    priority_actions = forms.BooleanField(
        label="Ofsted's letter sets priority actions", required=False
    )

    def __init__(self, *args, graded: bool, monitoring_rule: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if graded:
            del self.fields["priority_actions"]
            rule = Framework.MonitoringRule(
                monitoring_rule or Framework.MonitoringRule.OVERALL_INADEQUATE
            )
            self.fields["monitoring"].help_text = (
                f"Follow the grades: under this inspection's framework, monitoring follows "
                f"{rule.label[0].lower()}{rule.label[1:]}. Say yes or no only when Ofsted has "
                "told you otherwise, and why."
            )
        else:
            for name in ("monitoring", *REASON_FIELDS.values()):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        monitoring = data.get("monitoring")
        if monitoring in REASON_FIELDS:
            field = REASON_FIELDS[monitoring]
            reason = data.get(field, "").strip()
            if not reason and field not in self.errors:
                self.add_error(field, MONITORING_REASON_REQUIRED[monitoring])
            data["monitoring_reason"] = reason
        else:
            data["monitoring_reason"] = ""
        return data


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(
        label="Year",
        widget=NumericInput(attrs={"class": "govuk-input--width-4"}),
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
