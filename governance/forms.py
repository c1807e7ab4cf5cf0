from django import forms

from actions.forms import council_people
from actions.models import Action
from config.forms import GovukDateField
from inspections.forms import CycleChoiceField
from inspections.models import Inspection

from .models import Board, DfeReview, Intervention, InterventionKind, Meeting, MeetingKind


def _numeric(**attrs):
    # GOV.UK: a text input with a numeric keyboard, not type=number.
    return forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", **attrs})


# The largest copy of a notice kept (issue 18): notices and directions are a few pages.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class InterventionForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Kind of intervention",
        choices=InterventionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of intervention"},
    )
    cycle = CycleChoiceField(
        label="Which inspection led to it?",
        queryset=Inspection.objects.none(),
        empty_label=None,
        help_text="The graded inspection whose judgement the DfE acted on.",
        error_messages={
            "required": "Select the inspection that led to the intervention",
            "invalid_choice": "Select one of this council's graded inspections",
        },
    )
    started_on = GovukDateField(
        label="Date it started",
        name="date it started",
        past_only=True,
        help_text="The date of the DfE's letter, notice or direction. For example, 14 11 2023",
    )
    ended_on = GovukDateField(
        label="Date it ended",
        name="date it ended",
        required=False,
        past_only=True,
        help_text="Leave it blank while it lasts. A DfE review that ends it records this for you.",
    )
    requirements_due_on = GovukDateField(
        label="Date the requirements must be met by",
        name="date the requirements must be met by",
        required=False,
    )
    report_every_months = forms.IntegerField(
        label="Months between reports",
        required=False,
        min_value=1,
        max_value=12,
        widget=_numeric(),
        help_text="For example, 3 for quarterly reports. Leave it blank if none are required.",
        error_messages={
            "invalid": "Months between reports must be a whole number, like 3",
            "min_value": "Months between reports must be between 1 and 12",
            "max_value": "Months between reports must be between 1 and 12",
        },
    )
    first_report_due_on = GovukDateField(
        label="First report due", name="date the first report is due", required=False
    )

    class Meta:
        model = Intervention
        fields = [
            "cycle",
            "kind",
            "started_on",
            "ended_on",
            "adviser",
            "partner",
            "document_title",
            "document_url",
            "document",
            "requirements",
            "requirements_due_on",
            "report_to",
            "report_every_months",
            "first_report_due_on",
        ]
        widgets = {"requirements": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "document_url": {"invalid": "Enter a web address, like https://www.gov.uk/..."},
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Inspection.objects.graded().for_council(council)
        self.fields["document"].widget = forms.FileInput(attrs={"accept": "application/pdf"})

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            # On the field, before the model's own check would say it in its own words.
            self.add_error("ended_on", "The date it ended must be on or after the date it started")
        return data

    def clean_document(self):
        """A PDF by its content, whatever its name says; at most 10 MB."""
        document = self.cleaned_data.get("document")
        if not document or document == self.initial.get("document"):
            return document
        if document.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("The file must be 10 MB or smaller")
        document.seek(0)
        head = document.read(1024)
        document.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError("The file must be a PDF")
        return document


class DfeReviewForm(forms.ModelForm):
    held_on = GovukDateField(
        label="Date of the review",
        name="date of the review",
        past_only=True,
        help_text="For example, 21 5 2024",
    )
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=DfeReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the review decided"},
    )
    steps_down_to = forms.ChoiceField(
        label="If it steps down, to what?",
        choices=[("", "Not stepping down"), *InterventionKind.choices],
        required=False,
        help_text="The lighter step that starts on the day of the review.",
    )

    def __init__(self, *args, intervention: Intervention, **kwargs):
        super().__init__(*args, **kwargs)
        steps = [InterventionKind.ADVISER, InterventionKind.NOTICE, InterventionKind.DIRECTION]
        lighter = steps[: steps.index(InterventionKind(intervention.kind))]
        if lighter:
            self.fields["steps_down_to"].choices = [("", "Not stepping down")] + [
                (k.value, k.label) for k in reversed(lighter)
            ]
        else:
            del self.fields["steps_down_to"]
            self.fields["outcome"].choices = [
                (v, label)
                for v, label in DfeReview.Outcome.choices
                if v != DfeReview.Outcome.STEPS_DOWN
            ]

    def clean(self):
        data = super().clean()
        if data.get("steps_down_to") and data.get("outcome") != DfeReview.Outcome.STEPS_DOWN:
            self.add_error(
                "steps_down_to", "Choose a lighter step only when the intervention steps down"
            )
        return data

    class Meta:
        model = DfeReview
        fields = ["held_on", "findings", "outcome", "steps_down_to"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"findings": {"required": "Enter what the review found"}}


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name", "chair", "members", "terms_of_reference_url"]
        widgets = {"members": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "name": {"required": "Enter the board's name"},
            "chair": {"required": "Enter the name of the board's independent chair"},
            "terms_of_reference_url": {"invalid": "Enter a web address, like https://..."},
        }


class MeetingForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Which meeting?",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which meeting it is"},
    )
    held_on = GovukDateField(
        label="Date of the meeting", name="date of the meeting", help_text="For example, 12 3 2024"
    )
    starts_at = forms.TimeField(
        label="Start time",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I%p", "%I.%M%p"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        help_text="For example, 14:00. Leave it blank if not known.",
        error_messages={"invalid": "Enter a start time like 14:00"},
    )

    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "starts_at", "location", "agenda_item", "papers", "minutes"]
        widgets = {
            "papers": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }


class DecisionForm(forms.Form):
    """A decision minuted at a meeting, and the action it adds to the live plan, if any."""

    text = forms.CharField(
        label="Decision",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As minuted.",
        error_messages={
            "required": "Enter the decision",
            "max_length": "The decision must be 4000 characters or fewer",
        },
    )
    needs_action = forms.TypedChoiceField(
        label="Does it need an action in the live plan?",
        choices=[("yes", "Yes, add an action"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the decision needs an action"},
    )
    recommendation = forms.ModelChoiceField(
        label="Which recommendation does the action answer?",
        queryset=None,
        required=False,
        empty_label="Choose a recommendation",
        error_messages={"invalid_choice": "Choose a recommendation of the live plan"},
    )
    title = forms.CharField(
        label="Action",
        max_length=200,
        required=False,
        error_messages={"max_length": "The action must be 200 characters or fewer"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        required=False,
        empty_label="Choose the owner",
        error_messages={"invalid_choice": "Choose someone with an account at the council"},
    )
    due_on = GovukDateField(
        label="Due date", name="due date", required=False, help_text="For example, 31 3 2025"
    )
    success_criterion = forms.CharField(
        label="Measurable success criterion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    ACTION_FIELDS = {
        "recommendation": "Choose the recommendation the action answers",
        "title": "Enter the action",
        "owner": "Choose the action's owner",
        "due_on": "Enter the action's due date",
        "success_criterion": "Enter how you will know the action worked",
    }

    def __init__(self, *args, council, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations
        self.fields["recommendation"].label_from_instance = lambda r: (
            f"{r.position}. {r.text[:90]}{'…' if len(r.text) > 90 else ''}"
        )
        self.fields["owner"].queryset = council_people(council)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.council = council

    def clean(self):
        data = super().clean()
        if data.get("needs_action"):
            for name, message in self.ACTION_FIELDS.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def action(self) -> Action | None:
        data = self.cleaned_data
        if not data.get("needs_action"):
            return None
        owner = data["owner"]
        return Action(
            recommendation=data["recommendation"],
            title=data["title"],
            owner=owner,
            owner_name=owner.get_full_name() or owner.username,
            due_on=data["due_on"],
            success_criterion=data["success_criterion"],
        )
