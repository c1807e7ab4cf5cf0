from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.forms import FormErrorsFirstMixin, GovukDateField, NumericInput
from councils.models import Council, Membership, User
from inspections.models import Recommendation

from .carry import Decision
from .models import RAG_MEANINGS, Action, Rag, Status, check_overdue_rag, check_progress


def council_people(council: Council):
    """People with an account at the council, who may own actions."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(council=council).values("user")
    ).order_by("first_name", "last_name", "username")


# The largest version the column holds (PositiveIntegerField): a larger one was never shown.
MAX_VERSION = 2_147_483_647
RELOAD = "The form was incomplete: reload the page and try again"


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            max_value=MAX_VERSION,
            error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), RELOAD),
            **kwargs,
        )


class ActionForm(FormErrorsFirstMixin, forms.ModelForm):
    """Create or edit an action; status, RAG and percent change through progress updates."""

    due_on = GovukDateField(label="Due date", help_text="For example, 31 3 2024")
    revised_due_on = GovukDateField(
        label="Revised due date",
        required=False,
        help_text="Only if the due date has moved; the original stays on record",
    )

    class Meta:
        model = Action
        fields = [
            "recommendation",
            "title",
            "description",
            "success_criterion",
            "owner_name",
            "owner",
            "lead",
            "due_on",
            "revised_due_on",
            "revision_reason",
            "evidence_of_impact",
        ]
        labels = {
            "recommendation": "Recommendation",
            "title": "Action",
            "owner_name": "Owner",
            "owner": "Owner's account (optional)",
            "lead": "Senior lead (optional)",
            "description": "Description (optional)",
            "success_criterion": "Measurable success criterion",
            "evidence_of_impact": "Evidence of impact (optional)",
            "revision_reason": "Reason for the revised due date",
        }
        help_texts = {
            "owner_name": "The named officer responsible, who may not have an account",
            "owner": "If the owner signs in to this service",
            "success_criterion": "How you will know it worked, for example "
            "\u201c90% of audited strategy discussions rated good or better by March\u201d",
            "evidence_of_impact": "What has changed for children, with links to audits or data",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "success_criterion": forms.Textarea(attrs={"rows": 3}),
            "evidence_of_impact": forms.Textarea(attrs={"rows": 4}),
            "revision_reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": "Enter the action"},
            "owner_name": {"required": "Enter the owner"},
            "success_criterion": {"required": "Enter the measurable success criterion"},
            "recommendation": {"required": "Select the recommendation"},
        }

    def __init__(self, *args, council: Council, recommendations, editing: bool = False, **kw):
        super().__init__(*args, **kw)
        self.fields["recommendation"].queryset = recommendations
        self.fields["recommendation"].empty_label = None
        self.fields["recommendation"].label_from_instance = lambda r: (
            f"{r.position}. {r.text[:120]}{'...' if len(r.text) > 120 else ''}"
        )
        self.fields["owner"].queryset = council_people(council)
        self.fields["owner"].empty_label = "No account"
        if editing:
            # The original due date stays as it was set; a change is a revision with a reason.
            del self.fields["due_on"]
            self.fields["version"] = VersionField()
        else:
            for name in ("revised_due_on", "revision_reason", "evidence_of_impact"):
                del self.fields[name]

    def clean_revised_due_on(self):
        revised = self.cleaned_data.get("revised_due_on")
        before = self.instance.revised_due_on if self.instance.pk else None
        if revised and revised != before and revised < timezone.localdate():
            # A date already gone is no revision: the action would be overdue the moment
            # it is saved. One set earlier stays as it is.
            raise ValidationError("The revised due date must be today or in the future")
        return revised

    def clean(self):
        data = super().clean()
        # Moving a revised date again needs its own reason: the form comes filled in with the
        # reason for the last move, which would otherwise stand against the new date unread.
        before = self.instance.revised_due_on if self.instance.pk else None
        after = data.get("revised_due_on")
        if (
            before
            and after
            and after != before
            and "revision_reason" in self.fields
            and (data.get("revision_reason") or "").strip() == self.instance.revision_reason.strip()
        ):
            self.add_error(
                "revision_reason",
                f"Give the reason for moving the due date again: the reason here is the one "
                f"given for moving it to {before:%-d %B %Y}",
            )
        return data


class ProgressForm(forms.Form):
    narrative = forms.CharField(
        label="Progress update",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="What has happened since the last update; it cannot be changed afterwards",
        error_messages={"required": "Enter the progress update"},
    )
    status = forms.ChoiceField(
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[(rag.value, f"{rag.label}: {RAG_MEANINGS[rag]}") for rag in Rag],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG rating"},
    )
    percent_complete = forms.IntegerField(
        label="Percent complete",
        min_value=0,
        max_value=100,
        widget=NumericInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the percent complete, from 0 to 100",
            "invalid": "Enter the percent complete as a whole number, like 40",
            "min_value": "The percent complete must be 0 or more",
            "max_value": "The percent complete must be 100 or less",
        },
    )
    version = VersionField()

    def __init__(self, *args, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    @property
    def overdue_since(self):
        """The due date an open action has passed, when it has: the form says it is Red."""
        if self.action is not None and self.action.is_overdue():
            return self.action.current_due_on
        return None

    def clean(self):
        data = super().clean()
        errors = check_progress(
            data.get("status", ""), data.get("rag", ""), data.get("percent_complete")
        )
        if self.overdue_since and "rag" not in errors:
            errors.update(
                check_overdue_rag(
                    data.get("status", ""),
                    data.get("rag", ""),
                    self.overdue_since,
                    timezone.localdate(),
                )
            )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class CloseForm(forms.Form):
    evidence_of_impact = forms.CharField(
        label="Evidence of impact",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text="What has changed for children, measured against the success criterion",
        error_messages={"required": "Enter the evidence of impact"},
    )
    narrative = forms.CharField(
        label="Closing update",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        error_messages={"required": "Enter the closing update"},
    )
    version = VersionField()


class FilterForm(forms.Form):
    """The actions list's filters; every value is optional and bad values are ignored."""

    SORTS = {
        # Open actions first, soonest due first: completed ones follow, as they need nothing.
        "due": ("complete_last", "current_due_on", "pk"),
        "-due": ("-current_due_on", "-pk"),
        "title": ("title", "pk"),
        "owner": ("owner_name", "current_due_on", "pk"),
        "status": ("status_rank", "current_due_on", "pk"),
        "rag": ("rag_rank", "current_due_on", "pk"),
        "updated": ("-updated_at", "pk"),
    }

    # Messages for values a person could only send by editing the address: each says what is
    # shown instead, as the dashboard's and the overview's do.
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        error_messages={
            "max_length": "Search for at most 200 characters: showing every action",
            "null_characters_not_allowed": "Search for letters and numbers: showing every action",
        },
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list: showing any status"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "Any RAG"), *Rag.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a RAG rating from the list: showing any"},
    )
    owner = forms.ChoiceField(
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Choose an owner from the list: showing anyone's"},
    )
    recommendation = forms.TypedChoiceField(
        choices=[],
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "Choose a recommendation from the list: showing every one"
        },
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    due_within = forms.IntegerField(
        label="Due in the next (days)",
        required=False,
        min_value=1,
        max_value=3650,
        widget=NumericInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 30",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter at most 3650 days",
        },
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTS],
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That order is not one the list offers: sorted by due date"
        },
    )

    def __init__(self, *args, owners: list[str], recommendations: list[Recommendation], **kw):
        super().__init__(*args, **kw)
        self.fields["owner"].choices = [("", "Anyone"), *((o, o) for o in owners)]
        self.fields["recommendation"].choices = [
            ("", "Any recommendation"),
            *(
                (
                    r.pk,
                    f"{r.inspection.start_date:%Y} {r.inspection.get_kind_display()}: "
                    f"{r.position}. {r.text[:70]}{'...' if len(r.text) > 70 else ''}",
                )
                for r in recommendations
            ),
        ]


