"""Forms of readiness: GOV.UK markup comes from config.forms' renderer."""

from django import forms
from django.conf import settings
from django.utils import timezone

from actions.forms import VersionField
from actions.models import Action, Rag, Status, check_overdue_rag, check_progress
from config.forms import GovukDateField
from inspections.models import Grade
from measures.models import Measure

from .models import QUESTIONS
from .services import ONE_EVIDENCE

TEXT_LIMIT = 20000


def _text(label: str, *, required=False, rows=8, limit=TEXT_LIMIT, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class StartForm(forms.Form):
    year = forms.IntegerField(
        label="Year",
        help_text="The year the self-evaluation covers, for example 2024",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number"},
    )
    copy_from = forms.ModelChoiceField(
        label="Start from an earlier self-evaluation?",
        queryset=None,
        required=False,
        empty_label="No, start an empty one",
        help_text="Its answers, grades and evidence are copied, and it is kept as it is. A grade "
        "for a judgement that the year's Ofsted framework does not have is left out",
        error_messages={"invalid_choice": "Choose one of this council's self-evaluations"},
    )

    def __init__(self, *args, self_evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = self_evaluations
        self.fields["copy_from"].label_from_instance = lambda s: f"{s.year} ({s.status_label})"


class SelfEvaluationForm(forms.Form):
    what_we_know = _text(QUESTIONS[0][1])
    how_we_know = _text(QUESTIONS[1][1])
    plans = _text(
        QUESTIONS[2][1],
        help_text="Add each plan as a tracked action, with its owner and date, on the "
        "self-evaluation's page",
    )
    director = PersonChoiceField(
        label="Director of children's services",
        queryset=None,
        required=False,
        empty_label="Not named yet",
        help_text="One of the council's officers or admins. Signs the self-evaluation off",
        error_messages={"invalid_choice": "Choose one of the council's officers or admins"},
    )
    lead_member = PersonChoiceField(
        label="Lead member for children's services",
        queryset=None,
        required=False,
        empty_label="Not named yet",
        help_text="Someone with the lead member role here. Signs the self-evaluation off",
        error_messages={"invalid_choice": "Choose someone with the lead member role here"},
    )

    def __init__(self, *args, directors, lead_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = directors
        self.fields["lead_member"].queryset = lead_members


class GradesForm(forms.Form):
    """A grade and a rationale for each judgement of the self-evaluation's framework."""

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        choices = [("", "Not graded yet")] + [
            (value, label) for value, label in Grade.choices if value != Grade.ADEQUATE
        ]
        for area in self.areas:
            self.fields[f"grade_{area.key}"] = forms.ChoiceField(
                label=f"{area.name}: self-assessed grade",
                choices=choices,
                required=False,
                error_messages={"invalid_choice": f"Choose a grade for {area.short_name.lower()}"},
            )
            self.fields[f"rationale_{area.key}"] = _text(
                f"{area.short_name}: why this grade", rows=4, limit=4000
            )

    def grades(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            area.key: (data[f"grade_{area.key}"], data[f"rationale_{area.key}"])
            for area in self.areas
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For example, Quality assurance report, quarter 3. Left blank for an action, "
        "its title is used",
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )
    url = forms.URLField(
        label="Web address of the document",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://intranet.example.org/report.pdf",
            "max_length": "The web address must be 200 characters or fewer",
        },
    )
    action = forms.ModelChoiceField(
        label="Or one of the council's improvement actions",
        queryset=Action.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose one of this council's actions"},
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="A PDF, a Word, Excel or PowerPoint file, or an image, of up to 20 MB. Only "
        "the council's people can open it. Left blank, the title is the file's name",
        error_messages={"empty": "The file is empty", "invalid": "Choose a file"},
        widget=forms.FileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.png,.jpg,.jpeg,.gif"}
        ),
    )
    measure = forms.ModelChoiceField(
        label="Or one of the council's impact measures",
        queryset=Measure.objects.none(),
        required=False,
        empty_label="None",
        help_text="Left blank, the title is the measure's name",
        error_messages={"invalid_choice": "Choose one of this council's measures"},
    )

    def __init__(self, *args, actions, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["file"].help_text = self.fields["file"].help_text.replace(
            "20 MB", f"{settings.EVIDENCE_MAX_MB} MB"
        )
        # Offered only to a council that has measures.
        if measures is not None and measures.exists():
            self.fields["measure"].queryset = measures
        else:
            del self.fields["measure"]

    def clean(self):
        data = super().clean()
        given = [data.get(name) for name in ("url", "action", "file", "measure")]
        if not self.errors and not any(given):
            raise forms.ValidationError(
                "Upload a file, enter the web address of the evidence, or choose an action"
                + (" or a measure" if "measure" in self.fields else "")
            )
        # A file or a measure stands alone (a web address with an action was always allowed):
        # said before the document's missing title, which would send the officer astray.
        if (
            not self.errors
            and (data.get("file") or data.get("measure"))
            and sum(map(bool, given)) > 1
        ):
            raise forms.ValidationError(ONE_EVIDENCE)
        if not self.errors and data.get("url") and not data.get("title"):
            self.add_error("title", "Enter the title of the document")
        return data


class PlanActionForm(forms.Form):
    title = forms.CharField(
        label="Action",
        max_length=200,
        error_messages={
            "required": "Enter the action",
            "max_length": "The action must be 200 characters or fewer",
        },
    )
    owner_name = forms.CharField(
        label="Owner",
        max_length=100,
        help_text="The named officer responsible",
        error_messages={
            "required": "Enter the owner",
            "max_length": "The owner must be 100 characters or fewer",
        },
    )
    due_on = GovukDateField(label="Due date", help_text="For example, 31 3 2025")


class PlanActionEditForm(PlanActionForm):
    reason = _text(
        "Why is the due date changing?",
        rows=2,
        limit=2000,
        help_text="Only if it changes. Kept in the history",
    )
    version = VersionField()


class PlanActionRemoveForm(forms.Form):
    reason = _text(
        "Why is it removed?",
        required=True,
        rows=3,
        limit=2000,
        help_text="For example, added twice, or replaced by another action. Kept in the history",
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why the action is removed"


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status", "invalid_choice": "Select the status"},
    )
    rag = forms.ChoiceField(
        label="RAG",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG", "invalid_choice": "Select the RAG"},
    )
    progress = _text("Latest progress", rows=4, limit=4000)
    version = VersionField()

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    @property
    def overdue_since(self):
        """The due date an open action has passed, when it has: the form says it is Red."""
        return self.action.due_on if self.action.is_overdue() else None

    def clean(self):
        data = super().clean()
        status, rag = data.get("status", ""), data.get("rag", "")
        errors = check_progress(status, rag, None) or check_overdue_rag(
            status, rag, self.action.due_on, timezone.localdate()
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class MeetingForm(forms.Form):
    held_on = GovukDateField(label="Date of the meeting", past_only=True)
    attendees = _text("Who attended", required=True, rows=4, help_text="One person a line")
    topics = _text("Topics discussed", required=True, rows=5)
    letter_on = GovukDateField(
        label="Date of Ofsted's letter", name="date of the letter", required=False, past_only=True
    )
    letter_summary = _text("Summary of the letter", rows=5)
    letter_url = forms.URLField(
        label="Web address of the letter",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Where the council keeps it: Ofsted does not publish the letter",
        error_messages={
            "invalid": "Enter a web address, like https://intranet.example.org/letter.pdf",
            "max_length": "The web address must be 200 characters or fewer",
        },
    )
    focus = _text(
        "Focus the letter names", rows=3, limit=2000, help_text="For example, for a focused visit"
    )


class MeetingCreateForm(MeetingForm):
    """A meeting, with Ofsted's letter as a file beside its web address."""

    letter_file = forms.FileField(
        label="Or upload the letter",
        required=False,
        help_text="A PDF or Word document of up to 20 MB. Only the council's people can open it",
        error_messages={"empty": "The file is empty", "invalid": "Choose a file"},
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter_file"].help_text = self.fields["letter_file"].help_text.replace(
            "20 MB", f"{settings.EVIDENCE_MAX_MB} MB"
        )
        # The file is the alternative to the web address, so it follows it.
        order = [name for name in self.fields if name != "letter_file"]
        order.insert(order.index("letter_url") + 1, "letter_file")
        self.order_fields(order)


class MeetingEditForm(MeetingCreateForm):
    """A meeting's record changed: the letter often arrives weeks after the meeting, so it can
    be uploaded here too, replacing any kept before (the history keeps the earlier name)."""

    version = VersionField()

    def __init__(self, *args, kept_letter: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if kept_letter:
            self.fields["letter_file"].label = "Or upload the letter again"
            self.fields[
                "letter_file"
            ].help_text += f". It replaces the letter kept now, {kept_letter}"
