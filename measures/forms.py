"""Forms of impact measures: a measure, the values of a period, and a file of values."""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q
from django.utils import timezone

from actions.forms import RELOAD
from actions.models import Action
from config.forms import FormErrorsFirstMixin, GovukDateField
from inspections.models import Recommendation

from .models import VALUE_DIGITS, Measure, Polarity, Unit
from .periods import Frequency, is_period_end, period_end, period_label
from .periods import recent_period_ends as period_ends

# A value as typed: digits, one decimal point; commas between thousands and a trailing % are
# allowed, and a minus sign so that a negative value is refused with its own message.
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
MAX_WHOLE_DIGITS = VALUE_DIGITS["max_digits"] - VALUE_DIGITS["decimal_places"]


def in_sentence(name: str) -> str:
    """A measure's name inside a sentence: "re-referrals", but "CIN plans" as it is."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


class NumberError(ValueError):
    pass


def parse_number(text: str, *, unit: str | None = None) -> Decimal:
    """A number as typed: "1,234", "23.5", "23.5%". NumberError says what is wrong, to follow
    the measure's name."""
    cleaned = text.strip().replace(" ", "")
    if unit == Unit.PERCENTAGE or cleaned.endswith("%"):
        cleaned = cleaned.removesuffix("%")
    if not cleaned or not _NUMBER.match(cleaned) or cleaned in {"-", "."}:
        raise NumberError("as a number, like 23.5")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise NumberError("as a number, like 23.5") from None
    if value < 0:
        raise NumberError("as 0 or more")
    if unit == Unit.PERCENTAGE and value > 100:
        raise NumberError("as a percentage from 0 to 100")
    sign, digits, exponent = value.as_tuple()
    if -exponent > VALUE_DIGITS["decimal_places"]:
        raise NumberError(f"with no more than {VALUE_DIGITS['decimal_places']} decimal places")
    if len(digits) + min(exponent, 0) > MAX_WHOLE_DIGITS or value >= 10**MAX_WHOLE_DIGITS:
        raise NumberError("as a smaller number")
    return value


class ValueField(forms.CharField):
    """A decimal typed in a text box (GOV.UK: not type=number), with messages that name it."""

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "spellcheck": "false",
                    "class": "govuk-input--width-10",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # A stored Decimal("72.5000") goes back in the box as 72.5.
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except NumberError as exc:
            raise forms.ValidationError(f"Enter the {self.name} {exc}") from None


def recommendation_label(recommendation: Recommendation) -> str:
    text = recommendation.text
    short = text if len(text) <= 110 else f"{text[:110].rstrip()}…"
    return (
        f"Recommendation {recommendation.position} "
        f"({recommendation.inspection.fieldwork_display()}): {short}"
    )


# Actions offered: open ones, those closed in the last year, and those already linked.
RECENT_DAYS = 365