class BulkAssignForm(forms.Form):
    actions = forms.TypedMultipleChoiceField(
        label="Actions",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Select at least one action",
            "invalid_choice": "Some of the selected actions no longer exist: reload the list",
        },
    )
    owner_name = forms.CharField(label="New owner", required=False, max_length=100)
    owner = forms.ModelChoiceField(
        label="New owner's account", required=False, queryset=User.objects.none()
    )
    revised_due_on = GovukDateField(label="New due date", required=False)
    revision_reason = forms.CharField(
        label="Reason for the new due date",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, council: Council, action_ids, **kw):
        super().__init__(*args, **kw)
        self.fields["actions"].choices = [(pk, pk) for pk in action_ids]
        self.fields["owner"].queryset = council_people(council)
        self.fields["owner"].empty_label = "No change"

    def clean(self):
        data = super().clean()
        wanted = (
            data.get("owner_name", "").strip() or data.get("owner") or data.get("revised_due_on")
        )
        if not wanted:
            raise ValidationError("Enter a new owner or a new due date for the selected actions")
        if data.get("revised_due_on") and not data.get("revision_reason", "").strip():
            self.add_error("revision_reason", "Enter the reason for the new due date")
        if data.get("revised_due_on") and data["revised_due_on"] < timezone.localdate():
            self.add_error("revised_due_on", "The new due date must be today or in the future")
        return data

    def versions(self) -> dict[int, int]:
        """The version each selected action was at when the list was shown."""
        versions = {}
        for pk in self.cleaned_data["actions"]:
            try:
                versions[pk] = int(self.data.get(f"version-{pk}", ""))
            except ValueError:
                versions[pk] = 0
            if not 1 <= versions[pk] <= MAX_VERSION:
                raise ValidationError("The form was incomplete: reload the list")
        return versions


