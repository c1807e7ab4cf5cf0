from django import forms
from django.forms import BaseFormSet, formset_factory

from config.forms import GovukDateField

from .models import GRADED_KINDS, Framework, Grade, Inspection, InspectionKind, JudgementArea
from .planning import PRIORITY_ACTION_KINDS
from .services.visits import VISIT_KINDS


class FieldworkDatesForm(forms.Form):
    """Fieldwork and publication dates, asked the same way wherever an inspection is entered."""

    start_date = GovukDateField(
        label="First day of fieldwork", past_only=True, help_text="For example, 11 7 2023"
    )
    end_date = GovukDateField(label="Last day of fieldwork")
    second_start_date = GovukDateField(
        label="First day of a second fieldwork block",
        required=False,
        help_text="Only if fieldwork was split, as in 5 to 9 December 2022 and 14 to 15 "
        "February 2023",
    )
    second_end_date = GovukDateField(label="Last day of the second fieldwork block", required=False)
    published_on = GovukDateField(
        label="Publication date",
        required=False,
        past_only=True,
        help_text="The date Ofsted published the report; statutory deadlines count from it "
        "unless you enter the date the council received the report",
        error_messages={
            "future": "The publication date must be today or in the past: add it once Ofsted "
            "has published the report"
        },
    )


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        if obj.last_starts_on:
            return (
                f"{obj.name}: inspections starting {obj.starts_on:%-d %B %Y} to "
                f"{obj.last_starts_on:%-d %B %Y}"
            )
        return f"{obj.name}: inspections starting from {obj.starts_on:%-d %B %Y}"


class InspectionForm(FieldworkDatesForm, forms.ModelForm):
    """A graded inspection; visits have their own form (VisitForm), which links them to a cycle."""

    kind = forms.ChoiceField(
        label="Kind of inspection",
        choices=[(k.value, k.label) for k in InspectionKind if k in GRADED_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of inspection",
            "invalid_choice": "Select a graded inspection: record a monitoring visit, focused "
            "visit or JTAI as a visit",
        },
    )
    report_received_on = GovukDateField(
        label="Date report received",
        required=False,
        help_text="Leave blank if it is the publication date: deadlines then count from "
        "publication. Statutory deadlines run from the day the council received the report.",
    )

    framework = FrameworkChoiceField(
        label="Framework",
        queryset=Framework.objects.all(),
        required=False,
        blank=True,
        widget=forms.RadioSelect,
        empty_label="The framework in force on the first day of fieldwork",
        help_text="Only if the report says it was inspected under another framework: SIF "
        "inspections carried on into 2018, beside ILACS",
        error_messages={
            "invalid_choice": "Select a framework that applies to this kind of inspection and "
            "its first day of fieldwork"
        },
    )

    class Meta:
        model = Inspection
        fields = [
            "kind",
            "start_date",
            "end_date",
            "second_start_date",
            "second_end_date",
            "framework",
            "published_on",
            "report_received_on",
            "lead_inspector",
            "report_url",
        ]
        labels = {"lead_inspector": "Lead inspector", "report_url": "Report web address"}
        help_texts = {"report_url": "For example, https://files.ofsted.gov.uk/v1/file/50224524"}
        error_messages = {"report_url": {"invalid": "Enter a web address like https://..."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        family = GRADED_KINDS.get(instance.kind)
        if instance.pk and family and instance.start_date:
            # Only the frameworks this inspection's kind and start date allow; a new one lists
            # them all, and clean() checks the choice against the dates entered.
            possible = Framework.objects.possible_for(instance.start_date, family)
            self.fields["framework"].queryset = Framework.objects.filter(
                pk__in=[f.pk for f in possible]
            )

    def clean(self):
        data = super().clean()
        framework = data.get("framework")
        kind, start = data.get("kind"), data.get("start_date")
        if framework is None or not kind or not start:
            return data
        family = GRADED_KINDS.get(kind)
        possible = Framework.objects.possible_for(start, family) if family else []
        if framework in possible:
            return data
        if "framework" not in self.changed_data:
            # The dates or the kind moved and the framework was left as it was: the date
            # decides again, as it does for a new inspection.
            data["framework"] = None
            self.instance.framework = None
            return data
        kind_text = Inspection(kind=kind).kind_in_sentence()
        if not family:
            self.add_error(
                "framework",
                f"A {kind_text} is not graded: select the framework in force on the first day "
                "of fieldwork",
            )
        elif possible:
            names = " or ".join(f.name for f in possible)
            self.add_error(
                "framework",
                f"The {framework.name} was not in force for a {kind_text} starting on "
                f"{start:%-d %B %Y}: select the {names}, or the framework in force on the first "
                "day of fieldwork",
            )
        # With no framework possible at all, the model's check says so against the start date.
        return data


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Inspection) -> str:
        return f"{obj.get_kind_display()}, {obj.fieldwork_display()}"


class VisitForm(FieldworkDatesForm, forms.ModelForm):
    """A monitoring visit, focused visit or JTAI, in the cycle of a graded inspection."""

    kind = forms.ChoiceField(
        label="Kind of visit",
        choices=[(k.value, k.label) for k in VISIT_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of visit",
            "invalid_choice": "Select a monitoring visit, a focused visit or a JTAI",
        },
    )
    cycle = CycleChoiceField(
        label="Which inspection does the visit follow?",
        queryset=Inspection.objects.none(),
        empty_label=None,
        help_text="The graded inspection whose cycle the visit belongs to. Monitoring visits "
        "normally follow an inadequate judgement.",
        error_messages={
            "required": "Select the inspection the visit follows",
            "invalid_choice": "Select one of this council's graded inspections",
        },
    )
    published_on = GovukDateField(
        label="Date the letter was published",
        name="date the letter was published",
        required=False,
        past_only=True,
        help_text="Leave it blank until Ofsted publishes the letter. Deadlines for priority "
        "actions count from it.",
    )
    priority_actions = forms.TypedChoiceField(
        label="Did the letter set priority actions?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Focused visits and JTAIs, once the letter is published. If it did, the draft "
        "and final action plans are due 20 and 70 working days after the letter.",
    )

    class Meta:
        model = Inspection
        fields = [
            "kind",
            "cycle",
            "start_date",
            "end_date",
            "second_start_date",
            "second_end_date",
            "published_on",
            "lead_inspector",
            "report_url",
            "findings",
            "priority_areas",
        ]
        labels = {
            "lead_inspector": "Lead inspector",
            "report_url": "Letter web address",
            "findings": "What the letter found",
            "priority_areas": "Areas for priority action",
        }
        help_texts = {
            "report_url": "For example, https://files.ofsted.gov.uk/v1/file/50224524",
            "findings": "A summary, in your own words or the letter's.",
            "priority_areas": "As the letter names them, one per line. Leave it blank if it "
            "names none.",
        }
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 5}),
            "priority_areas": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"report_url": {"invalid": "Enter a web address like https://..."}}

    def __init__(self, *args, graded, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = graded
        if not graded.exists():
            # Nothing to choose: the visit is recorded on its own, before any graded inspection.
            del self.fields["cycle"]

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") in PRIORITY_ACTION_KINDS
            and data.get("published_on")
            and data.get("priority_actions") is None
        ):
            # Asked once the letter is out; until then there is nothing to answer from.
            self.add_error("priority_actions", "Select whether the letter set priority actions")
        if data.get("kind") == InspectionKind.MONITORING_VISIT and data.get("priority_actions"):
            self.add_error(
                "priority_actions", "Only a focused visit or a JTAI letter sets priority actions"
            )
        return data