class MeasureForm(FormErrorsFirstMixin, forms.ModelForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As the measure is known in reports, such as “Re-referrals within 12 months”.",
        error_messages={
            "required": "Enter the measure's name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    definition = forms.CharField(
        label="Definition",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is counted, and over what, exactly: the numerator and denominator.",
        error_messages={"required": "Enter the measure's definition"},
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the measure's unit"},
    )
    polarity = forms.ChoiceField(
        label="Is a higher or a lower value better?",
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher or a lower value is better"},
    )
    frequency = forms.ChoiceField(
        label="How often is it reported?",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often the measure is reported"},
    )
    baseline = ValueField(
        name="baseline",
        label="Baseline",
        required=False,
        help_text="The value before the plan started, in the measure's unit. For example, 23.5",
    )
    baseline_on = GovukDateField(
        label="Date of the baseline",
        name="date of the baseline",
        required=False,
        help_text="The end of the period the baseline is for. For example, 31 3 2024",
    )
    target = ValueField(
        name="target",
        label="Target",
        required=False,
        help_text="The value the plan aims for, in the measure's unit.",
    )
    target_on = GovukDateField(
        label="Date of the target",
        name="date of the target",
        required=False,
        help_text="The date the target should be met by. For example, 31 3 2026",
    )
    tolerance = ValueField(
        name="tolerance for Amber",
        label="Tolerance for Amber",
        required=False,
        help_text="How far short of the target, in the measure's unit, is still Amber rather "
        "than Red. Leave it blank for none.",
    )
    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "name",
            "definition",
            "unit",
            "polarity",
            "frequency",
            "source",
            "baseline",
            "baseline_on",
            "target",
            "target_on",
            "tolerance",
            "recommendations",
            "actions",
        ]
        labels = {"source": "Source (optional)"}
        error_messages = {
            "source": {"max_length": "The source must be 300 characters or fewer"},
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        if self.instance.pk:
            self.initial["updated_at"] = self.instance.updated_at.isoformat()
        else:
            del self.fields["updated_at"]
        recommendations = Recommendation.objects.filter(
            inspection__council=council, inspection__withdrawn_at__isnull=True
        ).select_related("inspection")
        self.fields["recommendations"].queryset = recommendations.order_by(
            "-inspection__start_date", "position"
        )
        self.fields["recommendations"].required = False
        self.fields["recommendations"].label = "Which recommendations does it show the impact of?"
        self.fields["recommendations"].error_messages["invalid_choice"] = (
            "Choose recommendations of this council's inspections"
        )
        self.fields["recommendations"].label_from_instance = recommendation_label
        linked = self.instance.actions.values("pk") if self.instance.pk else []
        recent = timezone.localdate().replace(year=timezone.localdate().year - 1)
        actions = Action.objects.for_council(council).filter(
            Q(status__in=["not_started", "in_progress", "blocked"], ended_on__isnull=True)
            | Q(closed_on__gte=recent)
            | Q(ended_on__gte=recent)
            | Q(pk__in=linked)
        )
        self.fields["actions"].queryset = actions.select_related(
            "recommendation__inspection"
        ).order_by("-recommendation__inspection__start_date", "recommendation__position", "pk")
        self.fields["actions"].required = False
        self.fields["actions"].label = "Which actions does it show the impact of?"
        self.fields["actions"].error_messages["invalid_choice"] = (
            "Choose actions of this council's plan"
        )
        self.fields["source"].help_text = Measure._meta.get_field("source").help_text
        for name in ("recommendations", "actions"):
            self.fields[name].widget = forms.CheckboxSelectMultiple()

    def clean_tolerance(self):
        return self.cleaned_data.get("tolerance") or Decimal(0)

    def clean_updated_at(self):
        text = self.cleaned_data.get("updated_at", "")
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(RELOAD) from None

    def checkbox_groups(self, name: str) -> list[dict]:
        """The checkboxes of recommendations (by inspection) or actions (by recommendation)."""
        field = self[name]
        chosen = {str(v) for v in (field.value() or [])}
        groups: dict[str, dict] = {}
        for index, obj in enumerate(self.fields[name].queryset):
            if name == "recommendations":
                heading = f"Inspection of {obj.inspection.fieldwork_display()}"
                label = recommendation_label(obj).split(": ", 1)[1]
                label = f"Recommendation {obj.position}: {label}"
                status = ""
            else:
                heading = recommendation_label(obj.recommendation)
                label, status = obj.title, obj.get_status_display()
            group = groups.setdefault(heading, {"heading": heading, "options": []})
            group["options"].append(
                {
                    "value": str(obj.pk),
                    "label": label,
                    "checked": str(obj.pk) in chosen,
                    "id": f"{field.auto_id}_{index}",
                    "status": status,
                }
            )
        return list(groups.values())


# --- The values of a period ------------------------------------------------------------------

RECENT_PERIODS = {Frequency.MONTHLY: 24, Frequency.QUARTERLY: 12, Frequency.YEARLY: 6}


@dataclass
class PeriodChoice:
    frequency: str
    period_end: date
    message: str = ""

    @property
    def label(self) -> str:
        return period_label(self.frequency, self.period_end)


def choose_period(params, today: date | None = None) -> PeriodChoice:
    """The frequency and period asked for, or the latest ended quarter, with a message saying
    why when what was asked for cannot be shown."""
    today = today or timezone.localdate()
    frequency = params.get("frequency") or Frequency.QUARTERLY
    message = ""
    if frequency not in Frequency.values:
        message = "There is no such frequency: showing quarterly measures"
        frequency = Frequency.QUARTERLY
    latest = recent_period_ends(frequency, today)[0]
    text = (params.get("period") or "").strip()
    if not text:
        return PeriodChoice(frequency, latest, message)
    try:
        asked = date.fromisoformat(text)
        if asked.year < 2000:
            raise ValueError
    except ValueError:
        return PeriodChoice(
            frequency,
            latest,
            message or f"The period was not recognised: showing {period_label(frequency, latest)}",
        )
    end = asked if is_period_end(frequency, asked) else period_end(frequency, asked)
    if end > today:
        return PeriodChoice(
            frequency,
            latest,
            message
            or f"{period_label(frequency, end)} has not ended yet: showing "
            f"{period_label(frequency, latest)}",
        )
    return PeriodChoice(frequency, end, message)


def recent_period_ends(frequency: str, today: date) -> list[date]:
    return period_ends(frequency, today, RECENT_PERIODS[frequency])


def _plain(value: Decimal | None) -> str:
    """A stored value as it goes back into a box: 23.5, not 23.5000."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


class ValuesForm(forms.Form):
    """A value and a note for each measure of one frequency, for one period.

    Each row carries the value the page showed (``shown_<pk>``), so that a value someone else
    changed in the meantime is not overwritten unseen. A box left empty where a value was
    shown clears that value (the history keeps it)."""

    def __init__(
        self,
        *args,
        measures: list[Measure],
        current: dict,
        period: PeriodChoice,
        check_url: str = "",
        **kw,
    ):
        super().__init__(*args, **kw)
        self.measures = measures
        self.current = current
        self.period = period
        for measure in measures:
            value = current.get(measure.pk)
            self.fields[f"value_{measure.pk}"] = forms.CharField(
                label=f"{measure.name}, {period.label}",
                required=False,
                max_length=40,
                initial=_plain(value.value) if value else "",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "spellcheck": "false",
                        "class": "govuk-input--width-5",
                        # With htmx, the value is checked (not saved) as soon as it changes.
                        **(
                            {
                                "hx-post": check_url,
                                "hx-trigger": "change",
                                "hx-target": f"#value-cell-{measure.pk}",
                                "hx-swap": "outerHTML",
                                "hx-include": "closest form",
                                "hx-vals": json.dumps({"check": str(measure.pk)}),
                            }
                            if check_url
                            else {}
                        ),
                    }
                ),
                error_messages={"max_length": f"Enter {in_sentence(measure.name)} as a number"},
            )
            self.fields[f"note_{measure.pk}"] = forms.CharField(
                label=f"Note on {measure.name}",
                required=False,
                max_length=300,
                initial=value.note if value else "",
                error_messages={
                    "max_length": f"The note on {in_sentence(measure.name)} must be 300 "
                    "characters or fewer"
                },
            )
            self.fields[f"shown_{measure.pk}"] = forms.CharField(
                required=False,
                initial=_plain(value.value) if value else "",
                widget=forms.HiddenInput,
            )

    def clean(self):
        data = super().clean()
        self.items = []
        for measure in self.measures:
            name = in_sentence(measure.name)
            text = data.get(f"value_{measure.pk}") or ""
            note = data.get(f"note_{measure.pk}") or ""
            shown_text = data.get(f"shown_{measure.pk}") or ""
            try:
                shown = Decimal(shown_text) if shown_text else None
                if shown is not None and not shown.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add_error(None, RELOAD)
                continue
            if f"value_{measure.pk}" in self.errors:
                continue
            value = None
            if text.strip():
                try:
                    value = parse_number(text, unit=measure.unit)
                except NumberError as exc:
                    self.add_error(f"value_{measure.pk}", f"Enter {name} {exc}")
                    continue
            elif note.strip():
                self.add_error(
                    f"value_{measure.pk}", f"Enter {name} for the period, or remove its note"
                )
                continue
            if value is None and shown is None:
                continue
            self.items.append((measure, value, note, shown, f"value_{measure.pk}"))
        return data

    def rows(self):
        for measure in self.measures:
            yield self.row(measure)

    def row(self, measure: Measure) -> dict:
        return {
            "measure": measure,
            "current": self.current.get(measure.pk),
            "value": self[f"value_{measure.pk}"],
            "note": self[f"note_{measure.pk}"],
            "shown": self[f"shown_{measure.pk}"],
        }


# --- A file of values ------------------------------------------------------------------------

UPLOAD_MAX_BYTES = 1024 * 1024
UPLOAD_MAX_ROWS = 5000


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file of 1 MB or less.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file must be 1 MB or smaller")
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError("The file must be a CSV file saved as text, not binary")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file must be a CSV file saved as UTF-8 (in Excel, “CSV UTF-8”)"
            ) from None
        if not text.strip():
            raise forms.ValidationError("The selected file is empty")
        self.text = text
        return upload


DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_period_end(text: str) -> date:
    text = text.strip()
    if match := DAY_MONTH_YEAR.match(text):
        day, month, year = map(int, match.groups())
        return date(year, month, day)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(text)


@dataclass
class FileRow:
    line: int
    measure: Measure
    period_end: date
    value: Decimal
    note: str


def read_values_file(text: str, measures: list[Measure], today: date) -> tuple[list, list]:
    """The rows of a file of values, and its problems as "Line N: ..." messages."""
    problems: list[str] = []
    rows: list[FileRow] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], ["Line 1: the file has no header row of measure,period_end,value"]
    columns = [c.strip().lower() for c in header]
    missing = [c for c in ("measure", "period_end", "value") if c not in columns]
    if missing:
        return [], [
            f"Line 1: the header row must name the columns measure, period_end and value "
            f"(and optionally note); {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "missing"
        ]
    names = ("measure", "period_end", "value", "note")
    at = {name: columns.index(name) for name in names if name in columns}
    by_name = {m.name: m for m in measures}
    by_lower = {m.name.lower(): m for m in measures}
    seen: dict[tuple, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(problems) >= UPLOAD_MAX_ROWS:
                problems.append(f"Line {line}: the file has more than {UPLOAD_MAX_ROWS} rows")
                break

            def cell(name, record=record):
                index = at.get(name)
                return record[index].strip() if index is not None and index < len(record) else ""

            name, period_text, value_text, note = (
                cell("measure"),
                cell("period_end"),
                cell("value"),
                cell("note"),
            )
            here = []
            measure = by_name.get(name)
            if not name:
                here.append("the measure is missing")
            elif measure is None:
                near = by_lower.get(name.lower())
                hint = f" (did you mean “{near.name}”?)" if near else ""
                here.append(f"there is no measure called “{name[:100]}”{hint}")
            period = None
            try:
                period = parse_period_end(period_text)
            except ValueError:
                here.append(
                    "the period_end must be a date like 2025-03-31 or 31/03/2025"
                    if period_text
                    else "the period_end is missing"
                )
            if measure and period:
                if not is_period_end(measure.frequency, period):
                    example = period_end(measure.frequency, period)
                    here.append(
                        f"{measure.name} is {measure.get_frequency_display().lower()}: its "
                        f"periods end on days such as {example:%-d %B %Y}, not "
                        f"{period:%-d %B %Y}"
                    )
                elif period > today:
                    here.append(f"the period ending {period:%-d %B %Y} has not ended yet")
            value = None
            if not value_text:
                here.append("the value is missing")
            else:
                try:
                    value = parse_number(value_text, unit=measure.unit if measure else None)
                except NumberError as exc:
                    here.append(f"enter the value {exc}, not “{value_text[:30]}”")
            if len(note) > 300:
                here.append("the note must be 300 characters or fewer")
            if measure and period:
                key = (measure.pk, period)
                if key in seen:
                    here.append(f"the same measure and period as line {seen[key]}")
                else:
                    seen[key] = line
            if here:
                problems.append(f"Line {line}: {'; '.join(here)}")
            else:
                rows.append(FileRow(line, measure, period, value, note))
    except csv.Error as exc:
        problems.append(f"Line {reader.line_num}: the file cannot be read as CSV ({exc})")
    if not rows and not problems:
        problems.append("The file has no rows of values under its header")
    return rows, problems


class MeasureRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why is it removed?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, it was added by mistake. The change history keeps the reason.",
        error_messages={
            "required": "Say why the measure is removed",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