class CarryForm(forms.Form):
    """One old plan's open action on the carry-over page: carry it, close it, or leave it."""

    template_name = "actions/includes/carry_decision.html"

    action = forms.IntegerField(
        widget=forms.HiddenInput, error_messages=dict.fromkeys(("required", "invalid"), RELOAD)
    )
    version = VersionField()
    decision = forms.ChoiceField(
        label="What happens to this action?",
        choices=Decision.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose carry, close or decide later"},
    )
    reason = forms.CharField(
        label="Why is it closing unfinished?",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.CLOSE and not (data.get("reason") or "").strip():
            # The view gives each form its action, so that the error summary names it.
            title = getattr(getattr(self, "action_obj", None), "title", "the action")
            self.add_error("reason", f"Enter the reason for closing \u201c{title}\u201d unfinished")
        return data


CarryFormSet = forms.formset_factory(
    CarryForm, extra=0, max_num=1000, validate_max=True, absolute_max=1000
)


class EvidenceForm(forms.Form):
    """A file that shows the action's progress or impact."""

    file = forms.FileField(
        label="File",
        help_text="A PDF, a Word, Excel or PowerPoint file, or an image, of up to 20 MB. Only "
        "the council's people can open it.",
        error_messages={
            "required": "Choose a file",
            "empty": "The file is empty",
            "invalid": "Choose a file",
        },
    )
    description = forms.CharField(
        label="What it shows (optional)",
        max_length=300,
        required=False,
        help_text="For example, the March audit of supervision records.",
        error_messages={"max_length": "What it shows must be 300 characters or fewer"},
    )
    update = forms.ModelChoiceField(
        label="Which progress update does it support? (optional)",
        queryset=None,
        required=False,
        empty_label="None in particular",
        error_messages={"invalid_choice": "Choose one of this action's progress updates"},
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.replace(
            "20 MB", f"{settings.EVIDENCE_MAX_MB} MB"
        )
        self.fields["update"].queryset = action.updates.order_by("-created_at", "-pk")
        self.fields["update"].label_from_instance = lambda u: (
            f"{u.created_at:%-d %B %Y}: {u.narrative[:70]}{'…' if len(u.narrative) > 70 else ''}"
        )
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.png,.jpg,.jpeg,.gif"
        )


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is it removed?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the wrong file was added. The change history keeps the reason.",
        error_messages={
            "required": "Say why the file is removed",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