# Grades Ofsted gives today; "adequate" belongs to data from before November 2013.
CURRENT_GRADES = [(grade.value, grade.label) for grade in Grade if grade != Grade.ADEQUATE]


class JudgementsForm(forms.Form):
    """One grade for each judgement area of the inspection's framework."""

    def __init__(self, *args, areas: list[JudgementArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[area.key] = forms.ChoiceField(
                label=area.name,
                choices=CURRENT_GRADES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the grade for {area.short_name.lower()}"},
            )


class RecommendationForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Recommendation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    national_framework_reference = forms.CharField(
        label="National framework reference",
        required=False,
        max_length=200,
        help_text='Optional, for example "outcome 2, national framework"',
    )

    def clean(self):
        data = super().clean()
        if data.get("national_framework_reference") and not data.get("text"):
            self.add_error("text", "Enter the recommendation, or remove its reference")
        return data


class BaseRecommendationFormSet(BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this recommendation"
        # Reordering moves a recommendation with its actions; editing the texts in place would
        # leave each action under whichever text landed in its box.
        order = form.fields["ORDER"]
        order.label = "Position in the report"
        order.help_text = "Change the numbers to change the order"
        order.widget.attrs["class"] = "govuk-input--width-2"
        order.error_messages["invalid"] = "Enter the position as a whole number, like 3"

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("id") and not data.get("text", "").strip() and not data.get("DELETE"):
                form.add_error("text", "Enter the recommendation, or tick the box to remove it")


RecommendationFormSet = formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    max_num=40,
    validate_max=True,
)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being withdrawn?",
        help_text="For example, \u201cRecorded twice: the inspection of July 2023 is the right "
        "one\u201d",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the inspection is being withdrawn"},
    )
