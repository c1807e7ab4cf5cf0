"""Forms of the import from the Ofsted report: the upload, then the preview to correct and save."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from config.forms import GovukDateField
from councils.models import Council

from .forms import CURRENT_GRADES, FieldworkDatesForm
from .importing import (
    DEFAULT_KIND,
    ILACS_KINDS,
    Fieldwork,
    fieldwork_from_blocks,
    is_same_council,
    report_read,
    size_display,
)
from .models import Framework, Inspection, JudgementArea
from .report_parser import ReportRejected
from .selectors import existing_inspection
from .services import ImportValues


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label="Ofsted report (PDF)",
        error_messages={
            "required": "Choose the Ofsted report PDF",
            "empty": "The selected file is empty",
            "invalid": "Choose the Ofsted report PDF",
            "missing": "Choose the Ofsted report PDF",
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    published_on = GovukDateField(
        label="Publication date",
        required=False,
        help_text="If you know it: the report does not always print it, and statutory deadlines "
        "count from it. For example, 25 8 2023",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = size_display(settings.REPORT_UPLOAD_MAX_BYTES)
        self.fields["report"].help_text = f"The report as Ofsted published it, up to {limit}"
        self.parsed = None

    @classmethod
    def with_problem(cls, message: str) -> "ReportUploadForm":
        """An empty upload form that says why the officer is back on it."""
        form = cls()
        form.cleaned_data = {}
        form.add_error(None, message)
        return form

    def clean_report(self):
        upload = self.cleaned_data["report"]
        try:
            # The size is checked before the file is read: a huge upload is refused unread.
            self.parsed = report_read(file=upload, size=upload.size)
        except ReportRejected as exc:
            raise ValidationError(str(exc)) from None
        return upload


def _grade_field_name(key: str) -> str:
    return f"grade_{key}"


class ImportForm(FieldworkDatesForm):
    """Every detail read from the report, correctable, plus its grades for the framework."""

    # What was read, signed; the confirmation view checks it before building this form.
    report = forms.CharField(widget=forms.HiddenInput)
    # The inspection the preview offered to update, so that a change since then is noticed.
    update = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Kind of inspection",
        choices=[(kind.value, kind.label) for kind in ILACS_KINDS],
        widget=forms.RadioSelect,
        help_text="The report does not say whether the inspection was standard or short: check "
        "the letter that announced it",
        error_messages={"required": "Select the kind of inspection"},
    )
    lead_inspector = forms.CharField(label="Lead inspector", max_length=100, required=False)
    report_url = forms.URLField(
        label="Report web address",
        required=False,
        max_length=200,
        help_text="Optional, for example https://files.ofsted.gov.uk/v1/file/50224524",
        error_messages={"invalid": "Enter a web address like https://..."},
    )

    DETAIL_FIELDS = (
        "kind",
        "start_date",
        "end_date",
        "second_start_date",
        "second_end_date",
        "published_on",
        "lead_inspector",
        "report_url",
    )
    # The inherited date fields take their place in the page, and so in the error summary.
    field_order = ("report", "update", *DETAIL_FIELDS)

    def __init__(self, *args, council: Council, read: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.read = read
        self.read_fieldwork = [
            (date.fromisoformat(start), date.fromisoformat(end)) for start, end in read["fieldwork"]
        ]
        start = self._posted_start_date() or self.read_fieldwork[0][0]
        self.start = start
        self.framework = Framework.objects.for_start_date(start)
        self.areas: list[JudgementArea] = (
            list(self.framework.areas.all())
            if self.framework and self.framework.family == Framework.Family.ILACS
            else []
        )
        self.existing = existing_inspection(council=council, start_date=start)
        grade_labels = dict(CURRENT_GRADES)
        for area in self.areas:
            read_grade = read["judgements"].get(area.key)
            self.fields[_grade_field_name(area.key)] = forms.ChoiceField(
                label=area.name,
                choices=CURRENT_GRADES,
                widget=forms.RadioSelect,
                help_text=f"The report says: {grade_labels.get(read_grade, read_grade)}"
                if read_grade
                else "Not read from the report",
                error_messages={"required": f"Select the grade for {area.short_name.lower()}"},
            )
        self.other_council = not is_same_council(read["local_authority"], council)
        if self.other_council:
            self.fields["confirm_council"] = forms.BooleanField(
                label=f"I have checked: import this report for {read['local_authority']} into "
                f"{council.name}",
                error_messages={
                    "required": f"This report is for {read['local_authority']}, not "
                    f"{council.name}: confirm that it belongs here, or upload "
                    f"{council.name}'s report"
                },
            )

    @classmethod
    def initial_for(
        cls, *, token: str, read: dict, fieldwork: Fieldwork, existing: Inspection | None
    ) -> dict:
        """The preview's starting values: what was read, kept details of an existing record."""
        initial = {
            "report": token,
            "update": existing.pk if existing else None,
            "kind": existing.kind if existing else DEFAULT_KIND,
            "published_on": existing.published_on if existing else None,
            "lead_inspector": read["lead_inspector"],
            "report_url": existing.report_url if existing else "",
            **vars(fieldwork),
        }
        initial.update({_grade_field_name(key): grade for key, grade in read["judgements"].items()})
        return initial

    def _posted_start_date(self) -> date | None:
        """The first day of fieldwork as posted, which decides the judgements to ask for."""
        if not self.is_bound:
            return self.initial.get("start_date")
        field = self.fields["start_date"]
        value = field.widget.value_from_datadict(
            self.data, self.files, self.add_prefix("start_date")
        )
        try:
            return field.to_python(value)
        except ValidationError:
            return None

    @property
    def detail_fields(self):
        return [self[name] for name in self.DETAIL_FIELDS]

    @property
    def grade_fields(self):
        return [self[_grade_field_name(area.key)] for area in self.areas]

    def read_grades(self) -> list[tuple[str, str | None]]:
        """The grades as read, named as the framework names them, for the side panel."""
        names = {area.key: area.name for area in self.areas}
        return [
            (names.get(key, key.replace("_", " ").capitalize()), grade)
            for key, grade in self.read["judgements"].items()
        ]

    def clean(self):
        data = super().clean()
        if self.errors or "start_date" not in data:
            return data
        if self.framework is None or not self.areas:
            self.add_error(
                "start_date",
                f"No ILACS framework was in force on {data['start_date']:%-d %B %Y}: check the "
                "first day of fieldwork",
            )
            return data
        offered = data.get("update")
        found = self.existing.pk if self.existing else None
        if offered != found:
            if self.existing:
                self.add_error(
                    None,
                    f"{self.council.name} already has an inspection that started on "
                    f"{data['start_date']:%-d %B %Y}: saving will update it rather than add "
                    "a duplicate. Check the details, then save again",
                )
            else:
                self.add_error(
                    None,
                    f"{self.council.name} has no inspection that started on "
                    f"{data['start_date']:%-d %B %Y} any more: saving will add it as a new "
                    "inspection. Check the details, then save again",
                )
        return data

    def values(self, recommendations: list[tuple[str, str]]) -> ImportValues:
        data = self.cleaned_data
        return ImportValues(
            kind=data["kind"],
            fieldwork=Fieldwork(
                data["start_date"],
                data["end_date"],
                data["second_start_date"],
                data["second_end_date"],
            ),
            published_on=data["published_on"],
            lead_inspector=data["lead_inspector"],
            report_url=data["report_url"],
            grades={area.key: data[_grade_field_name(area.key)] for area in self.areas},
            recommendations=recommendations,
        )


def preview_initial(*, token: str, read: dict, council: Council, published_on: date | None):
    """The initial data of a fresh preview, and the inspection it would update."""
    fieldwork = fieldwork_from_blocks(
        [(date.fromisoformat(start), date.fromisoformat(end)) for start, end in read["fieldwork"]]
    )
    existing = existing_inspection(council=council, start_date=fieldwork.start_date)
    initial = ImportForm.initial_for(token=token, read=read, fieldwork=fieldwork, existing=existing)
    if published_on:
        initial["published_on"] = published_on
    return initial
